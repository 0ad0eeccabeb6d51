"""Periodic audit work, scheduled by beat (CELERY_BEAT_SCHEDULE in settings)."""

from __future__ import annotations

from celery import shared_task

from .services import audit_purge_expired as _purge


@shared_task(bind=True, max_retries=3, default_retry_delay=300, acks_late=True)
def audit_purge_expired(self) -> int:
    """Idempotent: a second run finds nothing older than the cutoff."""
    return _purge()
