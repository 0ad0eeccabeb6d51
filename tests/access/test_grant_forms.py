"""access.permissions.visible(per_row=...): the two SQL forms of the grant filter
(one IN over a UNION ALL; two INs joined by OR) give the same rows, grants to the
user included (docs/performance.md)."""

from __future__ import annotations

import pytest

from access.legal import LegalBasis
from access.permissions import VIEW, visible
from access.services import access_grant
from cases.models import Person
from cases.services import person_create


@pytest.mark.parametrize("per_row", [False, True])
def test_both_forms_give_the_agency_s_and_the_user_s_grants(
    personas, world, ishoej_person, per_row
):
    other = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Named",
        family_name="Recipient",
    )
    person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Not",
        family_name="Shared",
    )
    access_grant(
        actor=personas.ssp_albertslund,
        obj=other,
        user=personas.ssp,
        actions=[VIEW],
        legal_basis=LegalBasis.OWN_TASK,
    )
    seen = visible(personas.ssp, Person, audit=None, per_row=per_row)
    assert {p.pk for p in seen} == {ishoej_person.pk, other.pk}
    filtered = visible(
        personas.ssp,
        Person.objects.filter(family_name="Recipient"),
        audit=None,
        per_row=per_row,
    )
    assert [p.pk for p in filtered] == [other.pk]
