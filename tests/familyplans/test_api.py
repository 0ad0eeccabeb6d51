"""/api/v1/ for family assessments and plans (issue 7, point 7): the happy paths of
the coordinating agency (the social services), the school and the manager;
field-level 400s (no wishes, a review date or deadline in the past, a
responsible person outside the agency, progress above 100); the permission
matrix (the school sees and changes only its own action — the social services'
action is 404 to it, as it may not know of it; the case worker (SSP) sees the plan
without actions and may not write: 403; the manager sees everything once it
approved; another municipality and police of another district: 404 and empty
lists); the PDF for the manager and 404 for outsiders; query bounds; the schema
without warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from families import plans
from families.plan_models import (
    Action,
    ActionStatus,
    AssessmentFactor,
    Level,
    Plan,
    PlanStatus,
    SectorLaw,
)

V1 = "/api/v1/"
ASSESSMENTS = f"{V1}family-assessments/"
PLANS = f"{V1}family-plans/"
ACTIONS = f"{V1}family-plan-actions/"
PROGRESS = f"{V1}family-plan-progress/"


def today():
    return timezone.localdate()


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def _errors(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    return response.json()["errors"]


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _action_of(plan, agency) -> Action:
    return Action.objects.get(plan=plan, agency=agency)


def _action_ids(detail: dict) -> set[str]:
    return {a["id"] for goal in detail["goals"] for a in goal["actions"]}


@pytest.fixture
def factor():
    return AssessmentFactor.objects.filter(active=True).first()


# --- Assessments ----------------------------------------------------------------------


def test_an_assessment_is_made_rated_by_two_agencies_and_shown_side_by_side(
    plan_world, personas, client_for, factor
):
    pw = plan_world
    ssp = client_for(personas.ssp)
    made = _post(ssp, ASSESSMENTS, {"family": str(pw.family.pk), "summary": "Uro"})
    assert made.status_code == 201, made.content
    url = f"{ASSESSMENTS}{made.json()['id']}/"
    rating = {
        "factor": factor.pk,
        "person": str(pw.child.pk),
        "level": Level.HIGH,
        "justification": "Meget fravær",
    }
    assert _post(ssp, f"{url}ratings/", rating).status_code == 201
    social = client_for(personas.social)
    rated = _post(social, f"{url}ratings/", {**rating, "level": Level.MEDIUM})
    assert rated.status_code == 201, rated.content
    detail = ssp.get(url).json()
    by_agency = {c["agency"]["name"]: c["ratings"] for c in detail["contributions"]}
    assert set(by_agency) == {"Ishøj SSP", "Ishøj Børn og Familie"}
    assert by_agency["Ishøj SSP"][0]["level"] == Level.HIGH
    assert by_agency["Ishøj Børn og Familie"][0]["level"] == Level.MEDIUM
    listed = ssp.get(ASSESSMENTS, {"family": str(pw.family.pk)})
    assert _ids(listed) == {made.json()["id"]}


def test_changes_between_two_assessments(plan_world, personas, client_for, factor):
    pw = plan_world
    ssp = client_for(personas.ssp)
    for level in (Level.LOW, Level.HIGH):
        made = _post(ssp, ASSESSMENTS, {"family": str(pw.family.pk)})
        _post(
            ssp,
            f"{ASSESSMENTS}{made.json()['id']}/ratings/",
            {"factor": factor.pk, "level": level, "justification": "Set"},
        )
    changes = ssp.get(f"{ASSESSMENTS}changes/", {"family": str(pw.family.pk)})
    assert changes.status_code == 200, changes.content
    assert changes.json() == [
        {
            "person": None,
            "factor": changes.json()[0]["factor"],
            "before": Level.LOW,
            "after": Level.HIGH,
        }
    ]
    assert changes.json()[0]["factor"]["id"] == factor.pk


def test_rating_refusals_are_field_errors(plan_world, personas, client_for, factor):
    pw = plan_world
    ssp = client_for(personas.ssp)
    made = _post(ssp, ASSESSMENTS, {"family": str(pw.family.pk)}).json()
    errors = _errors(
        _post(
            ssp,
            f"{ASSESSMENTS}{made['id']}/ratings/",
            {
                "factor": factor.pk,
                "level": 2,
                "justification": " ",
                "rated_on": str(today() + timedelta(days=1)),
            },
        )
    )
    assert {"justification", "rated_on"} <= set(errors)
    assert "family" in _errors(_post(ssp, ASSESSMENTS, {}))
    assert "family" in _errors(ssp.get(ASSESSMENTS))


@pytest.mark.parametrize("outsider", ["ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_and_empty_assessment_lists(
    plan_world, personas, client_for, outsider
):
    pw = plan_world
    made = _post(client_for(personas.ssp), ASSESSMENTS, {"family": str(pw.family.pk)})
    client = client_for(getattr(personas, outsider))
    url = f"{ASSESSMENTS}{made.json()['id']}/"
    assert client.get(url).status_code == 404
    assert _post(client, f"{url}ratings/", {}).status_code == 404
    assert _ids(client.get(ASSESSMENTS, {"family": str(pw.family.pk)})) == set()
    changes = client.get(f"{ASSESSMENTS}changes/", {"family": str(pw.family.pk)})
    assert changes.status_code == 404
    assert "family" in _errors(
        _post(client, ASSESSMENTS, {"family": str(pw.family.pk)})
    )


# --- Plans: the lifecycle -------------------------------------------------------------


def test_the_social_worker_drafts_the_manager_approves_and_it_goes_in_force(
    plan_world, world, personas, client_for
):
    pw = plan_world
    social = client_for(personas.social)
    made = _post(
        social,
        PLANS,
        {
            "family": str(pw.family.pk),
            "wishes": "Ro derhjemme",
            "review_on": str(today() + timedelta(days=90)),
        },
    )
    assert made.status_code == 201, made.content
    plan = made.json()
    assert plan["status"] == PlanStatus.DRAFT
    assert plan["agency"]["id"] == str(world.social_ishoej.pk)
    url = f"{PLANS}{plan['id']}/"
    updated = social.put(
        url,
        {"wishes": "Ro og skolegang", "review_on": str(today() + timedelta(days=60))},
        content_type="application/json",
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["wishes"] == "Ro og skolegang"
    goal = _post(social, f"{url}goals/", {"title": "Skole", "person": str(pw.child.pk)})
    assert goal.status_code == 201, goal.content
    action = _post(
        social,
        ACTIONS,
        {
            "plan": plan["id"],
            "goal": goal.json()["id"],
            "what": "Familiebehandling",
            "measure": "Fremmøde",
            "responsible": str(personas.social.pk),
            "deadline": str(today() + timedelta(days=30)),
            "sector_law": SectorLaw.CHILDREN,
        },
    )
    assert action.status_code == 201, action.content
    assert action.json()["agency"]["id"] == str(world.social_ishoej.pk)
    approved = _post(client_for(personas.manager), f"{url}approve/")
    assert approved.status_code == 200, approved.content
    assert approved.json()["approved_by"]["id"] == str(personas.manager.pk)
    in_force = _post(social, f"{url}put-in-force/")
    assert in_force.json()["status"] == PlanStatus.IN_FORCE
    progress = _post(
        social,
        PROGRESS,
        {"plan": plan["id"], "goal": goal.json()["id"], "percent": 40, "note": "Godt"},
    )
    assert progress.status_code == 201, progress.content
    detail = social.get(url).json()
    assert detail["goals"][0]["progress"] == 40
    assert detail["goals"][0]["updates"][0]["percent"] == 40
    revised = _post(social, f"{url}revise/")
    assert revised.status_code == 201, revised.content
    assert revised.json()["version"] == 2
    assert revised.json()["previous"] == plan["id"]
    assert social.get(url).json()["status"] == PlanStatus.REVISED
    versions = social.get(PLANS, {"family": str(pw.family.pk)})
    assert _ids(versions) == {plan["id"], revised.json()["id"]}


def test_closing_a_plan_in_force(make_plan, personas, client_for):
    plan = make_plan(PlanStatus.IN_FORCE)
    social = client_for(personas.social)
    url = f"{PLANS}{plan.pk}/close/"
    assert "close_reason" in _errors(_post(social, url, {"close_reason": ""}))
    closed = _post(social, url, {"close_reason": "Mål nået"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == PlanStatus.CLOSED


def test_plan_refusals_are_field_errors(plan_world, personas, client_for):
    pw = plan_world
    social = client_for(personas.social)
    errors = _errors(
        _post(
            social,
            PLANS,
            {
                "family": str(pw.family.pk),
                "wishes": "  ",
                "review_on": str(today() - timedelta(days=1)),
            },
        )
    )
    assert {"wishes", "review_on"} <= set(errors)
    assert not Plan.objects.exists()


def test_action_refusals_are_field_errors(
    make_plan, plan_world, personas, client_for, ishoej_person
):
    plan = make_plan(PlanStatus.DRAFT)
    goal = plan.goals.get()
    social = client_for(personas.social)
    stranger = {"title": "Mål", "person": str(ishoej_person.pk)}
    assert "person" in _errors(_post(social, f"{PLANS}{plan.pk}/goals/", stranger))
    errors = _errors(
        _post(
            social,
            ACTIONS,
            {
                "plan": str(plan.pk),
                "goal": str(goal.pk),
                "what": "Noget",
                "measure": "Noget",
                # The teacher works in the school, not the social services.
                "responsible": str(plan_world.teacher.pk),
                "deadline": str(today() - timedelta(days=1)),
                "sector_law": SectorLaw.CHILDREN,
            },
        )
    )
    assert {"deadline", "responsible"} <= set(errors)
    assert Action.objects.filter(plan=plan).count() == 2


def test_progress_above_100_is_a_field_error(make_plan, personas, client_for):
    plan = make_plan(PlanStatus.IN_FORCE)
    goal = plan.goals.get()
    errors = _errors(
        _post(
            client_for(personas.social),
            PROGRESS,
            {"plan": str(plan.pk), "goal": str(goal.pk), "percent": 101, "note": "x"},
        )
    )
    assert "percent" in errors
    goal.refresh_from_db()
    assert goal.progress == 0


def test_an_approved_plan_is_not_edited(make_plan, personas, client_for):
    plan = make_plan(PlanStatus.APPROVED)
    response = client_for(personas.social).put(
        f"{PLANS}{plan.pk}/",
        {"wishes": "Andet", "review_on": str(today() + timedelta(days=30))},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


# --- The permission matrix ------------------------------------------------------------


def test_the_school_sees_only_its_own_action(
    make_plan, plan_world, world, personas, client_for
):
    plan = make_plan(PlanStatus.DRAFT)
    school = client_for(plan_world.teacher)
    detail = school.get(f"{PLANS}{plan.pk}/")
    assert detail.status_code == 200
    own = _action_of(plan, plan_world.school)
    assert _action_ids(detail.json()) == {str(own.pk)}
    assert _ids(school.get(PLANS, {"family": str(plan_world.family.pk)})) == {
        str(plan.pk)
    }
    # Its own action: it changes it.
    changed = _patch(school, f"{ACTIONS}{own.pk}/", {"actors": "Klasselærer"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["actors"] == "Klasselærer"
    # The social services' action: the school may not know of it, so 404 (not
    # 403) on every read and write.
    theirs = _action_of(plan, world.social_ishoej)
    url = f"{ACTIONS}{theirs.pk}/"
    assert school.get(url).status_code == 404
    assert _patch(school, url, {"what": "Overtaget"}).status_code == 404
    assert _post(school, f"{url}status/", {"status": "done"}).status_code == 404
    assert school.delete(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.what == "Familiebehandling hver uge"
    # It may not run the plan: it reads it only.
    assert _post(school, f"{PLANS}{plan.pk}/goals/", {"title": "x"}).status_code == 403
    assert school.get(f"{PLANS}{plan.pk}/pdf/").status_code == 403


def test_the_coordinating_agency_sees_every_action_and_edits_a_draft(
    make_plan, plan_world, personas, client_for
):
    plan = make_plan(PlanStatus.DRAFT)
    social = client_for(personas.social)
    assert len(_action_ids(social.get(f"{PLANS}{plan.pk}/").json())) == 2
    schools = _action_of(plan, plan_world.school)
    url = f"{ACTIONS}{schools.pk}/"
    assert _patch(social, url, {"measure": "Fravær pr. uge"}).status_code == 200
    assert social.delete(url).status_code == 204
    assert not Action.objects.filter(pk=schools.pk).exists()


def test_in_force_the_coordinator_may_not_change_another_agencys_action(
    make_plan, plan_world, personas, client_for
):
    """The service's refusal: the coordinating agency may read and (in a draft)
    change the school's action, but in force only the school changes it (400)."""
    plan = make_plan(PlanStatus.IN_FORCE)
    schools = _action_of(plan, plan_world.school)
    url = f"{ACTIONS}{schools.pk}/"
    refused = _post(client_for(personas.social), f"{url}status/", {"status": "done"})
    assert refused.status_code == 400
    assert "non_field_errors" in refused.json()["errors"]
    done = _post(client_for(plan_world.teacher), f"{url}status/", {"status": "done"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == ActionStatus.DONE


def test_the_case_worker_sees_the_plan_without_actions_and_may_not_write(
    make_plan, personas, client_for
):
    plan = make_plan(PlanStatus.DRAFT)
    ssp = client_for(personas.ssp)
    detail = ssp.get(f"{PLANS}{plan.pk}/")
    assert detail.status_code == 200
    assert detail.json()["goals"] and _action_ids(detail.json()) == set()
    url = f"{PLANS}{plan.pk}/"
    assert _post(ssp, f"{url}goals/", {"title": "x"}).status_code == 403
    assert (
        ssp.put(
            url,
            {"wishes": "x", "review_on": str(today() + timedelta(days=9))},
            content_type="application/json",
        ).status_code
        == 403
    )
    # Not a manager: no approval.
    assert _post(ssp, f"{url}approve/").status_code == 403


def test_the_manager_sees_the_whole_plan_before_and_after_approval(
    make_plan, personas, client_for, django_assert_max_num_queries
):
    plan = make_plan(PlanStatus.DRAFT)
    manager = client_for(personas.manager)
    # The manager who may approve the draft reads every action of it first.
    assert len(_action_ids(manager.get(f"{PLANS}{plan.pk}/").json())) == 2
    plans.plan_approve(actor=personas.manager, plan=plan)
    with django_assert_max_num_queries(25):
        detail = manager.get(f"{PLANS}{plan.pk}/")
    assert len(_action_ids(detail.json())) == 2
    # Sees, does not change: 403 on an action, 403 on the coordinator's writes.
    action = Action.objects.filter(plan=plan).first()
    assert _patch(manager, f"{ACTIONS}{action.pk}/", {"what": "x"}).status_code == 403
    assert _post(manager, f"{PLANS}{plan.pk}/put-in-force/").status_code == 403


@pytest.mark.parametrize("outsider", ["ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_and_empty_plan_lists(
    make_plan, plan_world, personas, client_for, outsider
):
    plan = make_plan(PlanStatus.APPROVED)
    client = client_for(getattr(personas, outsider))
    url = f"{PLANS}{plan.pk}/"
    assert client.get(url).status_code == 404
    assert _ids(client.get(PLANS, {"family": str(plan_world.family.pk)})) == set()
    for suffix in ("approve/", "put-in-force/", "revise/", "close/", "goals/"):
        assert _post(client, f"{url}{suffix}").status_code == 404, suffix
    assert client.get(f"{url}pdf/").status_code == 404
    action = Action.objects.filter(plan=plan).first()
    assert client.get(f"{ACTIONS}{action.pk}/").status_code == 404
    assert _patch(client, f"{ACTIONS}{action.pk}/", {"what": "x"}).status_code == 404
    goal = plan.goals.get()
    refused = _post(
        client,
        PROGRESS,
        {"plan": str(plan.pk), "goal": str(goal.pk), "percent": 10, "note": "x"},
    )
    assert "plan" in _errors(refused)
    assert "family" in _errors(
        _post(
            client,
            PLANS,
            {
                "family": str(plan_world.family.pk),
                "wishes": "x",
                "review_on": str(today() + timedelta(days=9)),
            },
        )
    )


def test_wrong_methods_are_refused(make_plan, personas, client_for):
    plan = make_plan(PlanStatus.DRAFT)
    social = client_for(personas.social)
    assert social.delete(f"{PLANS}{plan.pk}/").status_code == 405
    assert social.get(f"{PLANS}{plan.pk}/approve/").status_code == 405
    assert social.get(PROGRESS).status_code == 405


# --- The PDF --------------------------------------------------------------------------


def test_the_manager_downloads_the_pdf(make_plan, personas, client_for):
    plan = make_plan(PlanStatus.IN_FORCE)
    response = client_for(personas.manager).get(
        f"{PLANS}{plan.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "familiehandleplan-v1.pdf" in response["Content-Disposition"]


def test_the_pdf_needs_fresh_authentication(make_plan, personas, client_for):
    from accounts.fresh import FRESH_AUTH_AT

    plan = make_plan(PlanStatus.IN_FORCE)
    client = client_for(personas.manager)
    session = client.session
    session[FRESH_AUTH_AT] = (timezone.now() - timedelta(hours=1)).timestamp()
    session.save()
    response = client.get(f"{PLANS}{plan.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


# --- Schema ---------------------------------------------------------------------------


def test_the_schema_documents_the_endpoints_without_warnings(personas, client_for):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    schema = client_for(personas.social).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/family-assessments/",
        "/api/v1/family-assessments/{id}/",
        "/api/v1/family-assessments/{id}/ratings/",
        "/api/v1/family-assessments/changes/",
        "/api/v1/family-plans/",
        "/api/v1/family-plans/{id}/",
        "/api/v1/family-plans/{id}/approve/",
        "/api/v1/family-plans/{id}/put-in-force/",
        "/api/v1/family-plans/{id}/revise/",
        "/api/v1/family-plans/{id}/close/",
        "/api/v1/family-plans/{id}/goals/",
        "/api/v1/family-plans/{id}/pdf/",
        "/api/v1/family-plan-actions/",
        "/api/v1/family-plan-actions/{id}/",
        "/api/v1/family-plan-actions/{id}/status/",
        "/api/v1/family-plan-progress/",
    ):
        assert path in paths, path
    components = schema.json()["components"]["schemas"]
    # Server-set fields are never writable.
    assert "agency" not in components["FamilyPlanInput"]["properties"]
    assert "status" not in components["FamilyPlanUpdateInput"]["properties"]
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(
        warnings=dict(GENERATOR_STATS._warn_cache),
        errors=dict(GENERATOR_STATS._error_cache),
    )
