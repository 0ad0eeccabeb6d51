"""The registry (issue 3): search, filters, protected address, closing and reopening,
factors, the timeline with its restricted entries, the duplicate warning, audit, and
the permission matrix of every page and endpoint added for them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from access.permissions import CHANGE, VIEW
from access.services import access_grant
from audit.models import Action, AuditEntry
from cases.models import Factor, Person, PersonFactor, PersonStatus
from cases.services import (
    factor_record,
    person_close,
    person_create,
    person_set_concern_level,
)
from meetings.models import GangInformationKind
from meetings.services import gang_information_share
from organisations.models import Role
from tests.conftest import make_user
from timeline.models import TimelineEntry
from timeline.services import timeline_record

REQUIRED = ["Dette felt er påkrævet."]


def detail_url(person):
    return reverse("cases:person_detail", args=[person.pk])


def search(client, q):
    """The page search is a POST: names never travel in a URL."""
    response = client.post(reverse("cases:person_list"), {"q": q})
    assert response.status_code == 200
    return {p.pk for p in response.context["page"].object_list}


def api_search(client, q):
    response = client.post(
        "/api/v1/persons/search/", {"q": q}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


def raw_address(person) -> tuple[str, bool]:
    """(address, address_protected) as stored in the database row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT address, address_protected FROM cases_person WHERE id = %s",
            [person.pk.hex if connection.vendor == "sqlite" else person.pk],
        )
        address, protected = cursor.fetchone()
    return address, bool(protected)


def a_risk_factor() -> Factor:
    factor = Factor.objects.filter(kind="risk", active=True).first()
    assert factor is not None, "the catalogue is seeded by a migration"
    return factor


def grant_view(personas, obj, agency, actions=(VIEW,)):
    access_grant(
        actor=personas.ssp,
        obj=obj,
        agency=agency,
        actions=list(actions),
        legal_basis="RPL115_2",
    )


# --- Search --------------------------------------------------------------------------


@pytest.fixture
def aase(record_in_ishoej):
    return record_in_ishoej(given_name="Åse", family_name="Ærø-Jørgensen")


@pytest.mark.parametrize(
    "q", ["åse", "Aase", "AASE", "jørgensen", "JØRG", "ærø", "Jörg"]
)
def test_name_search_finds_danish_letters_in_any_case(
    q, aase, personas, client_for, record_in_ishoej
):
    record_in_ishoej(given_name="Bo", family_name="Andersen")
    client = client_for(personas.ssp)
    assert search(client, q) == {aase.pk}
    assert api_search(client, q) == {str(aase.pk)}


@pytest.mark.parametrize("q", ["Jorgensen", "AERO", "Ase Jensen"])
def test_danish_letters_are_letters_of_their_own(q, aase, personas, client_for):
    """ø is not o, æ is not ae: folding them would find the wrong people."""
    client = client_for(personas.ssp)
    assert search(client, q) == set()
    assert api_search(client, q) == set()


def test_accents_are_ignored_and_words_match_anywhere(
    personas, client_for, record_in_ishoej
):
    rene = record_in_ishoej(given_name="René", family_name="Müller")
    record_in_ishoej(given_name="Renate", family_name="Holm")
    client = client_for(personas.ssp)
    assert search(client, "Rene") == {rene.pk}
    assert search(client, "rené") == {rene.pk}
    assert search(client, "muller") == {rene.pk}
    assert search(client, "mull ren") == {rene.pk}  # partial words, any order
    assert search(client, "ren") == {
        rene.pk,
        Person.objects.get(given_name="Renate").pk,
    }


def test_search_shows_only_what_the_user_may_see(
    personas, world, client_for, record_in_ishoej
):
    mine = record_in_ishoej(given_name="Søren", family_name="Fælles")
    person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Søren",
        family_name="Fælles",
        date_of_birth=date(2011, 1, 1),
    )
    assert search(client_for(personas.ssp), "søren") == {mine.pk}
    assert search(client_for(personas.social), "søren") == set()
    assert api_search(client_for(personas.social), "søren") == set()


def test_search_by_cpr_is_exact(personas, client_for, record_in_ishoej):
    cecilie = record_in_ishoej(given_name="Cecilie", family_name="C", cpr="150310-4234")
    record_in_ishoej(given_name="Carl", family_name="C", cpr="150310-4242")
    client = client_for(personas.ssp)
    assert search(client, "150310-4234") == {cecilie.pk}
    assert search(client, "1503104234") == {cecilie.pk}
    assert api_search(client, "1503104234") == {str(cecilie.pk)}
    assert search(client, "150310") == set()  # no partial CPR match
    assert search(client, "150310-4235") == set()
    # A CPR search is audited by hash, never with the number in clear.
    assert not AuditEntry.objects.filter(criterion__contains="4234").exists()


# --- Filters -----------------------------------------------------------------------


@pytest.fixture
def filtered(personas, world, record_in_ishoej):
    """Four Ishøj persons and an Albertslund one, all granted to Vestegn police (who
    work in both municipalities); plus hidden persons that match every filter."""
    red = record_in_ishoej(given_name="Rød", family_name="A", school="Vejleåskolen")
    yellow = record_in_ishoej(given_name="Gul", family_name="B", school="Ishøj Skole")
    closed = record_in_ishoej(given_name="Lukket", family_name="C")
    albertslund = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Albert",
        family_name="D",
        school="Vejleåskolen",
    )
    hidden = person_create(
        actor=personas.social,
        agency=world.social_ishoej,
        municipality=world.ishoej,
        given_name="Skjult",
        family_name="E",
        school="Vejleåskolen",
    )
    hidden_albertslund = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Skjult",
        family_name="F",
    )
    for person, actor, agency in (
        (red, personas.ssp, world.ssp_ishoej),
        (hidden, personas.social, world.social_ishoej),
    ):
        person_set_concern_level(
            actor=actor, agency=agency, person=person, level="red", reason="r"
        )
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=yellow,
        level="yellow",
        reason="y",
    )
    person_close(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=closed,
        closed_on=date(2026, 1, 2),
        reason="Flyttet",
    )
    person_close(
        actor=personas.social,
        agency=world.social_ishoej,
        person=hidden,
        closed_on=date(2026, 1, 2),
        reason="Flyttet",
    )
    access_grant(
        actor=personas.ssp_albertslund,
        obj=albertslund,
        agency=world.police_vestegn,
        actions=[VIEW],
        legal_basis="RPL115_2",
    )
    for person in (red, yellow, closed):
        grant_view(personas, person, world.police_vestegn)
    return {
        "red": red,
        "yellow": yellow,
        "closed": closed,
        "albertslund": albertslund,
        "hidden": hidden,
        "hidden_albertslund": hidden_albertslund,
    }


def _filter_cases(world):
    return [
        ({"concern_level": "red"}, {"red"}),
        ({"concern_level": "yellow"}, {"yellow"}),
        ({"school": "vejleå"}, {"red", "albertslund"}),
        ({"status": "closed"}, {"closed"}),
        ({"status": "active"}, {"red", "yellow", "albertslund"}),
        ({"municipality": world.albertslund.pk}, {"albertslund"}),
        ({"municipality": world.ishoej.pk}, {"red", "yellow", "closed"}),
        (
            {"municipality": world.ishoej.pk, "concern_level": "red"},
            {"red"},
        ),
    ]


def test_list_page_filters_return_only_visible_persons(
    filtered, personas, world, client_for
):
    client = client_for(personas.police)
    names = {v.pk: k for k, v in filtered.items()}
    unfiltered = client.get(reverse("cases:person_list"))
    assert {names[p.pk] for p in unfiltered.context["page"].object_list} == {
        "red",
        "yellow",
        "closed",
        "albertslund",
    }
    for params, expected in _filter_cases(world):
        response = client.get(reverse("cases:person_list"), params)
        assert response.status_code == 200
        shown = {names[p.pk] for p in response.context["page"].object_list}
        assert shown == expected, params
        assert b"Skjult" not in response.content


def test_api_filters_return_only_visible_persons(filtered, personas, world, client_for):
    client = client_for(personas.police)
    names = {str(v.pk): k for k, v in filtered.items()}
    for params, expected in _filter_cases(world):
        response = client.get("/api/v1/persons/", params)
        assert response.status_code == 200, response.content
        shown = {names[r["id"]] for r in response.json()["results"]}
        assert shown == expected, params
    bad = client.get(
        "/api/v1/persons/", {"concern_level": "purple"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert bad.status_code == 400 and "concern_level" in bad.json()["errors"]


def test_the_ssp_coordinator_filters_within_its_own_municipality(
    filtered, personas, world, client_for
):
    client = client_for(personas.ssp)
    response = client.get(reverse("cases:person_list"), {"concern_level": "red"})
    assert [p.pk for p in response.context["page"].object_list] == [filtered["red"].pk]
    api = client.get("/api/v1/persons/", {"municipality": world.albertslund.pk})
    assert api.json()["results"] == []


# --- Protected address --------------------------------------------------------------

SECRET_ADDRESS = "Hemmelighedsvej 17"


def test_a_protected_address_is_never_stored(personas, world, client_for):
    person = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Beskyttet",
        family_name="Person",
        address_protected=True,
        address=SECRET_ADDRESS,
        school="Ishøj Skole",
        phone="12345678",
        email="b@example.org",
    )
    assert raw_address(person) == ("", True)
    client = client_for(personas.ssp)
    page = client.get(detail_url(person)).content.decode()
    assert SECRET_ADDRESS not in page and "Hemmelighedsvej" not in page
    assert "Ishøj Skole" in page and "12345678" in page
    api = client.get(f"/api/v1/persons/{person.pk}/").json()
    assert api["address"] == "" and api["address_protected"] is True
    assert SECRET_ADDRESS not in str(client.get("/api/v1/persons/").json())


def test_the_form_refuses_an_address_with_protection(personas, world, client_for):
    response = client_for(personas.ssp).post(
        reverse("cases:person_create"),
        {
            "given_name": "Beskyttet",
            "family_name": "Person",
            "municipality": world.ishoej.pk,
            "legal_basis": "OWN_TASK",
            "address_protected": "on",
            "address": SECRET_ADDRESS,
        },
    )
    assert response.status_code == 400
    assert "address" in response.context["form"].errors
    assert not Person.objects.exists()


def test_the_api_refuses_an_address_with_protection(personas, world, client_for):
    response = client_for(personas.ssp).post(
        "/api/v1/persons/",
        {
            "given_name": "Beskyttet",
            "family_name": "Person",
            "municipality": str(world.ishoej.pk),
            "address_protected": True,
            "address": SECRET_ADDRESS,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "address" in response.json()["errors"]
    assert not Person.objects.exists()


def test_protecting_an_address_later_erases_it(personas, client_for, record_in_ishoej):
    person = record_in_ishoej(
        given_name="Senere", family_name="Beskyttet", address=SECRET_ADDRESS
    )
    client = client_for(personas.ssp)
    assert SECRET_ADDRESS in client.get(detail_url(person)).content.decode()
    refused = client.post(
        reverse("cases:person_edit", args=[person.pk]),
        {
            "given_name": "Senere",
            "family_name": "Beskyttet",
            "address_protected": "on",
            "address": SECRET_ADDRESS,
        },
    )
    assert "address" in refused.context["form"].errors
    assert raw_address(person) == (SECRET_ADDRESS, False)
    saved = client.post(
        reverse("cases:person_edit", args=[person.pk]),
        {"given_name": "Senere", "family_name": "Beskyttet", "address_protected": "on"},
    )
    assert saved.status_code == 302
    assert raw_address(person) == ("", True)
    assert SECRET_ADDRESS not in client.get(detail_url(person)).content.decode()


def test_protecting_through_the_api_erases_the_address(
    personas, client_for, record_in_ishoej
):
    person = record_in_ishoej(given_name="A", family_name="B", address=SECRET_ADDRESS)
    response = client_for(personas.ssp).patch(
        f"/api/v1/persons/{person.pk}/",
        {"address_protected": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == ""
    assert raw_address(person) == ("", True)


# --- Close and reopen --------------------------------------------------------------


def test_close_with_reason_and_date_then_reopen(personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    closed = client.post(
        reverse("cases:person_close", args=[ishoej_person.pk]),
        {"closed_on": "2026-02-03", "reason": "Flyttet til Aarhus"},
    )
    assert closed.status_code == 302
    ishoej_person.refresh_from_db()
    assert ishoej_person.status == PersonStatus.CLOSED
    assert ishoej_person.closed_on == date(2026, 2, 3)
    assert ishoej_person.closed_reason == "Flyttet til Aarhus"
    page = client.get(detail_url(ishoej_person))
    assert "Flyttet til Aarhus" in page.content.decode()
    assert page.context["close_form"] is None
    assert reverse("cases:person_reopen", args=[ishoej_person.pk]) in (
        page.content.decode()
    )

    reopened = client.post(reverse("cases:person_reopen", args=[ishoej_person.pk]))
    assert reopened.status_code == 302
    ishoej_person.refresh_from_db()
    assert ishoej_person.status == PersonStatus.ACTIVE
    assert ishoej_person.closed_on is None and ishoej_person.closed_reason == ""
    kinds = list(
        TimelineEntry.objects.filter(person=ishoej_person).values_list(
            "kind", flat=True
        )
    )
    assert "cases.closed" in kinds and "cases.reopened" in kinds


@pytest.mark.parametrize(
    "data,field",
    [
        ({"closed_on": "2026-02-03"}, "reason"),
        ({"closed_on": "2026-02-03", "reason": ""}, "reason"),
        ({"reason": "Flyttet"}, "closed_on"),
        ({"closed_on": "3. februar", "reason": "Flyttet"}, "closed_on"),
    ],
)
def test_close_needs_reason_and_date(data, field, personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    response = client.post(reverse("cases:person_close", args=[ishoej_person.pk]), data)
    assert response.status_code == 400
    assert field in response.context["close_form"].errors
    api = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/close/",
        data,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert api.status_code == 400 and field in api.json()["errors"]
    ishoej_person.refresh_from_db()
    assert ishoej_person.status == PersonStatus.ACTIVE
    assert ishoej_person.closed_on is None
    assert not TimelineEntry.objects.filter(kind="cases.closed").exists()


def test_missing_reason_has_a_danish_message(personas, ishoej_person, client_for):
    response = client_for(personas.ssp).post(
        reverse("cases:person_close", args=[ishoej_person.pk]),
        {"closed_on": "2026-02-03"},
    )
    assert response.context["close_form"].errors["reason"] == REQUIRED


def test_a_blank_reason_is_refused_by_the_api(personas, ishoej_person, client_for):
    response = client_for(personas.ssp).post(
        f"/api/v1/persons/{ishoej_person.pk}/close/",
        {"closed_on": "2026-02-03", "reason": "   "},
        content_type="application/json",
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    ishoej_person.refresh_from_db()
    assert ishoej_person.is_active


def test_close_and_reopen_through_the_api(personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    closed = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/close/",
        {"closed_on": "2026-02-03", "reason": "Bekymringen er ophørt"},
        content_type="application/json",
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_on"] == "2026-02-03"
    again = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/close/",
        {"closed_on": "2026-02-04", "reason": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400
    reopened = client.post(f"/api/v1/persons/{ishoej_person.pk}/reopen/")
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "active"
    assert reopened.json()["closed_on"] is None


# --- Factors -------------------------------------------------------------------------


def test_record_and_end_a_factor_on_the_page(
    personas, world, ishoej_person, client_for
):
    client = client_for(personas.ssp)
    factor = a_risk_factor()
    recorded = client.post(
        reverse("cases:person_add_factor", args=[ishoej_person.pk]),
        {
            "factor": factor.pk,
            "observed_on": "2026-01-10",
            "note": "Set sammen med ældre unge",
            "legal_basis": "OWN_TASK",
        },
    )
    assert recorded.status_code == 302
    observed = PersonFactor.objects.get(person=ishoej_person)
    assert observed.agency == world.ssp_ishoej and observed.is_current
    page = client.get(detail_url(ishoej_person))
    assert [f.pk for f in page.context["factors"]] == [observed.pk]
    assert "Set sammen med ældre unge" in page.content.decode()
    end_url = reverse("cases:person_end_factor", args=[ishoej_person.pk, observed.pk])
    assert end_url in page.content.decode()

    assert client.get(end_url).status_code == 200
    ended = client.post(end_url, {"ended_on": "2026-03-01", "note": "Ny klub"})
    assert ended.status_code == 302
    observed.refresh_from_db()
    assert observed.ended_on == date(2026, 3, 1) and observed.end_note == "Ny klub"
    # An ended factor cannot be ended again.
    assert client.get(end_url).status_code == 404


def test_a_factor_cannot_end_before_it_was_observed(
    personas, world, ishoej_person, client_for
):
    observed = factor_record(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=ishoej_person,
        factor=a_risk_factor(),
        observed_on=date(2026, 1, 10),
    )
    client = client_for(personas.ssp)
    response = client.post(
        reverse("cases:person_end_factor", args=[ishoej_person.pk, observed.pk]),
        {"ended_on": "2026-01-09"},
    )
    assert response.status_code == 400
    assert "ended_on" in response.context["form"].errors
    api = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/factors/{observed.pk}/end/",
        {"ended_on": "2026-01-09"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "ended_on" in api.json()["errors"]
    observed.refresh_from_db()
    assert observed.ended_on is None
    assert not TimelineEntry.objects.filter(kind="cases.factor_ended").exists()


def test_factor_record_needs_a_factor_and_a_date(personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    response = client.post(
        reverse("cases:person_add_factor", args=[ishoej_person.pk]),
        {"note": "x", "legal_basis": "OWN_TASK"},
    )
    assert response.status_code == 400
    errors = response.context["factor_form"].errors
    assert errors["factor"] == REQUIRED and errors["observed_on"] == REQUIRED
    retired = a_risk_factor()
    retired.active = False
    retired.save()
    api = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/factors/",
        {"factor": retired.pk, "observed_on": "2026-01-10"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "factor" in api.json()["errors"]
    assert not PersonFactor.objects.exists()


def test_current_and_ended_factors_on_the_page_and_api(
    personas, world, ishoej_person, client_for
):
    risk = a_risk_factor()
    protective = Factor.objects.filter(kind="protective", active=True).first()
    ended = factor_record(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=ishoej_person,
        factor=risk,
        observed_on=date(2025, 6, 1),
    )
    client = client_for(personas.ssp)
    assert (
        client.post(
            f"/api/v1/persons/{ishoej_person.pk}/factors/{ended.pk}/end/",
            {"ended_on": "2025-12-01", "note": "Stoppet"},
            content_type="application/json",
        ).status_code
        == 200
    )
    created = client.post(
        f"/api/v1/persons/{ishoej_person.pk}/factors/",
        {"factor": protective.pk, "observed_on": "2026-01-10", "note": "Fritidsjob"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "protective"
    assert created.json()["agency"] == "Ishøj SSP"

    page = client.get(detail_url(ishoej_person))
    factors = list(page.context["factors"])
    # Current first, then ended.
    assert [(f.factor_id, f.is_current) for f in factors] == [
        (protective.pk, True),
        (risk.pk, False),
    ]
    html = page.content.decode()
    assert html.count('class="ended"') == 1
    assert "Stoppet" in html and "Fritidsjob" in html
    listed = client.get(f"/api/v1/persons/{ishoej_person.pk}/factors/").json()
    assert [(r["kind"], r["ended_on"]) for r in listed["results"]] == [
        ("protective", None),
        ("risk", "2025-12-01"),
    ]


# --- Timeline ------------------------------------------------------------------------


def test_timeline_records_what_happened(personas, world, client_for):
    client = client_for(personas.ssp)
    created = client.post(
        reverse("cases:person_create"),
        {
            "given_name": "Tidslinje",
            "family_name": "Person",
            "municipality": world.ishoej.pk,
            "legal_basis": "OWN_TASK",
        },
    )
    assert created.status_code == 302
    person = Person.objects.get()
    client.post(
        reverse("cases:person_set_concern_level", args=[person.pk]),
        {"level": "yellow", "reason": "Fravær"},
    )
    client.post(
        reverse("cases:person_add_factor", args=[person.pk]),
        {
            "factor": a_risk_factor().pk,
            "observed_on": "2026-01-10",
            "legal_basis": "OWN_TASK",
        },
    )
    observed = PersonFactor.objects.get()
    client.post(
        reverse("cases:person_end_factor", args=[person.pk, observed.pk]),
        {"ended_on": "2026-02-10"},
    )
    client.post(
        reverse("cases:person_close", args=[person.pk]),
        {"closed_on": "2026-03-01", "reason": "Trives"},
    )
    page = client.get(detail_url(person))
    entries = list(page.context["timeline"].object_list)
    assert [e.kind for e in entries] == [
        "cases.closed",
        "cases.factor_ended",
        "cases.factor_recorded",
        "cases.concern_level",
        "cases.registered",
    ]
    times = [e.occurred_at for e in entries]
    assert times == sorted(times, reverse=True)
    assert all(e.agency == world.ssp_ishoej for e in entries)
    html = page.content.decode()
    assert "Ishøj SSP" in html and a_risk_factor().name_da in html

    api = client.get(f"/api/v1/persons/{person.pk}/timeline/").json()["results"]
    assert [e["kind"] for e in api] == [e.kind for e in entries]
    assert all(e["agency"] == "Ishøj SSP" and e["legal_basis"] for e in api)


def test_timeline_is_newest_first_and_paginated(personas, world, client_for):
    person = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Mange",
        family_name="Poster",
    )
    start = timezone.now() - timedelta(days=100)
    for day in range(30):
        timeline_record(
            person=person,
            kind="cases.concern_level",
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            legal_basis="OWN_TASK",
            params={"level": "yellow"},
            detail=f"post nummer {day:02d}",
            occurred_at=start + timedelta(days=day),
        )
    client = client_for(personas.ssp)
    first = client.get(detail_url(person))
    page1 = list(first.context["timeline"].object_list)
    assert len(page1) == 25
    assert page1[0].kind == "cases.registered"  # registered now: the newest
    assert page1[1].detail == "post nummer 29"
    assert "?timeline=2" in first.content.decode()

    second = client.get(detail_url(person), {"timeline": 2})
    page2 = list(second.context["timeline"].object_list)
    assert [e.detail for e in page2] == [
        f"post nummer {d:02d}" for d in range(5, -1, -1)
    ]
    assert page1[-1].occurred_at > page2[0].occurred_at
    partial = client.get(detail_url(person), {"timeline": 2}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<h1>" not in partial.content.decode()
    assert "post nummer 00" in partial.content.decode()
    api = client.get(f"/api/v1/persons/{person.pk}/timeline/").json()
    assert api["count"] == 31
    assert api["results"][0]["kind"] == "cases.registered"


@pytest.fixture
def shared(personas, world, ishoej_person):
    """Vestegn police may see the person and share §115 stk. 5 information about it
    with the SSP coordinator by name."""
    grant_view(personas, ishoej_person, world.police_vestegn, actions=(VIEW, CHANGE))
    gang_information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        person=ishoej_person,
        kind=GangInformationKind.ASSOCIATED,
        recipients=[personas.ssp],
        shared_on=date(2026, 11, 1),
        note="Fortroligt fra politiet",
    )
    return ishoej_person


def test_a_restricted_entry_is_seen_only_by_its_recipients(
    shared, personas, world, client_for
):
    colleague = make_user("ssp2", (world.ssp_ishoej, Role.SSP_COORDINATOR))
    for user, sees in (
        (personas.ssp, True),
        (personas.police, True),
        (colleague, False),
    ):
        client = client_for(user)
        page = client.get(detail_url(shared))
        assert page.status_code == 200
        kinds = [e.kind for e in page.context["timeline"].object_list]
        assert ("meetings.gang_information" in kinds) is sees, user
        assert ("Fortroligt fra politiet" in page.content.decode()) is sees, user
        assert "cases.registered" in kinds
        api = client.get(f"/api/v1/persons/{shared.pk}/timeline/").json()
        assert (
            "meetings.gang_information" in [e["kind"] for e in api["results"]]
        ) is sees
        assert ("Fortroligt" in str(api)) is sees


# --- Duplicate warning -------------------------------------------------------------


def _create_data(world, **fields):
    return {
        "given_name": "Mikkel",
        "family_name": "Jenssen",
        "date_of_birth": "2010-05-05",
        "municipality": world.ishoej.pk,
        "legal_basis": "OWN_TASK",
        **fields,
    }


def test_a_possible_duplicate_is_shown_before_saving(
    personas, world, client_for, record_in_ishoej
):
    existing = record_in_ishoej(
        given_name="Mikkel", family_name="Jensen", date_of_birth=date(2010, 5, 5)
    )
    client = client_for(personas.ssp)
    warned = client.post(reverse("cases:person_create"), _create_data(world))
    assert warned.status_code == 200
    assert [p.pk for p in warned.context["duplicates"]] == [existing.pk]
    html = warned.content.decode()
    assert 'name="confirm_not_duplicate"' in html and 'type="hidden"' in html
    assert detail_url(existing) in html
    assert Person.objects.count() == 1

    confirmed = client.post(
        reverse("cases:person_create"),
        _create_data(world, confirm_not_duplicate="True"),
    )
    assert confirmed.status_code == 302
    assert Person.objects.filter(family_name="Jenssen").count() == 1


def test_no_warning_for_a_different_name_or_birth_date(
    personas, world, client_for, record_in_ishoej
):
    record_in_ishoej(
        given_name="Mikkel", family_name="Jensen", date_of_birth=date(2010, 5, 5)
    )
    client = client_for(personas.ssp)
    other_day = client.post(
        reverse("cases:person_create"), _create_data(world, date_of_birth="2010-05-06")
    )
    assert other_day.status_code == 302
    other_name = client.post(
        reverse("cases:person_create"),
        _create_data(world, given_name="Fatima", family_name="Yilmaz"),
    )
    assert other_name.status_code == 302


def test_a_duplicate_the_user_may_not_see_is_not_revealed(personas, world, client_for):
    person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Mikkel",
        family_name="Jensen",
        date_of_birth=date(2010, 5, 5),
    )
    response = client_for(personas.ssp).post(
        reverse("cases:person_create"), _create_data(world)
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


# --- Audit -------------------------------------------------------------------------


def _entries(action, user, person):
    return AuditEntry.objects.filter(
        action=action, user=user, subjects__person_id=person.pk
    )


def test_view_change_and_reveal_are_audited(
    personas, world, client_for, record_in_ishoej
):
    person = record_in_ishoej(given_name="Revi", family_name="Sor", cpr="150310-4234")
    client = client_for(personas.ssp)
    assert not _entries(Action.VIEW, personas.ssp, person).exists()

    client.get(detail_url(person))
    view = _entries(Action.VIEW, personas.ssp, person).get()
    assert view.agency == world.ssp_ishoej

    edited = client.post(
        reverse("cases:person_edit", args=[person.pk]),
        {
            "given_name": "Revi",
            "family_name": "Sor",
            "date_of_birth": "2010-03-15",
            "school": "Strandskolen",
        },
    )
    assert edited.status_code == 302
    change = _entries(Action.CHANGE, personas.ssp, person).get()
    assert change.changed_fields == ["school"]
    assert "Strandskolen" not in str(change.__dict__)

    client.post(reverse("cases:person_reveal_cpr", args=[person.pk]))
    reveal = _entries(Action.REVEAL, personas.ssp, person).get()
    assert "4234" not in str(reveal.__dict__)


@pytest.mark.parametrize("value", ["2010-03-16", ""])
def test_an_edit_cannot_contradict_the_cpr_birth_date(
    value, personas, client_for, record_in_ishoej
):
    """The date of birth is derived from the CPR number (issue 3 point 2): on the
    page the field is shown but not editable (a posted value is ignored); through
    the API a change is a field error."""
    person = record_in_ishoej(given_name="Cpr", family_name="Dato", cpr="150310-4234")
    client = client_for(personas.ssp)
    page = client.get(reverse("cases:person_edit", args=[person.pk]))
    assert page.context["form"].fields["date_of_birth"].disabled
    client.post(
        reverse("cases:person_edit", args=[person.pk]),
        {"given_name": "Cpr", "family_name": "Dato", "date_of_birth": value},
    )
    person.refresh_from_db()
    assert person.date_of_birth == date(2010, 3, 15)
    api = client.patch(
        f"/api/v1/persons/{person.pk}/",
        {"date_of_birth": value or None},
        content_type="application/json",
    )
    assert api.status_code == 400 and "date_of_birth" in api.json()["errors"]
    person.refresh_from_db()
    assert person.date_of_birth == date(2010, 3, 15)
    assert person.cpr_masked == "150310-xxxx"


def test_closing_and_factors_are_audited_as_changes(
    personas, world, ishoej_person, client_for
):
    client = client_for(personas.ssp)
    client.post(
        reverse("cases:person_add_factor", args=[ishoej_person.pk]),
        {
            "factor": a_risk_factor().pk,
            "observed_on": "2026-01-10",
            "legal_basis": "OWN_TASK",
        },
    )
    assert (
        _entries(Action.CREATE, personas.ssp, ishoej_person)
        .filter(object_type__icontains="personfactor")
        .exists()
    )
    client.post(
        reverse("cases:person_close", args=[ishoej_person.pk]),
        {"closed_on": "2026-03-01", "reason": "Hemmelig grund"},
    )
    closing = _entries(Action.CHANGE, personas.ssp, ishoej_person).get()
    assert set(closing.changed_fields) == {"status", "closed_on", "closed_reason"}
    assert "Hemmelig grund" not in str(closing.__dict__)


# --- Permission matrix of the pages and endpoints added ----------------------------


@pytest.fixture
def guarded(personas, world, ishoej_person):
    """A person with a current factor, a red sibling, and a distinctive note."""
    from families.models import RelationKind
    from families.services import relation_record

    observed = factor_record(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=ishoej_person,
        factor=a_risk_factor(),
        observed_on=date(2026, 1, 10),
        note="Meget hemmelig note",
    )
    sibling = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Søster",
        family_name="Hemmeligsen",
    )
    relation_record(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=ishoej_person,
        relative=sibling,
        kind=RelationKind.SIBLING,
    )
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=sibling,
        level="red",
        reason="Gentagen kriminalitet",
    )
    return ishoej_person, observed


def _requests(person, observed):
    """(method, url, data, is_write) for every page and endpoint added."""
    p, f = person.pk, observed.pk
    close = {"closed_on": "2026-03-01", "reason": "Flyttet"}
    factor = {
        "factor": observed.factor_id,
        "observed_on": "2026-02-01",
        "legal_basis": "OWN_TASK",
    }
    end = {"ended_on": "2026-03-01"}
    return [
        ("get", reverse("cases:person_detail", args=[p]), None, False),
        ("post", reverse("cases:person_close", args=[p]), close, True),
        ("post", reverse("cases:person_reopen", args=[p]), {}, True),
        ("post", reverse("cases:person_add_factor", args=[p]), factor, True),
        ("get", reverse("cases:person_end_factor", args=[p, f]), None, True),
        ("post", reverse("cases:person_end_factor", args=[p, f]), end, True),
        ("post", f"/api/v1/persons/{p}/close/", close, True),
        ("post", f"/api/v1/persons/{p}/reopen/", {}, True),
        ("get", f"/api/v1/persons/{p}/factors/", None, False),
        ("post", f"/api/v1/persons/{p}/factors/", factor, True),
        ("post", f"/api/v1/persons/{p}/factors/{f}/end/", end, True),
        ("get", f"/api/v1/persons/{p}/timeline/", None, False),
        ("get", f"/api/v1/persons/{p}/sibling-alerts/", None, False),
    ]


def _send(client, method, url, data):
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def _nothing_changed(person, observed):
    person.refresh_from_db()
    observed.refresh_from_db()
    assert person.is_active and observed.is_current
    assert PersonFactor.objects.filter(person=person).count() == 1
    assert not TimelineEntry.objects.filter(
        kind__in=["cases.closed", "cases.reopened", "cases.factor_ended"]
    ).exists()


@pytest.mark.parametrize("who", ["social", "ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_and_no_data(who, guarded, personas, client_for):
    person, observed = guarded
    client = client_for(getattr(personas, who))
    for method, url, data, _write in _requests(person, observed):
        response = _send(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        body = response.content.decode()
        for secret in ("Hemmeligsen", "Meget hemmelig note", "Søster", "Testa"):
            assert secret not in body, (url, secret)
    _nothing_changed(person, observed)


def test_a_closed_record_cannot_be_reopened_by_an_outsider(
    guarded, personas, world, client_for
):
    person, _observed = guarded
    person_close(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=person,
        closed_on=date(2026, 3, 1),
        reason="Flyttet",
    )
    for who in ("social", "ssp_albertslund"):
        client = client_for(getattr(personas, who))
        assert (
            client.post(reverse("cases:person_reopen", args=[person.pk])).status_code
            == 404
        )
        assert client.post(f"/api/v1/persons/{person.pk}/reopen/").status_code == 404
    person.refresh_from_db()
    assert person.status == PersonStatus.CLOSED


def test_a_view_only_grantee_reads_but_may_not_write(
    guarded, personas, world, client_for
):
    person, observed = guarded
    grant_view(personas, person, world.police_vestegn)
    client = client_for(personas.police)
    for method, url, data, write in _requests(person, observed):
        response = _send(client, method, url, data)
        expected = 403 if write else 200
        assert response.status_code == expected, (method, url, response.status_code)
    _nothing_changed(person, observed)
    # What it may read, it reads: the factor, but not the sibling it may not see.
    factors = client.get(f"/api/v1/persons/{person.pk}/factors/").json()
    assert [r["id"] for r in factors["results"]] == [str(observed.pk)]
    assert client.get(f"/api/v1/persons/{person.pk}/sibling-alerts/").json() == []
    page = client.get(detail_url(person))
    assert page.context["close_form"] is None and page.context["factor_form"] is None
    assert "Søster" not in page.content.decode()
    assert AuditEntry.objects.filter(
        action=Action.PERMISSION_DENIED, user=personas.police
    ).exists()


def test_the_recording_agency_sees_the_sibling_alert(guarded, personas, client_for):
    person, _observed = guarded
    client = client_for(personas.ssp)
    alerts = client.get(f"/api/v1/persons/{person.pk}/sibling-alerts/").json()
    assert [a["name"] for a in alerts] == ["Søster Hemmeligsen"]
    assert "sibling-alert-heading" in client.get(detail_url(person)).content.decode()
