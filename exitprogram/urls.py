"""Exit programme pages: the coordinator's dashboard and case page (phase by
phase), the agreement editor and PDF, the police's weekly report list, the
responsible authorities' measures and the programme's figures."""

from django.urls import path

from . import documents_views, views

app_name = "exitprogram"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refer/", views.refer, name="refer"),
    path("figures/", documents_views.figures, name="figures"),
    path("reports/", views.reports, name="reports"),
    path("reports/<uuid:pk>/", views.report_record, name="report_record"),
    path("measures/", views.measures, name="measures"),
    path("measures/<uuid:pk>/status/", views.measure_status, name="measure_status"),
    path("measures/<uuid:pk>/remove/", views.measure_remove, name="measure_remove"),
    path("<uuid:pk>/", views.case_detail, name="case"),
    path("<uuid:pk>/step/<str:event>/", views.case_step, name="step"),
    path("<uuid:pk>/police-mapping/", views.police_mapping, name="police_mapping"),
    path(
        "<uuid:pk>/municipal-mapping/",
        views.municipal_mapping,
        name="municipal_mapping",
    ),
    path("<uuid:pk>/clarification/", views.clarification, name="clarification"),
    path("<uuid:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<uuid:pk>/mentors/", views.mentors, name="mentors"),
    path(
        "mentors/<uuid:assignment_id>/sessions/",
        views.mentor_sessions,
        name="mentor_sessions",
    ),
    path("<uuid:pk>/nec/", views.nec, name="nec"),
    path("<uuid:pk>/revise/", views.agreement_revise, name="agreement_revise"),
    path("agreements/<uuid:pk>/", views.agreement_detail, name="agreement"),
    path(
        "agreements/<uuid:pk>/measures/",
        views.agreement_measures,
        name="agreement_measures",
    ),
    path("agreements/<uuid:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<uuid:pk>/sent/", views.agreement_sent, name="agreement_sent"),
    path(
        "agreements/<uuid:pk>/agreement.pdf",
        documents_views.agreement_pdf,
        name="agreement_pdf",
    ),
]
