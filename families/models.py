"""Families and households, and the typed relations between persons.

A family (household) groups persons; a person can belong to several (divorced
parents). Relations are between two persons and outlive any household: "the sibling
relation is lifelong" (DOMAIN.md). Siblings are derived from shared parents as well as
recorded directly (families.selectors).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet


class Family(models.Model):
    """A household as one agency recorded it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(
        _("name"),
        max_length=150,
        help_text=_("How you refer to the household, e.g. “The Hansen family”."),
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="families",
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
    members = models.ManyToManyField(
        "cases.Person", through="FamilyMember", related_name="families"
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        permissions = [("export_family", "Can export family")]

    def __str__(self) -> str:
        return self.name


class FamilyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Family, on_delete=models.CASCADE)


class FamilyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Family, on_delete=models.CASCADE)


class MemberRole(models.TextChoices):
    """A member's place in the household."""

    CHILD = "child", _("Child")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEP_PARENT = "step_parent", _("Step-parent")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other")

    @classmethod
    def carers(cls) -> set[str]:
        return {cls.MOTHER, cls.FATHER, cls.STEP_PARENT, cls.GUARDIAN}


class FamilyMember(models.Model):
    AUDIT_SUBJECT_FIELD = "person_id"

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="family_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["family", "added_at"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "person"], name="family_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class RelationKind(models.TextChoices):
    """`relative` is the `person`'s …"""

    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEP_PARENT = "step_parent", _("Step-parent")
    GUARDIAN = "guardian", _("Guardian")
    SIBLING = "sibling", _("Sibling")
    HALF_SIBLING = "half_sibling", _("Half-sibling")
    OTHER = "other", _("Other")

    @classmethod
    def parents(cls) -> set[str]:
        """Relations through which two children are siblings (a shared mother or
        father). A step-parent or guardian in common does not make siblings."""
        return {cls.MOTHER, cls.FATHER}

    @classmethod
    def carers(cls) -> set[str]:
        return {cls.MOTHER, cls.FATHER, cls.STEP_PARENT, cls.GUARDIAN}

    @classmethod
    def siblings(cls) -> set[str]:
        return {cls.SIBLING, cls.HALF_SIBLING}


class Relation(models.Model):
    """`relative` is `person`'s `kind`, as `agency` recorded it (R-DP-7: a relation
    is a record of its own, about two data subjects). Sibling relations are
    symmetric and stored once."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="relations"
    )
    relative = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="relations_as_relative"
    )
    kind = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=40, choices=LegalBasis.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        indexes = [
            models.Index(fields=["person", "kind"]),
            models.Index(fields=["relative", "kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="relation_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative")),
                name="relation_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relative} → {self.get_kind_display()} → {self.person}"


# The family assessment and action plan (issue 7) live in their own module.
# The managers' bulk export of plans in force (issue 7, point 5).
from .export_models import ExportJob, ExportStatus  # noqa: E402, F401
from .plan_models import (  # noqa: E402, F401
    Action,
    ActionGroupObjectPermission,
    ActionStatus,
    ActionUserObjectPermission,
    Assessment,
    AssessmentDomain,
    AssessmentFactor,
    AssessmentFactorKind,
    Goal,
    Level,
    Plan,
    PlanGroupObjectPermission,
    PlanStatus,
    PlanUserObjectPermission,
    Progress,
    Rating,
    SectorLaw,
)
