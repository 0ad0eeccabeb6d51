"""Concern level (the three circles) with its history (issue 3, point 3, first half)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from access.services import access_grant
from audit.models import AuditEntry
from cases.models import ConcernLevelChange


def set_level(client, person, level="yellow", reason="Fravær og sene aftener."):
    return client.post(
        reverse("cases:person_set_concern_level", args=[person.pk]),
        {"level": level, "reason": reason},
    )


def test_setting_a_level_keeps_the_history(personas, world, ishoej_person, client_for):
    client = client_for(personas.ssp)
    assert set_level(client, ishoej_person).status_code == 302
    assert set_level(client, ishoej_person, "red", "Gentagen vold.").status_code == 302
    ishoej_person.refresh_from_db()
    assert ishoej_person.concern_level == "red"
    changes = list(ConcernLevelChange.objects.order_by("set_at"))
    assert [c.level for c in changes] == ["yellow", "red"]
    assert changes[1].set_by == personas.ssp and changes[1].agency == world.ssp_ishoej
    page = client.get(reverse("cases:person_detail", args=[ishoej_person.pk]))
    assert [c.level for c in page.context["history"]] == ["red", "yellow"]
    assert "Gentagen vold." in page.content.decode()


def test_change_is_audited_with_the_field_name(personas, ishoej_person, client_for):
    set_level(client_for(personas.ssp), ishoej_person)
    entry = AuditEntry.objects.get(action="change", user=personas.ssp)
    assert entry.changed_fields == ["concern_level"]
    assert "Fravær" not in str(entry.__dict__)


def test_reason_is_required_with_a_danish_message(personas, ishoej_person, client_for):
    response = set_level(client_for(personas.ssp), ishoej_person, reason="")
    assert response.status_code == 400
    assert response.context["concern_form"].errors["reason"] == [
        "Dette felt er påkrævet."
    ]
    assert not ConcernLevelChange.objects.exists()
    bad = set_level(client_for(personas.ssp), ishoej_person, level="purple")
    assert "level" in bad.context["concern_form"].errors


def test_view_only_grantee_sees_history_but_may_not_set(
    personas, world, ishoej_person, client_for
):
    set_level(client_for(personas.ssp), ishoej_person)
    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        agency=world.police_vestegn,
        actions=["view"],
        legal_basis="RPL115_2",
    )
    police = client_for(personas.police)
    page = police.get(reverse("cases:person_detail", args=[ishoej_person.pk]))
    assert len(page.context["history"]) == 1
    assert page.context["concern_form"] is None
    assert set_level(police, ishoej_person, "red").status_code == 403
    api = police.post(
        f"/api/v1/persons/{ishoej_person.pk}/concern-level/",
        {"level": "red", "reason": "x"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert ConcernLevelChange.objects.count() == 1


@pytest.mark.parametrize(
    "who",
    [
        "social",
        "ssp_albertslund",
        "police",
        "police_other_district",
        "admin",
        "superuser",
    ],
)
def test_outsiders_get_404_and_no_history(who, personas, ishoej_person, client_for):
    set_level(client_for(personas.ssp), ishoej_person)
    client = client_for(getattr(personas, who))
    assert set_level(client, ishoej_person, "red").status_code == 404
    assert (
        client.get(f"/api/v1/persons/{ishoej_person.pk}/concern-levels/").status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/persons/{ishoej_person.pk}/concern-level/",
            {"level": "red", "reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert ConcernLevelChange.objects.count() == 1


def test_api_sets_and_lists(personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    created = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/concern-level/",
        {"level": "green", "reason": "Trives i klubben."},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["agency"] == "Ishøj SSP"
    listed = client.get(f"/api/v1/persons/{ishoej_person.pk}/concern-levels/").json()
    assert [c["level"] for c in listed["results"]] == ["green"]
    assert client.get(f"/api/v1/persons/{ishoej_person.pk}/").json()[
        "concern_level"
    ] == ("green")
    bad = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/concern-level/",
        {"level": "purple"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"level", "reason"}


def test_person_page_query_count_does_not_grow_with_history(
    personas, ishoej_person, client_for, django_assert_max_num_queries
):
    from cases.services import person_set_concern_level

    client = client_for(personas.ssp)
    for i in range(25):
        person_set_concern_level(
            actor=personas.ssp,
            agency=personas.ssp.memberships.get().agency,
            person=ishoej_person,
            level="yellow",
            reason=f"r{i}",
        )
    with django_assert_max_num_queries(20):
        response = client.get(reverse("cases:person_detail", args=[ishoej_person.pk]))
    assert len(response.context["history"]) == 10
