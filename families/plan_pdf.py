"""The joint family action plan as a PDF for one reader (issue 7, point 5).

Each reader's copy holds only what that reader may see: the goals, the actions and
the progress updates are read through families.plan_selectors with the reader as
the user, so the permission core decides, never this module. A school that has
one action in the plan gets the goals and its own action, not the social
services' actions; the approving manager gets the whole plan.

What the PDF never holds: a CPR number, an address, or an action the reader may
not see (not even a count of them: that would tell that there are others).

The document is in Danish whatever language the reader works in (A4, "Fortroligt"
and "Side x af y" on every page through CSS page counters, as meetings.minutes).
Progress is drawn with plain HTML/CSS bars and an inline SVG pie per goal
("lagkage"): nothing is fetched from outside (core.pdf refuses it anyway).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from access.permissions import can
from audit.models import Action as AuditAction
from audit.services import audit_record
from core.pdf import render_pdf
from meetings.minutes import css_string, page_counter_css

from . import plan_selectors
from .models import FamilyMember
from .plan_models import PROGRESS_NEWEST_FIRST, Plan, PlanStatus

DAY_FORMAT = "j. F Y"  # 8. december 2026
TABLE_DAY_FORMAT = "d.m.Y"  # 08.12.2026: fits the narrow deadline column
PIE_RADIUS = 20.0  # in the SVG's own units (a 44 × 44 view box)
PIE_CENTRE = 22.0


@dataclass(frozen=True)
class PlanPdfAction:
    what: str
    measure: str
    actors: str
    agency: str
    responsible: str
    deadline: str
    status: str
    sector_law: str
    linked_plans: str


@dataclass(frozen=True)
class PlanPdfUpdate:
    day: str
    percent: int
    note: str
    agency: str


@dataclass
class PlanPdfGoal:
    number: int
    title: str
    member: str  # "" for a goal for the whole family
    progress: int
    pie_slice: str  # an SVG path ("" at 0 % and 100 %: drawn as circles)
    latest: PlanPdfUpdate | None = None
    actions: list[PlanPdfAction] = field(default_factory=list)


@dataclass
class PlanPdf:
    family: str
    municipality: str
    version: int
    status: str
    is_draft: bool
    approved_by: str
    approved_on: str
    in_force_from: str
    review_on: str
    closed_on: str
    coordinating_agency: str
    wishes: str
    goals: list[PlanPdfGoal]


def _name_of_user(user) -> str:
    return user.name_and_title if user else ""


def _day(value: date | None) -> str:
    return dateformat.format(value, DAY_FORMAT) if value else ""


def _member_name(person) -> str:
    # The name only: never the CPR number, the date of birth or the address.
    return f"{person.given_name} {person.family_name}" if person else ""


def pie_slice(percent: int) -> str:
    """The SVG path of a pie slice of `percent` (clockwise from 12 o'clock) in a
    44 × 44 view box; "" for 0 and 100, which the template draws as circles."""
    if not 0 < percent < 100:
        return ""
    angle = 2 * math.pi * percent / 100
    x = PIE_CENTRE + PIE_RADIUS * math.sin(angle)
    y = PIE_CENTRE - PIE_RADIUS * math.cos(angle)
    large_arc = 1 if percent > 50 else 0
    return (
        f"M {PIE_CENTRE:g} {PIE_CENTRE:g} L {PIE_CENTRE:g} {PIE_CENTRE - PIE_RADIUS:g} "
        f"A {PIE_RADIUS:g} {PIE_RADIUS:g} 0 {large_arc} 1 {x:.2f} {y:.2f} Z"
    )


def _action(action) -> PlanPdfAction:
    return PlanPdfAction(
        what=action.what,
        measure=action.measure,
        actors=action.actors,
        agency=action.agency.name,
        responsible=_name_of_user(action.responsible),
        deadline=dateformat.format(action.deadline, TABLE_DAY_FORMAT),
        status=action.get_status_display(),
        sector_law=action.get_sector_law_display(),
        linked_plans=action.linked_plans,
    )


def plan_content(*, reader, plan: Plan) -> PlanPdf:
    """The content of the plan as `reader` may see it: three unaudited reads
    through families.plan_selectors (goals, actions, progress), whatever the
    number of goals and actions. Call inside translation.override("da")."""
    goals = list(plan_selectors.goals_of(user=reader, plan=plan))
    actions = list(
        plan_selectors.actions_of(user=reader, plan=plan).order_by("deadline", "what")
    )
    updates = list(
        plan_selectors.progress_of(user=reader, plan=plan).order_by(
            *PROGRESS_NEWEST_FIRST
        )
    )
    actions_by_goal: dict = {}
    for action in actions:
        actions_by_goal.setdefault(action.goal_id, []).append(_action(action))
    latest_by_goal: dict = {}
    for update in updates:  # newest first: the first seen per goal is the latest
        latest_by_goal.setdefault(
            update.goal_id,
            PlanPdfUpdate(
                day=_day(update.recorded_on),
                percent=update.percent,
                note=update.note,
                agency=update.agency.name,
            ),
        )
    family = plan.family
    approved = plan.approved_at and timezone.localtime(plan.approved_at).date()
    return PlanPdf(
        family=family.name,
        municipality=family.municipality.name,
        version=plan.version,
        status=plan.get_status_display(),
        is_draft=plan.status == PlanStatus.DRAFT,
        approved_by=_name_of_user(plan.approved_by),
        approved_on=_day(approved or None),
        in_force_from=_day(plan.in_force_from),
        review_on=_day(plan.review_on),
        closed_on=_day(plan.closed_on),
        coordinating_agency=plan.agency.name,
        wishes=plan.wishes,
        goals=[
            PlanPdfGoal(
                number=number,
                title=goal.title,
                member=_member_name(goal.person),
                progress=min(max(goal.progress, 0), 100),
                pie_slice=pie_slice(goal.progress),
                latest=latest_by_goal.get(goal.pk),
                actions=actions_by_goal.get(goal.pk, []),
            )
            for number, goal in enumerate(goals, start=1)
        ],
    )


@transaction.atomic
def plan_render_pdf(*, reader, plan: Plan) -> bytes:
    """The plan (any version) as `reader` may see it, as PDF bytes.

    The caller has fetched `plan` through families.plan_selectors.plan_for with
    the action its policy asks (EXPORT for the download). This function reads the
    goals, actions and progress only through families.plan_selectors as `reader`,
    so the PDF holds no action the reader may not see; a reader who may not see
    the plan at all gets Http404 (fail closed, no enumeration).

    Audited: one EXPORT entry on the plan, naming every member of the family as a
    subject (the plan is about the household; only their ids are read, for the
    entry), written in the same transaction after the PDF is rendered: if the
    entry cannot be written, no PDF is returned. About ten queries whatever the
    size of the plan when `plan` comes from plan_for (family, municipality,
    agency and approver already joined).
    """
    if not can(reader, plan):
        raise Http404
    with translation.override("da"):
        content = plan_content(reader=reader, plan=plan)
        html = render_to_string(
            "families/pdf/plan.html",
            {
                "plan": content,
                "confidential": css_string(_("Confidential")),
                "page_counter": page_counter_css(),
                "made_on": _day(timezone.localdate()),
                "made_by": _name_of_user(reader),
            },
        )
    pdf = render_pdf(html)
    audit_record(
        user=reader,
        action=AuditAction.EXPORT,
        obj=plan,
        subjects=FamilyMember.objects.filter(family_id=plan.family_id).values_list(
            "person_id", flat=True
        ),
        criterion=f"plan v{plan.version}",
    )
    return pdf


def plan_filename(plan: Plan) -> str:
    """No name in the file name: the file may be saved on a shared drive."""
    return f"familiehandleplan-v{plan.version}.pdf"
