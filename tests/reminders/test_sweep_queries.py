"""The sweep's queries grow with the reminders it delivers, never with the rest of
the tables: other users, reminders not yet due, sent or cancelled ones."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organisations.models import User
from reminders.models import Notification, Reminder, ReminderStatus
from reminders.services import reminders_sweep

from . import kinds


def _other_rows(n: int) -> None:
    """n other users, each with a reminder not yet due, a sent one with its
    notification, and a cancelled one."""
    now = timezone.now()
    users = User.objects.bulk_create(
        User(username=f"other-{uuid.uuid4().hex[:12]}", email="x@x.invalid")
        for _ in range(n)
    )

    def reminder(user, tag, **fields):
        return Reminder(
            **{
                "key": f"{tag}:{user.pk}",
                "kind": kinds.PLAIN,
                "recipient": user,
                "due_at": now - timedelta(days=1),
                **fields,
            }
        )

    Reminder.objects.bulk_create(
        [reminder(u, "later", due_at=now + timedelta(days=3)) for u in users]
        + [reminder(u, "cancelled", status=ReminderStatus.CANCELLED) for u in users]
    )
    sent = Reminder.objects.bulk_create(
        reminder(u, "sent", status=ReminderStatus.SENT, sent_at=now) for u in users
    )
    Notification.objects.bulk_create(
        Notification(recipient=r.recipient, reminder=r, title="t") for r in sent
    )


def _sweep_queries(schedule, due: int) -> int:
    tag = uuid.uuid4().hex[:8]
    for i in range(due):
        schedule(f"{tag}:{i}")
    with CaptureQueriesContext(connection) as queries:
        assert reminders_sweep() == due
    return len(queries)


def test_the_sweep_of_3_due_reminders_costs_the_same_with_10_or_500_others(
    schedule,
):
    _other_rows(10)
    with_10 = _sweep_queries(schedule, 3)
    _other_rows(490)
    with_500 = _sweep_queries(schedule, 3)
    assert with_10 == with_500 == _expected(3)


def _expected(due: int) -> int:
    """One query to find nothing more, and a constant per delivered reminder; the
    test's transaction adds a savepoint pair to each (SAVEPOINT, RELEASE)."""
    find_none = 1 + 2
    per_reminder = 3 + 2 + 2  # find, claim, insert; savepoints: delivery, insert
    return find_none + due * per_reminder


def test_the_sweeps_queries_grow_linearly_with_due_reminders_only(schedule):
    _other_rows(50)
    counts = [_sweep_queries(schedule, due) for due in (0, 1, 2, 3, 6)]
    per_reminder = counts[1] - counts[0]
    assert counts == [counts[0] + due * per_reminder for due in (0, 1, 2, 3, 6)]
    assert counts == [_expected(due) for due in (0, 1, 2, 3, 6)]
