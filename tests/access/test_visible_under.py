"""access.permissions.visible_under: a single parent's records, read by its key
only when the parent was just checked for the same user; otherwise the parent's
grants decide, as visible_via (R-DP-1: need to know)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from access.permissions import get_visible_or_404, visible_under
from cases.models import ConcernLevelChange, Person
from cases.services import person_set_concern_level


def _yellow(personas, world, person):
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=person,
        level="yellow",
        reason="Test",
    )


def _changes(user, person):
    with CaptureQueriesContext(connection) as queries:
        rows = list(
            visible_under(
                user, ConcernLevelChange.objects.all(), parent="person", obj=person
            )
        )
    return rows, " ".join(q["sql"] for q in queries).lower()


def test_a_parent_just_checked_is_not_checked_again(personas, world, ishoej_person):
    _yellow(personas, world, ishoej_person)
    person = get_visible_or_404(personas.ssp, Person, pk=ishoej_person.pk)
    rows, sql = _changes(personas.ssp, person)
    assert rows and all(row.person_id == person.pk for row in rows)
    assert "groupobjectpermission" not in sql


def test_an_unchecked_parent_is_checked_through_its_grants(
    personas, world, ishoej_person
):
    _yellow(personas, world, ishoej_person)
    plain = Person.objects.get(pk=ishoej_person.pk)
    rows, sql = _changes(personas.ssp, plain)
    assert rows
    assert "groupobjectpermission" in sql
    assert _changes(personas.ssp_albertslund, plain)[0] == []


def test_a_parent_checked_for_another_user_is_checked_again(
    personas, world, ishoej_person
):
    _yellow(personas, world, ishoej_person)
    person = get_visible_or_404(personas.ssp, Person, pk=ishoej_person.pk)
    rows, sql = _changes(personas.ssp_albertslund, person)
    assert rows == []
    assert "groupobjectpermission" in sql
