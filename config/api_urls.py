"""/api/v1/: every endpoint, one router."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from audit.api import AuditEntryViewSet, PersonAccessLogView
from cases.api import PersonViewSet
from cases.import_api import PersonImportView
from conversations.api import (
    ConversationViewSet,
    MeasureTypeViewSet,
    MeasureViewSet,
    MethodViewSet,
)
from conversations.documents_api import (
    ConversationFiguresView,
    ConversationLetterView,
)
from exitprogram.api import (
    ExitAgreementViewSet,
    ExitCaseViewSet,
    ExitMeasureViewSet,
    ExitWeeklyReportViewSet,
)
from exitprogram.documents_api import ExitFiguresView
from families.api import FamilyViewSet
from families.plan_api import (
    FamilyAssessmentViewSet,
    FamilyPlanActionViewSet,
    FamilyPlanProgressViewSet,
    FamilyPlanViewSet,
)
from inbox.api import InboxDoneView, InboxSnoozeView, InboxView, InboxWakeView
from meetings.api import (
    ActionItemViewSet,
    AgendaItemViewSet,
    ConsentViewSet,
    ForumViewSet,
    MeetingViewSet,
    SharedInformationViewSet,
)
from meetings.import_api import PoliceListImportView
from organisations.api import AgencyViewSet, MeView
from reminders.api import NotificationViewSet

router = SimpleRouter()
router.register("persons", PersonViewSet, basename="person")
router.register("families", FamilyViewSet, basename="family")
router.register("conversations", ConversationViewSet, basename="conversation")
router.register(
    "conversation-measures", MeasureViewSet, basename="conversation-measure"
)
router.register("conversation-methods", MethodViewSet, basename="conversation-method")
router.register("measure-types", MeasureTypeViewSet, basename="measure-type")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("audit/entries", AuditEntryViewSet, basename="audit-entry")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("forums", ForumViewSet, basename="forum")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register(
    "shared-information", SharedInformationViewSet, basename="shared-information"
)
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("consents", ConsentViewSet, basename="consent")
router.register("exit-cases", ExitCaseViewSet, basename="exit-case")
router.register("exit-agreements", ExitAgreementViewSet, basename="exit-agreement")
router.register("exit-measures", ExitMeasureViewSet, basename="exit-measure")
router.register(
    "exit-weekly-reports", ExitWeeklyReportViewSet, basename="exit-weekly-report"
)
router.register(
    "family-assessments", FamilyAssessmentViewSet, basename="family-assessment"
)
router.register("family-plans", FamilyPlanViewSet, basename="family-plan")
router.register(
    "family-plan-actions", FamilyPlanActionViewSet, basename="family-plan-action"
)
router.register(
    "family-plan-progress", FamilyPlanProgressViewSet, basename="family-plan-progress"
)

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("inbox/", InboxView.as_view(), name="api-inbox"),
    path("inbox/done/", InboxDoneView.as_view(), name="api-inbox-done"),
    path("inbox/snooze/", InboxSnoozeView.as_view(), name="api-inbox-snooze"),
    path("inbox/wake/", InboxWakeView.as_view(), name="api-inbox-wake"),
    path(
        "audit/persons/<uuid:person_id>/",
        PersonAccessLogView.as_view(),
        name="api-person-access-log",
    ),
    path("persons/import/", PersonImportView.as_view(), name="api-person-import"),
    path(
        "conversations/figures/",
        ConversationFiguresView.as_view(),
        name="api-conversation-figures",
    ),
    path(
        "conversations/<uuid:pk>/letter/",
        ConversationLetterView.as_view(),
        name="api-conversation-letter",
    ),
    path("exit/figures/", ExitFiguresView.as_view(), name="api-exit-figures"),
    path(
        "forums/<uuid:pk>/police-lists/import/",
        PoliceListImportView.as_view(),
        name="api-police-list-import",
    ),
    *router.urls,
]
