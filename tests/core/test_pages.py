"""The UI shell: dashboards per role, person pages, bad input, query bounds,
language switch, health check (point 9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Person


@pytest.mark.parametrize(
    "who,heading",
    [
        ("ssp", "panel-tasks"),
        ("police", "panel-conversations"),
        ("manager", "panel-audit"),
        ("auditor", "panel-audit"),
        ("admin", "panel-administration"),
    ],
)
def test_dashboard_per_role(who, heading, personas, client_for):
    response = client_for(getattr(personas, who)).get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert f'id="{heading}"'.encode() in response.content


def test_user_without_role_sees_an_explanation(world, client_for):
    from tests.conftest import make_user

    response = client_for(make_user("newbie")).get(reverse("core:dashboard"))
    assert response.context["no_role"]


def test_navigation_follows_roles(personas, client_for):
    ssp_nav = [url for _, url in client_for(personas.ssp).get("/").context["nav_items"]]
    admin_nav = [
        url for _, url in client_for(personas.admin).get("/").context["nav_items"]
    ]
    assert reverse("cases:person_list") in ssp_nav
    assert reverse("audit:entry_list") not in ssp_nav
    assert reverse("cases:person_list") not in admin_nav
    assert reverse("admin:index") in admin_nav


def test_create_person_in_the_browser(personas, world, client_for):
    client = client_for(personas.ssp)
    response = client.post(
        reverse("cases:person_create"),
        {
            "given_name": "Mia",
            "family_name": "Form",
            "municipality": world.ishoej.pk,
            "legal_basis": "OWN_TASK",
        },
    )
    person = Person.objects.get(family_name="Form")
    assert response.url == reverse("cases:person_detail", args=[person.pk])


def test_bad_input_is_answered_field_by_field_and_nothing_is_saved(
    personas, world, client_for
):
    client = client_for(personas.ssp)
    response = client.post(
        reverse("cases:person_create"),
        {
            "given_name": "",
            "family_name": "",
            "municipality": world.albertslund.pk,
            "date_of_birth": "31-02-2010",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"given_name", "family_name", "municipality", "date_of_birth"}
    assert "Dette felt er påkrævet." in errors["given_name"]
    assert not Person.objects.exists()


def test_edit_person(personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    response = client.post(
        reverse("cases:person_edit", args=[ishoej_person.pk]),
        {"given_name": "Testa", "family_name": "Ændret", "date_of_birth": "2010-05-01"},
    )
    assert response.status_code == 302
    ishoej_person.refresh_from_db()
    assert ishoej_person.family_name == "Ændret"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_is_refused(method, personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    response = getattr(client, method)(
        reverse("cases:person_detail", args=[ishoej_person.pk])
    )
    assert response.status_code == 405


def test_list_and_detail_query_counts_stay_flat(
    record_in_ishoej,
    personas,
    world,
    ishoej_person,
    client_for,
    django_assert_max_num_queries,
):
    client = client_for(personas.ssp)
    for i in range(30):
        record_in_ishoej(
            given_name=f"P{i}",
            family_name="Many",
        )
    with django_assert_max_num_queries(16):
        client.get(reverse("cases:person_list"))
    with django_assert_max_num_queries(16):
        client.post(reverse("cases:person_list"), {"q": "Many", "page": "2"})
    # The person page reads eight kinds of record, each audited (entry + subjects).
    with django_assert_max_num_queries(32):
        client.get(reverse("cases:person_detail", args=[ishoej_person.pk]))
    with django_assert_max_num_queries(16):
        client.get(reverse("core:dashboard"))


def test_htmx_search_returns_the_fragment(personas, ishoej_person, client_for):
    response = client_for(personas.ssp).post(
        reverse("cases:person_list"), {"q": "Hemmel"}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in response.content
    assert b"Hemmeligsen" in response.content


def test_language_switch_to_english(personas, client_for):
    client = client_for(personas.ssp)
    assert "Overblik" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "<h1>Overview</h1>" in client.get("/").content.decode()


def test_dates_are_danish(record_in_ishoej, personas, world, client_for):
    from datetime import date

    person = record_in_ishoej(
        given_name="D",
        family_name="Dato",
        date_of_birth=date(2010, 3, 4),
    )
    html = (
        client_for(personas.ssp)
        .get(reverse("cases:person_detail", args=[person.pk]))
        .content.decode()
    )
    assert "4. marts 2010" in html


def test_health_check_needs_no_login(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("cases:person_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
