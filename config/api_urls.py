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
from families.api import FamilyViewSet
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

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
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
    *router.urls,
]
