"""The sweep, run by beat every REMINDERS_SWEEP_SECONDS (CELERY_BEAT_SCHEDULE).

Thin: the work and its guarantees are in services.reminders_sweep. The message
carries nothing: a lost, repeated or concurrent sweep is harmless, because each
reminder is claimed in the database (docs/reminders.md)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError, OSError),  # OSError covers SMTP and timeouts
    max_retries=3,
    retry_backoff=10,
    retry_jitter=True,
    # A sweep holds one reminder's row at a time; a soft limit rolls back that one.
    soft_time_limit=240,
    time_limit=300,
)
def reminders_sweep(self) -> int:
    return services.reminders_sweep(limit=settings.REMINDERS_SWEEP_LIMIT)
