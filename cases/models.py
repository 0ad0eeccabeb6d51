"""The young people at the centre of every case.

Step 1 holds the smallest person record the permission and audit core needs to be
proven on: identity by name, the municipality, and who recorded it on which legal
basis. The registry issue (step 2) adds CPR, families, concern levels and factors.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet


class ConcernLevel(models.TextChoices):
    """The three circles (DOMAIN.md, Ringsted): most young people thrive (green); a
    smaller group is at risk (yellow); the few commit repeated crime (red)."""

    GREEN = "green", _("Green: thriving")
    YELLOW = "yellow", _("Yellow: at risk")
    RED = "red", _("Red: repeated or escalating crime")


class Person(models.Model):
    """A young person (ung) or an adult around one, as one agency recorded them."""

    AUDIT_SUBJECT_FIELD = "pk"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # CPR (R-DP-3): encrypted at rest, found by exact match through a keyed hash,
    # shown masked; the date of birth is derived from it.
    cpr_encrypted = models.TextField(blank=True, editable=False)
    cpr_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The latest ConcernLevelChange, kept here for lists and filters.
    concern_level = models.CharField(
        _("concern level"), max_length=8, choices=ConcernLevel.choices, blank=True
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("municipality"),
    )
    recorded_by = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=40, choices=LegalBasis.choices
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = [("export_person", "Can export person")]
        indexes = [
            models.Index(fields=["municipality", "family_name", "given_name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cpr_hash"],
                condition=~models.Q(cpr_hash=""),
                name="person_cpr_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_cpr(self) -> bool:
        return bool(self.cpr_hash)

    @property
    def cpr_masked(self) -> str:
        """ddmmyy-xxxx: the date part is the (derived) date of birth."""
        if not self.has_cpr or self.date_of_birth is None:
            return ""
        return f"{self.date_of_birth:%d%m%y}-xxxx"


class PersonUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK grant of a person to one user (guardian's documented pattern)."""

    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    """Direct-FK grant of a person to an agency's group."""

    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class ConcernLevelChange(models.Model):
    """One setting of a person's concern level: who, from which agency, when, why."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="concern_level_changes"
    )
    level = models.CharField(
        _("concern level"), max_length=8, choices=ConcernLevel.choices
    )
    reason = models.TextField(_("reason"), max_length=2000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=40, choices=LegalBasis.choices
    )
    set_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("concern level change")
        verbose_name_plural = _("concern level changes")
        indexes = [models.Index(fields=["person", "-set_at"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.set_at:%Y-%m-%d})"
