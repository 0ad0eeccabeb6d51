from django.urls import path

from . import import_views, views

app_name = "cases"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("import/", import_views.person_import, name="person_import"),
    path("<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:person_id>/cpr/", views.person_reveal_cpr, name="person_reveal_cpr"),
    path(
        "<uuid:person_id>/concern-level/",
        views.person_set_concern_level,
        name="person_set_concern_level",
    ),
    path("<uuid:person_id>/close/", views.person_close, name="person_close"),
    path("<uuid:person_id>/reopen/", views.person_reopen, name="person_reopen"),
    path(
        "<uuid:person_id>/factors/", views.person_add_factor, name="person_add_factor"
    ),
    path(
        "<uuid:person_id>/factors/<uuid:factor_id>/end/",
        views.person_end_factor,
        name="person_end_factor",
    ),
]
