from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("persons/<uuid:person_id>/", views.person_access, name="person_access"),
]
