"""Roles × agencies × municipalities on the sample record type, a person.

A person recorded by Ishøj SSP is seen by Ishøj SSP staff only, until someone
grants it: outsiders get 404 (not 403) and find it in no list, search or count
(STYLE.md §16; R-115-5, no automatic sharing; R-CONF-1, need to know).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from access.legal import LegalBasis
from access.permissions import CHANGE, VIEW, can, visible
from access.services import access_grant, access_revoke
from cases.models import Person

INSIDERS = ["ssp", "manager"]
OUTSIDERS = [
    "social",  # other agency, same municipality
    "ssp_albertslund",  # other municipality, same police district
    "police",  # the district's police, not granted
    "police_other_district",
    "auditor",  # reads the log, not case data
    "admin",  # administers, does not read
    "superuser",  # guardian would answer a superuser with everything
]


@pytest.mark.parametrize("who", INSIDERS)
def test_recording_agency_sees_lists_and_edits(
    who, personas, ishoej_person, client_for
):
    client = client_for(getattr(personas, who))
    assert client.get(reverse("cases:person_list")).context["page"].paginator.count == 1
    detail = client.get(reverse("cases:person_detail", args=[ishoej_person.pk]))
    assert detail.status_code == 200
    assert b"Hemmeligsen" in detail.content
    assert (
        client.get(reverse("cases:person_edit", args=[ishoej_person.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsider_gets_404_and_finds_nothing(who, personas, ishoej_person, client_for):
    client = client_for(getattr(personas, who))
    for name in ("cases:person_detail", "cases:person_edit"):
        response = client.get(reverse(name, args=[ishoej_person.pk]))
        assert response.status_code == 404
        assert b"Hemmeligsen" not in response.content
    for response in (
        client.get(reverse("cases:person_list")),
        client.post(reverse("cases:person_list"), {"q": "Hemmel"}),
    ):
        if response.status_code == 200:
            assert response.context["page"].paginator.count == 0
        assert b"Hemmeligsen" not in response.content
    assert b"Hemmeligsen" not in client.get(reverse("core:dashboard")).content
    for api in (
        client.get("/api/v1/persons/"),
        client.post(
            "/api/v1/persons/search/", {"q": "Hemmel"}, content_type="application/json"
        ),
    ):
        assert api.status_code == 200
        assert api.json()["count"] == 0
    assert client.get(f"/api/v1/persons/{ishoej_person.pk}/").status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsider_cannot_tell_existing_from_missing(
    who, personas, ishoej_person, client_for
):
    client = client_for(getattr(personas, who))
    existing = client.get(reverse("cases:person_detail", args=[ishoej_person.pk]))
    missing = client.get(
        reverse("cases:person_detail", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert existing.status_code == missing.status_code == 404

    # The pages differ only in what the requester sent: its own URL and CSRF token.
    def normalised(response, pk):
        content = response.content.replace(str(pk).encode(), b"<id>")
        return re.sub(
            rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', b"", content
        )

    assert normalised(existing, ishoej_person.pk) == normalised(
        missing, "00000000-0000-4000-8000-000000000000"
    )


def test_view_grant_lets_another_agency_read_but_not_write(
    personas, world, ishoej_person, client_for
):
    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        agency=world.social_ishoej,
        actions=[VIEW],
        legal_basis=LegalBasis.RPL115_2,
        reason="SSP meeting",
    )
    client = client_for(personas.social)
    assert (
        client.get(reverse("cases:person_detail", args=[ishoej_person.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("cases:person_edit", args=[ishoej_person.pk])).status_code
        == 403
    )
    response = client.patch(
        f"/api/v1/persons/{ishoej_person.pk}/",
        {"given_name": "X"},
        content_type="application/json",
    )
    assert response.status_code == 403
    ishoej_person.refresh_from_db()
    assert ishoej_person.given_name == "Testa"


def test_revoked_grant_takes_effect_on_the_next_request(
    personas, world, ishoej_person, client_for
):
    client = client_for(personas.police)
    url = reverse("cases:person_detail", args=[ishoej_person.pk])
    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        agency=world.police_vestegn,
        actions=[VIEW],
        legal_basis=LegalBasis.RPL115_2,
    )
    assert client.get(url).status_code == 200
    access_revoke(actor=personas.ssp, obj=ishoej_person, agency=world.police_vestegn)
    assert client.get(url).status_code == 404


def test_ending_a_membership_ends_access(personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    url = reverse("cases:person_detail", args=[ishoej_person.pk])
    assert client.get(url).status_code == 200
    personas.ssp.memberships.all().delete()
    assert client.get(url).status_code == 404


def test_grant_to_one_user_only(personas, ishoej_person):
    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        user=personas.police,
        actions=[VIEW, CHANGE],
        legal_basis=LegalBasis.RPL115_2,
    )
    assert can(personas.police, ishoej_person, CHANGE)
    assert not can(personas.police_other_district, ishoej_person, VIEW)


def test_administrator_with_a_case_role_reads_through_that_role(
    personas, world, ishoej_person, client_for
):
    from organisations.models import Membership, Role

    url = reverse("cases:person_detail", args=[ishoej_person.pk])
    assert client_for(personas.admin).get(url).status_code == 404
    Membership.objects.create(
        user=personas.admin, agency=world.ssp_ishoej, role=Role.SSP_COORDINATOR
    )
    assert client_for(personas.admin).get(url).status_code == 200


def test_inactive_user_sees_nothing(personas, ishoej_person):
    personas.ssp.is_active = False
    personas.ssp.save()
    assert not visible(personas.ssp, Person, audit=None).exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsider_cannot_write(who, personas, ishoej_person, client_for):
    client = client_for(getattr(personas, who))
    response = client.post(
        reverse("cases:person_edit", args=[ishoej_person.pk]),
        {"given_name": "Changed", "family_name": "Changed"},
    )
    assert response.status_code == 404
    api = client.patch(
        f"/api/v1/persons/{ishoej_person.pk}/",
        {"given_name": "Changed"},
        content_type="application/json",
    )
    assert api.status_code == 404
    ishoej_person.refresh_from_db()
    assert ishoej_person.given_name == "Testa"
