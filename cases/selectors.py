"""Reads on persons, scoped and audited by the permission core."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import F, QuerySet

from access.lists import VisibleList
from access.permissions import (
    CHANGE,
    VIEW,
    can_expression,
    get_visible_or_404,
    visible,
    visible_under,
    visible_via,
)
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
        # A search or filter finds its rows by its own index (trigram, CPR hash,
        # municipality): the grants are checked per row, not read whole.
        per_row=bool(criterion),
    )


def listed_persons(
    *, user, query: str = "", **filters
) -> QuerySet[Person] | VisibleList:
    """The person list's rows, for a Paginator: `persons_visible_to`, except that
    the list with neither search nor filter is a `VisibleList`, which counts and
    pages it without reading every person the user may see (a district's police
    liaison sees thousands; docs/performance.md)."""
    if query.strip() or any(filters.values()):
        return persons_visible_to(user=user, query=query, **filters)
    return VisibleList(
        user, Person.objects.select_related("municipality", "recorded_by")
    )


@dataclass(frozen=True)
class PersonPage:
    """What the person's page reads with the person (person_page)."""

    person: Person
    may_change: bool
    history: list[ConcernLevelChange]
    factors: list[PersonFactor]


def person_page(*, user, pk, history: int) -> PersonPage:
    """The person for their page, or 404 (access.permissions.get_visible_or_404:
    audited as a view), with the municipality and recording agency the page names
    and whether the user may change the record, read in the same query.

    Then the person's latest `history` concern-level changes and their factors,
    each audited as a list, through access.permissions.visible_under: the person
    was just checked for this user, so its grants are not asked a second and
    third time."""
    person = get_visible_or_404(
        user,
        Person.objects.select_related("municipality", "recorded_by").annotate(
            may_change=can_expression(user, Person, CHANGE)
        ),
        pk=pk,
    )
    return PersonPage(
        person=person,
        may_change=person.may_change,
        history=list(
            visible_under(user, _concern_changes(), parent="person", obj=person)[
                :history
            ]
        ),
        factors=list(visible_under(user, _factors(), parent="person", obj=person)),
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


def _factors() -> QuerySet[PersonFactor]:
    return PersonFactor.objects.select_related("factor", "agency").order_by(
        F("ended_on").asc(nulls_first=True), "-observed_on"
    )


def _concern_changes() -> QuerySet[ConcernLevelChange]:
    return ConcernLevelChange.objects.select_related("set_by", "agency")


def factors_of(*, user, person: Person) -> QuerySet[PersonFactor]:
    return visible_via(
        user, _factors().filter(person=person), parent="person", parent_model=Person
    )


def concern_history(*, user, person: Person) -> QuerySet[ConcernLevelChange]:
    """The person's concern-level changes, newest first, for whoever may see it."""
    return visible_via(
        user,
        _concern_changes().filter(person=person),
        parent="person",
        parent_model=Person,
    )
