"""Concern conversations (bekymringssamtaler): the police liaison's workflow from a
request, through the conversation with the young person and the parents, to a
closed follow-up (DOMAIN.md workflow 1; LAW.md C1).

The states and their transitions are in `conversations.states`; the writes in
`conversations.services`. Catalogues (methods with their example questions, measure
types) and per-municipality settings (follow-up period, letter text) are data an
administrator edits.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet
from core.text import in_language as _in_language


class Status(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    FOLLOW_UP = "follow_up", _("In follow-up")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    NOT_ATTENDED = "not_attended", _("Not attended")


class ConcernKind(models.TextChoices):
    """DOMAIN.md workflow 1: the three kinds of concern."""

    GENERAL = "general", _("General concern (well-being)")
    INCIDENT = "incident", _("Specific incident")
    GANG = "gang", _("Gang-related")


class RequestSource(models.TextChoices):
    SSP_MEETING = "ssp_meeting", _("SSP or §115 meeting")
    POLICE_LIST = "police_list", _("Police list of young people")
    SCHOOL = "school", _("School")
    SOCIAL_SERVICES = "social_services", _("Social services")
    PARENTS = "parents", _("Parents")
    AD_HOC = "ad_hoc", _("Ad hoc")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    NO_FURTHER_CONCERN = "no_further_concern", _("No further concern")
    REFERRED_SSP = "referred_ssp", _("Referred to an SSP or §115 case")
    NOTIFICATION = "notification", _("Notification of concern to social services")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    """The three phases of the conversation (seed 001)."""

    MAPPING = "mapping", _("Mapping")
    ACCOUNTABILITY = "accountability", _("Accountability")
    MEASURES = "measures", _("Measures")


class Method(models.Model):
    """A conversation method of the idea catalogue (seed 001, part 2): motivational
    interviewing, solution-focused (LØFT), restorative questions. Its questions are
    offered as optional prompts while writing the notes."""

    name_da = models.CharField(_("name (Danish)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_da = models.TextField(_("description (Danish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name_da"]
        verbose_name = _("conversation method")
        verbose_name_plural = _("conversation methods")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_da, self.name_en)

    @property
    def description(self) -> str:
        return _in_language(self.description_da, self.description_en)


class MethodQuestion(models.Model):
    """An example question of a method, for one phase or for any."""

    method = models.ForeignKey(
        Method, on_delete=models.CASCADE, related_name="questions"
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, blank=True
    )
    text_da = models.CharField(_("question (Danish)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["method", "position", "id"]
        verbose_name = _("example question")
        verbose_name_plural = _("example questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _in_language(self.text_da, self.text_en)


class MeasureType(models.Model):
    """The catalogue of measures agreed with a young person and the family
    (DOMAIN.md §6): leisure job, mentor, school support, club, family support, …"""

    name_da = models.CharField(_("name (Danish)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name_da"]
        verbose_name = _("measure type")
        verbose_name_plural = _("measure types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_da, self.name_en)


class ConversationSettings(models.Model):
    """A municipality's own settings: the default follow-up period and the text of
    the invitation letter to the parents. Without a row, the defaults apply."""

    municipality = models.OneToOneField(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        related_name="conversation_settings",
        verbose_name=_("municipality"),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("days from conversation to follow-up"), default=90
    )
    letter_subject = models.CharField(_("letter subject"), max_length=200, blank=True)
    letter_body = models.TextField(
        _("letter text"),
        blank=True,
        help_text=_(
            "Leave empty for the standard text. Placeholders: $barn, $dato, "
            "$tidspunkt, $sted, $deltagere, $kontaktperson, $kontakt_telefon, "
            "$kontakt_email, $kommune."
        ),
    )

    class Meta:
        verbose_name = _("concern conversation settings")
        verbose_name_plural = _("concern conversation settings")

    def __str__(self) -> str:
        return str(self.municipality)


class ConcernConversation(models.Model):
    """Bekymringssamtale: a police-led conversation with a young person and the
    parents, with a municipal representative, and its follow-up.

    Seen in full (notes, measures) by the police agency that holds it and the
    municipal agency taking part; the municipality's SSP unit sees that it exists
    and how far it is (the "summary" grant); nobody else (access.permissions).
    """

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="concern_conversations",
        verbose_name=_("young person"),
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    # Requested
    kind = models.CharField(
        _("kind of concern"), max_length=16, choices=ConcernKind.choices
    )
    source = models.CharField(
        _("requested from"), max_length=20, choices=RequestSource.choices
    )
    requested_by = models.CharField(
        _("requested by"),
        max_length=200,
        help_text=_(
            "Who asked for the conversation, e.g. “School leader, Vejleå Skole”."
        ),
    )
    requested_on = models.DateField(_("requested on"))
    reason = models.TextField(_("reason"), max_length=4000)
    # Who holds it
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police agency"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible police officer"),
    )
    municipal_agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipal agency taking part"),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=40,
        choices=LegalBasis.choices,
        default=LegalBasis.RPL115_1_1_SSP,
    )
    # Planned
    planned_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=60, blank=True
    )
    # Held
    held_on = models.DateField(_("held on"), null=True, blank=True)
    method = models.ForeignKey(
        Method,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("method"),
    )
    mapping_note = models.TextField(_("mapping"), max_length=8000, blank=True)
    accountability_note = models.TextField(
        _("accountability"), max_length=8000, blank=True
    )
    measures_note = models.TextField(_("measures"), max_length=8000, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    # The follow-up date agreed when it was held; follow_up_on moves on with each
    # follow-up. The figures' "followed up on time" is measured against this one.
    agreed_follow_up_on = models.DateField(
        _("follow-up date agreed when held"), null=True, blank=True, editable=False
    )
    # Ended (closed, cancelled, not attended)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    status_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-created_at"]
        verbose_name = _("concern conversation")
        verbose_name_plural = _("concern conversations")
        permissions = [
            ("export_concernconversation", "Can export concern conversation"),
            # Knows that the conversation exists and how far it is, not its notes.
            ("summary_concernconversation", "Can see concern conversation status"),
        ]
        indexes = [
            models.Index(fields=["status", "follow_up_on"]),
            models.Index(fields=["municipality", "requested_on"]),
            models.Index(fields=["person", "-requested_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="conversation_follow_up_after_held",
                condition=models.Q(follow_up_on__isnull=True)
                | models.Q(held_on__isnull=True)
                | models.Q(follow_up_on__gte=models.F("held_on")),
            ),
            # A held conversation always has its follow-up date (issue 4, point 5);
            # in follow-up the date is cleared when the concern has ended.
            models.CheckConstraint(
                name="conversation_held_has_follow_up",
                condition=~models.Q(status="held")
                | models.Q(held_on__isnull=False, follow_up_on__isnull=False),
            ),
            models.CheckConstraint(
                name="conversation_follow_up_was_held",
                condition=~models.Q(status="follow_up")
                | models.Q(held_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.requested_on:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.CLOSED, Status.CANCELLED)


class ConversationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ConcernConversation, on_delete=models.CASCADE)


class ConversationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ConcernConversation, on_delete=models.CASCADE)


class ParticipantRole(models.TextChoices):
    POLICE = "police", _("Police officer")
    MUNICIPAL = "municipal", _("Municipal representative")
    GUARDIAN = "guardian", _("Parent or guardian")
    YOUTH = "youth", _("The young person")
    INTERPRETER = "interpreter", _("Interpreter")
    OTHER = "other", _("Other")


class Participant(models.Model):
    """Someone invited to the conversation: a member of staff (`user`), a person of
    the registry (the young person, a parent from the family record) or, for an
    interpreter or other, a name. `attended` is recorded when it is held."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        ConcernConversation, on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                name="participant_is_someone",
                condition=models.Q(user__isnull=False)
                | models.Q(person__isnull=False)
                | ~models.Q(name=""),
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"], name="participant_user_once"
            ),
            models.UniqueConstraint(
                fields=["conversation", "person"], name="participant_person_once"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.name_and_title
        if self.person_id:
            return self.person.full_name
        return self.name


class MeasureStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Measure(models.Model):
    """A measure agreed in the conversation (tiltag): what, of which type, which
    agency and person answer for it, by when, how far it is. It is on the
    responsible agency's worklist, which sees the measure but not the notes."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        ConcernConversation, on_delete=models.CASCADE, related_name="measures"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    measure_type = models.ForeignKey(
        MeasureType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("type of measure"),
    )
    description = models.TextField(_("description"), max_length=2000)
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
        choices=MeasureStatus.choices,
        default=MeasureStatus.AGREED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("agreed measure")
        verbose_name_plural = _("agreed measures")
        indexes = [models.Index(fields=["responsible_agency", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.measure_type} ({self.due_on:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status in (MeasureStatus.AGREED, MeasureStatus.IN_PROGRESS)


class MeasureUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Measure, on_delete=models.CASCADE)


class MeasureGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Measure, on_delete=models.CASCADE)


class FollowUp(models.Model):
    """What the police saw when following up on the young person, and whether the
    concern continues (then with the next follow-up date)."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        ConcernConversation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    followed_up_on = models.DateField(_("followed up on"))
    note = models.TextField(_("what happened"), max_length=4000)
    concern_continues = models.BooleanField(_("the concern continues"))
    next_follow_up_on = models.DateField(
        _("next follow-up date"), null=True, blank=True
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-followed_up_on", "-recorded_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.followed_up_on:%Y-%m-%d}"
