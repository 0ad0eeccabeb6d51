"""Fixtures for the reminders tests, and the helpers that start a real Celery
worker against the test database and Redis (as tests/worker does)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from reminders.services import reminder_schedule
from tests.conftest import make_user, require_service

from . import kinds

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def alice(db):
    return make_user("alice", email="alice@politi.invalid")


@pytest.fixture
def bob(db):
    return make_user("bob", email="bob@kommune.invalid")


@pytest.fixture
def schedule(alice):
    """schedule(key, due_in=timedelta(...), **overrides): a reminder of the
    follow-up kind for alice, due `due_in` from now (default: a minute ago)."""

    def schedule(key: str = "k", *, due_in=timedelta(minutes=-1), **overrides):
        fields = {
            "key": key,
            "kind": kinds.FOLLOW_UP,
            "recipient": alice,
            "due_at": timezone.now() + due_in,
            "url": "/persons/",
            "params": {"due_on": "2026-12-03"},
            **overrides,
        }
        return reminder_schedule(**fields)

    return schedule


# --- Real services ----------------------------------------------------------------


def redis_answers(url: str) -> bool:
    if not url.startswith("redis://"):
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def require_postgresql() -> None:
    require_service(
        connection.vendor == "postgresql",
        "needs PostgreSQL: set DATABASE_URL=postgres://…",
    )


def require_postgresql_and_redis() -> None:
    require_service(
        redis_answers(settings.CELERY_BROKER_URL),
        "needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/15",
    )
    require_postgresql()


def database_url() -> str:
    s = connection.settings_dict
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{port}/{s['NAME']}"


def new_queue() -> str:
    return f"test-reminders-{uuid.uuid4().hex[:8]}"


class Worker:
    """A `celery worker` process (solo pool) on its own queue, in its own process
    group, with its output in a file."""

    def __init__(
        self, *, queue: str, log: Path, env: dict, beat_schedule: Path | None = None
    ):
        self.queue, self.log = queue, log
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        if beat_schedule is not None:
            args += ["--beat", f"--schedule={beat_schedule}"]
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reminders.worker_settings",
            "WORKER_BASE_SETTINGS": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "config.settings.test"
            ),
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "TEST_CELERY_QUEUE": queue,
            **env,
        }
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=environment,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self, tail: int | None = 4000) -> str:
        text = self.log.read_text()
        return text[-tail:] if tail else text

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, no acknowledgement."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log_file.close()

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self._log_file.close()


def wait_for(
    condition: Callable[[], bool], *, timeout: float, worker: Worker | None = None
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if worker is not None:
            assert worker.alive(), f"the worker died:\n{worker.output()}"
        time.sleep(0.2)
    return condition()
