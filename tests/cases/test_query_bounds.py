"""Query bounds that do not change with the data size (issue 3 point 10): the person
list with 1,000 persons, the person page with 200 timeline entries, the family page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Person, PersonGroupObjectPermission
from core.text import search_key
from timeline.services import timeline_record

LIST_BOUND = 16
PAGE_BOUND = 20


def _bulk_persons(world, personas, n: int) -> None:
    """n persons recorded by Ishøj SSP, with the grants person_create writes."""
    people = Person.objects.bulk_create(
        Person(
            given_name=f"Ung{i}",
            family_name="Mængde",
            search_name=search_key(f"Ung{i} Mængde"),
            municipality=world.ishoej,
            recorded_by=world.ssp_ishoej,
            legal_basis="OWN_TASK",
            created_by=personas.ssp,
            concern_level="yellow" if i % 3 else "red",
        )
        for i in range(n)
    )
    permissions = Permission.objects.filter(
        content_type__app_label="cases",
        codename__in=["view_person", "change_person", "export_person"],
    )
    PersonGroupObjectPermission.objects.bulk_create(
        PersonGroupObjectPermission(
            content_object=person, group=world.ssp_ishoej.group, permission=perm
        )
        for person in people
        for perm in permissions
    )


def _count(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "method,params",
    [
        ("get", {}),
        ("get", {"page": "20"}),
        ("get", {"concern_level": "red"}),
        ("post", {"q": "ung mængde", "page": "3"}),
    ],
)
def test_person_list_queries_do_not_grow_from_10_to_1000_persons(
    world, personas, client_for, method, params
):
    client = client_for(personas.ssp)
    url = reverse("cases:person_list")
    _bulk_persons(world, personas, 10)
    client.get(url)  # warm the session
    if "page" in params:
        small_params = {**params, "page": "1"}
    else:
        small_params = params
    small = _count(client, method, url, small_params)
    _bulk_persons(world, personas, 990)
    large = _count(client, method, url, params)
    assert large == small
    assert large <= LIST_BOUND


def test_person_page_with_200_timeline_entries_stays_under_the_bound(
    world, personas, client_for, record_in_ishoej, django_assert_max_num_queries
):
    person = record_in_ishoej(given_name="Lang", family_name="Historie")
    client = client_for(personas.ssp)
    url = reverse("cases:person_detail", args=[person.pk])
    client.get(url)
    small = _count(client, "get", url)
    for i in range(200):
        timeline_record(
            person=person,
            kind="cases.registered",
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            legal_basis="OWN_TASK",
            detail=f"Entry {i}",
        )
    with django_assert_max_num_queries(PAGE_BOUND):
        response = client.get(url)
    assert response.context["timeline"].paginator.count == 201
    assert _count(client, "get", url) == small
    assert _count(client, "get", f"{url}?timeline=8") == small


def test_family_page_queries_do_not_grow_with_members(
    world, personas, client_for, django_assert_max_num_queries
):
    from families.models import MemberRole
    from families.services import family_add_new_person, family_create

    family = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Familien Mange",
    )

    def add(i):
        family_add_new_person(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            family=family,
            role=MemberRole.CHILD,
            given_name=f"Barn{i}",
            family_name="Mange",
        )

    add(0)
    client = client_for(personas.ssp)
    url = reverse("families:family_detail", args=[family.pk])
    client.get(url)
    small = _count(client, "get", url)
    for i in range(1, 8):
        add(i)
    with django_assert_max_num_queries(LIST_BOUND + 4):
        client.get(url)
    assert _count(client, "get", url) == small


def test_family_list_queries_do_not_grow_with_families(world, personas, client_for):
    from families.services import family_create

    def families(n):
        for i in range(n):
            family_create(
                actor=personas.ssp,
                agency=world.ssp_ishoej,
                municipality=world.ishoej,
                name=f"Familien {i}",
            )

    client = client_for(personas.ssp)
    url = reverse("families:family_list")
    families(2)
    client.get(url)
    small = _count(client, "get", url)
    families(30)
    assert _count(client, "get", url) == small <= LIST_BOUND


def test_a_page_writes_its_audit_entries_in_one_batch(
    world, personas, client_for, record_in_ishoej
):
    """Each audited read on the person page is its own entry, but the request writes
    them together (issue 8): on PostgreSQL in one statement, elsewhere one INSERT
    for the entries and one for their subjects."""
    from audit.models import AuditEntry

    person = record_in_ishoej(given_name="Samlet", family_name="Skrivning")
    client = client_for(personas.ssp)
    before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:person_detail", args=[person.pk]))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if 'INSERT INTO "audit_audit' in q["sql"]]
    assert AuditEntry.objects.count() - before >= 2
    if connection.vendor == "postgresql":
        [write] = writes
        assert write.startswith('WITH entry AS (INSERT INTO "audit_auditentry"')
        assert 'INSERT INTO "audit_auditsubject"' in write
    else:
        assert len(writes) == 2, writes
