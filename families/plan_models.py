"""The holistic family assessment and the joint family action plan (issue 7;
DOMAIN.md workflow 4; LAW.md C4), imported by families.models.

* An assessment rates risk and need factors by life domain, for the family and each
  member; each agency's ratings are its own (kept apart, shown side by side). A new
  assessment never overwrites the last: the change between them is shown.
* A plan starts from the family's own wishes; its goals (for the family or one
  member) hold actions in the municipalities' shape: what we will do · how we will
  measure it · actors and the one responsible person · deadline · status, with the
  sector law each falls under. Versions: draft → approved (by a manager) → in force
  → revised (a new version; the old kept) → closed (`families.plan_states`).

Who sees what is granted by families.plans and read in families.plan_selectors.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from audit.queryset import AuditedQuerySet
from core.text import in_language as _in_language


class AssessmentDomain(models.Model):
    """A life domain of the assessment (catalogue, seeded; administrators edit)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("assessment domain")
        verbose_name_plural = _("assessment domains")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_da, self.name_en)


class AssessmentFactorKind(models.TextChoices):
    RISK = "risk", _("Risk factor")
    NEED = "need", _("Need")


class AssessmentFactor(models.Model):
    domain = models.ForeignKey(
        AssessmentDomain,
        on_delete=models.PROTECT,
        related_name="factors",
        verbose_name=_("domain"),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=AssessmentFactorKind.choices
    )
    name_da = models.CharField(_("name (Danish)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["domain__position", "position", "name_da"]
        verbose_name = _("assessment factor")
        verbose_name_plural = _("assessment factors")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_da, self.name_en)


class Level(models.IntegerChoices):
    NONE = 0, _("Not present")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class Assessment(models.Model):
    """One holistic assessment of a family at a date, numbered per family."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="assessments"
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    assessed_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coordinating agency"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "-number"]
        verbose_name = _("family assessment")
        verbose_name_plural = _("family assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "number"], name="assessment_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.number} ({self.assessed_on:%Y-%m-%d})"


class Rating(models.Model):
    """One agency's rating of one factor for the family (no person) or a member,
    with its date and a short justification. Agencies' ratings are kept apart."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="ratings"
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    factor = models.ForeignKey(
        AssessmentFactor,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("factor"),
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    justification = models.TextField(_("justification"), max_length=1000)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contributing agency"),
    )
    rated_on = models.DateField(_("date"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["factor__domain__position", "factor__position", "agency__name"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person", "factor", "agency"],
                name="rating_once_per_agency",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.factor}: {self.get_level_display()}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    IN_FORCE = "in_force", _("In force")
    REVISED = "revised", _("Revised")
    CLOSED = "closed", _("Closed")


class Plan(models.Model):
    """One version of the family's joint action plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="plans"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    wishes = models.TextField(_("the family's own wishes"), max_length=4000)
    review_on = models.DateField(_("review date"))
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coordinating agency"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "-version"]
        verbose_name = _("family action plan")
        verbose_name_plural = _("family action plans")
        permissions = [("export_plan", "Can export plan")]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "version"], name="plan_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE)


class PlanGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Plan, on_delete=models.CASCADE)


class Goal(models.Model):
    """A goal for the family (no person) or one member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    title = models.CharField(_("goal"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class SectorLaw(models.TextChoices):
    CHILDREN = "children", _("The Children's Act (Barnets lov)")
    SERVICE = "service", _("The Social Services Act (Serviceloven)")
    EMPLOYMENT = "employment", _("The employment acts")
    SCHOOL = "school", _("The school acts")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    STARTED = "started", _("Started")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class Action(models.Model):
    """What an agency will do for a goal, in the municipalities' shape. Seen by its
    agency, the coordinating agency and the approving manager; changed only by its
    own agency (and the coordinator while the plan is a draft)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="+", editable=False
    )
    what = models.TextField(_("what we will do"), max_length=2000)
    measure = models.TextField(_("how we will measure it"), max_length=1000)
    actors = models.CharField(_("actors"), max_length=300, blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActionStatus.choices,
        default=ActionStatus.NOT_STARTED,
    )
    sector_law = models.CharField(
        _("sector law"), max_length=12, choices=SectorLaw.choices
    )
    linked_plans = models.CharField(
        _("sector plans it coordinates with"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["deadline", "what"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.what[:60]


class ActionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Action, on_delete=models.CASCADE)


class ActionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Action, on_delete=models.CASCADE)


# Progress updates, latest first: of two updates of one day, the one recorded later.
PROGRESS_NEWEST_FIRST = ("-recorded_on", "-created_at", "-pk")


class Progress(models.Model):
    """A dated update of a goal's progress (0–100 %) with a note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), max_length=2000)
    recorded_on = models.DateField(_("date"))
    agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = list(PROGRESS_NEWEST_FIRST)
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.percent} % ({self.recorded_on:%Y-%m-%d})"
