"""Pages of the family assessment and the joint family action plan (issue 7,
point 7): a family's assessments and plans, the assessment form by life domain,
the plan page with its htmx editor, progress updates, state changes and the PDF.

Thin (STYLE.md §6): method check → selector → form → service → redirect, or the
fragment when htmx asks. Families, assessments, plans and actions are fetched
through families.selectors / families.plan_selectors and the permission core:
404 for whoever may not see them, 403 for a reader who may not write. A refused
POST re-renders its form with the service's messages on the fields: the whole
page with status 400, or, for htmx, the fragment with status 200 (htmx swaps
only successful responses, and the messages must show). A refused transition
shows its message and changes nothing.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.permissions import (
    CHANGE,
    EXPORT,
    VIEW,
    acting_agency,
    can,
    can_approve_plans,
    can_record_cases,
    get_visible_or_404,
    require,
    visible,
)
from accounts.fresh import fresh_authentication_required
from organisations.models import Agency, Membership, Role

from . import plan_selectors as selectors
from . import plans
from .models import Family
from .plan_forms import (
    FAMILY,
    ActionForm,
    ActionStatusForm,
    AssessmentForm,
    CloseForm,
    GoalForm,
    PlanForm,
    ProgressForm,
    RatingForm,
    SummaryForm,
    add_service_errors,
)
from .plan_models import (
    PROGRESS_NEWEST_FIRST,
    Action,
    AssessmentDomain,
    AssessmentFactor,
    Level,
    PlanStatus,
)
from .plan_pdf import plan_filename, plan_render_pdf
from .plan_states import EVENTS, Event, allowed_events
from .selectors import family_members

# Progress updates shown under each goal on the plan page (the PDF has the latest).
UPDATES_SHOWN = 3


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _to_plan(plan, anchor: str = ""):
    return redirect(reverse("families:plan", args=[plan.pk]) + anchor)


def _writer(request):
    """The acting agency of a request that records something: 403 for a user
    without a case role there (an auditor, an administrator)."""
    agency = acting_agency(request)
    require(can_record_cases(request.user, agency))
    return agency


# --- A family's assessments and plans ----------------------------------------------


def _family(request, family_id) -> Family:
    return get_visible_or_404(
        request.user, Family.objects.select_related("municipality"), pk=family_id
    )


def _render_family_plans(request, family, *, status=200, **forms):
    user = request.user
    may_record = can_record_cases(user)
    changes = selectors.assessment_changes(user=user, family=family)
    context = {
        "family": family,
        "assessments": list(selectors.assessments_of(user=user, family=family)),
        "changes": changes,
        "plans": list(selectors.plans_of(user=user, family=family)),
        "assessment_form": forms.get("assessment_form")
        or (
            AssessmentForm(initial={"assessed_on": timezone.localdate()})
            if may_record
            else None
        ),
        "plan_form": forms.get("plan_form") or (PlanForm() if may_record else None),
    }
    return render(request, "families/plans/family_plans.html", context, status=status)


@require_GET
def family_plans(request, family_id):
    return _render_family_plans(request, _family(request, family_id))


@require_POST
def assessment_new(request, family_id):
    family = _family(request, family_id)
    agency = _writer(request)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            assessment = plans.assessment_create(
                actor=request.user, agency=agency, family=family, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("families:assessment", pk=assessment.pk)
    return _render_family_plans(request, family, assessment_form=form, status=400)


@require_POST
def plan_new(request, family_id):
    family = _family(request, family_id)
    agency = _writer(request)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            plan = plans.plan_create(
                actor=request.user, agency=agency, family=family, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_plan(plan)
    return _render_family_plans(request, family, plan_form=form, status=400)


# --- The assessment by domain ------------------------------------------------------


@dataclass
class RatingRow:
    factor: AssessmentFactor
    subject: str  # the member's name or "the family"
    person: object
    form: RatingForm
    own: object = None
    others: list = field(default_factory=list)


def _domains() -> list[AssessmentDomain]:
    """The catalogue in use (not case data), with its active factors: two queries."""
    return list(
        AssessmentDomain.objects.filter(active=True).prefetch_related(
            Prefetch(
                "factors",
                queryset=AssessmentFactor.objects.filter(active=True),
                to_attr="active_factors",
            )
        )
    )


def _rating_rows(request, assessment, domain, agency, data=None) -> list[RatingRow]:
    user = request.user
    members = list(family_members(user=user, family=assessment.family))
    subjects = [(FAMILY, _("The family as a whole"), None)] + [
        (str(m.person_id), m.person.full_name, m.person) for m in members
    ]
    given = defaultdict(list)
    for rating in selectors.ratings_of(user=user, assessment=assessment).filter(
        factor__domain=domain
    ):
        given[(rating.factor_id, rating.person_id)].append(rating)
    rows = []
    for factor in domain.active_factors:
        for key, label, person in subjects:
            ratings = given[(factor.pk, person.pk if person else None)]
            own = next((r for r in ratings if r.agency_id == agency.pk), None)
            initial = (
                {"level": own.level, "justification": own.justification} if own else {}
            )
            rows.append(
                RatingRow(
                    factor=factor,
                    subject=label,
                    person=person,
                    form=RatingForm(
                        data, prefix=f"r-{factor.pk}-{key}", initial=initial
                    ),
                    own=own,
                    others=[r for r in ratings if r.agency_id != agency.pk],
                )
            )
    return rows


class _Refused(Exception):
    """Leave the atomic block so that nothing of a refused form is saved."""


def _save_ratings(request, assessment, agency, rows) -> bool:
    if not all(row.form.is_valid() for row in rows):
        return False
    try:
        with transaction.atomic():
            refused = False
            for row in rows:
                if not (row.form.is_filled and row.form.has_changed()):
                    continue
                try:
                    plans.rating_record(
                        actor=request.user,
                        agency=agency,
                        assessment=assessment,
                        factor=row.factor,
                        person=row.person,
                        level=row.form.cleaned_data["level"],
                        justification=row.form.cleaned_data["justification"],
                        rated_on=timezone.localdate(),
                    )
                except ValidationError as exc:
                    add_service_errors(row.form, exc)
                    refused = True
            if refused:
                raise _Refused
    except _Refused:
        return False
    return True


def _render_assessment(
    request, assessment, domain, domains, rows, *, status=200, summary_form=None
):
    agency = acting_agency(request)
    coordinating = assessment.agency_id == agency.pk
    context = {
        "assessment": assessment,
        "family": assessment.family,
        "domain": domain,
        "domains": domains,
        "rows": rows,
        "agency": agency,
        "may_rate": can_record_cases(request.user, agency),
        "summary_form": summary_form
        or (
            SummaryForm(initial={"summary": assessment.summary})
            if coordinating
            else None
        ),
        "levels": Level.choices,
    }
    return render(request, "families/plans/assessment.html", context, status=status)


@require_http_methods(["GET", "POST"])
def assessment(request, pk):
    """The assessment, one life domain at a time: the acting agency's ratings as a
    form, the other agencies' beside them, read-only. Saving a domain records every
    changed row, or none when one is refused."""
    assessment = selectors.assessment_for(user=request.user, pk=pk)
    agency = _writer(request) if request.method == "POST" else acting_agency(request)
    domains = _domains()
    if not domains:
        raise Http404
    wanted = request.POST.get("domain") or request.GET.get("domain")
    domain = next((d for d in domains if d.code == wanted), domains[0])
    data = request.POST if request.method == "POST" else None
    rows = _rating_rows(request, assessment, domain, agency, data)
    if data is not None:
        if _save_ratings(request, assessment, agency, rows):
            messages.success(request, _("Your ratings are saved."))
            url = reverse("families:assessment", args=[assessment.pk])
            return redirect(f"{url}?domain={domain.code}")
        return _render_assessment(
            request, assessment, domain, domains, rows, status=400
        )
    return _render_assessment(request, assessment, domain, domains, rows)


@require_POST
def assessment_summary(request, pk):
    """The summary is written by the agency that coordinates the assessment."""
    assessment = selectors.assessment_for(user=request.user, pk=pk)
    agency = _writer(request)
    require(assessment.agency_id == agency.pk)
    form = SummaryForm(request.POST)
    if form.is_valid():
        plans.assessment_summarise(
            actor=request.user, assessment=assessment, **form.cleaned_data
        )
        return redirect("families:assessment", pk=assessment.pk)
    domains = _domains()
    if not domains:
        raise Http404
    rows = _rating_rows(request, assessment, domains[0], agency)
    return _render_assessment(
        request, assessment, domains[0], domains, rows, status=400, summary_form=form
    )


# --- The plan page -----------------------------------------------------------------


def _agencies_for(plan, agency, coordinating: bool) -> list[Agency]:
    """The agencies an action may be added for: the user's own, or for the
    coordinating agency any agency of the family's municipality and its police
    district (the directory of agencies, not case data)."""
    if not coordinating:
        return [agency]
    municipality = plan.family.municipality
    return list(
        Agency.objects.filter(
            Q(municipality=municipality)
            | Q(police_district_id=municipality.police_district_id)
        ).order_by("name")
    )


def _staff_of(agencies) -> list[tuple]:
    """(user, agency) of the case workers of `agencies`: who may be responsible."""
    memberships = (
        Membership.objects.filter(agency__in=agencies, role__in=Role.case_roles())
        .select_related("user", "agency")
        .order_by("agency__name", "user__first_name", "user__username")
    )
    return [(m.user, m.agency) for m in memberships if m.user.is_active]


@dataclass
class PlanPage:
    """Everything the plan page and its fragments read, in a fixed number of
    queries whatever the number of goals and actions."""

    plan: object
    agency: Agency
    can_change: bool
    can_export: bool
    may_record: bool
    goals: list
    editable: set
    events: list


def _plan_page(request, plan) -> PlanPage:
    user = request.user
    agency = acting_agency(request)
    can_change = can(user, plan, CHANGE)
    goals = list(selectors.goals_of(user=user, plan=plan))
    actions = list(
        selectors.actions_of(user=user, plan=plan).order_by("deadline", "what")
    )
    updates = list(
        selectors.progress_of(user=user, plan=plan).order_by(*PROGRESS_NEWEST_FIRST)
    )
    by_goal, updates_by_goal = defaultdict(list), defaultdict(list)
    for action in actions:
        by_goal[action.goal_id].append(action)
    for update in updates:
        updates_by_goal[update.goal_id].append(update)
    for goal in goals:
        goal.action_list = by_goal[goal.pk]
        goal.update_list = updates_by_goal[goal.pk][:UPDATES_SHOWN]
        goal.agency_ids = {a.agency_id for a in goal.action_list}
    editable: set = set()
    if plan.status in (PlanStatus.DRAFT, PlanStatus.IN_FORCE) and actions:
        changeable = visible(
            user, Action.objects.filter(plan=plan), action=CHANGE, audit=None
        ).values_list("pk", flat=True)
        agency_of = {a.pk: a.agency_id for a in actions}
        editable = {
            pk
            for pk in changeable
            if plan.status == PlanStatus.DRAFT or agency_of[pk] == agency.pk
        }
    events = []
    for event in allowed_events(plan.status):
        if event == Event.APPROVE:
            if can_approve_plans(user, plan.family.municipality):
                events.append(event)
        elif can_change:
            events.append(event)
    return PlanPage(
        plan=plan,
        agency=agency,
        can_change=can_change,
        can_export=can(user, plan, EXPORT),
        may_record=can_record_cases(user, agency),
        goals=goals,
        editable=editable,
        events=events,
    )


def _editor_forms(request, page: PlanPage, bound: dict) -> dict:
    """The forms of the plan's editor and progress: those the user may use."""
    plan, user = page.plan, request.user
    forms: dict = {}
    if plan.is_editable and page.can_change:
        forms["plan_form"] = bound.get("plan_form") or PlanForm(
            initial={"wishes": plan.wishes, "review_on": plan.review_on}
        )
        members = [m.person for m in family_members(user=user, family=plan.family)]
        forms["goal_form"] = bound.get("goal_form") or GoalForm(members=members)
    if plan.is_editable and page.may_record and page.goals:
        agencies = _agencies_for(plan, page.agency, page.can_change)
        forms["action_form"] = bound.get("action_form") or ActionForm(
            goals=page.goals,
            agencies=agencies,
            staff=_staff_of(agencies),
            initial={"agency": str(page.agency.pk)},
        )
    if plan.status == PlanStatus.IN_FORCE and page.may_record:
        progress_goals = [
            g for g in page.goals if page.can_change or page.agency.pk in g.agency_ids
        ]
        if progress_goals:
            forms["progress_form"] = bound.get("progress_form") or ProgressForm(
                goals=progress_goals, initial={"recorded_on": timezone.localdate()}
            )
    if Event.CLOSE in page.events:
        forms["close_form"] = bound.get("close_form") or CloseForm(
            initial={"closed_on": timezone.localdate()}
        )
    return forms


def _plan_context(request, plan, **bound) -> dict:
    page = _plan_page(request, plan)
    return {
        "plan": plan,
        "family": plan.family,
        "page": page,
        "goals": page.goals,
        "editable": page.editable,
        "versions": list(selectors.plans_of(user=request.user, family=plan.family)),
        "today": timezone.localdate(),
        **_editor_forms(request, page, bound),
    }


def _render_plan(request, plan, *, status=200, **bound):
    return render(
        request,
        "families/plans/plan.html",
        _plan_context(request, plan, **bound),
        status=status,
    )


def _editor(request, plan, *, status=200, **bound):
    """The goals section (goals, action tables, progress and their forms): the
    fragment for htmx (status 200 even when refused), else the page."""
    if _htmx(request):
        return render(
            request,
            "families/plans/partials/_goals.html",
            _plan_context(request, plan, **bound),
        )
    if status != 200:
        return _render_plan(request, plan, status=status, **bound)
    return _to_plan(plan, "#plan-goals")


@require_GET
def plan(request, pk):
    return _render_plan(request, selectors.plan_for(user=request.user, pk=pk))


@require_POST
def plan_edit(request, pk):
    plan = selectors.plan_for(user=request.user, pk=pk, action=CHANGE)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            plans.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_plan(plan)
    plan.refresh_from_db()
    return _render_plan(request, plan, status=400, plan_form=form)


@require_POST
def plan_goals(request, pk):
    plan = selectors.plan_for(user=request.user, pk=pk, action=CHANGE)
    members = [m.person for m in family_members(user=request.user, family=plan.family)]
    form = GoalForm(request.POST, members=members)
    if form.is_valid():
        try:
            plans.goal_add(actor=request.user, plan=plan, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _editor(request, plan)
    return _editor(request, plan, status=400, goal_form=form)


@require_POST
def plan_actions(request, pk):
    """Add an action: the user's agency for itself, or the coordinating agency for
    any agency (families.plans.action_add decides)."""
    plan = selectors.plan_for(user=request.user, pk=pk)
    agency = _writer(request)
    coordinating = can(request.user, plan, CHANGE)
    agencies = _agencies_for(plan, agency, coordinating)
    form = ActionForm(
        request.POST,
        goals=selectors.goals_of(user=request.user, plan=plan),
        agencies=agencies,
        staff=_staff_of(agencies),
    )
    if form.is_valid():
        try:
            plans.action_add(
                actor=request.user, actor_agency=agency, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _editor(request, plan)
    return _editor(request, plan, status=400, action_form=form)


def _action_form(action, data=None):
    """The edit form of a row: every field in a draft, the status in force."""
    if action.plan.status == PlanStatus.IN_FORCE:
        return ActionStatusForm(
            data, initial={"status": action.status}, auto_id=f"id_a{action.pk}_%s"
        )
    form = ActionForm(
        data,
        agencies=[action.agency],
        staff=_staff_of([action.agency]),
        editing=True,
        auto_id=f"id_a{action.pk}_%s",
        initial={
            **{name: getattr(action, name) for name in plans.ACTION_FIELDS},
            "status": action.status,
            "responsible": str(action.responsible_id),
        },
    )
    form.fields["status"] = copy.deepcopy(ActionStatusForm.base_fields["status"])
    return form


def _action_row(request, action, *, editing=False, form=None, status=200):
    context = {
        "action": action,
        "plan": action.plan,
        "form": form,
        "can_edit": True,
        "editing": editing,
    }
    if _htmx(request):
        template = "_action_edit_row.html" if editing else "_action_row.html"
        return render(request, f"families/plans/partials/{template}", context)
    if editing:
        return render(
            request, "families/plans/action_edit.html", context, status=status
        )
    return _to_plan(action.plan, "#plan-goals")


@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    """The row's edit form (GET) and its change (POST). 404 for an action the user
    may not see (another agency's, STYLE.md §3), 403 for one it sees but may not
    change (the approving manager)."""
    action = selectors.action_for(user=request.user, pk=pk, action=CHANGE)
    if request.method == "GET":
        return _action_row(request, action, editing=True, form=_action_form(action))
    agency = _writer(request)
    form = _action_form(action, request.POST)
    if form.is_valid():
        changes = dict(form.cleaned_data)
        if "responsible" in changes:
            changes["responsible"] = form.service_arguments()["responsible"]
        try:
            action = plans.action_update(
                actor=request.user, actor_agency=agency, action=action, **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _action_row(request, action)
    action.refresh_from_db()
    return _action_row(request, action, editing=True, form=form, status=400)


@require_POST
def action_remove(request, pk):
    action = selectors.action_for(user=request.user, pk=pk, action=CHANGE)
    plan = action.plan
    try:
        plans.action_remove(
            actor=request.user, actor_agency=_writer(request), action=action
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if _htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("families:plan", args=[plan.pk])
            return response
    if _htmx(request):
        return HttpResponse("")  # the row is swapped out
    return _to_plan(plan, "#plan-goals")


@require_POST
def plan_progress(request, pk):
    plan = selectors.plan_for(user=request.user, pk=pk)
    agency = _writer(request)
    form = ProgressForm(
        request.POST, goals=selectors.goals_of(user=request.user, plan=plan)
    )
    if form.is_valid():
        try:
            plans.progress_record(
                actor=request.user, actor_agency=agency, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _editor(request, plan)
    return _editor(request, plan, status=400, progress_form=form)


@require_POST
def plan_step(request, pk, event):
    """approve (a manager of the family's municipality), put in force, revise,
    close (the coordinating agency). A refused step shows why; nothing changes."""
    if event not in EVENTS:
        raise Http404
    action = VIEW if event == Event.APPROVE else CHANGE
    plan = selectors.plan_for(user=request.user, pk=pk, action=action)
    user = request.user
    try:
        if event == Event.APPROVE:
            plans.plan_approve(actor=user, plan=plan)
        elif event == Event.PUT_IN_FORCE:
            plans.plan_put_in_force(actor=user, plan=plan)
        elif event == Event.REVISE:
            plan = plans.plan_revise(actor=user, plan=plan)
        else:
            form = CloseForm(request.POST)
            if not form.is_valid():
                plan.refresh_from_db()
                return _render_plan(request, plan, status=400, close_form=form)
            try:
                plans.plan_close(
                    actor=user,
                    plan=plan,
                    closed_on=form.cleaned_data["closed_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    add_service_errors(form, exc, renames={"close_reason": "reason"})
                    plan.refresh_from_db()
                    return _render_plan(request, plan, status=400, close_form=form)
                raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_plan(plan)


@require_GET
@fresh_authentication_required
def plan_pdf(request, pk):
    """The plan as the signed-in user may see it, for whoever may export it (the
    coordinating agency, the approving manager). An export of names: it needs a
    recent sign-in (accounts.fresh) and is audited as an export."""
    plan = selectors.plan_for(user=request.user, pk=pk, action=EXPORT)
    content = plan_render_pdf(reader=request.user, plan=plan)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan_filename(plan)}"'
    # The plan names a family: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store, private"
    return response
