"""The API shell: schema, docs, deny by default, field-level JSON errors in the
caller's language (foundation issue, point 10)."""

from __future__ import annotations

import pytest

from cases.models import Person


def test_schema_and_docs_for_a_verified_user(personas, client_for):
    client = client_for(personas.ssp)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    assert "/api/v1/persons/" in body["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_create_person_through_the_api(personas, world, client_for):
    client = client_for(personas.ssp)
    response = client.post(
        "/api/v1/persons/",
        {
            "given_name": "Nora",
            "family_name": "Api",
            "municipality": str(world.ishoej.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.recorded_by == world.ssp_ishoej
    assert response.json()["legal_basis"] == "OWN_TASK"


def test_server_set_fields_are_not_writable(personas, world, client_for):
    client = client_for(personas.ssp)
    response = client.post(
        "/api/v1/persons/",
        {
            "given_name": "N",
            "family_name": "A",
            "municipality": str(world.ishoej.pk),
            "recorded_by": str(world.police_vestegn.pk),
        },
        content_type="application/json",
    )
    assert Person.objects.get(pk=response.json()["id"]).recorded_by == world.ssp_ishoej


def test_invalid_input_gets_field_messages_in_danish_and_saves_nothing(
    personas, world, client_for
):
    client = client_for(personas.ssp)
    response = client.post(
        "/api/v1/persons/",
        {"given_name": "", "municipality": "not-a-uuid"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) >= {"given_name", "family_name", "municipality"}
    assert body["errors"]["family_name"] == ["Dette felt er påkrævet."]
    assert not Person.objects.exists()


def test_invalid_input_in_english(personas, client_for):
    response = client_for(personas.ssp).post(
        "/api/v1/persons/",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["errors"]["family_name"] == ["This field is required."]


def test_municipality_outside_the_agency_is_a_field_error(personas, world, client_for):
    response = client_for(personas.ssp).post(
        "/api/v1/persons/",
        {
            "given_name": "A",
            "family_name": "B",
            "municipality": str(world.albertslund.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "municipality" in response.json()["errors"]
    assert not Person.objects.exists()


def test_police_records_in_any_municipality_of_its_district(
    personas, world, client_for
):
    client = client_for(personas.police)
    for municipality, status in ((world.albertslund, 201), (world.helsingoer, 400)):
        response = client.post(
            "/api/v1/persons/",
            {
                "given_name": "A",
                "family_name": "B",
                "municipality": str(municipality.pk),
            },
            content_type="application/json",
        )
        assert response.status_code == status


@pytest.mark.parametrize("who", ["admin", "auditor", "superuser"])
def test_roles_without_case_work_cannot_create(who, personas, world, client_for):
    response = client_for(getattr(personas, who)).post(
        "/api/v1/persons/",
        {"given_name": "A", "family_name": "B", "municipality": str(world.ishoej.pk)},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_patch_changes_and_audits(personas, ishoej_person, client_for):
    response = client_for(personas.ssp).patch(
        f"/api/v1/persons/{ishoej_person.pk}/",
        {"family_name": "Andersen"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["family_name"] == "Andersen"


def test_me_lists_memberships(personas, client_for):
    body = client_for(personas.ssp).get("/api/v1/me/").json()
    assert body["username"] == "ssp"
    assert body["memberships"][0]["role"] == "ssp_coordinator"


def test_list_query_count_does_not_grow(
    record_in_ishoej, personas, world, client_for, django_assert_max_num_queries
):

    client = client_for(personas.ssp)
    for i in range(3):
        record_in_ishoej(
            given_name=f"P{i}",
            family_name="X",
        )
    with django_assert_max_num_queries(14):
        small = client.get("/api/v1/persons/")
    for i in range(20):
        record_in_ishoej(
            given_name=f"Q{i}",
            family_name="Y",
        )
    with django_assert_max_num_queries(14):
        large = client.get("/api/v1/persons/")
    assert small.json()["count"] == 3 and large.json()["count"] == 23


def test_search_is_a_post_and_audited_with_its_criterion(
    personas, ishoej_person, client_for
):
    from audit.models import AuditEntry

    client = client_for(personas.ssp)
    response = client.post(
        "/api/v1/persons/search/", {"q": "hemmel"}, content_type="application/json"
    )
    assert [p["id"] for p in response.json()["results"]] == [str(ishoej_person.pk)]
    assert AuditEntry.objects.filter(action="search", criterion="hemmel").exists()
    assert client.get("/api/v1/persons/search/").status_code == 405
    empty = client.post("/api/v1/persons/search/", {}, content_type="application/json")
    assert empty.status_code == 400 and "q" in empty.json()["errors"]
