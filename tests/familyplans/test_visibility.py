"""Who sees what of a plan (issue 7, point 6), in the matrix style: the plan, its
goals, each action and the progress, read through families.plan_selectors and
access.permissions.can."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from access.permissions import CHANGE, EXPORT, VIEW, can
from families import plan_selectors, plans
from families.plan_models import Action, PlanStatus
from tests.familyplans.conftest import today

SOCIAL, SCHOOL = "social", "school"

# who: (sees the plan, its goals and progress; the actions it sees; the actions it
# may change; may change the plan; may export it)
MATRIX = {
    "social": (True, {SOCIAL, SCHOOL}, {SOCIAL, SCHOOL}, True, True),
    "teacher": (True, {SCHOOL}, {SCHOOL}, False, False),
    "manager": (True, {SOCIAL, SCHOOL}, set(), False, True),
    "ssp": (True, set(), set(), False, False),
    "ssp_albertslund": (False, set(), set(), False, False),
    "police_other_district": (False, set(), set(), False, False),
}


@pytest.fixture
def who(plan_world, personas):
    def user(name: str):
        return plan_world.teacher if name == "teacher" else getattr(personas, name)

    return user


@pytest.fixture
def plan_in_force(make_plan, world, personas):
    plan = make_plan(PlanStatus.IN_FORCE)
    plans.progress_record(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        goal=plan.goals.get(),
        percent=25,
        note="Første skridt",
        recorded_on=today(),
    )
    return plan


def _by_agency(plan, plan_world, world) -> dict:
    return {
        SOCIAL: Action.objects.get(plan=plan, agency=world.social_ishoej),
        SCHOOL: Action.objects.get(plan=plan, agency=plan_world.school),
    }


@pytest.mark.parametrize("name", MATRIX)
def test_matrix(name, who, plan_in_force, plan_world, world):
    sees_plan, sees, changes, changes_plan, exports = MATRIX[name]
    user, plan = who(name), plan_in_force
    actions = _by_agency(plan, plan_world, world)

    assert can(user, plan) is sees_plan
    assert can(user, plan, CHANGE) is changes_plan
    assert can(user, plan, EXPORT) is exports
    assert set(plan_selectors.plans_of(user=user, family=plan.family)) == (
        {plan} if sees_plan else set()
    )
    assert plan_selectors.goals_of(user=user, plan=plan).exists() is sees_plan
    assert plan_selectors.progress_of(user=user, plan=plan).exists() is sees_plan
    assert set(plan_selectors.actions_of(user=user, plan=plan)) == {
        actions[agency] for agency in sees
    }
    for agency, action in actions.items():
        assert can(user, action) is (agency in sees)
        assert can(user, action, CHANGE) is (agency in changes)
        if agency in sees:
            assert plan_selectors.action_for(user=user, pk=action.pk) == action
        else:
            with pytest.raises(Http404):
                plan_selectors.action_for(user=user, pk=action.pk)

    if sees_plan:
        assert plan_selectors.plan_for(user=user, pk=plan.pk) == plan
        if not changes_plan:
            with pytest.raises(PermissionDenied):
                plan_selectors.plan_for(user=user, pk=plan.pk, action=CHANGE)
    else:
        for action in (VIEW, CHANGE):
            with pytest.raises(Http404):
                plan_selectors.plan_for(user=user, pk=plan.pk, action=action)


def test_the_manager_who_may_approve_sees_the_whole_draft_and_then_the_plan(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.DRAFT)
    # As a member of Ishøj SSP (which recorded the family) the manager sees the
    # draft and, as the one who may approve it, every action in it; exporting
    # comes with the approval.
    assert set(plan_selectors.actions_of(user=personas.manager, plan=plan)) == set(
        _by_agency(plan, plan_world, world).values()
    )
    assert not can(personas.manager, plan, EXPORT)
    # A manager of another municipality sees nothing of it.
    from organisations.models import Role
    from tests.conftest import make_user

    other = make_user("leder_albertslund", (world.ssp_albertslund, Role.MANAGER))
    assert not plan_selectors.actions_of(user=other, plan=plan).exists()
    plans.plan_approve(actor=personas.manager, plan=plan)
    assert set(plan_selectors.actions_of(user=personas.manager, plan=plan)) == set(
        _by_agency(plan, plan_world, world).values()
    )
    assert can(personas.manager, plan, EXPORT)


def test_the_next_version_is_seen_as_the_first(
    plan_in_force, plan_world, world, personas
):
    draft = plans.plan_revise(actor=personas.social, plan=plan_in_force)
    teacher_sees = set(plan_selectors.actions_of(user=plan_world.teacher, plan=draft))
    assert teacher_sees == {Action.objects.get(plan=draft, agency=plan_world.school)}
    assert can(personas.ssp, draft)
    assert not plan_selectors.actions_of(user=personas.ssp, plan=draft).exists()
    assert not can(personas.ssp_albertslund, draft)
    # Both versions stay visible to the coordinating agency.
    assert set(plan_selectors.plans_of(user=personas.social, family=draft.family)) == {
        plan_in_force,
        draft,
    }


def test_an_agency_without_an_action_does_not_see_the_plan(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.DRAFT)
    _, school_action = _by_agency(plan, plan_world, world).values()
    plans.action_remove(
        actor=personas.social, actor_agency=world.social_ishoej, action=school_action
    )
    assert not can(plan_world.teacher, plan)
    with pytest.raises(Http404):
        plan_selectors.plan_for(user=plan_world.teacher, pk=plan.pk)
