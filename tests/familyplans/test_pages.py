"""The assessment and action plan pages (issue 7, point 7): the main flow through
the pages as the agencies and the manager, field errors, and the permission
matrix (outsiders 404 everywhere, readers 403 on writes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from families.plan_models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentDomain,
    Goal,
    Plan,
    PlanStatus,
    Progress,
    Rating,
    SectorLaw,
)
from tests.familyplans.conftest import today

HX = {"HTTP_HX_REQUEST": "true"}


def _day(days: int = 0) -> str:
    return (today() + timedelta(days=days)).isoformat()


def _rating_data(domain, factor, subject, level, justification) -> dict:
    prefix = f"r-{factor.pk}-{subject}"
    return {
        "domain": domain.code,
        f"{prefix}-level": str(level),
        f"{prefix}-justification": justification,
    }


def _action_data(goal, agency, responsible, **extra) -> dict:
    return {
        "goal": str(goal.pk),
        "what": "Daglig kontakt om fremmøde",
        "measure": "Fraværsprocent",
        "actors": "Klasselærer",
        "agency": str(agency.pk),
        "responsible": str(responsible.pk),
        "deadline": _day(30),
        "sector_law": SectorLaw.SCHOOL,
        "linked_plans": "Elevplan",
        **extra,
    }


def test_main_flow(plan_world, world, personas, client_for):
    pw = plan_world
    social, ssp = client_for(personas.social), client_for(personas.ssp)
    family_plans = reverse("families:family_plans", args=[pw.family.pk])

    # The family page links to the overview.
    page = client_for(personas.ssp).get(
        reverse("families:family_detail", args=[pw.family.pk])
    )
    assert family_plans.encode() in page.content

    # An assessment, rated by two agencies, shown side by side.
    response = social.post(
        reverse("families:assessment_new", args=[pw.family.pk]),
        {"assessed_on": _day(), "summary": ""},
    )
    assessment = Assessment.objects.get(family=pw.family)
    assert response.status_code == 302
    assert response["Location"] == reverse("families:assessment", args=[assessment.pk])
    domain = AssessmentDomain.objects.filter(active=True).first()
    factor = domain.factors.filter(active=True).first()
    url = reverse("families:assessment", args=[assessment.pk])
    response = social.post(
        url, _rating_data(domain, factor, "family", 2, "Fravær fra skolen")
    )
    assert response.status_code == 302
    response = ssp.post(
        url, _rating_data(domain, factor, "family", 3, "Set med ældre drenge")
    )
    assert response.status_code == 302
    assert set(
        Rating.objects.filter(assessment=assessment).values_list("agency", "level")
    ) == {(world.social_ishoej.pk, 2), (world.ssp_ishoej.pk, 3)}
    page = social.get(url, {"domain": domain.code})
    assert page.status_code == 200
    assert "Set med ældre drenge" in page.content.decode()  # SSP's, read-only
    assert page.context["rows"][0].factor == factor
    # The coordinating agency writes the summary.
    response = social.post(
        reverse("families:assessment_summary", args=[assessment.pk]),
        {"summary": "Samlet: bekymring for skolegang"},
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.summary == "Samlet: bekymring for skolegang"

    # A plan, with a goal, the social services' and the school's actions.
    response = social.post(
        reverse("families:plan_new", args=[pw.family.pk]),
        {"wishes": "Ro derhjemme", "review_on": _day(90)},
    )
    plan = Plan.objects.get(family=pw.family)
    assert response.status_code == 302
    plan_url = reverse("families:plan", args=[plan.pk])
    response = social.post(
        reverse("families:plan_goals", args=[plan.pk]),
        {"title": "Karim går i skole", "person": ""},
        **HX,
    )
    assert response.status_code == 200
    goal = Goal.objects.get(plan=plan)
    assert goal.person is None
    assert "Karim går i skole" in response.content.decode()
    response = social.post(
        reverse("families:plan_actions", args=[plan.pk]),
        _action_data(
            goal,
            world.social_ishoej,
            personas.social,
            what="Familiebehandling",
            sector_law=SectorLaw.CHILDREN,
        ),
        **HX,
    )
    assert response.status_code == 200
    teacher = client_for(pw.teacher)
    # The school is no case worker of the family: it sees the plan once it has
    # an action, so the coordinating agency adds the school's first one.
    response = social.post(
        reverse("families:plan_actions", args=[plan.pk]),
        _action_data(goal, pw.school, pw.teacher),
    )
    assert response.status_code == 302
    school_action = Action.objects.get(plan=plan, agency=pw.school)
    assert teacher.get(plan_url).status_code == 200
    response = teacher.post(
        reverse("families:plan_actions", args=[plan.pk]),
        _action_data(goal, pw.school, pw.teacher, what="Lektiecafé"),
        **HX,
    )
    assert response.status_code == 200
    assert Action.objects.filter(plan=plan, agency=pw.school).count() == 2
    # The school edits its own action through the row fragment.
    edit = reverse("families:action_edit", args=[school_action.pk])
    assert teacher.get(edit, **HX).status_code == 200
    data = _action_data(goal, pw.school, pw.teacher, what="Kontakt hver morgen")
    data["status"] = ActionStatus.STARTED
    response = teacher.post(edit, data, **HX)
    assert response.status_code == 200
    school_action.refresh_from_db()
    assert school_action.what == "Kontakt hver morgen"
    assert 'id="action-' in response.content.decode()
    # The social services' page shows both agencies' actions; the school's its own.
    page = social.get(plan_url)
    assert page.status_code == 200
    assert {a.agency for g in page.context["goals"] for a in g.action_list} == {
        world.social_ishoej,
        pw.school,
    }
    page = teacher.get(plan_url)
    assert {a.agency for g in page.context["goals"] for a in g.action_list} == {
        pw.school
    }

    # The manager approves; the coordinating agency puts the plan in force.
    manager = client_for(personas.manager)
    step = reverse("families:plan_step", args=[plan.pk, "approve"])
    assert manager.post(step).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == personas.manager
    step = reverse("families:plan_step", args=[plan.pk, "put_in_force"])
    assert social.post(step).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_FORCE

    # Progress, shown as a bar with the percentage in text.
    response = social.post(
        reverse("families:plan_progress", args=[plan.pk]),
        {
            "goal": str(goal.pk),
            "percent": "40",
            "note": "Mødt 4 af 5 dage",
            "recorded_on": _day(),
        },
        **HX,
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.progress == 40
    assert Progress.objects.filter(goal=goal).count() == 1
    content = social.get(plan_url).content.decode()
    assert 'max="100" value="40"' in content
    assert "40 %" in content

    # The PDF, for the coordinating agency and the manager.
    for client in (social, manager):
        response = client.get(reverse("families:plan_pdf", args=[plan.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "familiehandleplan-v1.pdf" in response["Content-Disposition"]

    # Revise: a new draft version; the first kept and listed.
    response = social.post(reverse("families:plan_step", args=[plan.pk, "revise"]))
    draft = Plan.objects.get(family=pw.family, version=2)
    assert response["Location"] == reverse("families:plan", args=[draft.pk])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVISED
    page = social.get(reverse("families:plan", args=[draft.pk]))
    assert page.status_code == 200
    assert [v.version for v in page.context["versions"]] == [2, 1]
    assert social.get(plan_url).status_code == 200


def test_field_errors(plan_world, make_plan, world, personas, client_for):
    pw = plan_world
    social = client_for(personas.social)
    response = social.post(
        reverse("families:plan_new", args=[pw.family.pk]),
        {"wishes": "  ", "review_on": ""},
    )
    assert response.status_code == 400
    assert response.context["plan_form"].errors.keys() >= {"wishes", "review_on"}
    response = social.post(  # the service's refusal, on its field
        reverse("families:plan_new", args=[pw.family.pk]),
        {"wishes": "Ro derhjemme", "review_on": _day(-1)},
    )
    assert response.status_code == 400
    assert list(response.context["plan_form"].errors) == ["review_on"]
    assert not Plan.objects.exists()

    response = social.post(
        reverse("families:assessment_new", args=[pw.family.pk]),
        {"assessed_on": _day(5)},
    )
    assert response.status_code == 400
    assert "assessed_on" in response.context["assessment_form"].errors

    plan = make_plan()
    goal = plan.goals.get()
    url = reverse("families:plan_actions", args=[plan.pk])
    before = Action.objects.count()
    bad = _action_data(goal, world.social_ishoej, personas.social, what="")
    response = social.post(url, bad)  # a page: 400
    assert response.status_code == 400
    assert list(response.context["action_form"].errors) == ["what"]
    late = _action_data(goal, world.social_ishoej, personas.social, deadline=_day(-3))
    response = social.post(url, late, **HX)  # a fragment: 200 with the messages
    assert response.status_code == 200
    assert list(response.context["action_form"].errors) == ["deadline"]
    assert 'class="field-errors"' in response.content.decode()
    # A responsible person who does not work in the agency: the service's error.
    response = social.post(
        url, _action_data(goal, world.social_ishoej, pw.teacher), **HX
    )
    assert "responsible" in response.context["action_form"].errors
    assert Action.objects.count() == before

    response = social.post(
        reverse("families:plan_goals", args=[plan.pk]), {"title": ""}, **HX
    )
    assert response.status_code == 200
    assert "title" in response.context["goal_form"].errors

    # A rating without a justification: nothing of the domain is saved.
    assessment = Assessment.objects.create(
        family=pw.family,
        number=1,
        assessed_on=today(),
        agency=world.social_ishoej,
        created_by=personas.social,
    )
    domain = AssessmentDomain.objects.filter(active=True).first()
    first, second = list(domain.factors.filter(active=True)[:2])
    data = _rating_data(domain, first, "family", 1, "Begrundet")
    data |= _rating_data(domain, second, "family", 2, "")
    response = social.post(reverse("families:assessment", args=[assessment.pk]), data)
    assert response.status_code == 400
    assert not Rating.objects.exists()

    # Closing without a reason: a field error, the plan stays in force.
    plan_in_force = Plan.objects.get(pk=plan.pk)
    plan_in_force.status = PlanStatus.IN_FORCE  # only to reach the close form
    plan_in_force.save(update_fields=["status"])
    response = social.post(
        reverse("families:plan_step", args=[plan.pk, "close"]),
        {"closed_on": _day(), "reason": ""},
    )
    assert response.status_code == 400
    assert "reason" in response.context["close_form"].errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_FORCE


def test_illegal_transition_changes_nothing(make_plan, personas, client_for):
    plan = make_plan()  # a draft
    social = client_for(personas.social)
    response = social.post(
        reverse("families:plan_step", args=[plan.pk, "put_in_force"]), follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    # A social worker is not a manager: approving is refused the same way.
    social.post(reverse("families:plan_step", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert (
        social.post(
            reverse("families:plan_step", args=[plan.pk, "unknown"])
        ).status_code
        == 404
    )


def test_school_cannot_edit_the_social_services_action(
    make_plan, plan_world, world, personas, client_for
):
    """The school does not see the social services' action (issue 7, point 6):
    its edit and remove URLs answer 404, as for anything unseen (STYLE.md §3).
    The approving manager sees every action but changes none: 403."""
    plan = make_plan(PlanStatus.APPROVED)
    theirs = Action.objects.get(plan=plan, agency=world.social_ishoej)
    teacher, manager = client_for(plan_world.teacher), client_for(personas.manager)
    edit = reverse("families:action_edit", args=[theirs.pk])
    remove = reverse("families:action_remove", args=[theirs.pk])
    data = {"what": "Overtaget", "status": ActionStatus.DONE}
    assert teacher.get(edit).status_code == 404
    assert teacher.post(edit, data).status_code == 404
    assert teacher.post(remove).status_code == 404
    assert manager.get(edit).status_code == 403
    assert manager.post(edit, data).status_code == 403
    assert manager.post(remove).status_code == 403
    theirs.refresh_from_db()
    assert theirs.what == "Familiebehandling hver uge"


def test_in_force_the_own_agency_changes_only_the_status(
    make_plan, plan_world, client_for
):
    plan = make_plan(PlanStatus.IN_FORCE)
    own = Action.objects.get(plan=plan, agency=plan_world.school)
    teacher = client_for(plan_world.teacher)
    edit = reverse("families:action_edit", args=[own.pk])
    response = teacher.get(edit, **HX)
    assert list(response.context["form"].fields) == ["status"]
    response = teacher.post(edit, {"status": ActionStatus.DONE}, **HX)
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.status == ActionStatus.DONE
    # The school's page offers to edit its own action only.
    page = teacher.get(reverse("families:plan", args=[plan.pk]))
    assert page.context["editable"] == {own.pk}


# --- The permission matrix ----------------------------------------------------------


@pytest.fixture
def every_url(make_plan, plan_world, world, personas):
    """Every page and write of the feature, on a plan in force and a draft."""
    plan = make_plan(PlanStatus.IN_FORCE)
    action = Action.objects.get(plan=plan, agency=world.social_ishoej)
    assessment = Assessment.objects.create(
        family=plan_world.family,
        number=1,
        assessed_on=today(),
        agency=world.social_ishoej,
        created_by=personas.social,
    )
    family = plan_world.family.pk
    reads = [
        reverse("families:family_plans", args=[family]),
        reverse("families:assessment", args=[assessment.pk]),
        reverse("families:plan", args=[plan.pk]),
        reverse("families:plan_pdf", args=[plan.pk]),
        reverse("families:action_edit", args=[action.pk]),
    ]
    writes = [
        reverse("families:assessment_new", args=[family]),
        reverse("families:plan_new", args=[family]),
        reverse("families:assessment", args=[assessment.pk]),
        reverse("families:assessment_summary", args=[assessment.pk]),
        reverse("families:plan_edit", args=[plan.pk]),
        reverse("families:plan_goals", args=[plan.pk]),
        reverse("families:plan_actions", args=[plan.pk]),
        reverse("families:plan_progress", args=[plan.pk]),
        reverse("families:action_edit", args=[action.pk]),
        reverse("families:action_remove", args=[action.pk]),
        *(
            reverse("families:plan_step", args=[plan.pk, event])
            for event in ("approve", "put_in_force", "revise", "close")
        ),
    ]
    return plan, reads, writes


@pytest.mark.parametrize("name", ["ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_everywhere(name, every_url, personas, client_for):
    plan, reads, writes = every_url
    client = client_for(getattr(personas, name))
    for url in reads:
        assert client.get(url).status_code == 404, url
    for url in writes:
        assert client.post(url, {"title": "x", "summary": "x"}).status_code == 404, url
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_FORCE
    assert Plan.objects.count() == 1


def test_a_reader_gets_403_on_writes(every_url, plan_world, personas, client_for):
    """Ishøj SSP sees the family and the plan (a case worker), not its actions,
    and changes nothing in the plan."""
    plan, _reads, _writes = every_url
    ssp = client_for(personas.ssp)
    assert ssp.get(reverse("families:plan", args=[plan.pk])).status_code == 200
    assert ssp.get(reverse("families:plan_pdf", args=[plan.pk])).status_code == 403
    for name in ("plan_edit", "plan_goals"):
        url = reverse(f"families:{name}", args=[plan.pk])
        assert ssp.post(url, {"title": "x"}).status_code == 403, name
    for event in ("put_in_force", "revise", "close"):
        url = reverse("families:plan_step", args=[plan.pk, event])
        assert ssp.post(url).status_code == 403, event
    assessment = Assessment.objects.get()
    response = ssp.post(
        reverse("families:assessment_summary", args=[assessment.pk]),
        {"summary": "Ikke vores"},
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_FORCE
    assert Goal.objects.filter(plan=plan).count() == 1


def test_outsider_sees_no_plan_on_the_family_lists(
    every_url, plan_world, personas, client_for
):
    """The school sees the plan (its action) but not the family: no overview."""
    teacher = client_for(plan_world.teacher)
    url = reverse("families:family_plans", args=[plan_world.family.pk])
    assert teacher.get(url).status_code == 404


def test_wrong_method(every_url, personas, client_for):
    plan, _reads, _writes = every_url
    social = client_for(personas.social)
    assert social.post(reverse("families:plan", args=[plan.pk])).status_code == 405
    assert social.get(reverse("families:plan_goals", args=[plan.pk])).status_code == 405
    assert social.post(reverse("families:plan_pdf", args=[plan.pk])).status_code == 405
