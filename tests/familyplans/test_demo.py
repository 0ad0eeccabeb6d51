"""The demo family plan (issue 7, point 9): `seed_demo` gives Familien Demosen an
assessment by three agencies and an approved plan in force, which the demo
manager sees and can export as a PDF on the first run; a second run creates
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from access.permissions import EXPORT, VIEW, can
from audit.models import Action as AuditAction
from audit.models import AuditEntry
from families import plan_selectors
from families.models import Family
from families.plan_models import (
    Action,
    Assessment,
    Goal,
    Plan,
    PlanStatus,
    Progress,
    Rating,
)
from families.plan_pdf import plan_render_pdf
from organisations.models import User
from reminders.models import Reminder


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return {user.username: user for user in User.objects.all()}


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Assessment, Rating, Plan, Goal, Action, Progress, Reminder)
    )


def _plan() -> Plan:
    return Plan.objects.select_related("family").get(family__name="Familien Demosen")


def test_assessment_by_three_agencies_and_a_plan_in_force(demo):
    family = Family.objects.get(name="Familien Demosen")
    latest = Assessment.objects.filter(family=family).order_by("-number").first()
    assert latest.number == 2  # the family page shows the change from the first
    assert (
        Rating.objects.filter(assessment=latest).values("agency").distinct().count()
        == 3
    )
    plan = _plan()
    assert plan.status == PlanStatus.IN_FORCE
    assert plan.approved_by == demo["leder"]
    assert Action.objects.filter(plan=plan).values("agency").distinct().count() == 3


def test_a_second_run_creates_nothing(demo):
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before


def test_the_manager_sees_the_plan_in_force_and_every_action(demo):
    leder = demo["leder"]
    family = _plan().family
    seen = list(plan_selectors.plans_of(user=leder, family=family))
    assert [p.status for p in seen] == [PlanStatus.IN_FORCE]
    plan = plan_selectors.plan_for(user=leder, pk=seen[0].pk, action=EXPORT)
    assert plan_selectors.actions_of(user=leder, plan=plan).count() == 6
    # Police see the plan and only their own action.
    police = demo["politi"]
    assert can(police, plan, VIEW)
    own = plan_selectors.actions_of(user=police, plan=plan)
    assert {a.agency.kind for a in own} == {"police"}


def test_the_pdf_renders_for_the_manager(demo):
    leder = demo["leder"]
    plan = plan_selectors.plan_for(user=leder, pk=_plan().pk, action=EXPORT)

    content = plan_render_pdf(reader=leder, plan=plan)

    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Familien Demosen" in text
    assert "Bilal møder i skole hver dag" in text
    assert "bekymringssamtale" in text.lower()
    assert AuditEntry.objects.filter(
        user=leder, action=AuditAction.EXPORT, object_id=str(plan.pk)
    ).exists()
