"""A few fictional young people for the demo, recorded by the actor's agency."""

from __future__ import annotations

from datetime import date

from organisations.selectors import acting_membership

from .models import Person
from .services import person_create

# Invented people with valid-format, fictitious CPR numbers (the date part matches).
DEMO_PERSONS = [
    ("Ali", "Demo", date(2010, 3, 14), "140310-4001"),
    ("Sara", "Eksempel", date(2009, 11, 2), "021109-4002"),
    ("Jonas", "Prøve", date(2011, 6, 30), ""),
]


def seed_persons(*, actor) -> None:
    agency = acting_membership(user=actor).agency
    for given, family, born, cpr in DEMO_PERSONS:
        if not Person.objects.filter(
            given_name=given, family_name=family, municipality=agency.municipality
        ).exists():
            person_create(
                actor=actor,
                agency=agency,
                municipality=agency.municipality,
                given_name=given,
                family_name=family,
                date_of_birth=born,
                cpr=cpr,
            )
