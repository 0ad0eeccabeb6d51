"""The daily task that opens this week's police report for every active exit case
(exitprogram.services.weekly_report_open: idempotent, one row per case and week)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(
    acks_late=True, autoretry_for=(DatabaseError,), max_retries=3, retry_backoff=30
)
def weekly_reports_open() -> int:
    return services.weekly_reports_open_all()
