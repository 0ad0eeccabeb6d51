"""The young people at the centre of every case.

A person record (the young person, or an adult around one: parent, guardian, adult
sibling), its concern level with history and its risk and protective factors.
Families and relations between persons live in families/; the timeline in timeline/.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet
from core.text import search_key


class ConcernLevel(models.TextChoices):
    """The three circles (DOMAIN.md, Ringsted): most young people thrive (green); a
    smaller group is at risk (yellow); the few commit repeated crime (red)."""

    GREEN = "green", _("Green: thriving")
    YELLOW = "yellow", _("Yellow: at risk")
    RED = "red", _("Red: repeated or escalating crime")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


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
    # Navne- og adressebeskyttelse (CPR-loven §6 stk. 6): the address is then not
    # recorded at all, so it cannot be shown, printed or exported by mistake.
    address_protected = models.BooleanField(
        _("name and address protection"),
        default=False,
        help_text=_(
            "The person has name and address protection in the CPR register. "
            "The address is then not recorded in Tværs."
        ),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    school = models.CharField(_("school or education"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PersonStatus.choices,
        default=PersonStatus.ACTIVE,
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    # Names folded for search (core.text.search_key): case, accents, "aa"/"å".
    search_name = models.CharField(max_length=201, editable=False, default="")
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
            # The ordering's own index: an unfiltered list walks it from either end
            # (access.lists.VisibleList).
            models.Index(
                fields=["family_name", "given_name", "id"], name="cases_person_in_order"
            ),
            # The list's filters: a concern level, alone or in one municipality.
            models.Index(
                fields=["concern_level", "municipality"], name="cases_person_by_level"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cpr_hash"],
                condition=~models.Q(cpr_hash=""),
                name="person_cpr_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(address_protected=False) | models.Q(address=""),
                name="person_protected_address_not_recorded",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", closed_on__isnull=True)
                | models.Q(status="closed", closed_on__isnull=False),
                name="person_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_name = search_key(f"{self.given_name} {self.family_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"given_name", "family_name"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        return self.age_on(timezone.localdate())

    def age_on(self, day) -> int | None:
        """Age in whole years on `day` (None without a date of birth)."""
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def is_active(self) -> bool:
        return self.status == PersonStatus.ACTIVE

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


class FactorKind(models.TextChoices):
    RISK = "risk", _("Risk factor")
    PROTECTIVE = "protective", _("Protective factor")


class Factor(models.Model):
    """A risk or protective factor in the catalogue (DOMAIN.md, seed 004). The
    catalogue is data: administrators add, reword and retire factors in the admin;
    a retired factor stays on the records that used it."""

    kind = models.CharField(_("kind"), max_length=10, choices=FactorKind.choices)
    name_da = models.CharField(_("name (Danish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["kind", "position", "name_da"]
        verbose_name = _("factor")
        verbose_name_plural = _("risk and protective factors")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name_da"], name="factor_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "da")[:2]
        return self.name_en if language == "en" and self.name_en else self.name_da


class PersonFactor(models.Model):
    """A factor observed in a person: from when, by which agency, why; and, since
    factors change over time, when it ended."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="factors")
    factor = models.ForeignKey(
        Factor, on_delete=models.PROTECT, related_name="+", verbose_name=_("factor")
    )
    observed_on = models.DateField(_("observed on"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
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
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = models.TextField(_("why it ended"), max_length=2000, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-recorded_at"]
        verbose_name = _("observed factor")
        verbose_name_plural = _("observed factors")
        indexes = [models.Index(fields=["person", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("observed_on")),
                name="factor_ends_after_it_began",
            )
        ]

    def __str__(self) -> str:
        return f"{self.factor} ({self.observed_on:%Y-%m-%d})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
