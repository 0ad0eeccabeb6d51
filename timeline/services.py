"""Recording on the timeline: the one mechanism every app uses."""

from __future__ import annotations

from django.db import models

from .models import TimelineEntry
from .registry import kind_of


def timeline_record(
    *,
    person,
    kind: str,
    actor,
    agency,
    legal_basis: str,
    params: dict | None = None,
    detail: str = "",
    source: models.Model | None = None,
    occurred_at=None,
    restricted: bool = False,
) -> TimelineEntry:
    """Add an entry to `person`'s timeline. Called inside the caller's transaction,
    so the entry exists exactly when the record it describes does. A restricted
    entry is seen by nobody until the caller grants it (access.services)."""
    kind_of(kind)  # an unregistered kind is a programming error, not data
    entry = TimelineEntry(
        person=person,
        kind=kind,
        params=params or {},
        detail=detail,
        agency=agency,
        legal_basis=legal_basis,
        recorded_by=actor,
        restricted=restricted,
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
    if occurred_at is not None:
        entry.occurred_at = occurred_at
    entry.save()
    return entry
