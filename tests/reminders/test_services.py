"""Scheduling, cancelling and sweeping (docs/reminders.md): idempotent on the key,
each reminder delivered once, as one notification and one e-mail in Danish that
names no one."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from reminders.models import (
    TRANSITIONS,
    Notification,
    Reminder,
    ReminderStatus,
)
from reminders.services import (
    message_id_for,
    reminder_cancel,
    reminder_schedule,
    reminders_cancel_for,
    reminders_sweep,
)
from tests.conftest import make_user

from . import kinds

with translation.override("da"):
    GENERAL_DA = translation.gettext("You have a reminder in Tværs")

PENDING, SENT, CANCELLED = (
    ReminderStatus.PENDING,
    ReminderStatus.SENT,
    ReminderStatus.CANCELLED,
)

# --- Scheduling -----------------------------------------------------------------


def test_scheduling_a_key_twice_keeps_one_reminder_and_moves_it(schedule, bob):
    first = schedule("follow-up:1")
    later = timezone.now() + timedelta(days=3)
    second = schedule(
        "follow-up:1",
        due_in=timedelta(days=3),
        recipient=bob,
        url="/families/",
        params={"due_on": "2026-12-06"},
    )
    assert Reminder.objects.count() == 1
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.recipient == bob
    assert abs(second.due_at - later) < timedelta(seconds=5)
    assert second.url == "/families/"
    assert second.params == {"due_on": "2026-12-06"}
    assert second.status == PENDING


def test_scheduling_a_sent_key_again_never_sends_again(schedule):
    schedule("follow-up:1")
    assert reminders_sweep() == 1
    again = schedule("follow-up:1", due_in=timedelta(minutes=-5))
    assert again.status == SENT
    assert reminders_sweep() == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_scheduling_a_cancelled_key_again_leaves_it_cancelled(schedule):
    schedule("follow-up:1")
    assert reminder_cancel(key="follow-up:1") == 1
    assert schedule("follow-up:1").status == CANCELLED
    assert reminders_sweep() == 0


def test_an_unregistered_kind_is_refused(schedule):
    with pytest.raises(LookupError):
        schedule(kind="tests.unknown")
    assert not Reminder.objects.exists()


def test_a_key_reused_with_another_kind_is_refused(schedule):
    schedule("k")
    with pytest.raises(ValueError):
        schedule("k", kind=kinds.PLAIN)


@pytest.mark.parametrize(
    "url", ["https://elsewhere.example/", "//elsewhere.example/", "persons/", "/\\x"]
)
def test_a_link_outside_the_app_is_refused(schedule, url):
    with pytest.raises(ValidationError):
        schedule(url=url)


def test_a_naive_due_time_is_refused(schedule, alice):
    with pytest.raises(ValidationError):
        reminder_schedule(
            key="naive",
            kind=kinds.PLAIN,
            recipient=alice,
            due_at=timezone.now().replace(tzinfo=None),
        )


def test_scheduling_joins_the_callers_transaction(schedule):
    with pytest.raises(RuntimeError), transaction.atomic():
        schedule("rolled-back")
        raise RuntimeError
    assert not Reminder.objects.exists()


def test_dates_in_params_are_stored_as_json(schedule):
    from datetime import date

    reminder = schedule(params={"due_on": date(2026, 12, 3)})
    reminder.refresh_from_db()
    assert reminder.params == {"due_on": "2026-12-03"}


# --- Cancelling -----------------------------------------------------------------


def test_cancel_cancels_a_pending_reminder_only(schedule):
    schedule("a")
    schedule("b")
    assert reminder_cancel(key="a") == 1
    assert reminder_cancel(key="a") == 0
    assert reminder_cancel(key="nothing") == 0
    assert reminders_sweep() == 1
    assert reminder_cancel(key="b") == 0
    assert dict(Reminder.objects.values_list("key", "status")) == {
        "a": CANCELLED,
        "b": SENT,
    }


def test_cancel_for_cancels_the_pending_reminders_of_one_source(schedule, alice, bob):
    # Any saved model instance is a source: users serve here.
    schedule("alice:1", source=alice)
    schedule("alice:2", source=alice, due_in=timedelta(days=2))
    schedule("bob:1", source=bob)
    schedule("none")
    assert reminders_sweep() == 3  # alice:1, bob:1, none
    schedule("alice:3", source=alice, due_in=timedelta(days=5))
    assert reminders_cancel_for(source=alice) == 2
    assert dict(Reminder.objects.values_list("key", "status")) == {
        "alice:1": SENT,
        "alice:2": CANCELLED,
        "alice:3": CANCELLED,
        "bob:1": SENT,
        "none": SENT,
    }
    assert Reminder.objects.get(key="bob:1").source_type == "organisations.user"
    assert Reminder.objects.get(key="bob:1").source_id == str(bob.pk)


def test_an_unsaved_source_is_a_programming_error(schedule):
    from organisations.models import User

    with pytest.raises(ValueError):
        schedule(source=User(username="unsaved"))


# --- The state machine ----------------------------------------------------------


def test_the_transition_table():
    assert TRANSITIONS == {
        PENDING: {SENT, CANCELLED},
        SENT: set(),
        CANCELLED: set(),
    }


@pytest.mark.parametrize("start", [PENDING, SENT, CANCELLED])
@pytest.mark.parametrize("operation", ["cancel", "cancel_for", "sweep", "schedule"])
def test_every_operation_moves_only_along_the_table(schedule, alice, start, operation):
    reminder = schedule("k", source=alice)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=start, sent_at=timezone.now() if start == SENT else None
    )
    if operation == "cancel":
        reminder_cancel(key="k")
    elif operation == "cancel_for":
        reminders_cancel_for(source=alice)
    elif operation == "sweep":
        reminders_sweep()
    else:
        schedule("k", due_in=timedelta(days=1))
    reminder.refresh_from_db()
    moved = reminder.status != start
    assert not moved or reminder.status in TRANSITIONS[start]
    expected = {
        ("cancel", PENDING): CANCELLED,
        ("cancel_for", PENDING): CANCELLED,
        ("sweep", PENDING): SENT,
    }.get((operation, start), start)
    assert reminder.status == expected


def test_the_database_refuses_sent_without_a_time(schedule):
    reminder = schedule()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(status=SENT)


# --- The sweep ------------------------------------------------------------------


def test_the_sweep_delivers_due_reminders_only(schedule, alice):
    due = schedule("due")
    schedule("later", due_in=timedelta(hours=1))
    assert reminders_sweep() == 1
    due.refresh_from_db()
    assert due.status == SENT and due.sent_at is not None
    assert Reminder.objects.get(key="later").status == PENDING
    notification = Notification.objects.get()
    assert notification.reminder == due
    assert notification.recipient == alice
    assert notification.url == "/persons/"
    assert notification.read_at is None
    assert notification.emailed_at == due.sent_at
    assert len(mail.outbox) == 1
    # Run again: nothing more.
    assert reminders_sweep() == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    # Later, the other one.
    assert reminders_sweep(now=timezone.now() + timedelta(hours=2)) == 1
    assert Notification.objects.count() == 2


def test_the_notification_and_e_mail_are_danish_and_name_no_one(schedule, alice):
    schedule("follow-up:1")
    reminders_sweep()
    notification = Notification.objects.get()
    title = "Opfølgning på en bekymringssamtale forfalder 3. december 2026"
    assert notification.title == title
    assert notification.body == "Se samtalen i Tværs."
    (message,) = mail.outbox
    assert message.to == ["alice@politi.invalid"]
    assert title in message.subject
    assert title in message.body
    assert "http://127.0.0.1:8000/persons/" in message.body
    assert message.extra_headers["Message-ID"] == message_id_for("follow-up:1")
    assert message.message()["Message-ID"] == message_id_for("follow-up:1")
    assert "alice" not in message.body.lower()


def test_the_message_id_is_stable_and_hides_the_key():
    one = message_id_for("conversation-follow-up:1234:2026-12-03")
    assert one == message_id_for("conversation-follow-up:1234:2026-12-03")
    assert one != message_id_for("conversation-follow-up:1234:2026-12-04")
    assert "1234" not in one
    assert one.startswith("<reminder.") and one.endswith("@tvaers.invalid>")


def test_a_reminder_without_a_link_links_to_the_notifications(schedule):
    schedule(url="")
    reminders_sweep()
    assert "http://127.0.0.1:8000/notifications/" in mail.outbox[0].body


def test_a_recipient_without_e_mail_is_notified_in_the_app_only(schedule, db):
    schedule(recipient=make_user("noemail", email=""))
    assert reminders_sweep() == 1
    notification = Notification.objects.get()
    assert notification.emailed_at is None
    assert mail.outbox == []


def test_an_inactive_recipients_reminder_is_cancelled(schedule, db):
    schedule(recipient=make_user("gone", email="gone@x.invalid", is_active=False))
    assert reminders_sweep() == 0
    assert Reminder.objects.get().status == CANCELLED
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_sweep_takes_the_oldest_first_and_stops_at_its_limit(schedule):
    for minutes in (3, 1, 2):
        schedule(f"k{minutes}", due_in=timedelta(minutes=-minutes))
    assert reminders_sweep(limit=2) == 2
    assert Reminder.objects.get(status=PENDING).key == "k1"
    assert reminders_sweep(limit=2) == 1


def test_a_kind_no_longer_registered_still_delivers_a_general_notification(
    schedule,
):
    reminder = schedule()
    Reminder.objects.filter(pk=reminder.pk).update(kind="tests.withdrawn")
    assert reminders_sweep() == 1
    notification = Notification.objects.get()
    # Stored as sent, in Danish; with its kind gone, shown as stored.
    assert notification.title == GENERAL_DA
    with translation.override("en"):
        assert notification.heading == GENERAL_DA


def test_a_failing_title_does_not_stop_the_others(schedule):
    schedule("broken", params={})  # the follow-up kind needs due_on
    schedule("fine", due_in=timedelta(seconds=-1))
    assert reminders_sweep() == 2
    titles = set(Notification.objects.values_list("title", flat=True))
    assert GENERAL_DA in titles


def test_a_refused_address_leaves_the_notification_in_the_app(schedule):
    schedule()
    refused = smtplib.SMTPRecipientsRefused({"alice@politi.invalid": (550, b"no")})
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=refused,
    ):
        assert reminders_sweep() == 1
    notification = Notification.objects.get()
    assert notification.emailed_at is None
    assert Reminder.objects.get().status == SENT


def test_a_mail_server_failure_rolls_the_reminder_back_for_the_next_sweep(schedule):
    schedule()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected("gone"),
        ),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        reminders_sweep()
    assert Reminder.objects.get().status == PENDING
    assert not Notification.objects.exists()
    assert reminders_sweep() == 1
    assert len(mail.outbox) == 1


def test_a_notification_already_there_is_never_written_twice(schedule):
    """The database's guarantee, if the rows were ever put back to pending by hand."""
    reminder = schedule()
    reminders_sweep()
    Reminder.objects.filter(pk=reminder.pk).update(status=PENDING, sent_at=None)
    assert reminders_sweep() == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_task_calls_the_sweep(schedule, settings):
    from reminders.tasks import reminders_sweep as task

    schedule()
    assert task.apply().get() == 1
    assert task.acks_late and task.max_retries == 3
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-sweep"]
    assert entry["task"] == task.name == "reminders.tasks.reminders_sweep"
    assert entry["schedule"] == timedelta(seconds=settings.REMINDERS_SWEEP_SECONDS)
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
