"""The weekly police report (issue 6, point 3): a report row per active case and
week, seen and made by the district police; a missing report reminds the police
exit contact on the next working day after the week and shows on the exit
coordinator's dashboard; and once through a real Celery worker against Redis and
PostgreSQL (issue 6, point 8)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exitprogram import selectors, services
from exitprogram.models import EndReason, Status, WeeklyReport
from organisations.models import Role
from reminders.models import Notification, Reminder, ReminderStatus
from reminders.services import REMINDER_HOUR
from tests.conftest import make_user
from tests.reminders.conftest import (
    Worker,
    new_queue,
    require_postgresql_and_redis,
    wait_for,
)

from .conftest import today

MISSING = "exitprogram.weekly_report_missing"


def monday(day):
    return day - timedelta(days=day.weekday())


def reminder_of(report) -> Reminder:
    return Reminder.objects.get(key=f"exit-weekly-report:{report.pk}")


def test_signing_opens_this_week_s_report(make_case, personas):
    case = make_case(Status.ACTIVE)
    report = WeeklyReport.objects.get(case=case)
    assert report.week_start == monday(today())
    assert report.person == case.person
    assert not report.is_reported
    assert list(selectors.weekly_reports_of(user=personas.police, case=case)) == [
        report
    ]


def test_opening_all_is_idempotent(make_case):
    case = make_case(Status.ACTIVE)
    assert services.weekly_reports_open_all() == 0  # signing opened this week's
    next_week = today() + timedelta(days=7)
    assert services.weekly_reports_open_all(day=next_week) == 1
    assert services.weekly_reports_open_all(day=next_week) == 0
    assert services.weekly_reports_open_all(day=next_week + timedelta(days=2)) == 0
    assert sorted(case.weekly_reports.values_list("week_start", flat=True)) == [
        monday(today()),
        monday(next_week),
    ]
    assert Reminder.objects.filter(kind=MISSING).count() == 2


def test_no_report_for_a_case_that_is_not_active(make_case):
    case = make_case(Status.AGREEMENT)
    assert services.weekly_reports_open_all() == 0
    assert services.weekly_report_open(case=case) is None
    assert not WeeklyReport.objects.exists()


def test_a_report_reminds_the_police_contact_on_the_next_working_day_after_friday(
    make_case, personas
):
    case = make_case(Status.ACTIVE)
    report = case.weekly_reports.get()
    reminder = reminder_of(report)
    assert reminder.kind == MISSING
    assert reminder.recipient == personas.police == case.police_contact
    assert reminder.status == ReminderStatus.PENDING
    friday = report.week_start + timedelta(days=4)
    following_monday = friday + timedelta(days=3)
    assert reminder.due_at == timezone.make_aware(
        datetime.combine(following_monday, REMINDER_HOUR)
    )
    assert reminder.params == {"week": report.week_start.isoformat()}
    assert reminder.source_id == str(report.pk)


def test_the_next_working_day_skips_the_weekend():
    friday = monday(today()) + timedelta(days=4)
    assert services.next_working_day(friday) == friday + timedelta(days=3)
    assert services.next_working_day(friday - timedelta(days=1)) == friday
    assert services.next_working_day(friday + timedelta(days=1)) == friday + (
        timedelta(days=3)
    )


def test_recording_the_report_cancels_its_reminder(make_case, personas):
    case = make_case(Status.ACTIVE)
    report = selectors.report_for(
        user=personas.police, pk=case.weekly_reports.get().pk, action="change"
    )
    services.weekly_report_record(
        actor=personas.police, report=report, encountered=False
    )
    report.refresh_from_db()
    assert report.is_reported
    assert (report.encountered, report.reported_by) == (False, personas.police)
    assert reminder_of(report).status == ReminderStatus.CANCELLED


def test_yes_needs_a_description(make_case, personas):
    case = make_case(Status.ACTIVE)
    report = case.weekly_reports.get()
    with pytest.raises(ValidationError) as refused:
        services.weekly_report_record(
            actor=personas.police, report=report, encountered=True, description=" "
        )
    assert "description" in refused.value.message_dict
    report.refresh_from_db()
    assert not report.is_reported
    assert reminder_of(report).status == ReminderStatus.PENDING
    services.weekly_report_record(
        actor=personas.police,
        report=report,
        encountered=True,
        description="Til stede ved slagsmål i centret",
    )
    report.refresh_from_db()
    assert (report.encountered, report.description) == (
        True,
        "Til stede ved slagsmål i centret",
    )


def test_a_week_that_has_not_begun_is_not_reported(make_case, personas):
    case = make_case(Status.ACTIVE)
    report = services.weekly_report_open(case=case, day=today() + timedelta(days=7))
    with pytest.raises(ValidationError):
        services.weekly_report_record(
            actor=personas.police, report=report, encountered=False
        )


def test_reports_to_make_lists_it_for_the_district_police(
    make_case, personas, world, exit_world
):
    case = make_case(Status.ACTIVE)
    report = case.weekly_reports.get()
    colleague = make_user("police2", (world.police_vestegn, Role.POLICE_LIAISON))
    for officer in (personas.police, colleague):
        assert list(selectors.reports_to_make(user=officer)) == [report]
    # Another colleague of the district may make it.
    assert selectors.report_for(user=colleague, pk=report.pk, action="change")
    for outsider in (
        personas.police_other_district,
        personas.ssp,
        personas.social,
        exit_world.job_worker,
    ):
        assert not selectors.reports_to_make(user=outsider).exists()
    # The exit coordinator sees the report but does not make it.
    assert not selectors.reports_to_make(user=exit_world.coordinator).exists()
    services.weekly_report_record(actor=colleague, report=report, encountered=False)
    assert not selectors.reports_to_make(user=personas.police).exists()


def test_missing_reports_show_on_the_coordinator_s_dashboard(
    make_case, exit_world, personas
):
    case = make_case(Status.ACTIVE)
    report = case.weekly_reports.get()
    next_week = today() + timedelta(days=7)
    services.weekly_reports_open_all(day=next_week)
    # This week's is not missing yet; next week, it is (and next week's is not).
    assert not selectors.missing_reports(user=exit_world.coordinator).exists()
    assert list(
        selectors.missing_reports(user=exit_world.coordinator, day=next_week)
    ) == [report]
    # Nobody outside the case sees it.
    for outsider in (personas.ssp, exit_world.job_worker, personas.ssp_albertslund):
        assert not selectors.missing_reports(user=outsider, day=next_week).exists()
    services.weekly_report_record(
        actor=personas.police, report=report, encountered=False
    )
    assert not selectors.missing_reports(
        user=exit_world.coordinator, day=next_week
    ).exists()


def test_ending_the_case_cancels_the_pending_report_reminders(make_case, exit_world):
    case = make_case(Status.ACTIVE)
    services.weekly_reports_open_all(day=today() + timedelta(days=7))
    assert Reminder.objects.filter(kind=MISSING).count() == 2
    services.exit_end(
        actor=exit_world.coordinator,
        case=case,
        ended_on=today(),
        reason=EndReason.WITHDREW,
    )
    assert set(
        Reminder.objects.filter(kind=MISSING).values_list("status", flat=True)
    ) == {ReminderStatus.CANCELLED}
    assert services.weekly_reports_open_all(day=today() + timedelta(days=14)) == 0
    assert not selectors.reports_to_make(user=case.police_contact).exists()


# --- A real worker --------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_missing_report_reminder(
    tmp_path, make_case, personas
):
    """The reminder of a missing weekly report is delivered to the police exit
    contact by a real Celery worker process, from Redis, against the same
    PostgreSQL database; the message holds no personal data."""
    require_postgresql_and_redis()
    from reminders.tasks import reminders_sweep as sweep_task

    police = personas.police
    police.email = "police@politi.invalid"
    police.save(update_fields=["email"])
    case = make_case(Status.ACTIVE)
    report = case.weekly_reports.get()
    reminder = reminder_of(report)
    assert reminder.recipient == police
    # As on the Monday after the week: the reminder is due.
    Reminder.objects.filter(pk=reminder.pk).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )

    outbox = tmp_path / "mail"
    queue = new_queue()
    worker = Worker(
        queue=queue,
        log=tmp_path / "worker.log",
        env={"EMAIL_URL": f"filemail:///{outbox}"},
    )
    try:
        sweep_task.apply_async(queue=queue)
        delivered = wait_for(
            lambda: Reminder.objects.filter(
                pk=reminder.pk, status=ReminderStatus.SENT
            ).exists(),
            timeout=90,
            worker=worker,
        )
        assert delivered, worker.output()
    finally:
        worker.stop()

    notification = Notification.objects.get(reminder=reminder)
    assert notification.recipient == police
    files = sorted(outbox.glob("*"))
    assert len(files) == 1, worker.output()
    text = files[0].read_text()
    assert "police@politi.invalid" in text
    person = case.person
    for secret in (person.given_name, person.family_name, str(person.pk)):
        assert secret not in text
        assert secret not in notification.title
        assert secret not in notification.body
