"""The sibling alert: a young person whose sibling is red, in the Exit programme, or
the subject of police information under Retsplejeloven §115 stk. 5 (R-115-6).

Each fact is registered by the app that owns it, as a function that returns the
persons with that fact *which the user may see* (one query). An alert is shown only
when the user may see the sibling and the fact behind it. The wording speaks of
attention to the family, never of labels (DOMAIN.md: siblings are a focus group,
Barnets lov §19 stk. 3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import IntegerField, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from access.permissions import visible
from audit.models import Action
from cases.models import ConcernLevel, Person

from .selectors import has_sibling_among, sibling_id_list


@dataclass(frozen=True)
class SiblingFact:
    key: str
    label: object
    persons_with_fact: Callable[[object], QuerySet[Person]]


_FACTS: dict[str, SiblingFact] = {}


def register_sibling_fact(key: str, *, label, persons_with_fact) -> None:
    _FACTS[key] = SiblingFact(key, label, persons_with_fact)


def _red(user) -> QuerySet[Person]:
    return visible(user, Person, audit=None).filter(concern_level=ConcernLevel.RED)


register_sibling_fact(
    "cases.red",
    label=_("A sibling's concern level is red"),
    persons_with_fact=_red,
)


@dataclass
class SiblingAlert:
    sibling: Person
    reasons: list


def sibling_alerts(*, user, person: Person) -> list[SiblingAlert]:
    """The alerts on `person`'s page: one per sibling with a fact the user may see.
    One query for the siblings, one for every registered fact at once (a UNION
    ALL of the facts' queries, each row naming its fact) and, when a sibling has
    one, one for the siblings shown (audited as a list)."""
    siblings = sibling_id_list(person)
    if not siblings or not _FACTS:
        return []
    facts = list(_FACTS.values())
    parts = [
        fact.persons_with_fact(user)
        .filter(pk__in=siblings)
        .annotate(fact_index=Value(index, output_field=IntegerField()))
        .values_list("pk", "fact_index")
        .order_by()
        for index, fact in enumerate(facts)
    ]
    facts_found = parts[0].union(*parts[1:], all=True) if parts[1:] else parts[0]
    found: dict = {}
    for pk, index in facts_found:
        found.setdefault(pk, set()).add(index)
    if not found:
        return []
    shown = visible(
        user,
        Person.objects.filter(pk__in=found),
        audit=Action.LIST,
    ).order_by("date_of_birth")
    # The reasons in the order the facts were registered, as before.
    return [
        SiblingAlert(sibling, [facts[i].label for i in sorted(found[sibling.pk])])
        for sibling in shown
    ]


def persons_with_sibling_alert(*, user) -> QuerySet[Person]:
    """The persons the user may see who have a sibling with a fact the user may
    see: one query, for the SSP coordinator's dashboard."""
    if not _FACTS:
        return Person.objects.none()
    condition = Q()
    for fact in _FACTS.values():
        condition |= has_sibling_among(fact.persons_with_fact(user).values("pk"))
    return visible(
        user, Person.objects.filter(condition).select_related("municipality")
    ).order_by("family_name", "given_name")
