"""Reading a person's timeline through the permission core."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

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


def timeline_page(*, user, person, number, per_page: int) -> Page:
    """Page `number` of `timeline_for`, as Paginator.get_page answers it (not a
    number: the first page; out of range: the last), read with its total in one
    query: the count is a window over the same rows, so the page needs no separate
    COUNT. Only a page out of range costs a count and a second read."""
    entries = timeline_for(user=user, person=person)
    paginator = Paginator(entries, per_page)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        bottom = (wanted - 1) * per_page
        rows = list(
            entries.annotate(entries_total=Window(Count("pk")))[
                bottom : bottom + per_page
            ]
        )
        if rows or wanted == 1:
            # Paginator.count is a cached property: set, it is never queried.
            paginator.count = rows[0].entries_total if rows else 0
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)
