"""One timeline for everything recorded about a person, across the apps."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet

from .registry import kind_of


class TimelineEntry(models.Model):
    """Something recorded about a person: by which agency, on which legal basis.

    An entry is seen by whoever may see its person, unless it is `restricted`: then
    only by holders of a grant on the entry itself (information shared under
    Retsplejeloven §115 stk. 5 is seen only by its named recipients, R-115-6).
    """

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="timeline_entries"
    )
    kind = models.CharField(_("kind"), max_length=60)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    params = models.JSONField(default=dict, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=40, choices=LegalBasis.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    restricted = models.BooleanField(default=False)
    # The record the entry is about (a concern-level change, a factor, later a
    # conversation or a meeting item), for the link on the page.
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["person", "-occurred_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.occurred_at:%Y-%m-%d})"

    @property
    def label(self):
        return kind_of(self.kind).label

    @property
    def description(self) -> str:
        describe = kind_of(self.kind).describe
        return describe(self.params) if describe else ""


class TimelineEntryUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(TimelineEntry, on_delete=models.CASCADE)


class TimelineEntryGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(TimelineEntry, on_delete=models.CASCADE)
