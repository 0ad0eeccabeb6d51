"""Two sweeps at once, each on its own database connection, deliver each reminder
exactly once: they lock rows with SKIP LOCKED and share the work (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from reminders.models import Notification, Reminder, ReminderStatus
from reminders.registry import register_reminder_kind
from reminders.services import reminder_schedule, reminders_sweep

from .conftest import require_postgresql

SLOW = "tests.slow"


def _slow_title(params: dict) -> str:
    # Long enough for the two sweeps to overlap on every reminder.
    time.sleep(0.02)
    return "A slow reminder"


register_reminder_kind(SLOW, title=_slow_title)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_deliver_30_reminders_exactly_once(alice):
    require_postgresql()
    due = timezone.now() - timedelta(minutes=1)
    for i in range(30):
        reminder_schedule(key=f"slow:{i}", kind=SLOW, recipient=alice, due_at=due)

    start = threading.Barrier(2)
    sent: list[int] = []
    failures: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait(timeout=30)
            sent.append(reminders_sweep())
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures
    assert sum(sent) == 30
    assert all(n > 0 for n in sent), f"the sweeps did not overlap: {sent}"
    assert Notification.objects.count() == 30
    assert len(mail.outbox) == 30
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 30
    assert not Reminder.objects.exclude(status=ReminderStatus.SENT).exists()
