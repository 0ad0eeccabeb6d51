"""/api/v1/ for family assessments and joint family action plans (issue 7,
point 7), through the same access functions (families.plan_selectors) and
services (families.plans) as the pages.

Endpoints: `family-assessments/` (+ `{id}/ratings/`, `changes/?family=`),
`family-plans/` (+ `{id}/approve/`, `…/put-in-force/`, `…/revise/`, `…/close/`,
`…/goals/`, `…/pdf/`), `family-plan-actions/` (+ `{id}/status/`) and
`family-plan-progress/`.

Who gets what (issue 7, point 6):

* 404 for whoever does not take part: an assessment is seen with its family; a
  plan by the coordinating agency, the family's case workers, each agency with an
  action and the approving manager; an action by its own agency, the coordinating
  agency and the approving manager. Lists (`?family=`) are empty for the others.
  So another agency in the plan changing an action it does not own gets 404: it
  may not even know of the action (the school and the social services' action);
* 403 (audited) for a reader who may not write: a case worker or the approving
  manager on the coordinating agency's writes, the approving manager on an
  action, anyone but a manager of the family's municipality on approval;
* 400 with the services' field messages (core.api.exception_handler) for a
  refusal of the domain: no wishes, a review date or deadline in the past, a
  responsible person outside the agency, a change to a plan no longer a draft.

The PDF (`GET family-plans/{id}/pdf/`) is the plan as the caller may see it, for
whoever may export it (the coordinating agency and the approving manager); an
export of names, so it needs fresh authentication (accounts.fresh: a recent
sign-in, or the code in the `X-Tvaers-OTP` header). Audited by the renderer.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from access.permissions import (
    CHANGE,
    EXPORT,
    VIEW,
    acting_agency,
    can_approve_plans,
    get_visible_or_404,
    require,
)
from accounts.fresh import require_fresh_authentication
from cases.models import Person
from conversations.documents_api import PdfRenderer
from conversations.documents_views import pdf_response
from core.api import field_lookup, validated

from . import plan_selectors as selectors
from . import plans
from .models import Family
from .plan_models import Action, Assessment, Goal, Plan, Progress
from .plan_pdf import plan_filename, plan_render_pdf
from .plan_serializers import (
    FamilyAssessmentChangeOutput,
    FamilyAssessmentDetailOutput,
    FamilyAssessmentInput,
    FamilyAssessmentOutput,
    FamilyPlanActionInput,
    FamilyPlanActionOutput,
    FamilyPlanActionStatusInput,
    FamilyPlanActionUpdateInput,
    FamilyPlanCloseInput,
    FamilyPlanDetailOutput,
    FamilyPlanGoalInput,
    FamilyPlanGoalOutput,
    FamilyPlanInForceInput,
    FamilyPlanInput,
    FamilyPlanOutput,
    FamilyPlanProgressInput,
    FamilyPlanProgressOutput,
    FamilyPlanUpdateInput,
    FamilyRatingInput,
    FamilyRatingOutput,
    FamilyRefInput,
)


def _member(pk) -> Person | None:
    """The member a rating or goal is about, by id. Not fetched through the person's
    access function: whoever may see the family (or the plan) works with its
    members, and the service refuses an id that is not a member of the family
    (a field error). The answer is read back through the selectors."""
    return None if pk is None else Person(pk=pk)


def _family(user, pk) -> Family:
    return field_lookup("family", lambda: get_visible_or_404(user, Family, pk=pk))


def _goal(user, fields: dict, action: str = VIEW) -> Goal:
    """The goal named by `plan` and `goal`, through the plan's access function."""
    plan = field_lookup(
        "plan",
        lambda: selectors.plan_for(user=user, pk=fields.pop("plan"), action=action),
    )
    goal_id = fields.pop("goal")
    goal = selectors.goals_of(user=user, plan=plan).filter(pk=goal_id).first()
    if goal is None:
        raise serializers.ValidationError({"goal": [_("Not found.")]})
    goal.plan = plan
    return goal


# --- Assessments ----------------------------------------------------------------------


class FamilyAssessmentViewSet(viewsets.GenericViewSet):
    """A family's assessments, newest first (`?family=` required). Seen by whoever
    may see the family; each agency rates as itself."""

    serializer_class = FamilyAssessmentOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Assessment.objects.none()  # every read goes through a selector

    def _detail(self, assessment, *, code: int = status.HTTP_200_OK) -> Response:
        ratings = selectors.ratings_of(user=self.request.user, assessment=assessment)
        return Response(
            FamilyAssessmentDetailOutput(
                assessment, context={"ratings": list(ratings)}
            ).data,
            status=code,
        )

    @extend_schema(
        parameters=[FamilyRefInput],
        responses={200: FamilyAssessmentOutput(many=True)},
    )
    def list(self, request):
        family_id = validated(FamilyRefInput, request.query_params)["family"]
        found = selectors.assessments_of(user=request.user, family=Family(pk=family_id))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(FamilyAssessmentOutput(page, many=True).data)

    @extend_schema(responses={200: FamilyAssessmentDetailOutput})
    def retrieve(self, request, pk=None):
        """The assessment with every agency's ratings, grouped by agency."""
        return self._detail(selectors.assessment_for(user=request.user, pk=pk))

    @extend_schema(
        request=FamilyAssessmentInput, responses={201: FamilyAssessmentDetailOutput}
    )
    def create(self, request):
        """A new assessment of the family by the acting agency; the earlier ones
        stay as they were."""
        agency = acting_agency(request)
        fields = validated(FamilyAssessmentInput, request.data)
        family = _family(request.user, fields.pop("family"))
        assessment = plans.assessment_create(
            actor=request.user, agency=agency, family=family, **fields
        )
        return self._detail(
            selectors.assessment_for(user=request.user, pk=assessment.pk),
            code=status.HTTP_201_CREATED,
        )

    @extend_schema(request=FamilyRatingInput, responses={201: FamilyRatingOutput})
    @action(detail=True, methods=["post"])
    def ratings(self, request, pk=None):
        """Rate a factor for the family or a member as the acting agency;
        recording again replaces the agency's own rating only."""
        assessment = selectors.assessment_for(user=request.user, pk=pk)
        agency = acting_agency(request)
        fields = validated(FamilyRatingInput, request.data)
        rating = plans.rating_record(
            actor=request.user,
            agency=agency,
            assessment=assessment,
            person=_member(fields.pop("person", None)),
            **fields,
        )
        rating = selectors.ratings_of(user=request.user, assessment=assessment).get(
            pk=rating.pk
        )
        return Response(FamilyRatingOutput(rating).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[FamilyRefInput],
        responses={200: FamilyAssessmentChangeOutput(many=True)},
    )
    @action(detail=False, methods=["get"])
    def changes(self, request):
        """What changed between the family's last two assessments: per member (or
        the family) and factor, the highest rating before and now."""
        family_id = validated(FamilyRefInput, request.query_params)["family"]
        family = get_visible_or_404(request.user, Family, pk=family_id)
        found = selectors.assessment_changes(user=request.user, family=family)
        return Response(FamilyAssessmentChangeOutput(found, many=True).data)


# --- Plans ----------------------------------------------------------------------------


class FamilyPlanViewSet(viewsets.GenericViewSet):
    """A family's plan versions, newest first (`?family=` required). A draft is
    edited by the coordinating agency and approved by a manager of the family's
    municipality; a revision makes a new draft version and keeps the old one."""

    serializer_class = FamilyPlanOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Plan.objects.none()  # every read goes through a selector

    def _plan(self, pk, action: str = VIEW) -> Plan:
        return selectors.plan_for(user=self.request.user, pk=pk, action=action)

    def _detail(self, plan: Plan, *, code: int = status.HTTP_200_OK) -> Response:
        """The plan with its goals, the actions the caller may see and the
        progress updates: four queries whatever the plan's size."""
        user = self.request.user
        actions: dict = {}
        for found in selectors.actions_of(user=user, plan=plan):
            actions.setdefault(found.goal_id, []).append(found)
        updates: dict = {}
        for update in selectors.progress_of(user=user, plan=plan):
            updates.setdefault(update.goal_id, []).append(update)
        context = {
            "goals": list(selectors.goals_of(user=user, plan=plan)),
            "actions": actions,
            "updates": updates,
        }
        return Response(FamilyPlanDetailOutput(plan, context=context).data, status=code)

    @extend_schema(
        parameters=[FamilyRefInput], responses={200: FamilyPlanOutput(many=True)}
    )
    def list(self, request):
        """The plan versions the caller may see (empty for a family it takes no
        part in)."""
        family_id = validated(FamilyRefInput, request.query_params)["family"]
        found = selectors.plans_of(user=request.user, family=Family(pk=family_id))
        page = self.paginate_queryset(found)
        return self.get_paginated_response(FamilyPlanOutput(page, many=True).data)

    @extend_schema(responses={200: FamilyPlanDetailOutput})
    def retrieve(self, request, pk=None):
        return self._detail(self._plan(pk))

    @extend_schema(request=FamilyPlanInput, responses={201: FamilyPlanDetailOutput})
    def create(self, request):
        """The family's first (or, after a closed plan, next) plan: a draft
        coordinated by the acting agency, from the family's own wishes."""
        agency = acting_agency(request)
        fields = validated(FamilyPlanInput, request.data)
        family = _family(request.user, fields.pop("family"))
        plan = plans.plan_create(
            actor=request.user, agency=agency, family=family, **fields
        )
        return self._detail(self._plan(plan.pk), code=status.HTTP_201_CREATED)

    @extend_schema(
        request=FamilyPlanUpdateInput, responses={200: FamilyPlanDetailOutput}
    )
    def update(self, request, pk=None):
        """The wishes and the review date of a draft (the coordinating agency)."""
        plan = self._plan(pk, CHANGE)
        fields = validated(FamilyPlanUpdateInput, request.data)
        plans.plan_update(actor=request.user, plan=plan, **fields)
        return self._detail(plan)

    @extend_schema(request=None, responses={200: FamilyPlanDetailOutput})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """A manager of the family's municipality approves the draft and then sees
        every action of it."""
        plan = self._plan(pk)
        require(can_approve_plans(request.user, plan.family.municipality))
        plans.plan_approve(actor=request.user, plan=plan)
        return self._detail(self._plan(pk))

    @extend_schema(
        request=FamilyPlanInForceInput, responses={200: FamilyPlanDetailOutput}
    )
    @action(detail=True, methods=["post"], url_path="put-in-force")
    def put_in_force(self, request, pk=None):
        """Approved → in force: reminders for the deadlines and the review date."""
        plan = self._plan(pk, CHANGE)
        fields = validated(FamilyPlanInForceInput, request.data)
        plans.plan_put_in_force(
            actor=request.user, plan=plan, from_date=fields.get("from_date")
        )
        return self._detail(plan)

    @extend_schema(request=None, responses={201: FamilyPlanDetailOutput})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """In force → revised: a new draft version copies the goals and actions;
        this version is kept as it was."""
        plan = self._plan(pk, CHANGE)
        draft = plans.plan_revise(actor=request.user, plan=plan)
        return self._detail(self._plan(draft.pk), code=status.HTTP_201_CREATED)

    @extend_schema(
        request=FamilyPlanCloseInput, responses={200: FamilyPlanDetailOutput}
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        plan = self._plan(pk, CHANGE)
        fields = validated(FamilyPlanCloseInput, request.data)
        plans.plan_close(
            actor=request.user,
            plan=plan,
            closed_on=fields["closed_on"],
            reason=fields["close_reason"],
        )
        return self._detail(plan)

    @extend_schema(request=FamilyPlanGoalInput, responses={201: FamilyPlanGoalOutput})
    @action(detail=True, methods=["post"])
    def goals(self, request, pk=None):
        """A goal for the family or one member (a draft; the coordinating agency)."""
        plan = self._plan(pk, CHANGE)
        fields = validated(FamilyPlanGoalInput, request.data)
        goal = plans.goal_add(
            actor=request.user,
            plan=plan,
            person=_member(fields.pop("person", None)),
            **fields,
        )
        goal = selectors.goals_of(user=request.user, plan=plan).get(pk=goal.pk)
        return Response(FamilyPlanGoalOutput(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The plan (PDF)"
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer, PdfRenderer],
    )
    def pdf(self, request, pk=None):
        """The plan as a PDF, holding only what the caller may see (the
        coordinating agency and the approving manager). Needs fresh
        authentication; audited as an export."""
        plan = self._plan(pk, EXPORT)
        require_fresh_authentication(request)
        content = plan_render_pdf(reader=request.user, plan=plan)
        return pdf_response(content, plan_filename(plan))

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON even when the client asked for `Accept: application/pdf`.
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


# --- Actions --------------------------------------------------------------------------


class FamilyPlanActionViewSet(viewsets.GenericViewSet):
    """A plan's actions, one at a time: each agency adds and changes its own; the
    coordinating agency adds and changes any while the plan is a draft. In force,
    only the status changes (`…/status/`)."""

    serializer_class = FamilyPlanActionOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Action.objects.none()  # every read goes through a selector

    def _action(self, pk, action: str = VIEW) -> Action:
        return selectors.action_for(user=self.request.user, pk=pk, action=action)

    @extend_schema(responses={200: FamilyPlanActionOutput})
    def retrieve(self, request, pk=None):
        return Response(FamilyPlanActionOutput(self._action(pk)).data)

    @extend_schema(
        request=FamilyPlanActionInput, responses={201: FamilyPlanActionOutput}
    )
    def create(self, request):
        """An action for a goal of a draft, by the acting agency for itself (or,
        as the coordinating agency, for another agency)."""
        agency = acting_agency(request)
        fields = validated(FamilyPlanActionInput, request.data)
        goal = _goal(request.user, fields)
        found = plans.action_add(
            actor=request.user,
            actor_agency=agency,
            goal=goal,
            agency=fields.pop("agency", None) or agency,
            **fields,
        )
        return Response(
            FamilyPlanActionOutput(self._action(found.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=FamilyPlanActionUpdateInput, responses={200: FamilyPlanActionOutput}
    )
    def partial_update(self, request, pk=None):
        found = self._action(pk, CHANGE)
        fields = validated(FamilyPlanActionUpdateInput, request.data)
        plans.action_update(
            actor=request.user,
            actor_agency=acting_agency(request),
            action=found,
            **fields,
        )
        return Response(FamilyPlanActionOutput(found).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """Remove an action from a draft."""
        found = self._action(pk, CHANGE)
        plans.action_remove(
            actor=request.user, actor_agency=acting_agency(request), action=found
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=FamilyPlanActionStatusInput, responses={200: FamilyPlanActionOutput}
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Not started, started, done or stopped (also while the plan is in
        force): the action's own agency."""
        found = self._action(pk, CHANGE)
        fields = validated(FamilyPlanActionStatusInput, request.data)
        plans.action_update(
            actor=request.user,
            actor_agency=acting_agency(request),
            action=found,
            status=fields["status"],
        )
        return Response(FamilyPlanActionOutput(found).data)


# --- Progress -------------------------------------------------------------------------


class FamilyPlanProgressViewSet(viewsets.GenericViewSet):
    """Dated progress updates of a goal while the plan is in force: by the
    coordinating agency or an agency with an action for the goal."""

    serializer_class = FamilyPlanProgressOutput
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Progress.objects.none()  # every read goes through a selector

    @extend_schema(
        request=FamilyPlanProgressInput, responses={201: FamilyPlanProgressOutput}
    )
    def create(self, request):
        agency = acting_agency(request)
        fields = validated(FamilyPlanProgressInput, request.data)
        goal = _goal(request.user, fields)
        update = plans.progress_record(
            actor=request.user, actor_agency=agency, goal=goal, **fields
        )
        return Response(
            FamilyPlanProgressOutput(update).data, status=status.HTTP_201_CREATED
        )
