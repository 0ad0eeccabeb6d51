"""Input and output serializers of /api/v1/conversations/ and its catalogues.

Outputs are read-only and come in two widths: `ConversationSummaryOutput` is what a
caller with the `summary` grant may know (that the conversation exists, about whom,
its state and dates); `ConversationDetailOutput` adds the reason, the notes, the
participants, measures and follow-ups, and is used only for a caller who may `view`
the conversation. The views choose; a serializer never decides access.

Inputs carry only what the caller chooses. The agency, the responsible officer, the
author and the legal basis of the grants are set by the services.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.legal import LegalBasis
from organisations.models import Agency, User

from .models import (
    ConcernConversation,
    ConcernKind,
    FollowUp,
    Measure,
    MeasureStatus,
    MeasureType,
    Method,
    Outcome,
    Participant,
    ParticipantRole,
    Phase,
    RequestSource,
    Status,
)

# --- References -----------------------------------------------------------------------


class PersonRef(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    name = serializers.CharField(source="full_name")


class AgencyRef(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    name = serializers.CharField()


class UserRef(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.name_and_title


class NamedRef(serializers.Serializer):
    """A catalogue entry (method, measure type) in the caller's language."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


# --- Outputs --------------------------------------------------------------------------


class ConversationParticipantOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    agency = AgencyRef(allow_null=True)

    class Meta:
        model = Participant
        fields = ["id", "role", "name", "user", "person", "agency", "attended"]
        read_only_fields = fields


class ConversationMeasureOutput(serializers.ModelSerializer):
    measure_type = NamedRef()
    responsible_agency = AgencyRef()
    responsible_user = UserRef(allow_null=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "conversation",
            "measure_type",
            "description",
            "responsible_agency",
            "responsible_user",
            "due_on",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WorklistMeasureOutput(ConversationMeasureOutput):
    """A measure on the responsible agency's worklist: the measure and the young
    person it concerns, never the conversation's notes."""

    person = PersonRef()

    class Meta(ConversationMeasureOutput.Meta):
        fields = [*ConversationMeasureOutput.Meta.fields, "person"]
        read_only_fields = fields


class ConversationFollowUpOutput(serializers.ModelSerializer):
    agency = AgencyRef()
    recorded_by = UserRef()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "followed_up_on",
            "note",
            "concern_continues",
            "next_follow_up_on",
            "agency",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ConversationSummaryOutput(serializers.ModelSerializer):
    """What every party may know: that it exists, about whom, how far it is."""

    person = PersonRef()
    agency = AgencyRef(help_text="The police agency holding the conversation.")
    municipal_agency = AgencyRef()
    owner = UserRef(help_text="The responsible police officer.")

    class Meta:
        model = ConcernConversation
        fields = [
            "id",
            "person",
            "kind",
            "status",
            "requested_on",
            "planned_at",
            "held_on",
            "follow_up_on",
            "agency",
            "municipal_agency",
            "owner",
        ]
        read_only_fields = fields


class ConversationDetailOutput(ConversationSummaryOutput):
    """The whole conversation, for the police agency and the municipal agency
    taking part. The views pass the participants, measures and follow-ups the
    caller may see in the context (each read through its selector)."""

    method = NamedRef(allow_null=True)
    participants = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    follow_ups = serializers.SerializerMethodField()

    class Meta(ConversationSummaryOutput.Meta):
        fields = [
            *ConversationSummaryOutput.Meta.fields,
            "source",
            "requested_by",
            "reason",
            "legal_basis",
            "place",
            "interpreter_needed",
            "interpreter_language",
            "method",
            "mapping_note",
            "accountability_note",
            "measures_note",
            "outcome",
            "status_reason",
            "closed_on",
            "participants",
            "measures",
            "follow_ups",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ConversationParticipantOutput(many=True))
    def get_participants(self, conversation) -> list:
        return ConversationParticipantOutput(
            self.context["participants"], many=True
        ).data

    @extend_schema_field(ConversationMeasureOutput(many=True))
    def get_measures(self, conversation) -> list:
        return ConversationMeasureOutput(self.context["measures"], many=True).data

    @extend_schema_field(ConversationFollowUpOutput(many=True))
    def get_follow_ups(self, conversation) -> list:
        return ConversationFollowUpOutput(self.context["follow_ups"], many=True).data


class QuestionsByPhaseOutput(serializers.Serializer):
    mapping = serializers.ListField(child=serializers.CharField())
    accountability = serializers.ListField(child=serializers.CharField())
    measures = serializers.ListField(child=serializers.CharField())
    any = serializers.ListField(
        child=serializers.CharField(), help_text="Questions for any phase."
    )


class ConversationMethodOutput(serializers.ModelSerializer):
    name = serializers.CharField()
    description = serializers.CharField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Method
        fields = ["id", "name", "description", "questions"]
        read_only_fields = fields

    @extend_schema_field(QuestionsByPhaseOutput)
    def get_questions(self, method) -> dict:
        # Reads the prefetched questions: no query per method.
        grouped: dict[str, list[str]] = {phase: [] for phase in Phase.values}
        grouped["any"] = []
        for question in method.questions.all():
            grouped[question.phase or "any"].append(question.text)
        return grouped


class MeasureTypeOutput(serializers.ModelSerializer):
    name = serializers.CharField()

    class Meta:
        model = MeasureType
        fields = ["id", "name"]
        read_only_fields = fields


# --- Inputs ---------------------------------------------------------------------------


class ConversationFilterInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("open", _("Open")), *Status.choices],
        required=False,
        help_text="A state, or `open` for every state not yet closed or cancelled.",
    )
    kind = serializers.ChoiceField(choices=ConcernKind.choices, required=False)
    mine = serializers.BooleanField(
        required=False, help_text="Only those the caller is responsible for."
    )


class ConversationInput(serializers.Serializer):
    person = serializers.UUIDField(label=_("young person"))
    kind = serializers.ChoiceField(choices=ConcernKind.choices)
    source = serializers.ChoiceField(choices=RequestSource.choices)
    requested_by = serializers.CharField(max_length=200)
    requested_on = serializers.DateField()
    reason = serializers.CharField(max_length=4000)
    municipal_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), label=_("municipal agency taking part")
    )
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices,
        default=LegalBasis.RPL115_1_1_SSP,
        help_text="The basis on which the municipal agency and the SSP unit are "
        "told of the conversation.",
    )


class ConversationPlanInput(serializers.Serializer):
    planned_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, allow_blank=True, default="")
    interpreter_needed = serializers.BooleanField(default=False)
    interpreter_language = serializers.CharField(
        max_length=60, allow_blank=True, default=""
    )


class ConversationMeasureInput(serializers.Serializer):
    measure_type = serializers.PrimaryKeyRelatedField(
        queryset=MeasureType.objects.all()
    )
    description = serializers.CharField(max_length=2000, allow_blank=True, default="")
    responsible_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all()
    )
    responsible_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    due_on = serializers.DateField()


class ConversationHoldInput(serializers.Serializer):
    held_on = serializers.DateField()
    mapping_note = serializers.CharField(max_length=8000, allow_blank=True, default="")
    accountability_note = serializers.CharField(
        max_length=8000, allow_blank=True, default=""
    )
    measures_note = serializers.CharField(max_length=8000, allow_blank=True, default="")
    attended = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=True,
        help_text="The ids of the invited participants who came.",
    )
    follow_up_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Default: the municipality's follow-up period after `held_on`.",
    )
    method = serializers.PrimaryKeyRelatedField(
        queryset=Method.objects.all(), required=False, allow_null=True
    )
    measures = ConversationMeasureInput(many=True, required=False)


class ConversationFollowUpInput(serializers.Serializer):
    followed_up_on = serializers.DateField()
    note = serializers.CharField(max_length=4000, allow_blank=True, default="")
    concern_continues = serializers.BooleanField()
    next_follow_up_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Required when the concern continues.",
    )


class ConversationCloseInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")
    closed_on = serializers.DateField(
        required=False, allow_null=True, help_text="Default: today."
    )


class ConversationReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class ConversationParticipantInput(serializers.Serializer):
    """A member of staff (`user`, for the police and municipal roles), a person
    of the registry (`person`: the young person, or a parent on the family record)
    or a name (interpreter, other)."""

    role = serializers.ChoiceField(choices=ParticipantRole.choices)
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    person = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(max_length=200, allow_blank=True, default="")


class MeasureStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=MeasureStatus.choices)
