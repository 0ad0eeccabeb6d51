"""The plan page reads a fixed number of queries whatever the number of goals and
actions (issue 7, point 8: "query bounds on the plan page with 30 actions")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families import plan_selectors, plans
from families.plan_models import Action, PlanStatus, SectorLaw
from tests.familyplans.conftest import today

# The page's own reads (session, user, memberships, plan, goals, actions, the
# actions the user may change, progress, versions, members, the editor's lists)
# plus the audit entry: 15–18 today; it must not grow with the plan.
MAX_QUERIES = 22


def _grow(plan, plan_world, world, personas, *, goals: int, actions: int) -> None:
    """Add goals, then actions spread over them, until the plan holds `actions`
    (the social services' and the school's, as the agencies add them)."""
    for number in range(goals):
        plans.goal_add(actor=personas.social, plan=plan, title=f"Mål {number}")
    all_goals = list(plan.goals.all())
    for number in range(actions - Action.objects.filter(plan=plan).count()):
        school = number % 2 == 0
        plans.action_add(
            actor=plan_world.teacher if school else personas.social,
            actor_agency=plan_world.school if school else world.social_ishoej,
            goal=all_goals[number % len(all_goals)],
            agency=plan_world.school if school else world.social_ishoej,
            what=f"Handling {number}",
            measure="Måles hver måned",
            responsible=plan_world.teacher if school else personas.social,
            deadline=today() + timedelta(days=10 + number),
            sector_law=SectorLaw.SCHOOL if school else SectorLaw.CHILDREN,
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("reader", ["social", "teacher"])
def test_plan_page_queries_do_not_grow(
    reader,
    make_plan,
    plan_world,
    world,
    personas,
    client_for,
    django_assert_max_num_queries,
):
    plan = make_plan()  # one goal, two actions
    _grow(plan, plan_world, world, personas, goals=0, actions=3)
    user = plan_world.teacher if reader == "teacher" else getattr(personas, reader)
    client = client_for(user)
    url = reverse("families:plan", args=[plan.pk])
    client.get(url)  # warm the session and the content-type cache
    small = _count(client, url)

    _grow(plan, plan_world, world, personas, goals=4, actions=30)
    assert Action.objects.filter(plan=plan).count() == 30
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    shown = sum(len(goal.action_list) for goal in response.context["goals"])
    assert shown == plan_selectors.actions_of(user=user, plan=plan).count()
    assert shown == (16 if reader == "teacher" else 30)
    assert _count(client, url) == small


def test_plan_page_in_force_queries_do_not_grow(
    make_plan, plan_world, world, personas, client_for, django_assert_max_num_queries
):
    """In force the page has progress bars, updates and the progress form."""
    draft = make_plan()
    _grow(draft, plan_world, world, personas, goals=0, actions=3)
    plans.plan_approve(actor=personas.manager, plan=draft)
    plans.plan_put_in_force(actor=personas.social, plan=draft)
    client = client_for(personas.social)
    url = reverse("families:plan", args=[draft.pk])
    client.get(url)
    small = _count(client, url)

    # A larger plan in force: revise, grow the draft, approve and put it in force.
    draft.refresh_from_db()
    bigger = plans.plan_revise(actor=personas.social, plan=draft)
    _grow(bigger, plan_world, world, personas, goals=4, actions=30)
    plans.plan_approve(actor=personas.manager, plan=bigger)
    plans.plan_put_in_force(actor=personas.social, plan=bigger)
    for goal in bigger.goals.all():
        plans.progress_record(
            actor=personas.social,
            actor_agency=world.social_ishoej,
            goal=goal,
            percent=50,
            note="Halvvejs",
            recorded_on=today(),
        )
    bigger.refresh_from_db()
    assert bigger.status == PlanStatus.IN_FORCE
    url = reverse("families:plan", args=[bigger.pk])
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert "progress_form" in response.context
    # One more version in the versions list is one more row, not one more query.
    assert _count(client, url) == small
