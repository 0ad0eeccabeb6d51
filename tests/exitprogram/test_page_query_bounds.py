"""The case page and the dashboard read a fixed number of queries: one more
follow-up meeting, measure, weekly report, mentor session or case costs none
(STYLE.md §16: no query in a loop)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import person_create
from exitprogram import services
from exitprogram.models import Agreement, MeasureKind, Status

from .conftest import born_years_ago, today

pytestmark = pytest.mark.django_db

CASE_PAGE_QUERIES = 24
DASHBOARD_QUERIES = 12


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _active_case(make_case, exit_world, n: int, person=None):
    """An active case with `n` measures, follow-up meetings, weekly reports,
    mentor sessions and NEC notifications."""
    case = make_case(Status.AGREEMENT, person=person)
    agreement = Agreement.objects.get(case=case)
    for _ in range(n - 1):
        services.agreement_measure_add(
            actor=exit_world.coordinator,
            agreement=agreement,
            kind=MeasureKind.HOUSING,
            responsible_agency=exit_world.job_centre,
            starts_on=today(),
            ends_on=today() + timedelta(days=30),
        )
    services.agreement_sign(
        actor=exit_world.coordinator,
        agreement=agreement,
        signed_by_person_on=today() - timedelta(days=7 * n),
        signed_by_coordinator_on=today() - timedelta(days=7 * n),
    )
    case.refresh_from_db()
    assignment = services.mentor_assign(
        actor=exit_world.coordinator,
        case=case,
        mentor_name="Mads Mentor",
        from_date=today() - timedelta(days=7 * n),
    )
    for k in range(n):
        services.follow_up_meeting_add(
            actor=exit_world.coordinator,
            case=case,
            kind="support",
            held_on=today() - timedelta(days=k),
            attendees="Udvej, koordinator",
            notes=f"Møde {k}",
        )
        services.mentor_session_add(
            actor=exit_world.coordinator,
            assignment=assignment,
            held_on=today() - timedelta(days=k),
            check_in="Godt",
            summary="Sidst",
            agenda="Job",
            wrap_up="Videre",
        )
        services.nec_notify(
            actor=exit_world.coordinator, case=case, kind="change", sent_on=today()
        )
        services.weekly_report_open(case=case, day=today() - timedelta(days=7 * k))
    return case


@pytest.mark.parametrize("as_police", [False, True])
def test_case_page_queries_do_not_grow(
    as_police,
    make_case,
    exit_world,
    personas,
    client_for,
    django_assert_max_num_queries,
):
    from cases.services import person_create as create

    other = create(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        municipality=exit_world.person.municipality,
        given_name="Anden",
        family_name="Exitsen",
        date_of_birth=born_years_ago(22),
    )
    from meetings.sharing import consent_record

    consent_record(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        person=other,
        given_by="Anden Exitsen",
        scope="Udveksling",
        given_on=today(),
        agencies=[exit_world.exit_unit, exit_world.job_centre],
    )
    small = _active_case(make_case, exit_world, 1)
    big = _active_case(make_case, exit_world, 6, person=other)
    assert big.weekly_reports.count() == 6
    client = client_for(personas.police if as_police else exit_world.coordinator)
    url = reverse("exitprogram:case", args=[small.pk])
    client.get(url)  # warm the per-request caches that do not depend on data
    few = _count(client, url)
    many = _count(client, reverse("exitprogram:case", args=[big.pk]))
    assert many == few
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        client.get(reverse("exitprogram:case", args=[big.pk]))


def test_agreement_page_queries_do_not_grow(make_case, exit_world, client_for):
    case = make_case(Status.AGREEMENT)
    agreement = Agreement.objects.get(case=case)
    client = client_for(exit_world.coordinator)
    url = reverse("exitprogram:agreement", args=[agreement.pk])
    client.get(url)
    few = _count(client, url)
    for _ in range(5):
        services.agreement_measure_add(
            actor=exit_world.coordinator,
            agreement=agreement,
            kind=MeasureKind.DEBT,
            responsible_agency=exit_world.job_centre,
            starts_on=today(),
            ends_on=today() + timedelta(days=30),
        )
    assert _count(client, url) == few


def test_dashboard_queries_do_not_grow(
    make_case, exit_world, personas, client_for, django_assert_max_num_queries
):
    client = client_for(exit_world.coordinator)
    url = reverse("exitprogram:dashboard")
    make_case(Status.ACTIVE)
    client.get(url)
    one = _count(client, url)
    statuses = [
        Status.REFERRED,
        Status.POLICE_MAPPING,
        Status.CLARIFICATION,
        Status.ENDED,
    ]
    for k, status in enumerate(statuses):
        person = person_create(
            actor=exit_world.coordinator,
            agency=exit_world.exit_unit,
            municipality=exit_world.person.municipality,
            given_name=f"Person{k}",
            family_name="Exitsen",
            date_of_birth=born_years_ago(20 + k),
        )
        from meetings.sharing import consent_record

        consent_record(
            actor=exit_world.coordinator,
            agency=exit_world.exit_unit,
            person=person,
            given_by=f"Person{k}",
            scope="Udveksling",
            given_on=today(),
            agencies=[exit_world.exit_unit, exit_world.job_centre],
        )
        make_case(status, person=person)
    five = _count(client, url)
    assert five == one
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get(url)
    # The police liaison's list and the measures page do not grow either.
    police = client_for(personas.police)
    for name in ("reports", "measures"):
        assert _count(police, reverse(f"exitprogram:{name}")) <= DASHBOARD_QUERIES
