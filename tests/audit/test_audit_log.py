"""The audit core (foundation issue, point 7; R-LOG-1 … R-LOG-3)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AppendOnlyError, AuditEntry, AuditSubject
from audit.services import (
    _entry,
    audit_flush_reads,
    audit_purge_expired,
    audit_record,
)
from cases.services import person_create, person_update
from tests.conftest import require_service


def entries(action, user=None):
    qs = AuditEntry.objects.filter(action=action)
    return qs.filter(user=user) if user else qs


def subjects(entry):
    return {s.person_id for s in entry.subjects.all()}


def test_person_page_read_is_logged_with_agency(
    personas, world, ishoej_person, client_for
):
    client_for(personas.ssp).get(
        reverse("cases:person_detail", args=[ishoej_person.pk])
    )
    entry = entries(Action.VIEW, personas.ssp).get()
    assert entry.agency == world.ssp_ishoej
    assert entry.object_type == "cases.person"
    assert entry.object_id == str(ishoej_person.pk)
    assert subjects(entry) == {ishoej_person.pk}
    assert entry.ip == "127.0.0.1"


def test_list_records_every_person_shown(
    record_in_ishoej, personas, world, ishoej_person, client_for
):
    second = record_in_ishoej(
        given_name="B",
        family_name="C",
    )
    client_for(personas.ssp).get(reverse("cases:person_list"))
    entry = entries(Action.LIST, personas.ssp).get()
    assert subjects(entry) == {ishoej_person.pk, second.pk}


def test_search_records_criterion_and_hits(personas, ishoej_person, client_for):
    client_for(personas.ssp).post(reverse("cases:person_list"), {"q": "hemmelig"})
    entry = entries(Action.SEARCH, personas.ssp).get()
    assert entry.criterion == "hemmelig"
    assert subjects(entry) == {ishoej_person.pk}


def test_search_criterion_never_holds_a_raw_cpr(personas, ishoej_person, client_for):
    from core.crypto import keyed_hash

    client_for(personas.ssp).post(reverse("cases:person_list"), {"q": "010203-1234"})
    entry = entries(Action.SEARCH, personas.ssp).get()  # logged though no one matched
    assert "1234" not in entry.criterion and "010203" not in entry.criterion
    assert keyed_hash("0102031234")[:12] in entry.criterion
    assert not entry.subjects.exists()


def test_api_reads_are_logged(personas, ishoej_person, client_for):
    client = client_for(personas.ssp)
    client.get("/api/v1/persons/")
    client.get(f"/api/v1/persons/{ishoej_person.pk}/")
    assert subjects(entries(Action.LIST, personas.ssp).get()) == {ishoej_person.pk}
    assert subjects(entries(Action.VIEW, personas.ssp).get()) == {ishoej_person.pk}


def test_an_empty_list_shows_no_one_and_names_no_one(personas, client_for, db):
    client_for(personas.social).get(reverse("cases:person_list"))
    assert not AuditSubject.objects.exists()


def test_create_and_change_are_logged_with_field_names_only(personas, ishoej_person):
    created = entries(Action.CREATE, personas.ssp).get()
    assert subjects(created) == {ishoej_person.pk}
    person_update(actor=personas.ssp, person=ishoej_person, family_name="Nyt")
    changed = entries(Action.CHANGE, personas.ssp).get()
    assert changed.changed_fields == ["family_name"]
    assert "Nyt" not in str(changed.__dict__)


def test_refused_write_is_logged_as_permission_denied(
    personas, world, ishoej_person, client_for
):
    from access.services import access_grant

    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        agency=world.social_ishoej,
        actions=["view"],
        legal_basis="RPL115_2",
    )
    client_for(personas.social).get(
        reverse("cases:person_edit", args=[ishoej_person.pk])
    )
    assert entries(Action.PERMISSION_DENIED, personas.social).count() == 1


def test_login_and_failed_login_are_logged(personas, client):
    client.post(reverse("accounts:login"), {"username": "ssp", "password": "wrong"})
    failed = entries(Action.LOGIN_FAILED).get()
    assert failed.username == "ssp" and failed.user is None
    client.post(
        reverse("accounts:login"), {"username": "ssp", "password": "x-Secret-pass-1"}
    )
    assert entries(Action.LOGIN, personas.ssp).count() == 1


def test_entries_cannot_be_changed_or_deleted_through_the_orm(personas, db):
    entry = audit_record(user=personas.ssp, action=Action.VIEW)
    entry.action = Action.DELETE
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action=Action.DELETE)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_postgresql_refuses_update_and_delete(personas, db):
    require_service(
        connection.vendor == "postgresql",
        "the trigger is PostgreSQL's (set DATABASE_URL); SQLite has the ORM guard",
    )
    entry = audit_record(user=personas.ssp, action=Action.VIEW)
    for sql in (
        "UPDATE audit_auditentry SET action = 'delete' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action=Action.VIEW).exists()


def test_retention_purge_deletes_only_expired_entries(personas, settings, db):
    expired_at = timezone.now() - timedelta(
        days=settings.AUDIT_RETENTION_DAYS, minutes=1
    )
    old = AuditEntry.objects.create(action=Action.VIEW, at=expired_at)
    AuditSubject.objects.create(entry=old, person_id=personas.ssp.pk)
    fresh = audit_record(
        user=personas.ssp, action=Action.VIEW, subjects=[personas.ssp.pk]
    )
    assert audit_purge_expired() == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=fresh.pk).exists()
    assert AuditSubject.objects.filter(entry=fresh).count() == 1


def test_batched_reads_are_written_each_with_its_own_subjects(personas, db):
    """A request's reads are written together (on PostgreSQL in one statement):
    each entry with exactly its subjects, in order, an entry without any too."""
    people = [uuid.uuid4() for _ in range(4)]
    reads = [
        (_entry(user=personas.ssp, action=Action.LIST, criterion="a"), people[:3]),
        (_entry(user=personas.ssp, action=Action.VIEW, criterion="b"), []),
        (_entry(user=personas.police, action=Action.VIEW, criterion="c"), people[3:]),
    ]
    before = AuditEntry.objects.count()
    audit_flush_reads(reads)
    written = AuditEntry.objects.order_by("id")[before:]
    assert [(e.criterion, e.user, e.action) for e in written] == [
        ("a", personas.ssp, Action.LIST),
        ("b", personas.ssp, Action.VIEW),
        ("c", personas.police, Action.VIEW),
    ]
    assert [subjects(e) for e in written] == [set(people[:3]), set(), {people[3]}]
    assert all(e.changed_fields == [] and e.at for e in written)


def test_batched_reads_are_all_or_nothing(personas, db):
    reads = [
        (_entry(user=personas.ssp, action=Action.VIEW), [uuid.uuid4()]),
        (_entry(user=personas.ssp, action=Action.VIEW), ["not a person"]),
    ]
    before = AuditEntry.objects.count(), AuditSubject.objects.count()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017, PT011
        audit_flush_reads(reads)
    assert (AuditEntry.objects.count(), AuditSubject.objects.count()) == before


# Committed transactions, as in production: the request's reads are written by the
# middleware in a transaction of their own, whose failure must not leak the rows.
@pytest.mark.django_db(transaction=True)
def test_fail_closed_no_data_when_the_audit_cannot_be_written(
    personas, ishoej_person, client_for
):
    client = client_for(personas.ssp)
    client.raise_request_exception = False
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE audit_auditsubject RENAME TO audit_auditsubject_gone"
        )
    try:
        response = client.get(reverse("cases:person_detail", args=[ishoej_person.pk]))
        assert response.status_code == 500
        assert b"Hemmeligsen" not in response.content
        api = client.get(f"/api/v1/persons/{ishoej_person.pk}/")
        assert api.status_code == 500
        assert b"Hemmeligsen" not in api.content
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE audit_auditsubject_gone RENAME TO audit_auditsubject"
            )


# --- The pages ----------------------------------------------------------------------


def test_manager_reads_the_log_of_its_municipality(
    personas, world, ishoej_person, client_for, django_assert_max_num_queries
):
    client_for(personas.ssp).get(
        reverse("cases:person_detail", args=[ishoej_person.pk])
    )
    client_for(personas.ssp_albertslund).get(reverse("cases:person_list"))
    client = client_for(personas.manager)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("audit:entry_list"))
    assert response.status_code == 200
    shown = {e.agency_id for e in response.context["page"].object_list}
    assert world.ssp_ishoej.pk in shown
    assert world.ssp_albertslund.pk not in shown


@pytest.mark.parametrize("who", ["ssp", "social", "police", "admin", "superuser"])
def test_others_may_not_read_the_log(who, personas, client_for):
    client = client_for(getattr(personas, who))
    assert client.get(reverse("audit:entry_list")).status_code == 403
    assert client.get("/api/v1/audit/entries/").status_code == 403


def test_log_filters_by_action_and_rejects_bad_dates(
    personas, ishoej_person, client_for
):
    client = client_for(personas.manager)
    response = client.get(reverse("audit:entry_list") + "?action=create")
    assert {e.action for e in response.context["page"].object_list} == {"create"}
    bad = client.get("/api/v1/audit/entries/?date_from=2026-02-01&date_to=2026-01-01")
    assert bad.status_code == 400
    assert "date_to" in bad.json()["errors"]


def test_person_access_report_lists_every_access(
    personas, world, ishoej_person, client_for, django_assert_max_num_queries
):
    from access.services import access_grant

    access_grant(
        actor=personas.ssp,
        obj=ishoej_person,
        agency=world.police_vestegn,
        actions=["view"],
        legal_basis="RPL115_2",
    )
    client_for(personas.police).get(
        reverse("cases:person_detail", args=[ishoej_person.pk])
    )
    client = client_for(personas.manager)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("audit:person_access", args=[ishoej_person.pk]))
    assert response.status_code == 200
    users = {e.username for e in response.context["page"].object_list}
    assert {"ssp", "police"} <= users
    api = client.get(f"/api/v1/audit/persons/{ishoej_person.pk}/")
    assert api.status_code == 200
    assert {e["username"] for e in api.json()["results"]} >= {"ssp", "police"}


def test_auditor_reads_the_report_of_its_municipality_only(
    personas, world, ishoej_person, client_for
):
    auditor = client_for(personas.auditor)
    assert (
        auditor.get(reverse("audit:person_access", args=[ishoej_person.pk])).status_code
        == 200
    )
    other = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="A",
        family_name="B",
    )
    assert (
        auditor.get(reverse("audit:person_access", args=[other.pk])).status_code == 404
    )


@pytest.mark.parametrize("who", ["ssp_albertslund", "police", "ssp"])
def test_person_report_refused_to_non_auditors(
    who, personas, ishoej_person, client_for
):
    response = client_for(getattr(personas, who)).get(
        reverse("audit:person_access", args=[ishoej_person.pk])
    )
    assert response.status_code in (403, 404)


def test_manager_of_another_municipality_sees_neither_entries_nor_report(
    personas, world, ishoej_person, client_for
):
    from organisations.models import Role
    from tests.conftest import make_user

    other = make_user("manager_alb", (world.ssp_albertslund, Role.MANAGER))
    client = client_for(other)
    page = client.get(reverse("audit:entry_list"))
    assert page.status_code == 200
    assert all(
        e.agency_id != world.ssp_ishoej.pk for e in page.context["page"].object_list
    )
    report = client.get(reverse("audit:person_access", args=[ishoej_person.pk]))
    assert report.status_code == 404
    api = client.get(f"/api/v1/audit/persons/{ishoej_person.pk}/")
    assert api.status_code == 404
