"""Concern conversation pages: the police liaison's dashboard, the conversation page
with its htmx fragments, the worklist, the letter and the figures."""

from django.urls import path

from . import documents_views, views

app_name = "conversations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("all/", views.conversation_list, name="list"),
    path("request/<uuid:person_id>/", views.conversation_request, name="request"),
    path("worklist/", views.worklist, name="worklist"),
    path("figures/", documents_views.figures, name="figures"),
    path("figures.csv", documents_views.figures_csv, name="figures_csv"),
    path("<uuid:pk>/", views.conversation_detail, name="detail"),
    path("<uuid:pk>/plan/", views.conversation_plan, name="plan"),
    path("<uuid:pk>/hold/", views.conversation_hold, name="hold"),
    path("<uuid:pk>/follow-up/", views.conversation_follow_up, name="follow_up"),
    path("<uuid:pk>/close/", views.conversation_close, name="close"),
    path("<uuid:pk>/cancel/", views.conversation_cancel, name="cancel"),
    path(
        "<uuid:pk>/not-attended/",
        views.conversation_not_attended,
        name="not_attended",
    ),
    path("<uuid:pk>/participants/", views.participants, name="participants"),
    path(
        "<uuid:pk>/participants/<uuid:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("<uuid:pk>/measures/", views.measures, name="measures"),
    path(
        "measures/<uuid:measure_id>/status/",
        views.measure_status,
        name="measure_status",
    ),
    path("<uuid:pk>/letter.pdf", documents_views.letter_pdf, name="letter"),
]
