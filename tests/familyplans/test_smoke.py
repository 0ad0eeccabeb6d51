"""The services end to end, once, and who sees what."""

from __future__ import annotations

from access.permissions import can
from families import plan_selectors, plans
from families.plan_models import Action, PlanStatus


def test_a_plan_from_draft_to_revised_and_who_sees_what(
    make_plan, plan_world, personas, world
):
    plan = make_plan(PlanStatus.IN_FORCE)
    assert plan.approved_by == personas.manager
    school_action = Action.objects.get(plan=plan, agency=plan_world.school)
    social_action = Action.objects.get(plan=plan, agency=world.social_ishoej)
    # The school sees the plan and its own action, not the other agency's.
    assert can(plan_world.teacher, plan)
    assert list(plan_selectors.actions_of(user=plan_world.teacher, plan=plan)) == [
        school_action
    ]
    # The manager who approved sees every action; another municipality nothing.
    assert set(plan_selectors.actions_of(user=personas.manager, plan=plan)) == {
        school_action,
        social_action,
    }
    assert not can(personas.ssp_albertslund, plan)
    draft = plans.plan_revise(actor=personas.social, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVISED
    assert draft.version == 2
    assert Action.objects.filter(plan=draft).count() == 2
