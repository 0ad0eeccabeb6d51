"""Every (state, event) pair of families.plan_states through the services, and who
approves a plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from families import plans
from families.plan_models import Plan, PlanStatus
from families.plan_states import EVENTS, TRANSITIONS, Event
from organisations.models import Role
from tests.conftest import make_user
from tests.familyplans.conftest import today


@pytest.fixture
def plan_in(make_plan, personas):
    """A plan in any state, reached through the services."""

    def make(status: str) -> Plan:
        if status == PlanStatus.REVISED:
            plan = make_plan(PlanStatus.IN_FORCE)
            plans.plan_revise(actor=personas.social, plan=plan)
            plan.refresh_from_db()
            return plan
        return make_plan(status)

    return make


@pytest.fixture
def fire(personas):
    def run(plan: Plan, event: str):
        if event == Event.APPROVE:
            return plans.plan_approve(actor=personas.manager, plan=plan)
        if event == Event.PUT_IN_FORCE:
            return plans.plan_put_in_force(actor=personas.social, plan=plan)
        if event == Event.REVISE:
            return plans.plan_revise(actor=personas.social, plan=plan)
        if event == Event.CLOSE:
            return plans.plan_close(
                actor=personas.social, plan=plan, closed_on=today(), reason="Mål nået"
            )
        raise AssertionError(event)

    return run


def _snapshot(plan: Plan) -> dict:
    fresh = Plan.objects.get(pk=plan.pk)
    return {
        "status": fresh.status,
        "approved_by": fresh.approved_by_id,
        "approved_at": fresh.approved_at,
        "in_force_from": fresh.in_force_from,
        "closed_on": fresh.closed_on,
        "close_reason": fresh.close_reason,
        "versions": Plan.objects.filter(family=plan.family).count(),
    }


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("status", PlanStatus.values)
def test_every_state_and_event(status, event, plan_in, fire):
    plan = plan_in(status)
    assert plan.status == status
    target = TRANSITIONS.get((status, event))
    if target is None:
        before = _snapshot(plan)
        with pytest.raises(ValidationError) as caught:
            fire(plan, event)
        assert caught.value.code == "illegal_transition"
        assert _snapshot(plan) == before
    else:
        fire(plan, event)
        plan.refresh_from_db()
        assert plan.status == target


def test_the_table_covers_the_lifecycle():
    assert TRANSITIONS == {
        (PlanStatus.DRAFT, Event.APPROVE): PlanStatus.APPROVED,
        (PlanStatus.APPROVED, Event.PUT_IN_FORCE): PlanStatus.IN_FORCE,
        (PlanStatus.IN_FORCE, Event.REVISE): PlanStatus.REVISED,
        (PlanStatus.IN_FORCE, Event.CLOSE): PlanStatus.CLOSED,
    }


def test_approval_records_who_and_when(make_plan, personas):
    plan = make_plan(PlanStatus.APPROVED)
    assert plan.approved_by == personas.manager
    assert plan.approved_at is not None


def test_a_manager_of_another_municipality_is_refused(make_plan, world):
    plan = make_plan(PlanStatus.DRAFT)
    other = make_user("manager_albertslund", (world.ssp_albertslund, Role.MANAGER))
    with pytest.raises(ValidationError):
        plans.plan_approve(actor=other, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.approved_by is None


def test_a_social_worker_cannot_approve(make_plan, personas):
    plan = make_plan(PlanStatus.DRAFT)
    with pytest.raises(ValidationError):
        plans.plan_approve(actor=personas.social, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.approved_by is None


def test_approval_is_refused_without_actions(plan_world, world, personas):
    plan = plans.plan_create(
        actor=personas.social,
        agency=world.social_ishoej,
        family=plan_world.family,
        wishes="Ro derhjemme",
        review_on=today() + timedelta(days=30),
    )
    plans.goal_add(actor=personas.social, plan=plan, title="Et mål uden handlinger")
    with pytest.raises(ValidationError):
        plans.plan_approve(actor=personas.manager, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.approved_by is None
