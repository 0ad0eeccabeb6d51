"""In the browser: the demo social worker drafts a joint family action plan and the
demo manager approves it and downloads the PDF (issue 7, point 8).

The demo's "Familien Demosen" already has a plan in force, so the test records a
new Ishøj family as the demo SSP coordinator would and makes the children & family
services its case workers (as families.plan_demo does). The social worker
("socialraadgiver") opens the family's plans page from the family page, creates a
plan with the family's wishes and a review date, adds a goal and an action through
the htmx editor (no page reload); the manager ("leder", a manager in Ishøj), in a
browser context of his own, opens the draft, approves it and downloads the PDF, an
audited export that needs a recent sign-in. The PDF holds the goal, the action and
the Danish letters of the wishes. No serious accessibility violations.

Elements are found by id and URL rather than by their wording: the page is in
Danish and its new texts may not be translated yet."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from access.legal import LegalBasis
from access.permissions import VIEW
from access.services import access_grant
from audit.models import Action as AuditAction
from audit.models import AuditEntry
from families.models import MemberRole
from families.plan_models import Action, Goal, Plan, PlanStatus, SectorLaw
from families.services import family_add_new_person, family_create
from organisations.demo import DEMO_PASSWORD, agency_of
from organisations.models import AgencyKind, User
from tests.browser.conftest import log_in, serious_violations
from tests.browser.test_meeting import _seed_demo

FAMILY = "Familien Planøsen"
WISHES = (
    "Vi ønsker ro om aftenen, og at Søren går i skole hver dag; vi vil selv være med."
)
GOAL = "Søren møder i skole hver dag og får fælles spisetid med forældrene"
ACTION = "Ugentlig samtale med familien om morgenrutiner på Åvej"
MEASURE = "Fraværet er under fem procent i næste kvartal"


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _errors(page) -> list[str]:
    return page.locator(".error-summary, .field-errors").all_inner_texts()


def _family_without_a_plan(*, ssp: User):
    """An Ishøj household recorded by the demo SSP coordinator, with the children &
    family services as its case workers (families.plan_demo does the same)."""
    ssp_unit = agency_of(AgencyKind.SSP_UNIT, "Ishøj")
    children = agency_of(AgencyKind.CHILDREN_FAMILY, "Ishøj")
    family = family_create(
        actor=ssp, agency=ssp_unit, municipality=ssp_unit.municipality, name=FAMILY
    )
    for role, given, born in (
        (MemberRole.MOTHER, "Signe", date(1984, 3, 14)),
        (MemberRole.CHILD, "Søren", date(2013, 10, 2)),
    ):
        family_add_new_person(
            actor=ssp,
            agency=ssp_unit,
            family=family,
            role=role,
            given_name=given,
            family_name="Planøsen",
            date_of_birth=born,
        )
    access_grant(
        actor=ssp,
        obj=family,
        agency=children,
        actions=[VIEW],
        legal_basis=LegalBasis.OWN_TASK,
        reason="test: familiens sagsbehandler",
    )
    return family


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_social_worker_drafts_a_plan_and_the_manager_approves_and_exports_it(
    live_server, settings, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    _seed_demo(settings)
    today = timezone.localdate()
    review_on = today + timedelta(days=90)
    deadline = today + timedelta(days=30)
    social = User.objects.get(username="socialraadgiver")
    manager = User.objects.get(username="leder")
    children = agency_of(AgencyKind.CHILDREN_FAMILY, "Ishøj")
    family = _family_without_a_plan(ssp=User.objects.get(username="ssp"))
    assert not Plan.objects.filter(family=family).exists()

    # The social worker: from the family page to its assessments and plans.
    log_in(page, live_server, social, password=DEMO_PASSWORD)
    family_url = reverse("families:family_detail", args=[family.pk])
    plans_url = reverse("families:family_plans", args=[family.pk])
    page.goto(f"{live_server.url}{family_url}")
    page.locator(f"main a[href='{plans_url}']").click()
    page.wait_for_url(f"**{plans_url}")
    assert serious_violations(page) == []

    # A new plan: the family's own wishes and a review date.
    new_url = reverse("families:plan_new", args=[family.pk])
    form = page.locator(f"form[action='{new_url}']")
    form.locator("xpath=ancestor::details/summary").click()
    page.locator("#id_wishes").fill(WISHES)
    page.locator("#id_review_on").fill(f"{review_on:%Y-%m-%d}")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/plans/*/")
    plan = Plan.objects.get(family=family)
    plan_url = reverse("families:plan", args=[plan.pk])
    assert page.url.endswith(plan_url), _errors(page)
    assert (plan.status, plan.wishes, plan.review_on) == (
        PlanStatus.DRAFT,
        WISHES,
        review_on,
    )
    assert plan.agency == children
    expect(page.locator("main blockquote")).to_contain_text(WISHES)
    assert serious_violations(page) == []

    # A goal for the family as a whole, through htmx, without reloading the page.
    page.evaluate("window.notReloaded = true")
    goals = page.locator("#plan-goals")
    goals_url = reverse("families:plan_goals", args=[plan.pk])
    goals.locator(f"form[action='{goals_url}']").locator(
        "xpath=ancestor::details/summary"
    ).click()
    page.locator("#id_title").fill(GOAL)
    goals.locator(f"form[action='{goals_url}'] button[type=submit]").click()
    expect(page.locator("#plan-goals article.plan-goal h3")).to_contain_text(GOAL)
    goal = Goal.objects.get(plan=plan)
    assert goal.title == GOAL and goal.person is None

    # An action for the goal by the children & family services, the social
    # worker responsible; again through the fragment.
    actions_url = reverse("families:plan_actions", args=[plan.pk])
    action_form = page.locator(f"#plan-goals form[action='{actions_url}']")
    action_form.locator("xpath=ancestor::details/summary").click()
    page.locator("#id_goal").select_option(str(goal.pk))
    page.locator("#id_what").fill(ACTION)
    page.locator("#id_measure").fill(MEASURE)
    page.locator("#id_actors").fill("Familiebehandler, forældrene")
    page.locator("#id_agency").select_option(str(children.pk))
    page.locator("#id_responsible").select_option(str(social.pk))
    page.locator("#id_deadline").fill(f"{deadline:%Y-%m-%d}")
    page.locator("#id_sector_law").select_option(SectorLaw.CHILDREN)
    page.locator("#id_linked_plans").fill("Barnets plan")
    action_form.locator("button[type=submit]").click()
    expect(page.locator("#plan-goals table")).to_contain_text(ACTION)
    assert page.evaluate("window.notReloaded") is True
    action = Action.objects.get(plan=plan)
    assert (action.goal, action.agency, action.responsible, action.deadline) == (
        goal,
        children,
        social,
        deadline,
    )
    assert action.sector_law == SectorLaw.CHILDREN
    # The draft page, as the social worker sees it after the edits.
    page.goto(f"{live_server.url}{plan_url}")
    expect(page.locator("#plan-goals")).to_contain_text(MEASURE)
    assert serious_violations(page) == []
    # She cannot approve her own plan: only a manager is offered the step.
    approve_url = reverse("families:plan_step", args=[plan.pk, "approve"])
    assert page.locator(f"form[action='{approve_url}']").count() == 0

    # The manager, in a browser context of his own, approves the draft.
    manager_context = page.context.browser.new_context(locale="da-DK")
    manager_page = manager_context.new_page()
    log_in(manager_page, live_server, manager, password=DEMO_PASSWORD)
    manager_page.goto(f"{live_server.url}{plan_url}")
    # Before approval he reads the whole draft: the goals (the SSP unit he
    # manages is a case worker of the family) and, as the manager who may approve
    # it, every action (point 6).
    expect(manager_page.locator("#plan-goals")).to_contain_text(GOAL)
    expect(manager_page.locator("#plan-goals table")).to_contain_text(ACTION)
    assert serious_violations(manager_page) == []
    manager_page.locator(f"form[action='{approve_url}'] button[type=submit]").click()
    manager_page.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED, _errors(manager_page)
    assert plan.approved_by == manager
    assert plan.approved_at is not None
    # Approved: read only, and the approval shows on the page.
    assert manager_page.locator(f"form[action='{goals_url}']").count() == 0
    assert manager_page.locator(f"form[action='{actions_url}']").count() == 0
    assert manager_page.locator(f"form[action='{approve_url}']").count() == 0
    # As the approving manager he still sees the action.
    expect(manager_page.locator("#plan-goals table")).to_contain_text(ACTION)
    assert serious_violations(manager_page) == []

    # The PDF: a recent sign-in, audited as an export.
    pdf_url = reverse("families:plan_pdf", args=[plan.pk])
    with manager_page.expect_download() as download_info:
        manager_page.locator(f"a[href='{pdf_url}']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = _pdf_text(Path(download.path()).read_bytes())
    assert GOAL in text
    assert ACTION in text
    assert WISHES in text  # æ, ø and å survive the font and the text layer
    assert "æ" in WISHES and "ø" in WISHES and "å" in WISHES
    assert all(letter in text for letter in "æøåÅ")
    assert AuditEntry.objects.filter(
        user=manager,
        action=AuditAction.EXPORT,
        object_type="families.plan",
        object_id=str(plan.pk),
    ).exists()
    manager_context.close()

    # Nothing else changed: still one approved plan with its goal and action.
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert Plan.objects.filter(family=family).count() == 1
    assert Action.objects.filter(plan=plan).count() == 1
