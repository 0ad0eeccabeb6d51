"""The coordinator's dashboard: each section shows what its own selector lets the
user see (the cases and the outcomes due through the cases' grants, the missing
reports and the overdue measures through their own), with a link to the case page
where the user may follow it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from cases.services import person_create
from exitprogram import selectors, services
from exitprogram.models import AgreementMeasure, ExitCase, Status, WeeklyReport
from meetings.sharing import consent_record
from organisations.models import Role
from tests.conftest import make_user

from .conftest import born_years_ago, today

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("exitprogram:dashboard")


@pytest.fixture
def overdue_world(make_case, exit_world):
    """An active case whose report of two weeks ago is missing and whose measure's
    time frame ended yesterday, and a case that ended today (no outcome due yet)."""
    active = make_case(Status.ACTIVE)
    report = active.weekly_reports.get()
    WeeklyReport.objects.filter(pk=report.pk).update(
        week_start=services.week_start(today() - timedelta(days=14))
    )
    measure = active.agreements.get().measures.get()
    AgreementMeasure.objects.filter(pk=measure.pk).update(
        ends_on=today() - timedelta(days=1)
    )
    other = person_create(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        municipality=exit_world.person.municipality,
        given_name="Anden",
        family_name="Exitsen",
        date_of_birth=born_years_ago(22),
    )
    consent_record(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        person=other,
        given_by="Anden Exitsen",
        scope="Udveksling",
        given_on=today(),
        agencies=[exit_world.exit_unit, exit_world.job_centre],
    )
    ended = make_case(Status.ENDED, person=other)
    return active, report, measure, ended


def _case_link(case, anchor=""):
    url = reverse("exitprogram:case", args=[case.pk])
    return f'href="{url}{"#" + anchor if anchor else ""}"'


def test_the_coordinator_sees_every_section_with_links_to_the_cases(
    overdue_world, exit_world, client_for
):
    active, report, measure, ended = overdue_world
    client = client_for(exit_world.coordinator)
    response = client.get(DASHBOARD)
    page = response.content.decode()
    assert _case_link(active) in page and _case_link(ended) in page
    assert _case_link(active, "reports") in page
    assert measure.responsible_agency.name in page
    assert _case_link(ended, "outcome") not in page
    # The sections are what the selectors answer.
    user, day = exit_world.coordinator, today()
    assert response.context["missing"] == [report]
    assert response.context["missing"] == list(
        selectors.missing_reports(user=user, day=day)
    )
    assert response.context["overdue"] == [measure]
    assert response.context["overdue"] == list(
        selectors.measures_for_agency(user=user).filter(
            status__in=selectors.OPEN_MEASURE, ends_on__lt=day
        )
    )
    assert response.context["outcomes"] == []
    # Two years after the end, the outcome is due.
    ExitCase.objects.filter(pk=ended.pk).update(
        ended_on=today().replace(year=today().year - 3)
    )
    response = client.get(DASHBOARD)
    assert _case_link(ended, "outcome") in response.content.decode()
    assert response.context["outcomes"] == [ended]
    assert response.context["outcomes"] == list(
        selectors.outcomes_due(user=user, day=day)
    )


def test_each_section_follows_its_own_grants(
    overdue_world, exit_world, world, client_for
):
    """A police colleague of the district makes the reports without seeing the
    case; the job centre sees its measure and nothing else."""
    active, report, measure, ended = overdue_world
    colleague = make_user("police2", (world.police_vestegn, Role.POLICE_LIAISON))
    response = client_for(colleague).get(DASHBOARD)
    assert response.context["case_count"] == 0
    assert response.context["missing"] == [report]
    assert response.context["overdue"] == []
    job = client_for(exit_world.job_worker).get(DASHBOARD)
    assert job.context["case_count"] == 0
    assert job.context["missing"] == []
    assert job.context["overdue"] == [measure]
    assert _case_link(active) not in job.content.decode()
