from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read/", views.notification_read_all, name="notification_read_all"),
    path(
        "<uuid:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
]
