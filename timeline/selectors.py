"""Reading a person's timeline through the permission core."""

from __future__ import annotations

from django.db.models import QuerySet

from access.permissions import visible_via

from .models import TimelineEntry


def timeline_for(*, user, person) -> QuerySet[TimelineEntry]:
    """The entries about `person` that `user` may see, newest first, as one query."""
    from cases.models import Person

    return visible_via(
        user,
        TimelineEntry.objects.filter(person=person).select_related("agency"),
        parent="person",
        parent_model=Person,
        restricted_field="restricted",
    )
