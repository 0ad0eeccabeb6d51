"""/api/v1/: every endpoint, one router."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from audit.api import AuditEntryViewSet, PersonAccessLogView
from cases.api import PersonViewSet
from cases.import_api import PersonImportView
from families.api import FamilyViewSet
from organisations.api import AgencyViewSet, MeView

router = SimpleRouter()
router.register("persons", PersonViewSet, basename="person")
router.register("families", FamilyViewSet, basename="family")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("audit/entries", AuditEntryViewSet, basename="audit-entry")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path(
        "audit/persons/<uuid:person_id>/",
        PersonAccessLogView.as_view(),
        name="api-person-access-log",
    ),
    path("persons/import/", PersonImportView.as_view(), name="api-person-import"),
    *router.urls,
]
