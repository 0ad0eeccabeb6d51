"""§115 / SSP meetings. Step 2 holds the one record the sibling alert needs:
information police shared under Retsplejeloven §115 stk. 5. The meetings step adds
the forums, agendas and minutes in which it is shared."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet


class GangInformationKind(models.TextChoices):
    # The two facts §115 stk. 5 lets police share (LAW.md R-115-6).
    ASSOCIATED = "associated", _("Associated with a gang environment")
    CONVICTED_81A = "convicted_81a", _("Convicted under the Criminal Code §81 a")


class GangInformation(models.Model):
    """What police shared about one person under §115 stk. 5 (R-115-6): created only
    by police, seen only by the police agency that shared it and the named
    recipients, never exported or passed on. `ended_on` closes it (e.g. the
    person has left the environment)."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="gang_information"
    )
    kind = models.CharField(
        _("information"), max_length=16, choices=GangInformationKind.choices
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    shared_on = models.DateField(_("shared on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=40,
        choices=LegalBasis.choices,
        default=LegalBasis.RPL115_5_GANG,
        editable=False,
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("recipients")
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_on"]
        verbose_name = _("§115 stk. 5 information")
        verbose_name_plural = _("§115 stk. 5 information")
        indexes = [models.Index(fields=["person", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.shared_on:%Y-%m-%d})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class GangInformationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(GangInformation, on_delete=models.CASCADE)


class GangInformationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(GangInformation, on_delete=models.CASCADE)
