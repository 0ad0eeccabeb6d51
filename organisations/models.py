"""Who works in Tværs: municipalities, police districts, agencies and their staff.

An agency belongs either to one municipality (school, social services, SSP unit, ...)
or to one police district (police, prison & probation), because a police user works
across the district's municipalities (DOMAIN.md, "Who works here").
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PoliceDistrict(models.Model):
    """Politikreds: one police district covers several municipalities."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("police district")
        verbose_name_plural = _("police districts")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """Kommune, identified by its official three-digit municipality code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("municipality code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    police_district = models.ForeignKey(
        PoliceDistrict,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("police district"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    SCHOOL = "school", _("School")
    CHILDREN_FAMILY = "children_family", _("Children & family services")
    YOUTH_UNIT = "youth_unit", _("Youth unit")
    SSP_UNIT = "ssp_unit", _("SSP unit")
    POLICE = "police", _("Police")
    PRISON_PROBATION = "prison_probation", _("Prison & probation")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    ADDICTION_CENTRE = "addiction_centre", _("Addiction centre")
    JOB_CENTRE = "job_centre", _("Job centre")
    EXIT_UNIT = "exit_unit", _("Exit unit")
    # Retsplejeloven §115 stk. 3: a self-governing institution solving a public
    # task may take part; a private organisation (housing association, sports
    # club, employer) may never receive §115 information (R-115-4).
    SELF_GOVERNING = "self_governing", _("Self-governing institution (§115 stk. 3)")
    PRIVATE = "private", _("Private organisation")

    @classmethod
    def authority_kinds(cls) -> set[str]:
        """Kinds that may take part in a §115 cooperation (R-115-4)."""
        return set(cls.values) - {cls.PRIVATE}

    @classmethod
    def district_kinds(cls) -> set[str]:
        """Kinds that belong to a police district rather than a municipality."""
        return {cls.POLICE, cls.PRISON_PROBATION}


class Agency(models.Model):
    """A part of a municipality or a police district whose staff use Tværs.

    Each agency owns one auth Group: object permissions are granted to that group
    (access.services), and a user is in it while holding a case role in the agency.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("municipality"),
    )
    police_district = models.ForeignKey(
        PoliceDistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("police district"),
    )
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="agency", editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                name="agency_in_municipality_xor_district",
                condition=(
                    Q(municipality__isnull=False, police_district__isnull=True)
                    | Q(municipality__isnull=True, police_district__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["name", "municipality"], name="agency_unique_in_municipality"
            ),
            models.UniqueConstraint(
                fields=["name", "police_district"], name="agency_unique_in_district"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The group is the agency's identity in guardian's tables; it is created with
        # the agency and never shared.
        if not self.group_id:
            self.group = Group.objects.create(name=f"agency:{uuid.uuid4()}")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        district_kind = self.kind in AgencyKind.district_kinds()
        if district_kind and (self.municipality_id or not self.police_district_id):
            raise ValidationError(
                {
                    "police_district": _(
                        "This kind of agency belongs to a police district."
                    )
                }
            )
        if not district_kind and (self.police_district_id or not self.municipality_id):
            raise ValidationError(
                {"municipality": _("This kind of agency belongs to a municipality.")}
            )


class Role(models.TextChoices):
    SSP_COORDINATOR = "ssp_coordinator", _("SSP coordinator")
    POLICE_LIAISON = "police_liaison", _("Police liaison officer")
    EXIT_COORDINATOR = "exit_coordinator", _("Exit coordinator")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Data protection auditor")
    ADMINISTRATOR = "administrator", _("Administrator")

    @classmethod
    def case_roles(cls) -> set[str]:
        """Roles whose holders work with case data. The administrator administers and
        the auditor reads the log; neither reads case data through its role."""
        return {r.value for r in cls} - {cls.ADMINISTRATOR, cls.AUDITOR}


# What a colleague in another agency needs to reach a member of staff, and what
# letters, minutes and agreements are signed with (issue 18, point 4). An
# administrator cannot activate a user with a case role while one is missing
# (organisations.admin).
IDENTITY_FIELDS = ("first_name", "last_name", "title", "phone", "email")


class User(AbstractUser):
    """A member of staff. Citizens never log in to Tværs.

    Staff appear by name and title, never by login name: `str(user)` and
    `display_name` are the full name, `name_and_title` adds the job title. The
    login name is shown only in administration and only where the name is
    missing (a user without a case role, or one not yet completed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(
        _("job title"),
        max_length=100,
        blank=True,
        help_text=_(
            "As it should appear on letters and minutes, e.g. SSP coordinator."
        ),
    )
    phone = models.CharField(_("work phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.get_username()

    @property
    def name_and_title(self) -> str:
        """ "Mette Lund, SSP-koordinator": how staff are named to other staff."""
        name = self.display_name
        return f"{name}, {self.title}" if self.title else name

    def identity_missing(self) -> list[str]:
        """The identity fields not filled in (IDENTITY_FIELDS, in order)."""
        return [f for f in IDENTITY_FIELDS if not str(getattr(self, f) or "").strip()]


class Membership(models.Model):
    """A user's role in one agency. A user may hold several."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"
