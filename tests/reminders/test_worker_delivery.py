"""Real Celery workers, Redis and PostgreSQL: the database row is the truth and the
broker only carries work (docs/reminders.md).

* A worker killed (SIGKILL) while it delivers a reminder has delivered nothing: its
  transaction dies with it. The next worker delivers the reminder, once.
* A broker that loses its messages (FLUSHDB) loses no reminder: scheduling never
  touched it, and beat's next sweep delivers.
"""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from reminders.models import Notification, Reminder, ReminderStatus
from reminders.services import message_id_for
from reminders.tasks import reminders_sweep

from .conftest import Worker, new_queue, require_postgresql_and_redis, wait_for


class SilentMailServer:
    """Accepts connections on 127.0.0.1 and never says a word: an SMTP client waits
    for the greeting until its timeout. `connected` is set at the first client."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(5)
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self.connected = threading.Event()
        self._clients: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._clients.append(client)
            self.connected.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for client in self._clients:
            client.close()
        self._socket.close()


def _row_is_locked(reminder: Reminder) -> bool:
    """Does another transaction hold the reminder's row (FOR UPDATE NOWAIT fails)?"""
    try:
        with transaction.atomic():
            list(Reminder.objects.select_for_update(nowait=True).filter(pk=reminder.pk))
    except DatabaseError:
        return True
    return False


def _due_reminder(alice) -> Reminder:
    from reminders.services import reminder_schedule

    from . import kinds

    return reminder_schedule(
        key="worker:follow-up:1",
        kind=kinds.FOLLOW_UP,
        recipient=alice,
        due_at=timezone.now() - timedelta(minutes=1),
        url="/persons/",
        params={"due_on": "2026-12-03"},
    )


def _mail_files(folder) -> list:
    return sorted(folder.glob("*")) if folder.exists() else []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_delivers_nothing_and_the_next_delivers_once(
    alice, tmp_path
):
    require_postgresql_and_redis()
    reminder = _due_reminder(alice)

    silent = SilentMailServer()
    first_queue = new_queue()
    first = Worker(
        queue=first_queue,
        log=tmp_path / "first-worker.log",
        env={
            "EMAIL_URL": f"smtp://127.0.0.1:{silent.port}",
            "REMINDERS_EMAIL_TIMEOUT": "600",
        },
    )
    try:
        reminders_sweep.apply_async(queue=first_queue)
        # The e-mail is the last step of a delivery: when the worker calls the mail
        # server, it has claimed the row and written the notification, uncommitted.
        assert silent.connected.wait(timeout=90), first.output()
        assert _row_is_locked(reminder), first.output()
        reminder.refresh_from_db()
        assert reminder.status == ReminderStatus.PENDING
        assert not Notification.objects.exists()
    finally:
        first.kill()
        silent.close()

    # PostgreSQL rolls back the dead client's transaction when its socket closes.
    assert wait_for(lambda: not _row_is_locked(reminder), timeout=60)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING
    assert reminder.sent_at is None
    assert not Notification.objects.exists()

    outbox = tmp_path / "mail"
    second_queue = new_queue()
    second = Worker(
        queue=second_queue,
        log=tmp_path / "second-worker.log",
        env={"EMAIL_URL": f"filemail:///{outbox}"},
    )
    try:
        reminders_sweep.apply_async(queue=second_queue)
        delivered = wait_for(
            lambda: Reminder.objects.filter(
                pk=reminder.pk, status=ReminderStatus.SENT
            ).exists(),
            timeout=90,
            worker=second,
        )
        assert delivered, second.output()
    finally:
        second.stop()

    assert Notification.objects.filter(reminder=reminder).count() == 1
    files = _mail_files(outbox)
    assert len(files) == 1, second.output()
    text = files[0].read_text()
    assert text.count("Message-ID: ") == 1
    assert message_id_for(reminder.key) in text
    assert "alice@politi.invalid" in text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_flushed_broker_loses_no_reminder(alice, tmp_path):
    require_postgresql_and_redis()
    reminder = _due_reminder(alice)

    queue = new_queue()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    reminders_sweep.apply_async(queue=queue)
    assert broker.llen(queue) == 1
    broker.flushdb()  # Redis restarted without persistence, or flushed by mistake
    assert broker.llen(queue) == 0
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING

    outbox = tmp_path / "mail"
    worker = Worker(
        queue=queue,
        log=tmp_path / "worker.log",
        env={"EMAIL_URL": f"filemail:///{outbox}", "REMINDERS_SWEEP_SECONDS": "1"},
        beat_schedule=tmp_path / "celerybeat-schedule",
    )
    try:
        delivered = wait_for(
            lambda: Reminder.objects.filter(
                pk=reminder.pk, status=ReminderStatus.SENT
            ).exists(),
            timeout=90,
            worker=worker,
        )
        assert delivered, worker.output()
        # Beat goes on sweeping every second: still one delivery.
        assert wait_for(
            lambda: worker.output(tail=None).count("succeeded") >= 3, timeout=30
        )
    finally:
        worker.stop()

    output = worker.output(tail=None)
    assert "reminders.tasks.reminders_sweep" in output
    assert Notification.objects.filter(reminder=reminder).count() == 1
    assert len(_mail_files(outbox)) == 1, output
