"""Input and output shapes of /api/v1/ for family assessments and joint family
action plans (issue 7, point 7).

Outputs are read-only; inputs carry only what a caller may choose, so the
server-set fields (the coordinating or contributing agency, who recorded what,
the version, the state, the approver) are never writable: the acting agency is
the request's (access.permissions.acting_agency).

Kept apart on purpose (STYLE.md §8): a plan's representation nests only the
actions the caller may see (families.plan_selectors.actions_of), handed in
through the context by the view; nothing here reads the database.

Choice fields are documented as plain strings or integers with their values in
the help text (`_choice`): `status`, `kind` and `level` exist in other apps, and
enum components of the same name would collide in the schema.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.serializers import AgencyRef, PersonRef, UserRef
from organisations.models import Agency, User

from .plan_models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentFactor,
    AssessmentFactorKind,
    Goal,
    Level,
    Plan,
    PlanStatus,
    Progress,
    Rating,
    SectorLaw,
)
from .plan_states import allowed_events


@extend_schema_field(OpenApiTypes.STR)
class _PlanChoiceField(serializers.ChoiceField):
    """Validated against its choices, documented as a string with the values in
    its help text (no enum component to collide with other apps' names)."""


@extend_schema_field(OpenApiTypes.INT)
class _PlanIntChoiceField(serializers.ChoiceField):
    """The same for integer choices (a rating's level)."""


def _choice(choices, **kwargs) -> serializers.ChoiceField:
    values = ", ".join(f"`{v}`" for v in choices.values)
    kwargs["help_text"] = " ".join(
        filter(None, [kwargs.get("help_text", ""), f"One of: {values}."])
    )
    field = (
        _PlanIntChoiceField
        if all(isinstance(v, int) for v in choices.values)
        else _PlanChoiceField
    )
    return field(choices=choices.choices, **kwargs)


def _values(choices) -> str:
    return "One of: " + ", ".join(f"`{v}`" for v in choices.values) + "."


# --- Assessment outputs ---------------------------------------------------------------


class FamilyAssessmentOutput(serializers.ModelSerializer):
    agency = AgencyRef(help_text="The coordinating agency.")
    created_by = UserRef()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "family",
            "number",
            "assessed_on",
            "summary",
            "agency",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class FamilyAssessmentFactorOutput(serializers.ModelSerializer):
    name = serializers.CharField()
    kind = serializers.CharField(help_text=_values(AssessmentFactorKind))
    domain = serializers.CharField(source="domain.code")
    domain_name = serializers.CharField(source="domain.name")

    class Meta:
        model = AssessmentFactor
        fields = ["id", "name", "kind", "domain", "domain_name"]
        read_only_fields = fields


class FamilyRatingOutput(serializers.ModelSerializer):
    person = PersonRef(allow_null=True, help_text="Null: the family as a whole.")
    factor = FamilyAssessmentFactorOutput()
    level = serializers.IntegerField(help_text=_values(Level))
    level_label = serializers.CharField(source="get_level_display")
    agency = AgencyRef(help_text="The contributing agency.")
    rated_by = UserRef()

    class Meta:
        model = Rating
        fields = [
            "id",
            "person",
            "factor",
            "level",
            "level_label",
            "justification",
            "agency",
            "rated_on",
            "rated_by",
        ]
        read_only_fields = fields


class FamilyAssessmentContributionOutput(serializers.Serializer):
    """One agency's ratings: agencies' contributions are kept apart."""

    agency = AgencyRef()
    ratings = FamilyRatingOutput(many=True)


class FamilyAssessmentDetailOutput(FamilyAssessmentOutput):
    contributions = serializers.SerializerMethodField(
        help_text="The ratings grouped by contributing agency, side by side."
    )

    class Meta(FamilyAssessmentOutput.Meta):
        fields = [*FamilyAssessmentOutput.Meta.fields, "contributions"]
        read_only_fields = fields

    @extend_schema_field(FamilyAssessmentContributionOutput(many=True))
    def get_contributions(self, assessment) -> list:
        grouped: dict = {}
        for rating in self.context["ratings"]:
            grouped.setdefault(rating.agency_id, (rating.agency, []))[1].append(rating)
        return FamilyAssessmentContributionOutput(
            [{"agency": a, "ratings": r} for a, r in grouped.values()], many=True
        ).data


class FamilyAssessmentChangeOutput(serializers.Serializer):
    """A factor whose highest rating changed between the last two assessments."""

    person = PersonRef(allow_null=True, help_text="Null: the family as a whole.")
    factor = FamilyAssessmentFactorOutput()
    before = serializers.IntegerField(allow_null=True, help_text=_values(Level))
    after = serializers.IntegerField(allow_null=True, help_text=_values(Level))


# --- Plan outputs ---------------------------------------------------------------------


class FamilyPlanActionOutput(serializers.ModelSerializer):
    status = serializers.CharField(help_text=_values(ActionStatus))
    status_label = serializers.CharField(source="get_status_display")
    sector_law = serializers.CharField(help_text=_values(SectorLaw))
    sector_law_label = serializers.CharField(source="get_sector_law_display")
    agency = AgencyRef()
    responsible = UserRef()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "goal",
            "what",
            "measure",
            "actors",
            "agency",
            "responsible",
            "deadline",
            "status",
            "status_label",
            "sector_law",
            "sector_law_label",
            "linked_plans",
        ]
        read_only_fields = fields


class FamilyPlanProgressOutput(serializers.ModelSerializer):
    agency = AgencyRef()

    class Meta:
        model = Progress
        fields = ["id", "goal", "percent", "note", "recorded_on", "agency"]
        read_only_fields = fields


class FamilyPlanGoalOutput(serializers.ModelSerializer):
    person = PersonRef(allow_null=True, help_text="Null: a goal for the family.")
    actions = serializers.SerializerMethodField(
        help_text="The goal's actions the caller may see."
    )
    updates = serializers.SerializerMethodField(
        help_text="The goal's progress updates, newest first."
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "person",
            "title",
            "position",
            "progress",
            "actions",
            "updates",
        ]
        read_only_fields = fields

    @extend_schema_field(FamilyPlanActionOutput(many=True))
    def get_actions(self, goal) -> list:
        found = self.context.get("actions", {}).get(goal.pk, [])
        return FamilyPlanActionOutput(found, many=True).data

    @extend_schema_field(FamilyPlanProgressOutput(many=True))
    def get_updates(self, goal) -> list:
        found = self.context.get("updates", {}).get(goal.pk, [])
        return FamilyPlanProgressOutput(found, many=True).data


class FamilyPlanOutput(serializers.ModelSerializer):
    status = serializers.CharField(help_text=_values(PlanStatus))
    status_label = serializers.CharField(source="get_status_display")
    allowed_events = serializers.SerializerMethodField(
        help_text="The transitions the plan may take next (families.plan_states)."
    )
    agency = AgencyRef(help_text="The coordinating agency.")
    approved_by = UserRef(allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "family",
            "version",
            "previous",
            "status",
            "status_label",
            "allowed_events",
            "wishes",
            "review_on",
            "agency",
            "approved_by",
            "approved_at",
            "in_force_from",
            "closed_on",
            "close_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_allowed_events(self, plan) -> list[str]:
        return allowed_events(plan.status)


class FamilyPlanDetailOutput(FamilyPlanOutput):
    goals = serializers.SerializerMethodField(
        help_text="The goals with the actions the caller may see and the progress."
    )

    class Meta(FamilyPlanOutput.Meta):
        fields = [*FamilyPlanOutput.Meta.fields, "goals"]
        read_only_fields = fields

    @extend_schema_field(FamilyPlanGoalOutput(many=True))
    def get_goals(self, plan) -> list:
        return FamilyPlanGoalOutput(
            self.context["goals"], many=True, context=self.context
        ).data


# --- Inputs ---------------------------------------------------------------------------


class FamilyRefInput(serializers.Serializer):
    family = serializers.UUIDField(help_text="A family the caller may see.")


class FamilyAssessmentInput(FamilyRefInput):
    assessed_on = serializers.DateField(default=timezone.localdate)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class FamilyRatingInput(serializers.Serializer):
    """The acting agency's rating; recording again replaces its own rating only."""

    factor = serializers.PrimaryKeyRelatedField(queryset=AssessmentFactor.objects.all())
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text="A member; absent: the family."
    )
    level = _choice(Level)
    justification = serializers.CharField(max_length=1000, allow_blank=True)
    rated_on = serializers.DateField(default=timezone.localdate)


class FamilyPlanInput(FamilyRefInput):
    wishes = serializers.CharField(
        max_length=4000, allow_blank=True, help_text="The family's own wishes."
    )
    review_on = serializers.DateField()


class FamilyPlanUpdateInput(serializers.Serializer):
    wishes = serializers.CharField(max_length=4000, allow_blank=True)
    review_on = serializers.DateField()


class FamilyPlanInForceInput(serializers.Serializer):
    from_date = serializers.DateField(required=False, help_text="Default: today.")


class FamilyPlanCloseInput(serializers.Serializer):
    closed_on = serializers.DateField(default=timezone.localdate)
    close_reason = serializers.CharField(max_length=2000, allow_blank=True)


class FamilyPlanGoalInput(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True)
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text="A member; absent: the family."
    )


class FamilyPlanGoalRefInput(serializers.Serializer):
    plan = serializers.UUIDField(help_text="The plan version.")
    goal = serializers.UUIDField(help_text="One of the plan's goals.")


class FamilyPlanActionInput(FamilyPlanGoalRefInput):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        help_text="The agency that will act; default: the acting agency. Only the "
        "coordinating agency adds actions for another agency.",
    )
    what = serializers.CharField(max_length=2000, allow_blank=True)
    measure = serializers.CharField(max_length=1000, allow_blank=True)
    actors = serializers.CharField(max_length=300, required=False, allow_blank=True)
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="The one responsible person, working in the agency.",
    )
    deadline = serializers.DateField()
    sector_law = _choice(SectorLaw)
    linked_plans = serializers.CharField(
        max_length=300, required=False, allow_blank=True
    )


class FamilyPlanActionUpdateInput(serializers.Serializer):
    """Any of an action's own fields (a draft); in force only the status changes,
    through `…/status/`."""

    what = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    measure = serializers.CharField(max_length=1000, allow_blank=True, required=False)
    actors = serializers.CharField(max_length=300, allow_blank=True, required=False)
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    deadline = serializers.DateField(required=False)
    sector_law = _choice(SectorLaw, required=False)
    linked_plans = serializers.CharField(
        max_length=300, allow_blank=True, required=False
    )


class FamilyPlanActionStatusInput(serializers.Serializer):
    status = _choice(ActionStatus)


class FamilyPlanProgressInput(FamilyPlanGoalRefInput):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=2000, allow_blank=True)
    recorded_on = serializers.DateField(default=timezone.localdate)
