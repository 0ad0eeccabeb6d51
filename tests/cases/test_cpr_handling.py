"""CPR handled lawfully (issue 3, point 2; R-DP-3): validated, encrypted at rest,
masked, revealed only on an audited request by those who may, found by exact match,
unique."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from access.services import access_grant
from audit.models import AuditEntry
from cases.models import Person

CPR = "150310-4234"  # 7th digit 4, year 10 → 2010


@pytest.fixture
def with_cpr(record_in_ishoej) -> Person:
    return record_in_ishoej(
        given_name="Cecilie",
        family_name="Cprsen",
        cpr=CPR,
    )


def test_cpr_is_not_stored_in_clear(with_cpr):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cpr_encrypted, cpr_hash FROM cases_person WHERE id = %s",
            [with_cpr.pk.hex if connection.vendor == "sqlite" else with_cpr.pk],
        )
        encrypted, digest = cursor.fetchone()
    for raw in (encrypted, digest):
        assert "1503104234" not in raw and "150310" not in raw


def test_birth_date_is_derived(with_cpr):
    assert with_cpr.date_of_birth == date(2010, 3, 15)
    assert with_cpr.cpr_masked == "150310-xxxx"


@pytest.mark.parametrize(
    "cpr,field", [("15031-1234", "cpr"), ("320310-1234", "cpr"), ("15031012345", "cpr")]
)
def test_invalid_cpr_is_a_field_error_and_saves_nothing(
    record_in_ishoej, cpr, field, personas, world
):
    with pytest.raises(ValidationError) as exc:
        record_in_ishoej(
            given_name="A",
            family_name="B",
            cpr=cpr,
        )
    assert field in exc.value.message_dict
    assert not Person.objects.exists()


def test_contradicting_birth_date_is_refused(record_in_ishoej, personas, world):
    with pytest.raises(ValidationError) as exc:
        record_in_ishoej(
            given_name="A",
            family_name="B",
            cpr=CPR,
            date_of_birth=date(2010, 3, 16),
        )
    assert "date_of_birth" in exc.value.message_dict


def test_same_cpr_twice_is_refused_with_a_link_if_visible(
    with_cpr, personas, world, client_for
):
    data = {
        "given_name": "X",
        "family_name": "Y",
        "municipality": world.ishoej.pk,
        "legal_basis": "OWN_TASK",
        "cpr": "1503104234",
    }
    mine = client_for(personas.ssp).post(reverse("cases:person_create"), data)
    assert mine.status_code == 400
    assert "cpr" in mine.context["form"].errors
    assert mine.context["existing"] == with_cpr
    # An agency that may not see the existing record is refused without the link.
    from organisations.models import Membership, Role

    Membership.objects.create(
        user=personas.social, agency=world.social_ishoej, role=Role.SSP_COORDINATOR
    )
    theirs = client_for(personas.social).post(reverse("cases:person_create"), data)
    assert "cpr" in theirs.context["form"].errors
    assert theirs.context["existing"] is None
    assert b"Cprsen" not in theirs.content
    assert Person.objects.count() == 1


def test_page_shows_the_masked_number(with_cpr, personas, client_for):
    html = (
        client_for(personas.ssp)
        .get(reverse("cases:person_detail", args=[with_cpr.pk]))
        .content.decode()
    )
    assert "150310-xxxx" in html and "4234" not in html


def test_reveal_is_audited_and_post_only(with_cpr, personas, client_for):
    client = client_for(personas.ssp)
    url = reverse("cases:person_reveal_cpr", args=[with_cpr.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert "150310-4234" in response.content.decode()
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.user == personas.ssp
    assert {s.person_id for s in entry.subjects.all()} == {with_cpr.pk}
    assert "no-store" in response["Cache-Control"]


def test_reveal_through_the_api(with_cpr, personas, client_for):
    response = client_for(personas.ssp).post(
        f"/api/v1/persons/{with_cpr.pk}/reveal-cpr/"
    )
    assert response.json() == {"cpr": "150310-4234"}
    assert AuditEntry.objects.filter(action="reveal").count() == 1


def test_view_only_grantee_sees_the_mask_but_may_not_reveal(
    with_cpr, personas, world, client_for
):
    access_grant(
        actor=personas.ssp,
        obj=with_cpr,
        agency=world.police_vestegn,
        actions=["view"],
        legal_basis="RPL115_2",
    )
    client = client_for(personas.police)
    page = client.get(reverse("cases:person_detail", args=[with_cpr.pk])).content
    assert b"150310-xxxx" in page
    assert (
        client.post(reverse("cases:person_reveal_cpr", args=[with_cpr.pk])).status_code
        == 403
    )
    api = client.post(f"/api/v1/persons/{with_cpr.pk}/reveal-cpr/")
    assert api.status_code == 403
    assert not AuditEntry.objects.filter(action="reveal").exists()
    assert AuditEntry.objects.filter(
        action="permission_denied", user=personas.police
    ).exists()


@pytest.mark.parametrize(
    "who",
    [
        "social",
        "ssp_albertslund",
        "police_other_district",
        "auditor",
        "admin",
        "superuser",
    ],
)
def test_outsider_gets_404_on_reveal(who, with_cpr, personas, client_for):
    client = client_for(getattr(personas, who))
    assert (
        client.post(reverse("cases:person_reveal_cpr", args=[with_cpr.pk])).status_code
        == 404
    )
    assert client.post(f"/api/v1/persons/{with_cpr.pk}/reveal-cpr/").status_code == 404
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_exact_search_by_cpr(with_cpr, personas, client_for):
    client = client_for(personas.ssp)
    hit = client.post(reverse("cases:person_list"), {"q": "1503104234"})
    assert [p.pk for p in hit.context["page"].object_list] == [with_cpr.pk]
    miss = client.post(reverse("cases:person_list"), {"q": "150310-4235"})
    assert list(miss.context["page"].object_list) == []
    api = client.post(
        "/api/v1/persons/search/", {"q": CPR}, content_type="application/json"
    )
    assert api.json()["results"][0]["cpr"] == "150310-xxxx"
    outsider = client_for(personas.ssp_albertslund).post(
        reverse("cases:person_list"), {"q": CPR}
    )
    assert list(outsider.context["page"].object_list) == []


def test_api_create_with_cpr_and_danish_errors(personas, world, client_for):
    client = client_for(personas.ssp)
    ok = client.post(
        "/api/v1/persons/",
        {
            "given_name": "A",
            "family_name": "B",
            "municipality": str(world.ishoej.pk),
            "cpr": CPR,
        },
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["cpr"] == "150310-xxxx"
    assert ok.json()["date_of_birth"] == "2010-03-15"
    bad = client.post(
        "/api/v1/persons/",
        {
            "given_name": "A",
            "family_name": "B",
            "municipality": str(world.ishoej.pk),
            "cpr": "311310-4234",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["cpr"] == [
        "De første seks cifre i et CPR-nummer skal være en rigtig dato."
    ]
