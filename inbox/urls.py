from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("done/", views.done, name="done"),
    path("snooze/", views.snooze, name="snooze"),
    path("wake/", views.wake, name="wake"),
]
