"""§115/SSP meeting pages: forums, meetings (agenda, live meeting, minutes), police
lists, consents and the action-item worklists."""

from django.urls import path

from . import documents_views, import_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("actions/", views.worklist, name="worklist"),
    path("actions/<uuid:pk>/status/", views.action_status, name="action_status"),
    path("forums/new/", views.forum_new, name="forum_new"),
    path("forums/<uuid:pk>/", views.forum_detail, name="forum"),
    path("forums/<uuid:pk>/members/", views.forum_members, name="forum_members"),
    path(
        "forums/<uuid:pk>/members/<uuid:member_id>/leave/",
        views.forum_member_leave,
        name="forum_member_leave",
    ),
    path(
        "forums/<uuid:pk>/calendar/<str:token>.ics",
        documents_views.calendar_feed,
        name="calendar",
    ),
    path("forums/<uuid:pk>/lists/new/", import_views.list_import, name="list_import"),
    path("lists/<uuid:pk>/", import_views.list_detail, name="list"),
    path(
        "lists/rows/<uuid:row_id>/<str:decision>/",
        import_views.row_decide,
        name="row_decide",
    ),
    path("<uuid:pk>/", views.meeting_detail, name="meeting"),
    path("<uuid:pk>/agenda/build/", views.agenda_build, name="agenda_build"),
    path("<uuid:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<uuid:pk>/agenda/order/", views.agenda_order, name="agenda_order"),
    path("<uuid:pk>/send/", views.agenda_send, name="agenda_send"),
    path("<uuid:pk>/start/", views.meeting_start, name="start"),
    path("<uuid:pk>/end/", views.meeting_end, name="end"),
    path("<uuid:pk>/approve/", views.minutes_approve, name="approve"),
    path("<uuid:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path(
        "<uuid:pk>/participants/<uuid:participant_id>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("<uuid:pk>/minutes.pdf", documents_views.minutes_pdf, name="minutes"),
    path("items/<uuid:pk>/", views.item_detail, name="item"),
    path("items/<uuid:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<uuid:pk>/remove/", views.item_remove, name="item_remove"),
    path("items/<uuid:pk>/share/", views.item_share, name="item_share"),
    path("items/<uuid:pk>/reshare/", views.item_reshare, name="item_reshare"),
    path("items/<uuid:pk>/decision/", views.item_decision, name="item_decision"),
    path("items/<uuid:pk>/actions/", views.item_actions, name="item_actions"),
    path("items/<uuid:pk>/forms/<str:name>/", views.item_form, name="item_form"),
    path("consents/<uuid:person_id>/", views.consents, name="consents"),
    path(
        "consents/<uuid:pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
