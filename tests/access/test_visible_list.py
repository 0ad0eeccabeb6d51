"""access.lists.VisibleList: an unfiltered visible list counted from the grant tables
and paged by walking the ordering index from its nearer end, or from the grants
(issue 8, docs/performance.md). Every page is the same rows, in the same order,
with the same audit entry, as `visible()` gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from access.legal import LegalBasis
from access.lists import VisibleList, table_rows, walks_the_index
from access.permissions import VIEW, granted_count, visible
from access.services import access_grant
from audit.models import Action, AuditEntry
from cases.models import Person
from cases.services import person_create


@pytest.fixture
def seen_and_unseen(personas, world):
    """14 persons the Ishøj coordinator may see among 40: 12 through the agency and
    3 granted to the coordinator alone, one of whom the agency sees too. Family
    names repeat, so the order rests on the given name and the key too. The table
    is analysed, so that PostgreSQL's estimate of its rows (`table_rows`) is 40."""
    ishoej = [
        person_create(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            municipality=world.ishoej,
            given_name=f"Ung {n % 4}",
            family_name=f"Familie {n % 5}",
        )
        for n in range(12)
    ]
    elsewhere = [
        person_create(
            actor=personas.ssp_albertslund,
            agency=world.ssp_albertslund,
            municipality=world.albertslund,
            given_name=f"Anden {n % 3}",
            family_name=f"Familie {n % 7}",
        )
        for n in range(28)
    ]
    for person in (*elsewhere[:2], ishoej[0]):
        access_grant(
            actor=personas.ssp_albertslund if person in elsewhere else personas.ssp,
            obj=person,
            user=personas.ssp,
            actions=[VIEW],
            legal_basis=LegalBasis.OWN_TASK,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_person")
    return list(visible(personas.ssp, Person, audit=None))


def test_the_count_is_every_visible_person_once(personas, seen_and_unseen):
    assert len(seen_and_unseen) == 14
    assert granted_count(personas.ssp, Person) == 14
    listed = VisibleList(personas.ssp, Person.objects.all())
    assert listed.count() == len(listed) == 14
    assert granted_count(personas.police_other_district, Person) == 0


def test_every_page_is_visible_s_rows_in_visible_s_order(personas, seen_and_unseen):
    listed = VisibleList(personas.ssp, Person.objects.all(), audit=None)
    shown, rows = len(seen_and_unseen), table_rows(Person)
    assert rows == 40
    paths = set()
    for bottom in range(shown + 1):
        for top in range(bottom, shown + 2):
            assert listed[bottom:top] == seen_and_unseen[bottom:top], (bottom, top)
            backwards = shown - min(top, shown) < bottom
            before = shown - min(top, shown) if backwards else bottom
            walk = walks_the_index(
                before=before, length=min(top, shown) - bottom, shown=shown, rows=rows
            )
            paths.add((walk, backwards and walk))
    # The slices above took each way: forwards and backwards along the index, and
    # from the grants.
    assert paths == {(True, False), (True, True), (False, False)}


def test_a_page_near_the_end_walks_backwards(personas, seen_and_unseen):
    listed = VisibleList(personas.ssp, Person.objects.all(), audit=None)
    with CaptureQueriesContext(connection) as captured:
        last = listed[12:14]
    assert last == seen_and_unseen[12:14]
    page_query = captured.captured_queries[-1]["sql"]
    assert "DESC" in page_query


def test_the_choice_at_a_district_s_scale():
    # The police liaison of the benchmark: 12,368 of 50,000 persons.
    police = {"shown": 12_368, "rows": 50_000, "length": 25}
    assert walks_the_index(before=0, **police)
    assert walks_the_index(before=500, **police)
    assert not walks_the_index(before=6_000, **police)
    # A user who sees 30 persons among 50,000 starts from the grants.
    assert not walks_the_index(before=0, shown=30, rows=50_000, length=25)
    assert not walks_the_index(before=0, shown=0, rows=50_000, length=25)


def test_a_page_is_audited_with_its_persons(personas, seen_and_unseen):
    listed = VisibleList(personas.ssp, Person.objects.all())
    page = listed[5:10]
    entry = AuditEntry.objects.filter(user=personas.ssp, action=Action.LIST).latest(
        "at"
    )
    assert {s.person_id for s in entry.subjects.all()} == {p.pk for p in page}


def test_no_rows_for_an_inactive_user(personas, seen_and_unseen):
    personas.ssp.is_active = False
    listed = VisibleList(personas.ssp, Person.objects.all())
    assert listed.count() == 0
    assert listed[0:25] == []


def test_only_for_an_unfiltered_ordered_list(personas):
    with pytest.raises(ValueError):
        VisibleList(personas.ssp, Person.objects.filter(family_name="X"))
    with pytest.raises(ValueError):
        VisibleList(personas.ssp, Person.objects.order_by())
