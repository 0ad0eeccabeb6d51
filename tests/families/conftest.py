import pytest

from families.models import MemberRole
from families.services import family_add_new_person, family_create


@pytest.fixture
def hansen(personas, world):
    """An Ishøj household: a mother and two children, recorded by Ishøj SSP."""
    family = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Familien Hansen",
    )

    def add(given, role, **fields):
        return family_add_new_person(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            family=family,
            role=role,
            given_name=given,
            family_name="Hansen",
            **fields,
        ).person

    mother = add("Mette", MemberRole.MOTHER)
    older = add("Omar", MemberRole.CHILD, cpr="010107-4111")
    younger = add("Yasmin", MemberRole.CHILD, cpr="020212-4222")
    return family, mother, older, younger
