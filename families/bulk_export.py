"""The managers' bulk export: every plan in force of a municipality, as a ZIP of
PDFs, made by a Celery task with its progress on the page (issue 7, point 5).

* Who: a manager of the municipality (access.permissions.can_approve_plans, the
  same people who approve its plans). Anyone else is refused (403 on the page).
* What: one PDF per plan in force of the municipality that the manager may export
  (the grants of access.permissions, action EXPORT: the plans the manager
  approved), each rendered by families.plan_pdf.plan_render_pdf with the manager
  as reader, so each PDF holds only what the manager may see and each rendering
  is audited as an export of that plan, as a single download would be.
* Where the file is kept: on the job row (ExportJob.file, see
  families.export_models for why), for KEEP_FILE_FOR after it is made; then
  bulk_exports_purge clears it. No personal data in the file names: the ZIP is
  named by the municipality's code and the day, each PDF by its position and the
  plan's version (the family's name is on each PDF's cover, not on the file).
* Who downloads: the requester only, while still a manager of the municipality;
  404 for anyone else (no enumeration). The download is audited as one export
  naming every member of the families in the file.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_noop

from access.permissions import EXPORT, can_approve_plans, visible
from audit import context as audit_context
from audit.models import Action as AuditAction
from audit.services import audit_record
from organisations.models import Membership, Municipality, Role

from .export_models import ExportJob, ExportStatus
from .models import FamilyMember
from .plan_models import Plan, PlanStatus
from .plan_pdf import plan_render_pdf

KEEP_FILE_FOR = timedelta(hours=24)
# A run whose heartbeat is older than this is taken for dead (a worker killed
# mid-run): its redelivered message may claim the job again. Longer than the
# rendering of one plan can take (the task's soft time limit stops a stuck one).
STALE_AFTER = timedelta(minutes=10)

# Fixed texts (translated when shown): never an exception's message, which may
# quote data.
ERROR_NOT_MANAGER = gettext_noop(
    "The requester is no longer a manager of the municipality."
)
ERROR_TOO_LONG = gettext_noop("The export took too long and was stopped.")
ERROR_FAILED = gettext_noop("The export failed. Please start it again.")


# --- Reads ----------------------------------------------------------------------------


def export_municipalities(*, user) -> models.QuerySet[Municipality]:
    """The municipalities whose plans `user` may export in bulk: those of the
    agencies where the user is a manager (as can_approve_plans decides)."""
    if not (user and user.is_authenticated and user.is_active):
        return Municipality.objects.none()
    managing = Membership.objects.filter(
        user=user, role=Role.MANAGER, agency__municipality__isnull=False
    )
    return Municipality.objects.filter(
        pk__in=managing.values("agency__municipality")
    ).order_by("name")


def exportable_plans(*, user, municipality: Municipality) -> models.QuerySet[Plan]:
    """The plans in force of `municipality` that `user` may export, joined as
    plan_selectors.plan_for joins them (so a rendering stays at about ten
    queries). Not audited here: each rendering is."""
    return visible(
        user,
        Plan.objects.filter(
            family__municipality=municipality, status=PlanStatus.IN_FORCE
        ).select_related(
            "family", "family__municipality", "agency", "approved_by", "created_by"
        ),
        action=EXPORT,
        audit=None,
    ).order_by("family__name", "family_id", "-version")


def exports_of(*, user) -> models.QuerySet[ExportJob]:
    """The user's own export jobs, newest first, without their files."""
    if not (user and user.is_authenticated and user.is_active):
        return ExportJob.objects.none()
    return (
        ExportJob.objects.filter(requested_by=user)
        .select_related("municipality")
        .defer("file")
    )


def export_for(*, user, pk) -> ExportJob:
    """The user's own job (without its file), or 404 for anyone else's, whether
    or not it exists."""
    try:
        return exports_of(user=user).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- Writes ---------------------------------------------------------------------------


def _enqueue(job_id: str) -> None:
    from .tasks import bulk_export_run

    bulk_export_run.delay(job_id)


@transaction.atomic
def bulk_export_start(*, actor, agency, municipality: Municipality) -> ExportJob:
    """Start an export of `municipality`'s plans in force for `actor`, acting for
    `agency`; the task is sent when the transaction commits.

    PermissionDenied unless `actor` is a manager of the municipality. The plans
    are chosen now (so the page can show "0 of N" at once); the task renders
    those the manager may still export when it runs. Nothing personal is read
    here, so nothing is audited: the renderings and the download are."""
    if not can_approve_plans(actor, municipality):
        raise PermissionDenied
    plan_ids = list(
        exportable_plans(user=actor, municipality=municipality).values_list(
            "pk", flat=True
        )
    )
    job = ExportJob.objects.create(
        municipality=municipality,
        requested_by=actor,
        agency=agency,
        total=len(plan_ids),
    )
    job.plans.set(plan_ids)
    job_id = str(job.pk)
    transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _claim(job_id) -> bool:
    """Take the job for this run: a queued job, or a running one whose heartbeat
    has stopped (its worker died; acks_late redelivers the message). One
    conditional UPDATE, so two deliveries never both run it."""
    now = timezone.now()
    claimable = models.Q(status=ExportStatus.QUEUED) | models.Q(
        status=ExportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    return bool(
        ExportJob.objects.filter(claimable, pk=job_id).update(
            status=ExportStatus.RUNNING, done=0, heartbeat_at=now, error=""
        )
    )


def _fail(job_id, error: str) -> None:
    # Never over a finished job (a late duplicate delivery that failed early).
    unfinished = [ExportStatus.QUEUED, ExportStatus.RUNNING]
    ExportJob.objects.filter(pk=job_id, status__in=unfinished).update(
        status=ExportStatus.FAILED,
        error=error,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def is_available(job: ExportJob, *, now=None) -> bool:
    """Is the job's file ready and still offered (made less than KEEP_FILE_FOR
    ago, and not purged)?"""
    now = now or timezone.now()
    return (
        job.status == ExportStatus.DONE
        and job.file_size > 0
        and job.finished_at is not None
        and job.finished_at >= now - KEEP_FILE_FOR
    )


def pdf_name(position: int, plan: Plan) -> str:
    """A PDF's name in the ZIP: its position and the plan's version, no name."""
    return f"{position:03d}-familiehandleplan-v{plan.version}.pdf"


def zip_name(job: ExportJob) -> str:
    made = timezone.localtime(job.finished_at or job.created_at).date()
    return f"familiehandleplaner-{job.municipality.code}-{made.isoformat()}.zip"


def bulk_export_run(*, job_id) -> bool:
    """Run the job: render each plan, writing the progress after each in its own
    transaction, then store the ZIP and mark the job done. Idempotent: a job that
    is not claimable (done, failed, or running elsewhere) is left alone (False).

    Each plan is rendered with the requester as reader (plan_render_pdf audits
    each as an export, in the job's acting agency). A plan the requester may no
    longer export, or that is no longer in force, is left out. Runs outside any
    transaction: progress must be visible to the page while it works."""
    if not _claim(job_id):
        return False
    job = ExportJob.objects.select_related("requested_by", "municipality").get(
        pk=job_id
    )
    reader = job.requested_by
    if not can_approve_plans(reader, job.municipality):
        _fail(job_id, ERROR_NOT_MANAGER)
        return True
    plans = list(
        exportable_plans(user=reader, municipality=job.municipality).filter(
            pk__in=job.plans.values("pk")
        )
    )
    ExportJob.objects.filter(pk=job_id).update(total=len(plans), done=0)
    # The task works on the requester's behalf: its audit entries name the
    # agency the requester acted for when starting it.
    token = audit_context.bind(
        audit_context.AuditContext(agencies={reader.pk: job.agency_id})
    )
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for position, plan in enumerate(plans, start=1):
                zf.writestr(
                    pdf_name(position, plan), plan_render_pdf(reader=reader, plan=plan)
                )
                ExportJob.objects.filter(pk=job_id).update(
                    done=position, heartbeat_at=timezone.now()
                )
    finally:
        audit_context.reset(token)
    content = buffer.getvalue()
    now = timezone.now()
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.DONE,
        file=content,
        file_size=len(content),
        finished_at=now,
        heartbeat_at=now,
    )
    return True


def bulk_export_fail(*, job_id, too_long: bool = False) -> None:
    """Mark a job failed with a fixed text (the task's error path)."""
    _fail(job_id, ERROR_TOO_LONG if too_long else ERROR_FAILED)


@transaction.atomic
def bulk_export_download(*, user, job: ExportJob) -> bytes:
    """The finished ZIP for its requester, audited as one export naming every
    member of the families whose plans are in it.

    Http404 unless `user` requested the job, is still a manager of its
    municipality, and the file is ready and not yet purged."""
    if (
        job.requested_by_id != user.pk
        or not is_available(job)
        or not can_approve_plans(user, job.municipality)
    ):
        raise Http404
    content = (
        ExportJob.objects.filter(pk=job.pk, file__isnull=False)
        .values_list("file", flat=True)
        .first()
    )
    if content is None:
        raise Http404
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        obj=job,
        subjects=FamilyMember.objects.filter(
            family__plans__in=job.plans.all()
        ).values_list("person_id", flat=True),
        criterion=f"bulk export of plans, {job.municipality.code}",
    )
    return bytes(content)


def bulk_exports_purge(*, now=None) -> int:
    """Clear the files made more than KEEP_FILE_FOR ago (the rows stay, as the
    record of who exported what and when). Idempotent."""
    now = now or timezone.now()
    return ExportJob.objects.filter(
        file__isnull=False, finished_at__lt=now - KEEP_FILE_FOR
    ).update(file=None, file_size=0)
