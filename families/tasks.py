"""The managers' bulk export of plans in force (issue 7, point 5).

Thin: the work and its guarantees are in families.bulk_export. The message
carries the job's id only; the job row is the truth. A repeated delivery does
nothing (the job is claimed by a conditional UPDATE), and a delivery after a
worker died mid-run starts the job again once its heartbeat is stale. Not
retried on error: the job is marked failed with a fixed text and the manager
starts a new one from the page. Routed to the default queue, like every task.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import bulk_export

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    # A municipality's plans in force at under 2 s each (issue 7, point 5).
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def bulk_export_run(job_id: str) -> bool:
    try:
        return bulk_export.bulk_export_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        bulk_export.bulk_export_fail(job_id=job_id, too_long=True)
        logger.warning("bulk export %s stopped at its time limit", job_id)
        return False
    except Exception:
        # The job says "failed" rather than "running" forever; the traceback
        # goes to the log (which keeps no local variables, see config.settings).
        bulk_export.bulk_export_fail(job_id=job_id)
        logger.exception("bulk export %s failed", job_id)
        return False


@shared_task(acks_late=True)
def bulk_exports_purge() -> int:
    """Clear the files older than bulk_export.KEEP_FILE_FOR (idempotent)."""
    return bulk_export.bulk_exports_purge()
