"""The daily task that keeps every active forum's meetings generated ahead from its
cadence (meetings.forums.meetings_generate: idempotent, so a repeated or
concurrent run creates nothing twice; the unique (forum, starts_at) constraint is
the last word)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from . import forums


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=30,
)
def meetings_generate() -> int:
    return forums.meetings_generate_all()
