"""The assessment and action plan pages (issue 7, point 7), included by
families.urls under its "families" namespace."""

from django.urls import path

from . import plan_views as views

urlpatterns = [
    path("<uuid:family_id>/plans/", views.family_plans, name="family_plans"),
    path(
        "<uuid:family_id>/assessments/new/",
        views.assessment_new,
        name="assessment_new",
    ),
    path("<uuid:family_id>/plans/new/", views.plan_new, name="plan_new"),
    path("assessments/<uuid:pk>/", views.assessment, name="assessment"),
    path(
        "assessments/<uuid:pk>/summary/",
        views.assessment_summary,
        name="assessment_summary",
    ),
    path("plans/<uuid:pk>/", views.plan, name="plan"),
    path("plans/<uuid:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<uuid:pk>/goals/", views.plan_goals, name="plan_goals"),
    path("plans/<uuid:pk>/actions/", views.plan_actions, name="plan_actions"),
    path("plans/<uuid:pk>/progress/", views.plan_progress, name="plan_progress"),
    path("plans/<uuid:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<uuid:pk>/<str:event>/", views.plan_step, name="plan_step"),
    path("plan-actions/<uuid:pk>/edit/", views.action_edit, name="action_edit"),
    path("plan-actions/<uuid:pk>/remove/", views.action_remove, name="action_remove"),
]
