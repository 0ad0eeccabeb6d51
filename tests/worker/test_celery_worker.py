"""A real Celery worker process, consuming from Redis, runs a real task against the
same PostgreSQL database the test wrote to (foundation issue, point 3)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from audit.models import Action, AuditEntry
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def _redis_answers(url: str) -> bool:
    if not url.startswith("redis://"):
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    s = connection.settings_dict
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{port}/{s['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_audit_purge_against_postgresql():
    require_service(
        _redis_answers(settings.CELERY_BROKER_URL),
        "needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/15",
    )
    require_service(
        connection.vendor == "postgresql",
        "needs PostgreSQL: set DATABASE_URL (the worker is another process)",
    )
    from audit.tasks import audit_purge_expired

    old = AuditEntry.objects.create(
        action=Action.VIEW,
        at=timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS + 1),
    )
    fresh = AuditEntry.objects.create(action=Action.VIEW)

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    worker = subprocess.Popen(
        [
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
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        audit_purge_expired.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while (
            time.monotonic() < deadline
            and AuditEntry.objects.filter(pk=old.pk).exists()
        ):
            assert worker.poll() is None, "the worker died"
            time.sleep(0.5)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert not AuditEntry.objects.filter(pk=old.pk).exists(), output[-3000:]
    assert AuditEntry.objects.filter(pk=fresh.pk).exists()
    assert "audit.tasks.audit_purge_expired" in output
