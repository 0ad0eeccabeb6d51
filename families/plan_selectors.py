"""Reading family assessments and action plans through the permission core
(issue 7, point 6; the grants are made by families.plans).

* an assessment and its ratings: with the family (whoever may see the family);
* a plan: the coordinating agency, the family's case workers, each agency with an
  action, the approving manager; its goals and progress with it;
* an action: its own agency, the coordinating agency and the approving manager —
  another agency in the plan sees the goals but not this action.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from access.permissions import (
    VIEW,
    can,
    can_approve_plans,
    get_visible_or_404,
    visible,
    visible_via,
)

from .models import Family
from .plan_models import Action, Assessment, Goal, Plan, PlanStatus, Progress, Rating


def assessments_of(*, user, family: Family) -> QuerySet[Assessment]:
    return visible_via(
        user,
        Assessment.objects.filter(family=family).select_related("agency", "created_by"),
        parent="family",
        parent_model=Family,
        audit=None,
    )


def assessment_for(*, user, pk) -> Assessment:
    try:
        return visible_via(
            user,
            Assessment.objects.select_related("family", "family__municipality"),
            parent="family",
            parent_model=Family,
            audit=None,
        ).get(pk=pk)
    except (Assessment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def ratings_of(*, user, assessment: Assessment) -> QuerySet[Rating]:
    """The assessment's ratings, every agency's apart, audited as a list of the
    members they name."""
    return visible_via(
        user,
        Rating.objects.filter(assessment=assessment).select_related(
            "factor", "factor__domain", "agency", "person"
        ),
        parent="assessment__family",
        parent_model=Family,
    )


def assessment_changes(*, user, family: Family) -> list[dict]:
    """What changed between the family's last two assessments: per member (or the
    family) and factor, the highest rating given before and now (two queries)."""
    last_two = list(assessments_of(user=user, family=family).order_by("-number")[:2])
    if len(last_two) < 2:
        return []
    current, previous = last_two

    def highest(assessment):
        found: dict = {}
        for rating in ratings_of(user=user, assessment=assessment):
            key = (rating.person_id, rating.factor_id)
            if key not in found or rating.level > found[key].level:
                found[key] = rating
        return found

    before, after = highest(previous), highest(current)
    changes = []
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        if (old.level if old else None) != (new.level if new else None):
            shown = new or old
            changes.append(
                {
                    "person": shown.person,
                    "factor": shown.factor,
                    "before": old.level if old else None,
                    "after": new.level if new else None,
                    "before_label": old.get_level_display() if old else "–",
                    "after_label": new.get_level_display() if new else "–",
                }
            )
    return changes


def plans_of(*, user, family: Family) -> QuerySet[Plan]:
    return visible(
        user,
        Plan.objects.filter(family=family).select_related("agency", "approved_by"),
        audit=None,
    ).order_by("-version")


def plan_for(*, user, pk, action: str = VIEW) -> Plan:
    return get_visible_or_404(
        user,
        Plan.objects.select_related(
            "family", "family__municipality", "agency", "approved_by", "created_by"
        ),
        pk=pk,
        action=action,
    )


def goals_of(*, user, plan: Plan) -> QuerySet[Goal]:
    return visible_via(
        user,
        Goal.objects.filter(plan=plan).select_related("person"),
        parent="plan",
        parent_model=Plan,
        audit=None,
    )


def goal_for(*, user, pk) -> Goal:
    """One goal, seen with its plan; 404 for whoever does not see the plan."""
    try:
        return visible_via(
            user,
            Goal.objects.select_related("plan", "person"),
            parent="plan",
            parent_model=Plan,
            audit=None,
        ).get(pk=pk)
    except (Goal.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def actions_of(*, user, plan: Plan) -> QuerySet[Action]:
    """The plan's actions the user may see: its own agency's; all of them for the
    coordinating agency and the approving manager. A draft's actions are also all
    seen by a manager who may approve it and sees the plan: the manager approves
    what it has read (issue 7, point 6: "the manager who approves sees the whole
    plan")."""
    actions = Action.objects.filter(plan=plan).select_related(
        "agency", "responsible", "goal"
    )
    if (
        plan.status == PlanStatus.DRAFT
        and can_approve_plans(user, plan.family.municipality)
        and can(user, plan, VIEW)
    ):
        return actions
    return visible(user, actions, audit=None)


def action_for(*, user, pk, action: str = VIEW) -> Action:
    return get_visible_or_404(
        user,
        Action.objects.select_related("plan", "plan__family", "agency", "responsible"),
        pk=pk,
        action=action,
    )


def progress_of(*, user, plan: Plan) -> QuerySet[Progress]:
    return visible_via(
        user,
        Progress.objects.filter(goal__plan=plan).select_related("agency"),
        parent="goal__plan",
        parent_model=Plan,
        audit=None,
    )
