"""Reads on the audit log, scoped by the permission core."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from access.permissions import audit_entries_visible
from audit.models import Action, AuditEntry, AuditSubject
from audit.services import audit_record


def _with_relations(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    return entries.select_related("user", "agency").prefetch_related(
        Prefetch(
            "subjects", queryset=AuditSubject.objects.only("entry_id", "person_id")
        )
    )


def entries_visible_to(*, user, filters: dict) -> QuerySet[AuditEntry]:
    entries = audit_entries_visible(user)
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("username"):
        entries = entries.filter(username=filters["username"])
    if filters.get("date_from"):
        entries = entries.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(at__date__lte=filters["date_to"])
    if filters.get("person"):
        entries = entries.filter(subjects__person_id=filters["person"]).distinct()
    return _with_relations(entries)


def entries_for_person(*, user, person) -> QuerySet[AuditEntry]:
    """Every access to one person's data, from every agency: the person's right of
    access covers all of them. Reading this report is itself audited."""
    audit_record(
        user=user,
        action=Action.VIEW,
        object_type="audit.personaccessreport",
        object_id=str(person.pk),
        subjects=[person.pk],
    )
    return _with_relations(
        AuditEntry.objects.filter(subjects__person_id=person.pk).distinct()
    )
