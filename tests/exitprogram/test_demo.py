"""The demo exit cases (issue 6, point 9): `seed_demo` adds, for the demo exit
coordinator and police liaison, a referral, an active case with last week's
police report missing, and a case ended two years ago awaiting its outcome; a
second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from exitprogram import selectors, services
from exitprogram.models import (
    Agreement,
    AgreementMeasure,
    ExitCase,
    Status,
    WeeklyReport,
)
from meetings.models import Consent
from organisations.models import AgencyKind, User
from reminders.models import Reminder


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return {user.username: user for user in User.objects.all()}


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            ExitCase,
            Agreement,
            AgreementMeasure,
            WeeklyReport,
            Consent,
            Reminder,
        )
    )


def test_three_cases_in_three_phases_for_the_demo_coordinator(demo):
    cases = {c.status: c for c in ExitCase.objects.select_related("agency")}
    assert set(cases) == {Status.REFERRED, Status.ACTIVE, Status.ENDED}
    for case in cases.values():
        assert case.coordinator == demo["exit"]
        assert case.police_contact == demo["politi"]
        assert case.agency.kind == AgencyKind.EXIT_UNIT
        assert case.municipality.name == "Ishøj"
    visible = set(selectors.cases_visible_to(user=demo["exit"]))
    assert visible == set(cases.values())
    assert not selectors.cases_visible_to(user=demo["ssp"]).exists()


def test_the_consent_covers_the_exit_unit_police_and_job_centre(demo):
    for case in ExitCase.objects.all():
        consent = Consent.objects.get(person=case.person)
        kinds = {agency.kind for agency in consent.agencies.all()}
        assert kinds == {AgencyKind.EXIT_UNIT, AgencyKind.POLICE, AgencyKind.JOB_CENTRE}


def test_the_active_case_misses_last_weeks_report(demo):
    today = timezone.localdate()
    last_week = services.week_start(today - timedelta(days=7))
    missing = list(selectors.missing_reports(user=demo["exit"]))
    assert [r.week_start for r in missing] == [last_week]
    assert missing[0].case.status == Status.ACTIVE
    to_make = selectors.reports_to_make(user=demo["politi"])
    assert last_week in {r.week_start for r in to_make}
    case = ExitCase.objects.get(status=Status.ACTIVE)
    measure = case.agreements.get().measures.get(
        responsible_agency__kind=AgencyKind.JOB_CENTRE
    )
    assert measure.agreement.is_locked


def test_the_ended_case_awaits_its_outcome(demo):
    case = ExitCase.objects.get(status=Status.ENDED)
    assert services.outcome_due_on(case) < timezone.localdate()
    assert list(selectors.outcomes_due(user=demo["exit"])) == [case]
    reminder = Reminder.objects.get(key=f"exit-outcome:{case.pk}")
    assert reminder.recipient == demo["exit"]


def test_a_second_run_changes_nothing(demo):
    before = _counts()
    entries = AuditEntry.objects.count()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
    assert AuditEntry.objects.count() == entries
