"""Reads on persons, scoped and audited by the permission core."""

from __future__ import annotations

from difflib import SequenceMatcher

from django.db.models import F, QuerySet

from access.permissions import VIEW, visible, visible_via
from audit.models import Action
from core.cpr import CprError, looks_like_cpr, parse_cpr
from core.crypto import keyed_hash
from core.text import search_key

from .models import ConcernLevelChange, Person, PersonFactor


def persons_visible_to(
    *,
    user,
    query: str = "",
    action: str = VIEW,
    municipality=None,
    concern_level: str = "",
    school: str = "",
    status: str = "",
) -> QuerySet[Person]:
    """Persons the user may see, optionally searched and filtered.

    A name search matches every word anywhere in the name, ignoring case and
    accents and treating "aa" as "å" (core.text.search_key); a CPR number matches
    exactly through its keyed hash. A search is audited as a search with its
    criterion; a plain list as a list.
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
        for word in search_key(query).split(" "):
            people = people.filter(search_name__contains=word)
    if municipality is not None:
        people = people.filter(municipality=municipality)
    if concern_level:
        people = people.filter(concern_level=concern_level)
    if school:
        people = people.filter(school__icontains=school.strip())
    if status:
        people = people.filter(status=status)
    criterion = " ".join(
        part
        for part in (
            query,
            f"municipality={municipality.code}" if municipality is not None else "",
            f"concern_level={concern_level}" if concern_level else "",
            f"school={school}" if school else "",
            f"status={status}" if status else "",
        )
        if part
    )
    return visible(
        user,
        people,
        action=action,
        audit=Action.SEARCH if criterion else Action.LIST,
        criterion=criterion,
    )


def possible_duplicates(
    *, user, given_name: str, family_name: str, date_of_birth
) -> list[Person]:
    """Persons the user may see with the same date of birth and a similar name: a
    warning before registering someone twice. Persons the user may not see are
    not considered (telling of them would reveal that they exist)."""
    if date_of_birth is None:
        return []
    wanted = search_key(f"{given_name} {family_name}")
    same_birthday = visible(
        user,
        Person.objects.filter(date_of_birth=date_of_birth).select_related(
            "municipality"
        ),
        audit=Action.SEARCH,
        criterion=f"duplicate check {date_of_birth:%Y-%m-%d}",
    )
    return [
        person
        for person in same_birthday
        if SequenceMatcher(None, wanted, person.search_name).ratio() >= 0.8
    ]


def factors_of(*, user, person: Person) -> QuerySet[PersonFactor]:
    return visible_via(
        user,
        PersonFactor.objects.filter(person=person).select_related("factor", "agency"),
        parent="person",
        parent_model=Person,
    ).order_by(F("ended_on").asc(nulls_first=True), "-observed_on")


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
