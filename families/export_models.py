"""A manager's bulk export of a municipality's plans in force (issue 7, point 5),
imported by families.models.

The row is the truth about the job (STYLE.md §10): the page polls it, the Celery
task claims it by a conditional UPDATE and writes its progress to it, and the
finished ZIP is kept on it (a BinaryField: the web and worker containers share
the database, not a disk, and the file holds personal data, so it lives where
the rest of the case data lives, is covered by the same backups and encryption at
rest, and goes away with the row). The file is offered to its requester for
KEEP_FILE_FOR after it is made and then purged (families.bulk_export).

What the row never holds: a name or any other personal data outside the file
itself. The error text is written by families.bulk_export from fixed messages.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A ZIP of the PDFs of every plan in force of a municipality that the
    requesting manager may export (samlet eksport af familiehandleplaner)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The agency the manager acted for when starting the job: the task's audit
    # entries (one per rendered plan) name it, as the request's would have.
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The plans chosen when the job was started; the task renders those the
    # requester may still export then, and the download names their families.
    plans = models.ManyToManyField("families.Plan", related_name="+", blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    total = models.PositiveIntegerField(_("plans"), default=0)
    done = models.PositiveIntegerField(_("plans done"), default=0)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    # Set by the task at each step: a run whose heartbeat has stopped (a worker
    # killed mid-run) may be claimed again when its message is redelivered.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.BinaryField(null=True, blank=True, editable=False)
    file_size = models.PositiveIntegerField(default=0, editable=False)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bulk export of plans")
        verbose_name_plural = _("bulk exports of plans")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")),
                name="export_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
