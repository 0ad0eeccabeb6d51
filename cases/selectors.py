"""Reads on persons, scoped and audited by the permission core."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.permissions import VIEW, visible, visible_via
from audit.models import Action
from core.cpr import CprError, looks_like_cpr, parse_cpr
from core.crypto import keyed_hash

from .models import ConcernLevelChange, Person


def persons_visible_to(
    *, user, query: str = "", action: str = VIEW
) -> QuerySet[Person]:
    """Persons the user may see, optionally filtered by a name search.

    A search is audited as a search with its criterion; a plain list as a list.
    """
    query = " ".join(query.split())
    people = Person.objects.select_related("municipality", "recorded_by")
    if looks_like_cpr(query):
        # Exact match through the keyed hash; the criterion is logged hashed too.
        try:
            people = people.filter(cpr_hash=keyed_hash(parse_cpr(query).digits))
        except CprError:
            people = people.none()
    elif query:
        for word in query.split(" "):
            people = people.filter(
                Q(given_name__icontains=word) | Q(family_name__icontains=word)
            )
    return visible(
        user,
        people,
        action=action,
        audit=Action.SEARCH if query else Action.LIST,
        criterion=query,
    )


def concern_history(*, user, person: Person) -> QuerySet[ConcernLevelChange]:
    """The person's concern-level changes, newest first, for whoever may see it."""
    return visible_via(
        user,
        ConcernLevelChange.objects.filter(person=person).select_related(
            "set_by", "agency"
        ),
        parent="person",
        parent_model=Person,
    )
