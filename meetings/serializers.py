"""Input and output shapes of /api/v1/ for §115/SSP meetings (issue 5, point 8).

Outputs are read-only; inputs carry only what a caller may choose, so the server-
set fields (the sharing agency, the sharer, the forum's running agency, the
restricted flag) are never writable. Every representation of shared information,
an agenda item or an action item carries its legal basis and the basis's label
(issue 5, point 5: "the minutes and shared items carry the legal basis … in the
API"); §115 stk. 5 information also carries its confidentiality banner (R-115-6).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.legal import LegalBasis
from conversations.serializers import AgencyRef, PersonRef, UserRef
from organisations.models import Agency, Municipality, User

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Consent,
    ConsentStatus,
    Forum,
    ForumKind,
    ForumMember,
    GangInformationKind,
    ItemSource,
    Meeting,
    Participant,
    SharedInformation,
)

# --- References -----------------------------------------------------------------------


class LegalBasisOutput(serializers.Serializer):
    value = serializers.ChoiceField(choices=LegalBasis.choices)
    label = serializers.CharField()


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """Validated against its choices, documented as a string (the choices in the
    help text). The same choice set under a common field name in two components
    would otherwise make an enum-name collision in the schema; the output
    serializer documents the enum."""


def _legal_basis_label(value: str) -> str:
    return str(LegalBasis(value).label) if value in LegalBasis.values else value


# --- Outputs --------------------------------------------------------------------------


class ForumKindOutput(serializers.ModelSerializer):
    name = serializers.CharField()
    legal_bases = serializers.SerializerMethodField(
        help_text="The legal bases information may be shared under in this forum."
    )

    class Meta:
        model = ForumKind
        fields = ["code", "name", "cooperation", "legal_bases", "age_min", "age_max"]
        read_only_fields = fields

    @extend_schema_field(LegalBasisOutput(many=True))
    def get_legal_bases(self, kind) -> list:
        return [{"value": v, "label": label} for v, label in kind.legal_basis_choices()]


class ForumMemberOutput(serializers.ModelSerializer):
    agency = AgencyRef()
    user = UserRef(allow_null=True, help_text="Null: the whole agency is a member.")

    class Meta:
        model = ForumMember
        fields = ["id", "agency", "user", "joined_on", "left_on"]
        read_only_fields = fields


class ForumOutput(serializers.ModelSerializer):
    kind = ForumKindOutput()
    agency = AgencyRef(help_text="The SSP unit running the forum.")
    chair = UserRef()
    municipalities = serializers.SerializerMethodField()

    class Meta:
        model = Forum
        fields = [
            "id",
            "name",
            "kind",
            "municipalities",
            "police_district",
            "agency",
            "chair",
            "cadence_days",
            "first_meeting_at",
            "duration_minutes",
            "place",
            "agenda_notice_days",
            "active",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_municipalities(self, forum) -> list:
        # Reads the prefetched municipalities: no query per forum.
        return [str(m.pk) for m in forum.municipalities.all()]


class ForumDetailOutput(ForumOutput):
    """The forum with its current members (passed in the context by the view)."""

    members = serializers.SerializerMethodField()

    class Meta(ForumOutput.Meta):
        fields = [*ForumOutput.Meta.fields, "members"]
        read_only_fields = fields

    @extend_schema_field(ForumMemberOutput(many=True))
    def get_members(self, forum) -> list:
        return ForumMemberOutput(self.context["members"], many=True).data


class MeetingParticipantOutput(serializers.ModelSerializer):
    agency = AgencyRef()
    user = UserRef(allow_null=True, help_text="Null: the agency takes part as a whole.")

    class Meta:
        model = Participant
        fields = ["id", "agency", "user", "attended"]
        read_only_fields = fields


class ForumRef(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    name = serializers.CharField()


class MeetingOutput(serializers.ModelSerializer):
    """A meeting with its participants (who takes part, from which agency, and
    whether they attended) and the legal bases its forum shares under."""

    forum = ForumRef()
    participants = MeetingParticipantOutput(many=True)
    legal_bases = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "forum",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "agenda_built_at",
            "agenda_sent_at",
            "minutes_approved_at",
            "cancel_reason",
            "participants",
            "legal_bases",
        ]
        read_only_fields = fields

    @extend_schema_field(LegalBasisOutput(many=True))
    def get_legal_bases(self, meeting) -> list:
        return ForumKindOutput().get_legal_bases(meeting.forum.kind)


class AgendaItemOutput(serializers.ModelSerializer):
    person = PersonRef(allow_null=True)
    agency = AgencyRef(help_text="The agency that put the item on the agenda.")
    source = serializers.CharField(
        help_text="What the item came from: "
        + ", ".join(f"`{value}`" for value in ItemSource.values)
        + "."
    )
    source_label = serializers.CharField(source="get_source_display")
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    legal_basis_label = serializers.CharField(source="get_legal_basis_display")
    outside_age_group = serializers.SerializerMethodField(
        help_text="The person is outside the forum's target age group: a warning "
        "(R-115-9), answered by `age_override_reason`."
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "person",
            "source",
            "source_label",
            "title",
            "reason",
            "agency",
            "legal_basis",
            "legal_basis_label",
            "outside_age_group",
            "age_override_reason",
            "consent_status",
            "discussed",
            "decision",
            "decided_at",
            "conversation",
            "created_at",
        ]
        read_only_fields = fields

    def get_outside_age_group(self, item) -> bool:
        from .agenda import outside_age_group

        return outside_age_group(item)


class ResharedFromOutput(serializers.ModelSerializer):
    """The source of a re-share keeps its own agency and basis (R-115-8)."""

    agency = AgencyRef()
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    legal_basis_label = serializers.CharField(source="get_legal_basis_display")

    class Meta:
        model = SharedInformation
        fields = ["id", "meeting", "agency", "legal_basis", "legal_basis_label"]
        read_only_fields = fields


class SharedInformationOutput(serializers.ModelSerializer):
    """One share, with its basis, its sharing agency and, for §115 stk. 5
    information, the confidentiality banner (R-115-6)."""

    agency = AgencyRef(help_text="The sharing agency.")
    shared_by = UserRef()
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    legal_basis_label = serializers.CharField(source="get_legal_basis_display")
    reshared_from = ResharedFromOutput(allow_null=True)
    confidentiality = serializers.SerializerMethodField(
        help_text="The confidentiality banner of §115 stk. 5 information; null "
        "for other information."
    )
    gang_kind = serializers.SerializerMethodField(
        help_text="What police shared under §115 stk. 5; null for other information."
    )

    class Meta:
        model = SharedInformation
        fields = [
            "id",
            "meeting",
            "item",
            "person",
            "text",
            "agency",
            "shared_by",
            "legal_basis",
            "legal_basis_label",
            "necessity",
            "consent",
            "reshared_from",
            "restricted",
            "confidentiality",
            "gang_kind",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_confidentiality(self, shared) -> str | None:
        return (
            str(SharedInformation.CONFIDENTIALITY_BANNER) if shared.restricted else None
        )

    @extend_schema_field(
        serializers.ChoiceField(choices=GangInformationKind.choices, allow_null=True)
    )
    def get_gang_kind(self, shared) -> str | None:
        info = shared.gang_information if shared.gang_information_id else None
        return info.kind if info is not None else None


class SharedInformationListOutput(SharedInformationOutput):
    """In a list, §115 stk. 5 information shows that it exists, who shared it
    and under what, with its banner, but not its content: it is read one at a
    time (and audited as such), never exported in bulk (R-115-6)."""

    class Meta(SharedInformationOutput.Meta):
        fields = SharedInformationOutput.Meta.fields
        read_only_fields = fields
        extra_kwargs = {
            "text": {"allow_null": True},
            "necessity": {"allow_null": True},
        }

    def to_representation(self, shared):
        data = super().to_representation(shared)
        if shared.restricted:
            data["text"] = None
            data["necessity"] = None
        return data


class ActionItemOutput(serializers.ModelSerializer):
    person = PersonRef(allow_null=True)
    responsible_agency = AgencyRef()
    responsible_user = UserRef(allow_null=True)
    legal_basis = serializers.ChoiceField(
        source="item.legal_basis",
        choices=LegalBasis.choices,
        help_text="The basis of the agenda item the action was agreed on.",
    )
    legal_basis_label = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "item",
            "person",
            "description",
            "responsible_agency",
            "responsible_user",
            "due_on",
            "status",
            "overdue",
            "completed_on",
            "legal_basis",
            "legal_basis_label",
            "created_at",
        ]
        read_only_fields = fields

    def get_legal_basis_label(self, action) -> str:
        return _legal_basis_label(action.item.legal_basis)

    def get_overdue(self, action) -> bool:
        return action.is_open and action.due_on < timezone.localdate()


class ConsentOutput(serializers.ModelSerializer):
    agencies = AgencyRef(many=True, help_text="The agencies that may share on it.")
    agency = AgencyRef(help_text="The agency that recorded it.")
    recorded_by = UserRef()
    valid_today = serializers.SerializerMethodField(
        help_text="Given, not withdrawn and not expired: sharing may rest on it."
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "given_by",
            "scope",
            "agencies",
            "given_on",
            "expires_on",
            "withdrawn_on",
            "valid_today",
            "agency",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_valid_today(self, consent) -> bool:
        return consent.is_valid_on(timezone.localdate())


# --- Inputs ---------------------------------------------------------------------------


class ForumInput(serializers.Serializer):
    """A new forum, run by the caller's acting agency (an SSP unit)."""

    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=ForumKind.objects.all(), help_text="`ssp`, …"
    )
    name = serializers.CharField(max_length=160)
    municipalities = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), many=True
    )
    chair = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True)
    )
    first_meeting_at = serializers.DateTimeField()
    cadence_days = serializers.IntegerField(default=14)
    duration_minutes = serializers.IntegerField(default=120, min_value=15)
    place = serializers.CharField(max_length=200, allow_blank=True, default="")
    agenda_notice_days = serializers.IntegerField(default=3, min_value=0)


class ForumMemberInput(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Leave out for the whole agency.",
    )
    joined_on = serializers.DateField(required=False, allow_null=True)


class ForumMemberLeaveInput(serializers.Serializer):
    left_on = serializers.DateField(required=False, help_text="Default: today.")


class MeetingFilterInput(serializers.Serializer):
    forum = serializers.UUIDField(required=False)

    def get_fields(self):
        # `from` is a Python keyword, so it cannot be declared as an attribute.
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, help_text="Meetings starting on or after this day."
        )
        fields["to"] = serializers.DateField(
            required=False, help_text="Meetings starting on or before this day."
        )
        return fields


class MeetingCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AttendanceInput(serializers.Serializer):
    participant = serializers.UUIDField()
    attended = serializers.BooleanField()


class AgendaOrderInput(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=False,
        help_text="Item ids in their new order; items not named follow them.",
    )


class MeetingRefInput(serializers.Serializer):
    meeting = serializers.UUIDField()


class AgendaItemInput(serializers.Serializer):
    meeting = serializers.UUIDField()
    title = serializers.CharField(max_length=200)
    person = serializers.UUIDField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")
    age_override_reason = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        default="",
        help_text="Why the forum discusses a person outside its target age group.",
    )


class AgendaItemUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    consent_status = serializers.ChoiceField(
        choices=ConsentStatus.choices, allow_blank=True, required=False
    )
    age_override_reason = serializers.CharField(
        max_length=1000, allow_blank=True, required=False
    )


class DecisionInput(serializers.Serializer):
    decision = serializers.CharField(max_length=4000)
    request_conversation = serializers.BooleanField(
        default=False,
        help_text="Request a concern conversation with the item's person; it goes "
        "to the police liaison officer taking part.",
    )
    conversation_reason = serializers.CharField(
        max_length=4000, allow_blank=True, default=""
    )


class SharedInformationInput(serializers.Serializer):
    """Share information in a meeting, for the caller's acting agency (R-115-5):
    under a basis of the forum's (R-115-1), with why it is necessary (R-115-2)."""

    item = serializers.UUIDField(help_text="The agenda item the information is about.")
    text = serializers.CharField(max_length=4000)
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices,
        error_messages={"required": _("Choose the legal basis you share under.")},
    )
    necessity = serializers.CharField(
        max_length=1000,
        error_messages={
            "required": _("Write why sharing this is necessary."),
            "blank": _("Write why sharing this is necessary."),
        },
    )
    consent = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="The person's consent, when consent is the basis.",
    )
    gang_kind = serializers.ChoiceField(
        choices=GangInformationKind.choices,
        allow_blank=True,
        default="",
        help_text="Police only, with §115 stk. 5 as the basis.",
    )
    recipients = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text="§115 stk. 5: the named participants who may see it (R-115-6).",
    )


class ReshareInput(serializers.Serializer):
    """Pass information received in one meeting on into another (R-115-8): a new
    basis of the caller's own, with its justification."""

    reshared_from = serializers.UUIDField(help_text="The shared information passed on.")
    item = serializers.UUIDField(help_text="The agenda item in the other meeting.")
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices,
        allow_blank=True,
        default="",
        help_text="Required: the basis it was received under does not carry over.",
    )
    necessity = serializers.CharField(max_length=1000, allow_blank=True, default="")
    consent = serializers.UUIDField(required=False, allow_null=True)


class ActionItemFilterInput(serializers.Serializer):
    meeting = serializers.UUIDField(required=False)
    mine = serializers.BooleanField(
        required=False, help_text="The open action items the caller answers for."
    )
    agency = serializers.BooleanField(
        required=False,
        help_text="The open action items of the agencies the caller leads.",
    )


class ActionItemInput(serializers.Serializer):
    item = serializers.UUIDField()
    description = serializers.CharField(max_length=2000)
    responsible_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all()
    )
    responsible_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    due_on = serializers.DateField()


class ActionItemStatusInput(serializers.Serializer):
    status = PlainChoiceField(
        choices=ActionStatus.choices,
        help_text="`open`, `done` or `cancelled`.",
    )


class ConsentFilterInput(serializers.Serializer):
    person = serializers.UUIDField()


class ConsentInput(serializers.Serializer):
    person = serializers.UUIDField()
    given_by = serializers.CharField(
        max_length=160,
        help_text="The young person, or the custody holder who consented.",
    )
    scope = serializers.CharField(max_length=1000)
    agencies = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), many=True, allow_empty=False
    )
    given_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)


class ConsentWithdrawInput(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, help_text="Default: today.")
