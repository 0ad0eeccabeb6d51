from django.urls import include, path

from . import views

app_name = "families"

urlpatterns = [
    path(
        "relations/<uuid:person_id>/<uuid:relation_id>/remove/",
        views.relation_remove,
        name="relation_remove",
    ),
    path("", views.family_list, name="family_list"),
    path("attention/", views.attention, name="attention"),
    path("new/", views.family_create, name="family_create"),
    path("<uuid:family_id>/", views.family_detail, name="family_detail"),
    path("<uuid:family_id>/members/new/", views.family_add_new, name="family_add_new"),
    path(
        "<uuid:family_id>/members/existing/",
        views.family_add_existing,
        name="family_add_existing",
    ),
    path(
        "<uuid:family_id>/members/<uuid:person_id>/remove/",
        views.family_remove_member,
        name="family_remove_member",
    ),
    path(
        "<uuid:family_id>/relations/",
        views.family_record_relation,
        name="family_record_relation",
    ),
    path("", include("families.plan_urls")),
    path("", include("families.bulk_urls")),
]
