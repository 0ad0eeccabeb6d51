"""§115 / SSP meetings (DOMAIN.md workflow 2; LAW.md B1–B2, C2).

A forum (meeting series) of a kind (SSP, SSP+, KSP, PSP) meets on a cadence. Each
meeting has participants, an agenda built for the coordinator, and per item the
information each agency shares under a recorded legal basis, a decision and
action items. The law that binds the sharing (R-115-1 … R-115-8, R-CONF-2) is in
`meetings.sharing`; the states of a meeting in `meetings.states`.

The forum kinds (their legal bases and target age groups) are data an
administrator corrects when the law or local practice changes.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet
from core.text import in_language as _in_language


class Cooperation(models.TextChoices):
    """The cooperations of Retsplejeloven §115 stk. 1 nr. 1–3."""

    SSP = "ssp", _("SSP (§115 stk. 1 nr. 1)")
    PSP = "psp", _("PSP (§115 stk. 1 nr. 2)")
    KSP = "ksp", _("KSP (§115 stk. 1 nr. 3)")


class ForumKind(models.Model):
    """SSP, SSP+ (18+), KSP, PSP: the legal bases a forum of this kind shares under
    and its target age group. §115 has no age limit (R-115-9): the age group is a
    warning the coordinator may override with a reason."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    cooperation = models.CharField(
        _("cooperation"), max_length=8, choices=Cooperation.choices
    )
    legal_bases = models.JSONField(
        _("legal bases"),
        default=list,
        help_text=_("The legal bases information may be shared under in this forum."),
    )
    age_min = models.PositiveSmallIntegerField(
        _("target age from"), null=True, blank=True
    )
    age_max = models.PositiveSmallIntegerField(
        _("target age to"), null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("forum kind")
        verbose_name_plural = _("forum kinds")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_da, self.name_en)

    @property
    def allows_gang_information(self) -> bool:
        return (
            self.cooperation == Cooperation.SSP
            and LegalBasis.RPL115_5_GANG in self.legal_bases
        )

    def legal_basis_choices(self) -> list[tuple[str, str]]:
        labels = dict(LegalBasis.choices)
        return [(b, labels[b]) for b in self.legal_bases if b in labels]

    def in_age_group(self, age: int | None) -> bool:
        if age is None:
            return True
        if self.age_min is not None and age < self.age_min:
            return False
        return not (self.age_max is not None and age > self.age_max)

    def clean(self) -> None:
        unknown = [b for b in self.legal_bases if b not in LegalBasis.values]
        if unknown or not isinstance(self.legal_bases, list):
            raise ValidationError(
                {"legal_bases": _("Choose legal bases from the closed list.")}
            )
        if (
            LegalBasis.RPL115_5_GANG in self.legal_bases
            and self.cooperation != Cooperation.SSP
        ):
            # R-115-6: §115 stk. 5 is police disclosure in the SSP cooperation.
            raise ValidationError(
                {"legal_bases": _("§115 stk. 5 applies to SSP forums only.")}
            )
        if (
            self.age_min is not None
            and self.age_max is not None
            and self.age_min > self.age_max
        ):
            raise ValidationError(
                {"age_max": _("The upper age must not be below the lower age.")}
            )


class Forum(models.Model):
    """A meeting series: which municipalities and police district it covers, its
    standing members (agencies and persons), its cadence and its chair."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=160)
    kind = models.ForeignKey(
        ForumKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    municipalities = models.ManyToManyField(
        "organisations.Municipality",
        related_name="+",
        verbose_name=_("municipalities"),
    )
    police_district = models.ForeignKey(
        "organisations.PoliceDistrict",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police district"),
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chair"),
    )
    cadence_days = models.PositiveSmallIntegerField(_("every (days)"), default=14)
    first_meeting_at = models.DateTimeField(_("first meeting"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda_notice_days = models.PositiveSmallIntegerField(
        _("agenda sent days before"),
        default=3,
        help_text=_("Participants are notified this many days before the meeting."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        permissions = [("export_forum", "Can export forum")]

    def __str__(self) -> str:
        return self.name


class ForumUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Forum, on_delete=models.CASCADE)


class ForumGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Forum, on_delete=models.CASCADE)


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class ForumMember(models.Model):
    """A standing member: a whole agency (no user) or a named person of an agency.
    A member who leaves keeps the meetings already held and loses the future ones."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # The secret in a member's calendar feed address (calendars cannot sign in).
    calendar_token = models.CharField(
        max_length=64, unique=True, default=_calendar_token, editable=False
    )

    class Meta:
        ordering = ["joined_on"]
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "agency", "user"],
                condition=models.Q(left_on__isnull=True),
                name="forum_member_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.agency)

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AGENDA_SENT = "agenda_sent", _("Agenda sent")
    IN_PROGRESS = "in_progress", _("In progress")
    HELD = "held", _("Held")
    APPROVED = "approved", _("Minutes approved")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
    )
    agenda_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    agenda_built_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [("export_meeting", "Can export meeting")]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "starts_at"], name="meeting_once_per_time"
            )
        ]
        indexes = [models.Index(fields=["forum", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.forum} {self.starts_at:%Y-%m-%d}"

    @property
    def is_open_for_agenda(self) -> bool:
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SENT)

    @property
    def is_running(self) -> bool:
        return self.status == MeetingStatus.IN_PROGRESS


class MeetingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)


class MeetingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)


class Participant(models.Model):
    """Who takes part in one meeting (from the forum's members, or a guest
    authority), and whether they attended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants"
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency", "user"],
                name="participant_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.agency)


class ItemSource(models.TextChoices):
    POLICE_LIST = "police_list", _("Police list")
    FOLLOW_UP = "follow_up", _("Follow-up of a concern conversation due")
    MEASURE = "measure", _("Agreed measure due")
    NEW_CONCERN = "new_concern", _("New concern")
    SIBLING_ALERT = "sibling_alert", _("New sibling alert")
    MANUAL = "manual", _("Added by the coordinator")


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("Consent given")
    REFUSED = "refused", _("Consent refused")
    NOT_OBTAINED = "not_obtained", _("Consent not obtained")


class AgendaItem(models.Model):
    """One item of a meeting's agenda, usually about one young person. Seen by the
    meeting's participants with the meeting; the person's own record is not
    shared by it (R-115-5)."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("young person"),
    )
    source = models.CharField(_("source"), max_length=16, choices=ItemSource.choices)
    # Names what the item came from, so a rebuild neither repeats nor revives it.
    source_key = models.CharField(max_length=120, editable=False)
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by agency"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=40, choices=LegalBasis.choices
    )
    age_override_reason = models.TextField(
        _("reason for discussing outside the age group"), max_length=1000, blank=True
    )
    consent_status = models.CharField(
        _("consent"), max_length=16, choices=ConsentStatus.choices, blank=True
    )
    removed = models.BooleanField(default=False, editable=False)
    discussed = models.BooleanField(_("discussed"), default=False)
    decision = models.TextField(_("decision"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    conversation = models.ForeignKey(
        "conversations.ConcernConversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concern conversation requested"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "created_at"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source_key"], name="agenda_item_once"
            )
        ]
        indexes = [models.Index(fields=["meeting", "removed", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def heading(self) -> str:
        """The title, and the person's name for an item about one (their person
        read with the item)."""
        if self.person_id is None:
            return self.title
        return f"{self.title}: {self.person.full_name}"


class Consent(models.Model):
    """A person's consent to sharing (FVL §28 stk. 2 nr. 1; R-CONF-2): who gave it,
    its scope, when; revocable, and a withdrawn consent stops further sharing on
    that basis (not sharing under a statutory basis)."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="consents"
    )
    given_by = models.CharField(
        _("given by"),
        max_length=160,
        help_text=_("The young person, or the custody holder who consented."),
    )
    scope = models.TextField(
        _("scope"),
        max_length=1000,
        help_text=_("Which information may be shared, and for what."),
    )
    agencies = models.ManyToManyField(
        "organisations.Agency",
        related_name="+",
        verbose_name=_("agencies that may share"),
    )
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.given_by} ({self.given_on:%Y-%m-%d})"

    def is_valid_on(self, day: date) -> bool:
        if day < self.given_on:
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        return self.expires_on is None or day <= self.expires_on


class SharedInformation(models.Model):
    """What one agency shared about an agenda item's person in one meeting, under a
    legal basis from the forum's list, with why it was necessary (R-115-1, -2).
    Seen by the meeting's participants; §115 stk. 5 information (`restricted`) by
    the named recipients only (R-115-6)."""

    AUDIT_SUBJECT_FIELD = "person_id"
    CONFIDENTIALITY_BANNER = _(
        "Duty of confidentiality – Administration of Justice Act §115 stk. 5"
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="shared"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="+", editable=False
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    text = models.TextField(_("information"), max_length=4000)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared by agency"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=40, choices=LegalBasis.choices
    )
    necessity = models.TextField(_("why sharing is necessary"), max_length=1000)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent"),
    )
    # A re-share into another meeting: the receiver's own new basis is on this
    # record; the source keeps its own (R-115-8).
    reshared_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    restricted = models.BooleanField(default=False, editable=False)
    gang_information = models.OneToOneField(
        "meetings.GangInformation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shared_in",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("shared information")
        verbose_name_plural = _("shared information")
        permissions = [("export_sharedinformation", "Can export shared information")]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_legal_basis_display()})"


class SharedInformationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SharedInformation, on_delete=models.CASCADE)


class SharedInformationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SharedInformation, on_delete=models.CASCADE)


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item status", "Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(models.Model):
    """What an agency will do after the meeting (who, by when). On the responsible
    person's and agency's worklists, with a reminder when it is due."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="actions"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="+", editable=False
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    description = models.TextField(_("what"), max_length=2000)
    responsible_agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["responsible_agency", "status", "due_on"]),
            models.Index(fields=["responsible_user", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.description[:40]} ({self.due_on:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


class ActionItemUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ActionItem, on_delete=models.CASCADE)


class ActionItemGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ActionItem, on_delete=models.CASCADE)


class ListKind(models.TextChoices):
    YOUTH = "youth", _("Young people encountered with known gang members")
    ADULT_SCREENING = (
        "adult_screening",
        _("Persons 18+ charged, registered or encountered"),
    )


class RowFate(models.TextChoices):
    MATCHED = "matched", _("Matched to a registered person")
    PROPOSED = "proposed", _("New person proposed")
    CONFIRMED = "confirmed", _("New person confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class PoliceList(models.Model):
    """A police list imported for a forum (the "ungeliste" / "bandeindikationsliste",
    or for SSP+ the screened list of persons 18+). Police disclose it under §115
    stk. 1 nr. 1; it is seen by the forum's running agency and the police agency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="lists")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="lists")
    kind = models.CharField(_("list"), max_length=20, choices=ListKind.choices)
    police_agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from police agency"),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=40,
        choices=LegalBasis.choices,
        default=LegalBasis.RPL115_1_1_SSP,
    )
    file_name = models.CharField(_("file"), max_length=200)
    rejected_rows = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("police list")
        verbose_name_plural = _("police lists")
        permissions = [("export_policelist", "Can export police list")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.imported_at:%Y-%m-%d}"


class PoliceListUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PoliceList, on_delete=models.CASCADE)


class PoliceListGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PoliceList, on_delete=models.CASCADE)


class PoliceListRow(models.Model):
    """One accepted row of a police list: matched to a person, or a proposed new
    person the coordinator confirms or dismisses. Rejected rows are reported at
    import and not kept."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    police_list = models.ForeignKey(
        PoliceList, on_delete=models.CASCADE, related_name="rows"
    )
    row_number = models.PositiveIntegerField(_("row"))
    fate = models.CharField(_("fate"), max_length=12, choices=RowFate.choices)
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    cpr_encrypted = models.TextField(blank=True, editable=False)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    encountered_on = models.DateField(_("encountered on"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    known_before_18 = models.BooleanField(_("known before 18"), default=False)
    with_gang_member = models.BooleanField(
        _("with a registered gang member"), default=False
    )
    weapon = models.BooleanField(_("weapon"), default=False)
    violence = models.BooleanField(_("violence"), default=False)
    drugs = models.BooleanField(_("drugs"), default=False)
    medicine = models.BooleanField(_("medicine without prescription"), default=False)
    item = models.OneToOneField(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="list_row",
        editable=False,
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["row_number"]
        verbose_name = _("police list row")
        verbose_name_plural = _("police list rows")

    def __str__(self) -> str:
        return f"{self.police_list} #{self.row_number}"

    SCREENING_FIELDS = (
        "known_before_18",
        "with_gang_member",
        "weapon",
        "violence",
        "drugs",
        "medicine",
    )

    def screening(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.SCREENING_FIELDS
            if getattr(self, name)
        ]


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
