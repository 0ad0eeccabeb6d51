"""/api/v1/audit/: the same log and person report as the pages."""

from __future__ import annotations

from rest_framework import generics, mixins, serializers, viewsets

from access.api import CanReadAuditLog
from access.permissions import person_for_access_report

from .forms import AuditFilterForm
from .models import AuditEntry
from .selectors import entries_for_person, entries_visible_to


class AuditEntryOutput(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", default=None)
    subjects = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "username",
            "agency",
            "action",
            "object_type",
            "object_id",
            "criterion",
            "changed_fields",
            "purpose",
            "subjects",
        ]

    def get_subjects(self, entry) -> list[str]:
        return [str(s.person_id) for s in entry.subjects.all()]


class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Entries from the caller's municipalities; filters as on the page
    (?action=, ?username=, ?date_from=, ?date_to=, ?person=)."""

    serializer_class = AuditEntryOutput
    permission_classes = [CanReadAuditLog]

    def get_queryset(self):
        form = AuditFilterForm(self.request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return entries_visible_to(
            user=self.request.user, filters=form.cleaned_data if form.is_bound else {}
        )


class PersonAccessLogView(generics.ListAPIView):
    """Every access to one person's data (R-LOG-3)."""

    serializer_class = AuditEntryOutput
    permission_classes = [CanReadAuditLog]

    def get_queryset(self):
        person = person_for_access_report(self.request.user, self.kwargs["person_id"])
        return entries_for_person(user=self.request.user, person=person)
