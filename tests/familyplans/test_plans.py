"""Plans, goals, actions, versions and progress through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from families import plans
from families.plan_models import (
    Action,
    ActionStatus,
    Goal,
    Plan,
    PlanStatus,
    Progress,
    SectorLaw,
)
from families.plan_pdf import plan_content
from tests.familyplans.conftest import today


def _actions(plan, pw, world):
    return (
        Action.objects.get(plan=plan, agency=world.social_ishoej),
        Action.objects.get(plan=plan, agency=pw.school),
    )


def _new_plan(pw, world, personas, **fields):
    values = {
        "wishes": "Vi vil have ro.",
        "review_on": today() + timedelta(days=30),
    } | fields
    return plans.plan_create(
        actor=personas.social,
        agency=world.social_ishoej,
        family=pw.family,
        **values,
    )


# --- The plan ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.IN_FORCE]
)
def test_one_open_plan_per_family(status, make_plan, plan_world, world, personas):
    make_plan(status)
    with pytest.raises(ValidationError):
        _new_plan(plan_world, world, personas)
    assert Plan.objects.filter(family=plan_world.family).count() == 1


def test_a_closed_plan_makes_room_for_a_new_one(make_plan, plan_world, world, personas):
    closed = make_plan(PlanStatus.CLOSED)
    plan = _new_plan(plan_world, world, personas)
    assert (plan.status, plan.version, plan.previous) == (PlanStatus.DRAFT, 2, None)
    closed.refresh_from_db()
    assert (closed.status, closed.version) == (PlanStatus.CLOSED, 1)


def test_wishes_and_a_future_review_date_are_required(plan_world, world, personas):
    with pytest.raises(ValidationError) as caught:
        _new_plan(plan_world, world, personas, wishes="  ", review_on=today())
    assert set(caught.value.message_dict) == {"wishes", "review_on"}
    assert not Plan.objects.exists()


def test_update_asks_the_same(make_plan, personas):
    plan = make_plan(PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        plans.plan_update(
            actor=personas.social,
            plan=plan,
            wishes="",
            review_on=today() - timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"wishes", "review_on"}


def test_a_plan_that_is_not_a_draft_is_not_updated(make_plan, personas):
    plan = make_plan(PlanStatus.APPROVED)
    with pytest.raises(ValidationError):
        plans.plan_update(
            actor=personas.social,
            plan=plan,
            wishes="Nye ønsker",
            review_on=today() + timedelta(days=10),
        )
    plan.refresh_from_db()
    assert plan.wishes != "Nye ønsker"


# --- Goals ------------------------------------------------------------------------


def test_goals_are_added_to_a_draft(make_plan, plan_world, personas):
    plan = make_plan(PlanStatus.DRAFT)
    goal = plans.goal_add(
        actor=personas.social, plan=plan, title="Ro i hjemmet", person=None
    )
    assert goal.position == 2
    assert goal.progress == 0


@pytest.mark.parametrize("status", [PlanStatus.APPROVED, PlanStatus.IN_FORCE])
def test_goals_only_on_a_draft(status, make_plan, personas):
    plan = make_plan(status)
    with pytest.raises(ValidationError):
        plans.goal_add(actor=personas.social, plan=plan, title="Et mål for sent")
    assert plan.goals.count() == 1


def test_a_goal_for_someone_outside_the_family_is_refused(
    make_plan, personas, ishoej_person
):
    plan = make_plan(PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        plans.goal_add(
            actor=personas.social, plan=plan, title="Mål", person=ishoej_person
        )
    assert "person" in caught.value.message_dict


# --- Actions ----------------------------------------------------------------------


def test_the_school_cannot_change_the_social_services_action(
    make_plan, plan_world, world
):
    plan = make_plan(PlanStatus.DRAFT)
    social_action, _ = _actions(plan, plan_world, world)
    with pytest.raises(ValidationError):
        plans.action_update(
            actor=plan_world.teacher,
            actor_agency=plan_world.school,
            action=social_action,
            what="Skolen bestemmer",
        )
    social_action.refresh_from_db()
    assert social_action.what == "Familiebehandling hver uge"


def test_the_school_cannot_add_an_action_for_another_agency(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.DRAFT)
    with pytest.raises(ValidationError):
        plans.action_add(
            actor=plan_world.teacher,
            actor_agency=plan_world.school,
            goal=plan.goals.get(),
            agency=world.social_ishoej,
            what="Noget for de andre",
            measure="Noget",
            responsible=personas.social,
            deadline=today() + timedelta(days=5),
            sector_law=SectorLaw.CHILDREN,
        )
    assert Action.objects.filter(plan=plan).count() == 2


def test_the_coordinating_agency_changes_any_action_of_a_draft(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.DRAFT)
    _, school_action = _actions(plan, plan_world, world)
    plans.action_update(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        action=school_action,
        what="Ugentlig samtale om fremmøde",
    )
    school_action.refresh_from_db()
    assert school_action.what == "Ugentlig samtale om fremmøde"


def test_in_force_only_the_status_changes_and_only_by_the_own_agency(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.IN_FORCE)
    _, school_action = _actions(plan, plan_world, world)
    # The coordinating agency no longer changes the school's action.
    with pytest.raises(ValidationError):
        plans.action_update(
            actor=personas.social,
            actor_agency=world.social_ishoej,
            action=school_action,
            status=ActionStatus.STARTED,
        )
    # The school does not change more than the status.
    with pytest.raises(ValidationError):
        plans.action_update(
            actor=plan_world.teacher,
            actor_agency=plan_world.school,
            action=school_action,
            what="Noget andet",
        )
    school_action.refresh_from_db()
    assert school_action.status == ActionStatus.NOT_STARTED
    assert school_action.what == "Daglig kontakt om fremmøde"
    plans.action_update(
        actor=plan_world.teacher,
        actor_agency=plan_world.school,
        action=school_action,
        status=ActionStatus.STARTED,
    )
    school_action.refresh_from_db()
    assert school_action.status == ActionStatus.STARTED


def test_an_unknown_status_is_refused(make_plan, plan_world, world):
    plan = make_plan(PlanStatus.IN_FORCE)
    _, school_action = _actions(plan, plan_world, world)
    with pytest.raises(ValidationError) as caught:
        plans.action_update(
            actor=plan_world.teacher,
            actor_agency=plan_world.school,
            action=school_action,
            status="maybe",
        )
    assert "status" in caught.value.message_dict


def test_a_deadline_in_the_past_is_refused(make_plan, plan_world, world, personas):
    plan = make_plan(PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        plans.action_add(
            actor=personas.social,
            actor_agency=world.social_ishoej,
            goal=plan.goals.get(),
            agency=world.social_ishoej,
            what="For sent",
            measure="Noget",
            responsible=personas.social,
            deadline=today() - timedelta(days=1),
            sector_law=SectorLaw.CHILDREN,
        )
    assert set(caught.value.message_dict) == {"deadline"}
    social_action, _ = _actions(plan, plan_world, world)
    with pytest.raises(ValidationError) as caught:
        plans.action_update(
            actor=personas.social,
            actor_agency=world.social_ishoej,
            action=social_action,
            deadline=today() - timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"deadline"}
    assert Action.objects.filter(plan=plan).count() == 2


def test_the_responsible_person_works_in_the_actions_agency(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        plans.action_add(
            actor=plan_world.teacher,
            actor_agency=plan_world.school,
            goal=plan.goals.get(),
            agency=plan_world.school,
            what="Lektiehjælp",
            measure="Afleverede opgaver",
            responsible=personas.social,
            deadline=today() + timedelta(days=5),
            sector_law=SectorLaw.SCHOOL,
        )
    assert set(caught.value.message_dict) == {"responsible"}
    assert Action.objects.filter(plan=plan).count() == 2


def test_required_fields_of_an_action(make_plan, plan_world, world, personas):
    plan = make_plan(PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        plans.action_add(
            actor=personas.social,
            actor_agency=world.social_ishoej,
            goal=plan.goals.get(),
            agency=world.social_ishoej,
            what=" ",
            measure="",
            responsible=personas.social,
            deadline=today(),
            sector_law=SectorLaw.CHILDREN,
        )
    assert set(caught.value.message_dict) == {"what", "measure"}


# --- Versions ---------------------------------------------------------------------


def test_revise_makes_version_two_and_keeps_version_one(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.IN_FORCE)
    goal = plan.goals.get()
    plans.progress_record(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        goal=goal,
        percent=40,
        note="Karim kommer oftere",
        recorded_on=today(),
    )
    _, school_action = _actions(plan, plan_world, world)
    plans.action_update(
        actor=plan_world.teacher,
        actor_agency=plan_world.school,
        action=school_action,
        status=ActionStatus.DONE,
    )
    old_goals = list(Goal.objects.filter(plan=plan).values())
    old_actions = list(Action.objects.filter(plan=plan).order_by("pk").values())

    draft = plans.plan_revise(actor=personas.social, plan=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVISED
    assert plan.approved_by == personas.manager
    assert list(Goal.objects.filter(plan=plan).values()) == old_goals
    assert list(Action.objects.filter(plan=plan).order_by("pk").values()) == (
        old_actions
    )
    assert Progress.objects.filter(goal__plan=plan).count() == 1

    assert (draft.version, draft.status, draft.previous) == (2, PlanStatus.DRAFT, plan)
    assert draft.approved_by is None
    assert draft.wishes == plan.wishes
    [copy] = draft.goals.all()
    assert (copy.title, copy.person_id, copy.progress) == (
        goal.title,
        goal.person_id,
        40,
    )
    copied = {
        (a.goal_id, a.agency_id, a.what, a.responsible_id, a.status)
        for a in Action.objects.filter(plan=draft)
    }
    assert copied == {
        (copy.pk, a["agency_id"], a["what"], a["responsible_id"], a["status"])
        for a in old_actions
    }
    # The new draft can be worked on; the revised version cannot.
    plans.goal_add(actor=personas.social, plan=draft, title="Nyt mål")
    with pytest.raises(ValidationError):
        plans.goal_add(actor=personas.social, plan=plan, title="Nyt mål")


# --- Progress ---------------------------------------------------------------------


def _progress(actor, agency, goal, percent=50, note="Det går fremad", **extra):
    return plans.progress_record(
        actor=actor,
        actor_agency=agency,
        goal=goal,
        percent=percent,
        note=note,
        recorded_on=extra.get("recorded_on", today()),
    )


@pytest.mark.parametrize(
    "status", [PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.CLOSED]
)
def test_progress_only_while_in_force(status, make_plan, world, personas):
    plan = make_plan(status)
    with pytest.raises(ValidationError):
        _progress(personas.social, world.social_ishoej, plan.goals.get())
    assert not Progress.objects.exists()


def test_progress_by_the_coordinator_or_an_agency_with_an_action_on_the_goal(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.DRAFT)
    other_goal = plans.goal_add(
        actor=personas.social, plan=plan, title="Maria får støtte", person=None
    )
    plans.action_add(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        goal=other_goal,
        agency=world.social_ishoej,
        what="Forældrekursus",
        measure="Gennemført kursus",
        responsible=personas.social,
        deadline=today() + timedelta(days=20),
        sector_law=SectorLaw.SERVICE,
    )
    plans.plan_approve(actor=personas.manager, plan=plan)
    plans.plan_put_in_force(actor=personas.social, plan=plan)
    school_goal = plan.goals.get(actions__agency=plan_world.school)

    _progress(personas.social, world.social_ishoej, other_goal)
    _progress(plan_world.teacher, plan_world.school, school_goal)
    # The school has no action on the other goal; SSP has none at all.
    with pytest.raises(ValidationError):
        _progress(plan_world.teacher, plan_world.school, other_goal)
    with pytest.raises(ValidationError):
        _progress(personas.ssp, world.ssp_ishoej, school_goal)
    # Acting for an agency one does not work in.
    with pytest.raises(ValidationError):
        _progress(plan_world.teacher, world.social_ishoej, other_goal)
    assert Progress.objects.count() == 2


@pytest.mark.parametrize(
    ("percent", "note", "fields"),
    [
        (101, "Note", {"percent"}),
        (-1, "Note", {"percent"}),
        (50, "  ", {"note"}),
        (200, "", {"percent", "note"}),
    ],
)
def test_progress_is_0_to_100_with_a_note(
    percent, note, fields, make_plan, world, personas
):
    plan = make_plan(PlanStatus.IN_FORCE)
    goal = plan.goals.get()
    with pytest.raises(ValidationError) as caught:
        _progress(personas.social, world.social_ishoej, goal, percent, note)
    assert set(caught.value.message_dict) == fields
    goal.refresh_from_db()
    assert goal.progress == 0
    assert not Progress.objects.exists()


def test_progress_in_the_future_is_refused(make_plan, world, personas):
    plan = make_plan(PlanStatus.IN_FORCE)
    with pytest.raises(ValidationError) as caught:
        _progress(
            personas.social,
            world.social_ishoej,
            plan.goals.get(),
            recorded_on=today() + timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"recorded_on"}


def test_the_goals_progress_follows_the_latest_update(
    make_plan, plan_world, world, personas
):
    plan = make_plan(PlanStatus.IN_FORCE)
    goal = plan.goals.get()
    for percent in (0, 100, 30):
        _progress(personas.social, world.social_ishoej, goal, percent)
        goal.refresh_from_db()
        assert goal.progress == percent
    _progress(plan_world.teacher, plan_world.school, goal, 60)
    goal.refresh_from_db()
    assert goal.progress == 60
    # An update dated before the latest one is kept but does not set the progress.
    _progress(
        personas.social,
        world.social_ishoej,
        goal,
        10,
        recorded_on=today() - timedelta(days=3),
    )
    goal.refresh_from_db()
    assert goal.progress == 60
    assert goal.updates.count() == 5


def test_of_one_days_updates_the_later_is_the_latest_everywhere(
    make_plan, world, personas
):
    """The updates list and the PDF's "latest" agree with the goal's progress when
    several updates share a date (they are ordered by when they were recorded)."""
    plan = make_plan(PlanStatus.IN_FORCE)
    goal = plan.goals.get()
    for percent in (40, 90, 20, 70):
        _progress(personas.social, world.social_ishoej, goal, percent)
    goal.refresh_from_db()
    assert goal.progress == 70
    assert [u.percent for u in goal.updates.all()] == [70, 20, 90, 40]
    with translation.override("da"):
        content = plan_content(reader=personas.social, plan=plan)
    [shown] = content.goals
    assert shown.latest.percent == 70
