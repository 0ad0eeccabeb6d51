"""The Exit programme (DOMAIN.md workflow 3; LAW.md B7, C3; seed 003, Ishøj "En vej
ind"): one exit case per person, from referral through the police and municipal
mappings, the clarification conversation and the decision, to a signed cooperation
agreement, an active programme with weekly police reports, its end and the outcome
two years later.

The states and their transitions are in `exitprogram.states`; the writes in
`exitprogram.services`; who sees what in `exitprogram.selectors` through
access.permissions. The exit unit sees the case; the police exit contact sees the
case and records the police mapping; the security assessment is theirs alone
(R-EXIT-3); every other authority sees only the measures assigned to it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.legal import LegalBasis
from audit.queryset import AuditedQuerySet


class Status(models.TextChoices):
    REFERRED = "referred", _("Referred")
    PRE_SCREENING = "pre_screening", _("Pre-screening")
    POLICE_MAPPING = "police_mapping", _("Police mapping")
    MUNICIPAL_MAPPING = "municipal_mapping", _("Municipal mapping")
    CLARIFICATION = "clarification", _("Clarification conversation")
    AGREEMENT = "agreement", _("Cooperation agreement")
    ACTIVE = "active", pgettext_lazy("exit case status", "Active")
    ENDED = "ended", _("Ended")
    OUTCOME_RECORDED = "outcome_recorded", _("Outcome recorded")
    DECLINED = "declined", _("Declined")


class ReferralSource(models.TextChoices):
    POLICE = "police", _("Police")
    PRISON_PROBATION = "prison_probation", _("Prison & probation")
    MUNICIPAL = "municipal", _("Municipal employee")
    PARTNER = "partner", _("Partner")
    SELF = "self", _("Self-referral")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    BREACH = "breach", _("Terminated for breach of the agreement")
    MOVED = "moved", _("Moved away")
    WITHDREW = "withdrew", _("Withdrew")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    NOT_CONVICTED = "not_convicted", _("Not convicted of violent crime")
    CONVICTED = "convicted", _("Convicted of violent crime")
    UNKNOWN = "unknown", _("Not known")


class ExitSettings(models.Model):
    """Per municipality: the minimum age for enrolment (none, as in Ishøj; most
    programmes enrol from 18, R-EXIT-1)."""

    municipality = models.OneToOneField(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        related_name="exit_settings",
        verbose_name=_("municipality"),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("Exit settings")
        verbose_name_plural = _("Exit settings")

    def __str__(self) -> str:
        return str(self.municipality)


class ExitCase(models.Model):
    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="exit_cases"
    )
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REFERRED
    )
    referral_source = models.CharField(
        _("referred by"), max_length=20, choices=ReferralSource.choices
    )
    referrer = models.CharField(_("referrer"), max_length=200, blank=True)
    referred_on = models.DateField(_("referred on"))
    referral_note = models.TextField(
        _("about the referral"), max_length=2000, blank=True
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exit unit"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exit coordinator"),
    )
    police_agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police"),
    )
    police_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police exit contact"),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=40,
        choices=LegalBasis.choices,
        default=LegalBasis.CONSENT,
    )
    screening_note = models.TextField(_("pre-screening"), max_length=4000, blank=True)
    # The decision.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    excluded_psychiatric = models.BooleanField(
        _("psychiatric illness overshadows the crime"), default=False
    )
    excluded_substance = models.BooleanField(
        _("substance abuse blocks change"), default=False
    )
    excluded_staff_safety = models.BooleanField(
        _("threat to staff safety"), default=False
    )
    # The end.
    started_on = models.DateField(_("active from"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=16, choices=EndReason.choices, blank=True
    )
    breached_term = models.TextField(_("term breached"), blank=True)
    end_note = models.TextField(_("about the end"), blank=True)
    # The outcome, two years after the end.
    outcome = models.CharField(
        _("outcome after 2 years"), max_length=16, choices=Outcome.choices, blank=True
    )
    outcome_recorded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on"]
        verbose_name = _("exit case")
        verbose_name_plural = _("exit cases")
        permissions = [("export_exitcase", "Can export exit case")]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.referred_on:%Y-%m-%d})"

    @property
    def exclusions(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in (
                "excluded_psychiatric",
                "excluded_substance",
                "excluded_staff_safety",
            )
            if getattr(self, name)
        ]


class ExitCaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ExitCase, on_delete=models.CASCADE)


class ExitCaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ExitCase, on_delete=models.CASCADE)


class PoliceMapping(models.Model):
    """Recorded by police: NEC registration, the crime picture, the person's stated
    intentions and the security and risk assessment. Seen only by the exit unit and
    the police exit contact (R-EXIT-3)."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        ExitCase, on_delete=models.CASCADE, related_name="police_mapping"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    nec_registered = models.BooleanField(_("registered with NEC"))
    crime_picture = models.TextField(_("current crime picture"), max_length=4000)
    intentions = models.TextField(_("the person's stated intentions"), max_length=4000)
    risk_level = models.CharField(
        _("security and risk level"), max_length=10, choices=RiskLevel.choices
    )
    risk_assessment = models.TextField(
        _("security and risk assessment"), max_length=4000
    )
    assessed_on = models.DateField(_("assessed on"))
    agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("police mapping")
        verbose_name_plural = _("police mappings")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} ({self.assessed_on:%Y-%m-%d})"


class PoliceMappingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PoliceMapping, on_delete=models.CASCADE)


class PoliceMappingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PoliceMapping, on_delete=models.CASCADE)


class MunicipalMapping(models.Model):
    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        ExitCase, on_delete=models.CASCADE, related_name="municipal_mapping"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    social_services = models.TextField(
        _("existing cases in citizen and social services"), blank=True
    )
    job_centre = models.TextField(_("existing cases in the job centre"), blank=True)
    family_centre = models.TextField(
        _("existing cases in the family centre"), blank=True
    )
    employment = models.TextField(_("employment"), blank=True)
    income = models.TextField(_("income"), blank=True)
    housing = models.TextField(_("housing"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipal mapping")
        verbose_name_plural = _("municipal mappings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class LifeDomain(models.TextChoices):
    """The clarification form's domains (seed 003: the exit agreement covers
    education, employment, housing, physical and mental health, mentor, social
    network, substance use)."""

    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment and income")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Physical and mental health")
    SUBSTANCES = "substances", _("Substance use")
    NETWORK = "network", _("Social network and family")
    ECONOMY = "economy", _("Debt and economy")
    SAFETY = "safety", _("Safety")


class Clarification(models.Model):
    """The clarification conversation (afklaringssamtale): the life situation by
    domain, the most pressing needs, and that the premises were explained."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        ExitCase, on_delete=models.CASCADE, related_name="clarification"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    held_on = models.DateField(_("held on"))
    domains = models.JSONField(_("life situation by domain"), default=dict)
    pressing_needs = models.TextField(_("most pressing needs"), max_length=4000)
    premises_explained = models.BooleanField(
        _("the programme's premises were explained"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("clarification conversation")
        verbose_name_plural = _("clarification conversations")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} ({self.held_on:%Y-%m-%d})"

    def domain_list(self) -> list[tuple[str, str]]:
        return [
            (label, self.domains.get(key, ""))
            for key, label in LifeDomain.choices
            if self.domains.get(key)
        ]


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")


class Agreement(models.Model):
    """The cooperation agreement (samarbejdsaftale), one version per row. A signed
    version is locked; a change makes a new draft version and keeps the old."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        ExitCase, on_delete=models.CASCADE, related_name="agreements"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    parties = models.TextField(
        _("parties"), max_length=2000, help_text=_("The names of the parties.")
    )
    consequences = models.TextField(
        _("consequences of relapse into violent crime"), max_length=4000
    )
    signed_by_person_on = models.DateField(
        _("signed by the person on"), null=True, blank=True
    )
    signed_by_coordinator_on = models.DateField(
        _("signed by the coordinator on"), null=True, blank=True
    )
    sent_to_police_on = models.DateField(
        _("sent to the police exit unit on"), null=True, blank=True
    )
    sent_to_nec_on = models.DateField(_("sent to NEC on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        permissions = [("export_agreement", "Can export agreement")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "version"], name="agreement_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_status_display()})"

    @property
    def is_locked(self) -> bool:
        return self.status != AgreementStatus.DRAFT


class AgreementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Agreement, on_delete=models.CASCADE)


class AgreementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Agreement, on_delete=models.CASCADE)


class MeasureKind(models.TextChoices):
    HOUSING = "housing", _("Housing")
    JOB = "job", _("Job")
    EDUCATION = "education", _("Education")
    ADDICTION = "addiction", _("Addiction treatment")
    PSYCHIATRIC = "psychiatric", _("Psychiatric treatment")
    DEBT = "debt", _("Debt counselling")
    MENTOR = "mentor", _("Mentor")
    TATTOO = "tattoo", _("Tattoo removal")
    RELOCATION = "relocation", _("Relocation")
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class AgreementMeasure(models.Model):
    """A measure an authority will start under the agreement (R-EXIT-5). The
    responsible agency sees this measure, and nothing of the case (no word of gang
    affiliation), and keeps its status; it stays open after the programme ends
    until that agency closes it (issue 6, point 4)."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="measures"
    )
    case = models.ForeignKey(
        ExitCase, on_delete=models.CASCADE, related_name="+", editable=False
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("measure"), max_length=16, choices=MeasureKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    responsible_agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible authority"),
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end of time frame"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MeasureStatus.choices,
        default=MeasureStatus.PLANNED,
    )
    status_on = models.DateField(_("status as of"), null=True, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "kind"]
        verbose_name = _("agreement measure")
        verbose_name_plural = _("agreement measures")
        indexes = [models.Index(fields=["responsible_agency", "status"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.status in (MeasureStatus.PLANNED, MeasureStatus.STARTED)


class AgreementMeasureUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(AgreementMeasure, on_delete=models.CASCADE)


class AgreementMeasureGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(AgreementMeasure, on_delete=models.CASCADE)


class WeeklyReport(models.Model):
    """Local police's weekly word per enrolled person: encountered in an incident of
    criminal nature, yes or no (with a description when yes). A row per active case
    and week is created when the week starts; a report missing when the week is
    over reminds the police contact on the next working day."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        ExitCase, on_delete=models.CASCADE, related_name="weekly_reports"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    week_start = models.DateField(_("week"))
    encountered = models.BooleanField(
        _("encountered in an incident of criminal nature"), null=True, blank=True
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly police report")
        verbose_name_plural = _("weekly police reports")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "week_start"], name="weekly_report_once"
            )
        ]
        indexes = [models.Index(fields=["week_start", "reported_at"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.week_start:%Y-%m-%d}"

    @property
    def is_reported(self) -> bool:
        return self.reported_at is not None


class WeeklyReportUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE)


class WeeklyReportGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE)


class FollowUpKind(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation meeting")
    SUPPORT = "support", _("Support meeting")


class FollowUpMeeting(models.Model):
    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        ExitCase, on_delete=models.CASCADE, related_name="follow_up_meetings"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FollowUpKind.choices)
    held_on = models.DateField(_("held on"))
    attendees = models.TextField(_("who attended"), max_length=1000)
    mentor_present = models.BooleanField(_("the mentor took part"), default=False)
    notes = models.TextField(_("notes"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("evaluation or support meeting")
        verbose_name_plural = _("evaluation and support meetings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.held_on:%Y-%m-%d})"


class MentorAssignment(models.Model):
    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="mentors")
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    mentor_name = models.CharField(_("mentor"), max_length=160)
    mentor_contact = models.CharField(_("contact"), max_length=200, blank=True)
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-from_date"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self) -> str:
        return self.mentor_name


class MentorSession(models.Model):
    """A mentor session in the structure of DOMAIN.md: check-in, summary of the
    last session, today's agenda, wrap-up and the next meeting."""

    AUDIT_SUBJECT_FIELD = "person_id"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assignment = models.ForeignKey(
        MentorAssignment, on_delete=models.CASCADE, related_name="sessions"
    )
    case = models.ForeignKey(
        ExitCase, on_delete=models.CASCADE, related_name="+", editable=False
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+", editable=False
    )
    held_on = models.DateField(_("held on"))
    check_in = models.TextField(_("check-in"), max_length=2000)
    summary = models.TextField(_("summary of the last session"), max_length=2000)
    agenda = models.TextField(_("today's agenda"), max_length=2000)
    wrap_up = models.TextField(_("wrap-up"), max_length=2000)
    next_meeting_on = models.DateField(_("next meeting"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("mentor session")
        verbose_name_plural = _("mentor sessions")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} ({self.held_on:%Y-%m-%d})"


class NecNotificationKind(models.TextChoices):
    ENROLMENT = "enrolment", _("Enrolment")
    CHANGE = "change", _("Change")
    TERMINATION = "termination", _("Termination")


class NecNotification(models.Model):
    """That NEC (Det Nationale Exitkontaktpunkt) was told of an enrolment, a change
    or the termination, and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        ExitCase, on_delete=models.CASCADE, related_name="nec_notifications"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=NecNotificationKind.choices
    )
    sent_on = models.DateField(_("sent on"))
    note = models.TextField(_("note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_on"]
        verbose_name = _("NEC notification")
        verbose_name_plural = _("NEC notifications")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.sent_on:%Y-%m-%d})"
