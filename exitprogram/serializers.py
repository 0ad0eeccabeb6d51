"""Input and output shapes of /api/v1/ for the Exit programme (issue 6, point 7).

Outputs are read-only; inputs carry only what a caller may choose, so the
server-set fields (the exit unit, the coordinator, the police agency, who
recorded what, the state) are never writable.

Kept apart on purpose (STYLE.md §8):

* `ExitCaseOutput` never nests the police mapping: the security assessment is
  served by its own endpoint, to the exit unit and the police exit contact only
  (R-EXIT-3);
* `ExitMeasureOutput` is what a responsible authority receives: the person's name
  and the measure, nothing of the case (no state, no gang words, no case id);
* `WeeklyReportOutput` is what the district police agency receives: the
  person's name, the week and the report.

Choice fields are documented as strings with their values in the help text
(`_choice`): several models here share field names (`status`, `kind`,
`outcome`) with other apps, and enum components would collide in the schema.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.serializers import AgencyRef, PersonRef, UserRef
from organisations.models import Agency, User

from .models import (
    Agreement,
    AgreementMeasure,
    Clarification,
    EndReason,
    ExitCase,
    FollowUpKind,
    FollowUpMeeting,
    LifeDomain,
    MeasureKind,
    MeasureStatus,
    MentorAssignment,
    MentorSession,
    MunicipalMapping,
    NecNotification,
    NecNotificationKind,
    Outcome,
    PoliceMapping,
    ReferralSource,
    RiskLevel,
    Status,
    WeeklyReport,
)
from .states import PHASES, allowed_events


@extend_schema_field(OpenApiTypes.STR)
class _ChoiceField(serializers.ChoiceField):
    """Validated against its choices, documented as a string with the values in
    its help text: several models here share field names (`status`, `kind`,
    `outcome`) with other apps, and enum components of the same name would
    collide in the schema."""


def _choice(choices, **kwargs) -> serializers.ChoiceField:
    values = ", ".join(f"`{v}`" for v in choices.values)
    kwargs["help_text"] = " ".join(
        filter(None, [kwargs.get("help_text", ""), f"One of: {values}."])
    )
    return _ChoiceField(choices=choices.choices, **kwargs)


# --- Outputs --------------------------------------------------------------------------


class ExitCaseOutput(serializers.ModelSerializer):
    """An exit case as the exit unit and the police exit contact see it; without
    the police mapping (its own endpoint, R-EXIT-3)."""

    person = PersonRef()
    municipality = serializers.CharField(source="municipality.name")
    status = serializers.CharField(
        help_text="One of: " + ", ".join(f"`{v}`" for v in Status.values)
    )
    status_label = serializers.CharField(source="get_status_display")
    referral_source = serializers.CharField(
        help_text="One of: " + ", ".join(f"`{v}`" for v in ReferralSource.values)
    )
    referral_source_label = serializers.CharField(source="get_referral_source_display")
    agency = AgencyRef(help_text="The exit unit.")
    coordinator = UserRef()
    police_agency = AgencyRef()
    police_contact = UserRef()
    end_reason = serializers.CharField(
        help_text="Blank until the end; one of: "
        + ", ".join(f"`{v}`" for v in EndReason.values)
    )
    outcome = serializers.CharField(
        help_text="Blank until recorded; one of: "
        + ", ".join(f"`{v}`" for v in Outcome.values)
    )
    allowed_events = serializers.SerializerMethodField(
        help_text="The transitions the case may take next (exitprogram.states)."
    )
    phase = serializers.SerializerMethodField(
        help_text="The position of the state in the phase timeline (0-based); null "
        "for a declined case."
    )

    class Meta:
        model = ExitCase
        fields = [
            "id",
            "person",
            "municipality",
            "status",
            "status_label",
            "phase",
            "allowed_events",
            "referral_source",
            "referral_source_label",
            "referrer",
            "referred_on",
            "referral_note",
            "agency",
            "coordinator",
            "police_agency",
            "police_contact",
            "screening_note",
            "decided_on",
            "decline_reason",
            "excluded_psychiatric",
            "excluded_substance",
            "excluded_staff_safety",
            "started_on",
            "ended_on",
            "end_reason",
            "breached_term",
            "end_note",
            "outcome",
            "outcome_recorded_on",
            "created_at",
        ]
        read_only_fields = fields

    def get_allowed_events(self, case) -> list[str]:
        return allowed_events(case.status)

    def get_phase(self, case) -> int | None:
        return PHASES.index(case.status) if case.status in PHASES else None


class PoliceMappingOutput(serializers.ModelSerializer):
    """The police mapping with the security and risk assessment: served to the
    exit unit and the police exit contact only (R-EXIT-3)."""

    risk_level = serializers.CharField(
        help_text="One of: " + ", ".join(f"`{v}`" for v in RiskLevel.values)
    )
    risk_level_label = serializers.CharField(source="get_risk_level_display")
    agency = AgencyRef()
    recorded_by = UserRef()

    class Meta:
        model = PoliceMapping
        fields = [
            "id",
            "case",
            "nec_registered",
            "crime_picture",
            "intentions",
            "risk_level",
            "risk_level_label",
            "risk_assessment",
            "assessed_on",
            "agency",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class MunicipalMappingOutput(serializers.ModelSerializer):
    recorded_by = UserRef()

    class Meta:
        model = MunicipalMapping
        fields = [
            "id",
            "case",
            "social_services",
            "job_centre",
            "family_centre",
            "employment",
            "income",
            "housing",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ClarificationDomains(serializers.Serializer):
    """The life situation, one text per domain (LifeDomain); blank or left out
    when the conversation did not touch it."""

    def get_fields(self):
        return {
            key: serializers.CharField(
                max_length=2000,
                required=False,
                allow_blank=True,
                help_text=str(label),
            )
            for key, label in LifeDomain.choices
        }


class ClarificationOutput(serializers.ModelSerializer):
    domains = ClarificationDomains()
    recorded_by = UserRef()

    class Meta:
        model = Clarification
        fields = [
            "id",
            "case",
            "held_on",
            "domains",
            "pressing_needs",
            "premises_explained",
            "recorded_by",
        ]
        read_only_fields = fields


class ExitMeasureOutput(serializers.ModelSerializer):
    """A measure as its responsible authority sees it: the person's name and the
    measure, nothing of the case (issue 6, point 6)."""

    person_name = serializers.CharField(source="person.full_name")
    kind = _choice(MeasureKind)
    kind_label = serializers.CharField(source="get_kind_display")
    responsible_agency = AgencyRef()
    status = _choice(MeasureStatus)
    status_label = serializers.CharField(source="get_status_display")
    overdue = serializers.SerializerMethodField(
        help_text="Still open after the end of its time frame."
    )

    class Meta:
        model = AgreementMeasure
        fields = [
            "id",
            "person_name",
            "kind",
            "kind_label",
            "description",
            "responsible_agency",
            "contact",
            "starts_on",
            "ends_on",
            "status",
            "status_label",
            "status_on",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, measure) -> bool:
        return measure.is_open and measure.ends_on < timezone.localdate()


class AgreementVersionOutput(serializers.ModelSerializer):
    """One version of the agreement, in the version history."""

    status = serializers.CharField(help_text="`draft`, `signed` or `superseded`.")
    status_label = serializers.CharField(source="get_status_display")
    locked = serializers.BooleanField(source="is_locked")

    class Meta:
        model = Agreement
        fields = [
            "id",
            "version",
            "status",
            "status_label",
            "locked",
            "signed_by_person_on",
            "signed_by_coordinator_on",
            "created_at",
        ]
        read_only_fields = fields


class AgreementOutput(AgreementVersionOutput):
    class Meta(AgreementVersionOutput.Meta):
        fields = [
            *AgreementVersionOutput.Meta.fields,
            "case",
            "parties",
            "consequences",
            "sent_to_police_on",
            "sent_to_nec_on",
        ]
        read_only_fields = fields


class AgreementDetailOutput(AgreementOutput):
    """The agreement with its measures and the case's versions (passed in the
    context by the view, read through the selectors)."""

    measures = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField(
        help_text="Every version of the case's agreement, newest first."
    )

    class Meta(AgreementOutput.Meta):
        fields = [*AgreementOutput.Meta.fields, "measures", "versions"]
        read_only_fields = fields

    @extend_schema_field(ExitMeasureOutput(many=True))
    def get_measures(self, agreement) -> list:
        return ExitMeasureOutput(self.context["measures"], many=True).data

    @extend_schema_field(AgreementVersionOutput(many=True))
    def get_versions(self, agreement) -> list:
        return AgreementVersionOutput(self.context["versions"], many=True).data


class WeeklyReportOutput(serializers.ModelSerializer):
    """A week's police report: the person's name, the week and the answer; what
    the district police agency needs to report, nothing more."""

    person_name = serializers.CharField(source="person.full_name")
    reported_by = UserRef(allow_null=True)
    reported = serializers.BooleanField(source="is_reported")

    class Meta:
        model = WeeklyReport
        fields = [
            "id",
            "case",
            "person_name",
            "week_start",
            "reported",
            "encountered",
            "description",
            "reported_by",
            "reported_at",
        ]
        read_only_fields = fields


class FollowUpMeetingOutput(serializers.ModelSerializer):
    kind = _choice(FollowUpKind)
    kind_label = serializers.CharField(source="get_kind_display")
    recorded_by = UserRef()

    class Meta:
        model = FollowUpMeeting
        fields = [
            "id",
            "case",
            "kind",
            "kind_label",
            "held_on",
            "attendees",
            "mentor_present",
            "notes",
            "recorded_by",
        ]
        read_only_fields = fields


class MentorAssignmentOutput(serializers.ModelSerializer):
    class Meta:
        model = MentorAssignment
        fields = ["id", "case", "mentor_name", "mentor_contact", "from_date", "to_date"]
        read_only_fields = fields


class MentorSessionOutput(serializers.ModelSerializer):
    recorded_by = UserRef()

    class Meta:
        model = MentorSession
        fields = [
            "id",
            "case",
            "assignment",
            "held_on",
            "check_in",
            "summary",
            "agenda",
            "wrap_up",
            "next_meeting_on",
            "recorded_by",
        ]
        read_only_fields = fields


class NecNotificationOutput(serializers.ModelSerializer):
    kind = _choice(NecNotificationKind)
    kind_label = serializers.CharField(source="get_kind_display")
    recorded_by = UserRef()

    class Meta:
        model = NecNotification
        fields = ["id", "case", "kind", "kind_label", "sent_on", "note", "recorded_by"]
        read_only_fields = fields


# --- Inputs ---------------------------------------------------------------------------


class ExitCaseFilterInput(serializers.Serializer):
    status = serializers.CharField(
        required=False, help_text="Only cases in this state, e.g. `active`."
    )


class ReferralInput(serializers.Serializer):
    """A referral, recorded by an exit coordinator for its exit unit."""

    person = serializers.UUIDField(help_text="A person the caller may see.")
    referral_source = _choice(ReferralSource)
    referrer = serializers.CharField(max_length=200, allow_blank=True, default="")
    referred_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")
    police_contact = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="A police liaison officer of the municipality's police district.",
    )


class ScreenInput(serializers.Serializer):
    screening_note = serializers.CharField(max_length=4000)


class EnrolInput(serializers.Serializer):
    decided_on = serializers.DateField()
    parties = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        default="",
        help_text="Default: the person and the exit unit.",
    )
    consequences = serializers.CharField(max_length=4000, allow_blank=True, default="")


class DeclineInput(serializers.Serializer):
    decided_on = serializers.DateField()
    decline_reason = serializers.CharField(max_length=4000)
    excluded_psychiatric = serializers.BooleanField(default=False)
    excluded_substance = serializers.BooleanField(default=False)
    excluded_staff_safety = serializers.BooleanField(default=False)


class EndInput(serializers.Serializer):
    ended_on = serializers.DateField()
    end_reason = _choice(EndReason)
    breached_term = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        default="",
        help_text="Required when the reason is `breach`.",
    )
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class OutcomeInput(serializers.Serializer):
    outcome = _choice(Outcome)


class PoliceMappingInput(serializers.Serializer):
    nec_registered = serializers.BooleanField()
    crime_picture = serializers.CharField(max_length=4000)
    intentions = serializers.CharField(max_length=4000)
    risk_level = _choice(RiskLevel)
    risk_assessment = serializers.CharField(max_length=4000)
    assessed_on = serializers.DateField()


class MunicipalMappingInput(serializers.Serializer):
    social_services = serializers.CharField(allow_blank=True, default="")
    job_centre = serializers.CharField(allow_blank=True, default="")
    family_centre = serializers.CharField(allow_blank=True, default="")
    employment = serializers.CharField(allow_blank=True, default="")
    income = serializers.CharField(allow_blank=True, default="")
    housing = serializers.CharField(allow_blank=True, default="")


class ClarificationInput(serializers.Serializer):
    held_on = serializers.DateField()
    domains = ClarificationDomains()
    pressing_needs = serializers.CharField(max_length=4000)
    premises_explained = serializers.BooleanField()


class FollowUpMeetingInput(serializers.Serializer):
    kind = _choice(FollowUpKind)
    held_on = serializers.DateField()
    attendees = serializers.CharField(max_length=1000)
    notes = serializers.CharField(max_length=4000)
    mentor_present = serializers.BooleanField(default=False)


class MentorInput(serializers.Serializer):
    mentor_name = serializers.CharField(max_length=160)
    contact = serializers.CharField(max_length=200, allow_blank=True, default="")
    from_date = serializers.DateField()


class MentorSessionInput(serializers.Serializer):
    assignment = serializers.UUIDField(help_text="The mentor assignment of the case.")
    held_on = serializers.DateField()
    check_in = serializers.CharField(max_length=2000)
    summary = serializers.CharField(max_length=2000)
    agenda = serializers.CharField(max_length=2000)
    wrap_up = serializers.CharField(max_length=2000)
    next_meeting_on = serializers.DateField(required=False, allow_null=True)


class NecNotificationInput(serializers.Serializer):
    kind = _choice(NecNotificationKind)
    sent_on = serializers.DateField()
    note = serializers.CharField(max_length=1000, allow_blank=True, default="")


class CaseRefInput(serializers.Serializer):
    case = serializers.UUIDField()


class AgreementUpdateInput(serializers.Serializer):
    parties = serializers.CharField(max_length=2000)
    consequences = serializers.CharField(max_length=4000, allow_blank=True)


class AgreementSignInput(serializers.Serializer):
    signed_by_person_on = serializers.DateField()
    signed_by_coordinator_on = serializers.DateField()


class AgreementSentInput(serializers.Serializer):
    sent_to_police_on = serializers.DateField(required=False, allow_null=True)
    sent_to_nec_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, data):
        if not (data.get("sent_to_police_on") or data.get("sent_to_nec_on")):
            raise serializers.ValidationError(
                {"sent_to_police_on": [_("Give at least one date.")]}
            )
        return data


class ExitMeasureFilterInput(serializers.Serializer):
    agreement = serializers.UUIDField(
        required=False,
        help_text="The measures of one agreement version; left out: the signed "
        "measures the caller's authority answers for.",
    )


class ExitMeasureInput(serializers.Serializer):
    agreement = serializers.UUIDField(help_text="A draft agreement version.")
    kind = _choice(MeasureKind)
    description = serializers.CharField(max_length=2000, allow_blank=True, default="")
    responsible_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all()
    )
    contact = serializers.CharField(max_length=200, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ExitMeasureStatusInput(serializers.Serializer):
    status = _choice(MeasureStatus)
    status_on = serializers.DateField(required=False, help_text="Default: today.")


class WeeklyReportFilterInput(serializers.Serializer):
    mine = serializers.BooleanField(
        required=False,
        help_text="The reports the caller's police agency is to make (this week's "
        "and earlier missing ones).",
    )
    case = serializers.UUIDField(required=False)


class WeeklyReportInput(serializers.Serializer):
    encountered = serializers.BooleanField(
        help_text="Encountered in an incident of criminal nature this week."
    )
    description = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        default="",
        help_text="Required when `encountered` is true.",
    )
