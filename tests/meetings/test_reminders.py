"""Meetings' reminders through the one reminder mechanism (issue 5, points 3–4):
the agenda notice to each participant at the forum's notice time, action items due,
both delivered by the sweep in the app and by e-mail without personal data; and
once through a real Celery worker against Redis and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings import agenda, forums, services
from meetings.models import ActionStatus, ForumKind
from reminders.models import Notification, Reminder, ReminderStatus
from reminders.services import reminders_sweep
from tests.conftest import make_user
from tests.reminders.conftest import (
    Worker,
    new_queue,
    require_postgresql_and_redis,
    wait_for,
)

from .conftest import born_years_ago, local

AGENDA = "meetings.agenda"
ACTION = "meetings.action_due"


def with_email(*users) -> None:
    for user in users:
        user.email = f"{user.username}@tvaers.invalid"
        user.save(update_fields=["email"])


def personal(person) -> list[str]:
    return [person.given_name, person.family_name, str(person.pk)]


def assert_no_personal_data(texts, person) -> None:
    for text in texts:
        for secret in personal(person):
            assert secret not in text


def test_sending_the_agenda_reminds_each_participant_once_at_the_notice_time(
    personas, world, ssp_forum
):
    meeting = ssp_forum.meeting
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    reminders = Reminder.objects.filter(kind=AGENDA)
    # Ishøj SSP and Ishøj children & family as whole agencies (those who work with
    # cases: not the administrator or the auditor), the police liaison by name.
    expected = {personas.ssp, personas.manager, personas.social, personas.police}
    assert {r.recipient for r in reminders} == expected
    assert reminders.count() == len(expected)
    notice = timezone.make_aware(
        datetime.combine(
            meeting.starts_at.date()
            - timedelta(days=ssp_forum.forum.agenda_notice_days),
            time(8, 0),
        )
    )
    assert notice == local(days=4, hour=8)
    assert {r.due_at for r in reminders} == {notice}
    assert {r.status for r in reminders} == {ReminderStatus.PENDING}
    assert {r.source_id for r in reminders} == {str(meeting.pk)}
    # Sent again after a change: still one per participant.
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    assert Reminder.objects.filter(kind=AGENDA).count() == len(expected)


def test_the_sweep_delivers_the_agenda_in_app_and_by_email_without_personal_data(
    personas, world, ssp_forum
):
    with_email(personas.ssp, personas.social, personas.police)
    personas.manager.email = ""
    personas.manager.save(update_fields=["email"])
    meeting = ssp_forum.meeting
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    notice = local(days=4, hour=8)
    assert reminders_sweep(now=notice - timedelta(minutes=1)) == 0
    assert reminders_sweep(now=notice) == 4
    notifications = Notification.objects.filter(reminder__kind=AGENDA)
    assert {n.recipient for n in notifications} == {
        personas.ssp,
        personas.manager,
        personas.social,
        personas.police,
    }
    # E-mail to those who have an address (the manager has none: in the app only).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (personas.ssp, personas.social, personas.police)
    )
    texts = [m.subject for m in mail.outbox] + [m.body for m in mail.outbox]
    texts += [n.title for n in notifications] + [n.body for n in notifications]
    assert_no_personal_data(texts, ssp_forum.person)
    assert all(str(meeting.pk) in n.url for n in notifications)
    assert reminders_sweep(now=notice + timedelta(days=1)) == 0


def test_cancelling_the_meeting_cancels_its_agenda_reminders(personas, ssp_forum):
    meeting = ssp_forum.meeting
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    services.meeting_cancel(actor=personas.ssp, meeting=meeting, reason="Ferie")
    assert set(
        Reminder.objects.filter(kind=AGENDA).values_list("status", flat=True)
    ) == {ReminderStatus.CANCELLED}
    assert reminders_sweep(now=meeting.starts_at) == 0
    assert not Notification.objects.exists()
    assert mail.outbox == []


def deliver_the_agenda() -> None:
    """`running` sent the agenda: its notices go out first, out of the way."""
    reminders_sweep(now=local(days=4, hour=8))
    assert not Reminder.objects.filter(kind=AGENDA, status=ReminderStatus.PENDING)
    mail.outbox.clear()


def add_action(personas, world, running, *, days=7, user=None):
    return services.action_item_add(
        actor=personas.ssp,
        item=running.item,
        description="Kontakt forældrene",
        responsible_agency=world.social_ishoej,
        responsible_user=user,
        due_on=timezone.localdate() + timedelta(days=days),
    )


def test_an_action_item_is_reminded_when_due(personas, world, running):
    with_email(personas.social, personas.ssp)
    deliver_the_agenda()
    action = add_action(personas, world, running, user=personas.social)
    (reminder,) = Reminder.objects.filter(kind=ACTION)
    assert reminder.recipient == personas.social
    assert reminder.due_at == local(days=7, hour=8)
    assert reminder.source_id == str(action.pk)
    # Without a responsible person, the forum's chair is reminded.
    add_action(personas, world, running, days=10)
    assert Reminder.objects.get(
        kind=ACTION, due_at=local(days=10, hour=8)
    ).recipient == (personas.ssp)
    assert reminders_sweep(now=local(days=7, hour=8)) == 1
    notification = Notification.objects.get(reminder=reminder)
    assert notification.recipient == personas.social
    (message,) = mail.outbox
    assert message.to == [personas.social.email]
    assert_no_personal_data(
        [message.subject, message.body, notification.title, notification.body],
        running.person,
    )
    assert "Kontakt forældrene" not in message.body


def test_a_done_action_item_is_not_reminded_and_a_reopened_one_is_again(
    personas, world, running
):
    deliver_the_agenda()
    action = add_action(personas, world, running, user=personas.social)
    services.action_item_set_status(
        actor=personas.social, action=action, status=ActionStatus.DONE
    )
    assert set(
        Reminder.objects.filter(kind=ACTION).values_list("status", flat=True)
    ) == {ReminderStatus.CANCELLED}
    assert reminders_sweep(now=local(days=8)) == 0
    services.action_item_set_status(
        actor=personas.social, action=action, status=ActionStatus.OPEN
    )
    pending = Reminder.objects.filter(kind=ACTION, status=ReminderStatus.PENDING)
    assert pending.count() == 1
    assert pending.get().due_at == local(days=7, hour=8)
    # Setting it open again does not add another.
    services.action_item_set_status(
        actor=personas.social, action=action, status=ActionStatus.OPEN
    )
    assert pending.count() == 1
    services.action_item_set_status(
        actor=personas.social, action=action, status=ActionStatus.CANCELLED
    )
    assert not pending.exists()


# --- A real worker --------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_an_action_item_reminder(tmp_path):
    """The reminder an action item schedules is delivered by a real Celery worker
    process, from Redis, against the same PostgreSQL database (issue 5, point 9)."""
    require_postgresql_and_redis()
    from cases.services import person_create
    from organisations.models import (
        Agency,
        AgencyKind,
        Municipality,
        PoliceDistrict,
        Role,
    )
    from reminders.tasks import reminders_sweep as sweep_task

    # Committed data of its own: a transactional test's database may have been
    # emptied of the migrations' rows by an earlier one.
    kind, _created = ForumKind.objects.get_or_create(
        code="ssp",
        defaults={
            "name_da": "SSP (under 18 år)",
            "cooperation": "ssp",
            "legal_bases": ["RPL115_1_1_SSP", "RPL115_2", "RPL115_5_GANG", "CONSENT"],
            "age_max": 17,
        },
    )
    district = PoliceDistrict.objects.create(name="Københavns Vestegns Politi")
    ishoej = Municipality.objects.create(
        code="183", name="Ishøj", police_district=district
    )
    ssp_unit = Agency.objects.create(
        name="Ishøj SSP", kind=AgencyKind.SSP_UNIT, municipality=ishoej
    )
    social = Agency.objects.create(
        name="Ishøj Børn og Familie",
        kind=AgencyKind.CHILDREN_FAMILY,
        municipality=ishoej,
    )
    coordinator = make_user("ssp", (ssp_unit, Role.SSP_COORDINATOR))
    worker_user = make_user(
        "social", (social, Role.SOCIAL_WORKER), email="social@kommune.invalid"
    )
    forum = forums.forum_create(
        actor=coordinator,
        agency=ssp_unit,
        kind=kind,
        name="SSP Ishøj",
        municipalities=[ishoej],
        chair=coordinator,
        first_meeting_at=local(days=7),
    )
    forums.forum_member_add(actor=coordinator, forum=forum, agency=social)
    meeting = forum.meetings.order_by("starts_at").first()
    person = person_create(
        actor=coordinator,
        agency=ssp_unit,
        municipality=ishoej,
        given_name="Arbejder",
        family_name="Påmindelsesen",
        date_of_birth=born_years_ago(15),
    )
    item = agenda.agenda_item_add(
        actor=coordinator, meeting=meeting, person=person, title="Bekymring"
    )
    services.meeting_start(actor=coordinator, meeting=meeting)
    action = services.action_item_add(
        actor=coordinator,
        item=item,
        description="Kontakt forældrene",
        responsible_agency=social,
        responsible_user=worker_user,
        due_on=timezone.localdate(),
    )
    reminder = Reminder.objects.get(kind=ACTION, source_id=str(action.pk))
    assert reminder.due_at == local(days=0, hour=8)
    if reminder.due_at > timezone.now():  # before eight in the morning
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
    assert notification.recipient == worker_user
    files = sorted(outbox.glob("*"))
    assert len(files) == 1, worker.output()
    text = files[0].read_text()
    assert "social@kommune.invalid" in text
    assert_no_personal_data([text, notification.title], person)
