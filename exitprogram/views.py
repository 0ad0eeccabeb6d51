"""Exit programme pages: the coordinator's dashboard and the case page (phase by
phase, with the form of the current phase), the police mapping, the agreement
editor, the responsible authorities' measures and the police's weekly reports.

Thin (STYLE.md §6): method check → selector → form → service → redirect, or the
fragment when htmx asks. Cases, agreements, measures and reports are fetched
through exitprogram.selectors: 404 for whoever may not see them (no enumeration),
403 for a reader who may not change them (the police exit contact on the
coordinator's forms). A refused POST re-renders its form with the service's
messages on the fields: the whole page with status 400, or, for htmx, the fragment
with status 200 (htmx swaps only successful responses). A refused transition shows
its message and changes nothing (the services are atomic).
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.permissions import CHANGE, acting_agency, can, can_coordinate_exit, require
from cases.selectors import persons_visible_to
from core.links import link_to
from organisations.models import Agency, AgencyKind, Municipality, Role

from . import selectors, services
from .forms import (
    AgreementForm,
    ClarificationForm,
    DeclineForm,
    EndForm,
    EnrolForm,
    FollowUpForm,
    MeasureForm,
    MeasureStatusForm,
    MentorForm,
    MentorSessionForm,
    MunicipalMappingForm,
    NecForm,
    OutcomeForm,
    PoliceMappingForm,
    ReferForm,
    ReportForm,
    ScreenForm,
    SentForm,
    SignForm,
    add_service_errors,
)
from .models import AgreementStatus, LifeDomain, MeasureStatus, Status
from .states import PHASES, Event, allowed_events

# Persons offered on the referral form; beyond that, by CPR number.
PERSONS_SHOWN = 300
# The states in which the programme runs (follow-up, mentors, a new version).
RUNNING = (Status.AGREEMENT, Status.ACTIVE)


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _to_case(case, anchor: str = ""):
    url = reverse("exitprogram:case", args=[case.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _for_change(request, pk):
    return selectors.case_for(user=request.user, pk=pk, action=CHANGE)


# --- Dashboard and referral -----------------------------------------------------------


@require_GET
def dashboard(request):
    """The coordinator's overview: cases by phase, missing weekly reports, overdue
    measures and outcomes due. Everyone sees only the cases visible to them.

    Three queries whatever the number of cases: the cases (the outcomes due are
    picked from them), the missing reports and the overdue measures, each through
    its own grants."""
    user = request.user
    today = timezone.localdate()
    cases = list(selectors.cases_overview(user=user))
    missing = list(selectors.missing_reports(user=user, day=today))
    # Reversed once for every row (a reverse per row was a third of the rendering).
    case_url = link_to("exitprogram:case")
    by_status = defaultdict(list)
    for case in cases:
        case.url = case_url(case.pk)
        by_status[case.status].append(case)
    for report in missing:
        report.case_url = case_url(report.case_id)
    phases = [(value, label, by_status[value]) for value, label in Status.choices]
    return render(
        request,
        "exitprogram/dashboard.html",
        {
            "phases": [row for row in phases if row[2]],
            "case_count": len(cases),
            "missing": missing,
            "overdue": list(
                selectors.overdue_measures_for_agency(user=user, day=today)
            ),
            "outcomes": selectors.outcomes_due_among(cases, day=today),
            "can_refer": can_coordinate_exit(user),
            "today": today,
        },
    )


def _refer_form(request, agency, data=None) -> ReferForm:
    persons = (
        persons_visible_to(user=request.user)
        .filter(municipality=agency.municipality_id)
        .order_by("family_name", "given_name")[:PERSONS_SHOWN]
    )
    district = Municipality.objects.filter(pk=agency.municipality_id).values(
        "police_district"
    )
    police_contacts = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.POLICE_LIAISON,
            memberships__agency__kind=AgencyKind.POLICE,
            memberships__agency__police_district__in=district,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return ReferForm(data, persons=persons, police_contacts=police_contacts)


@require_http_methods(["GET", "POST"])
def refer(request):
    agency = acting_agency(request)
    require(can_coordinate_exit(request.user, agency))
    form = _refer_form(request, agency, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = form.persons.get(data["person"])
        cpr = data["cpr"].strip()
        if cpr:
            person = persons_visible_to(user=request.user, query=cpr).first()
            if person is None:
                form.add_error(
                    "cpr", _("No young person you have access to has this CPR number.")
                )
        if not form.errors:
            try:
                case = services.exit_refer(
                    actor=request.user,
                    agency=agency,
                    person=person,
                    referral_source=data["referral_source"],
                    referred_on=data["referred_on"],
                    police_contact=data["police_contact"],
                    referrer=data["referrer"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _to_case(case)
    return render(
        request,
        "exitprogram/refer.html",
        {"form": form, "agency": agency},
        status=400 if form.errors else 200,
    )


# --- The case page --------------------------------------------------------------------


def _timeline(status: str) -> list[dict]:
    """The phases in order, each done, current or to come (a declined case
    stopped before the agreement)."""
    current = PHASES.index(status) if status in PHASES else -1
    return [
        {
            "value": phase,
            "label": Status(phase).label,
            "state": "current"
            if index == current
            else ("done" if index < current else "todo"),
        }
        for index, phase in enumerate(PHASES)
    ]


def _current_agreement(versions):
    """The draft if there is one, else the signed version (as
    selectors.current_agreement, from the versions already read)."""
    for status in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
        for agreement in versions:
            if agreement.status == status:
                return agreement
    return versions[0] if versions else None


def _render_case(request, case, *, status=200, page_errors=(), **bound):
    """The case page: the phase timeline, the records of each phase and, for the
    exit unit, the form of the current phase. A fixed number of queries whatever
    the number of meetings, measures, reports or sessions."""
    user = request.user
    today = timezone.localdate()
    may_change = can(user, case, CHANGE)
    versions = list(selectors.agreements_of(user=user, case=case))
    agreement = _current_agreement(versions)
    measures = (
        list(selectors.measures_of(user=user, agreement=agreement)) if agreement else []
    )
    for measure in measures:
        measure.overdue = (
            agreement.status == AgreementStatus.SIGNED
            and measure.is_open
            and measure.ends_on < today
        )
    mentors = list(selectors.mentors_of(user=user, case=case))
    sessions = defaultdict(list)
    for session in selectors.mentor_sessions_of(user=user, case=case):
        sessions[session.assignment_id].append(session)
    for mentor in mentors:
        mentor.session_rows = sessions.get(mentor.pk, [])
    current_mentor = next((m for m in mentors if m.to_date is None), None)
    events = allowed_events(case.status) if may_change else []
    context = {
        "case": case,
        "person": case.person,
        "may_change": may_change,
        "is_police_contact": user.pk == case.police_contact_id,
        "timeline": _timeline(case.status),
        "events": events,
        "page_errors": page_errors,
        "police_mapping": selectors.police_mapping_of(user=user, case=case),
        "municipal_mapping": selectors.municipal_mapping_of(user=user, case=case),
        "clarification": selectors.clarification_of(user=user, case=case),
        "agreement": agreement,
        "versions": versions,
        "measures": measures,
        "reports": list(selectors.weekly_reports_of(user=user, case=case)),
        "follow_ups": list(selectors.follow_up_meetings_of(user=user, case=case)),
        "mentors": mentors,
        "current_mentor": current_mentor,
        "nec_notifications": list(selectors.nec_notifications_of(user=user, case=case)),
        "running": case.status in RUNNING,
        "outcome_due_on": services.outcome_due_on(case),
        "today": today,
    }
    if may_change:
        context["consent"] = services.valid_consent(case.person, case.agency, today)
        context.update(
            _case_forms(
                case,
                events,
                current_mentor,
                bound,
                municipal=context["municipal_mapping"],
                clarification=context["clarification"],
            )
        )
    return render(request, "exitprogram/case_detail.html", context, status=status)


def _case_forms(
    case, events, current_mentor, bound, *, municipal, clarification
) -> dict:
    """The exit unit's forms for the case's state, bound ones kept; a recorded
    mapping or clarification fills its form for a correction."""
    forms = {}

    def form(name, cls, **kwargs):
        forms[name] = bound.get(name) or cls(
            prefix=name.removesuffix("_form"), **kwargs
        )

    if Event.SCREEN in events:
        form("screen_form", ScreenForm)
    if Event.DECLINE in events:
        form("decline_form", DeclineForm)
    if case.status == Status.MUNICIPAL_MAPPING:
        form(
            "municipal_form",
            MunicipalMappingForm,
            initial={
                name: getattr(municipal, name)
                for name in MunicipalMappingForm.base_fields
            }
            if municipal
            else None,
        )
    if case.status == Status.CLARIFICATION:
        form(
            "clarification_form",
            ClarificationForm,
            initial=ClarificationForm.initial_from(clarification),
        )
        form("enrol_form", EnrolForm)
    if case.status in RUNNING:
        form("follow_up_form", FollowUpForm)
        form("mentor_form", MentorForm)
        if current_mentor is not None:
            form("session_form", MentorSessionForm)
    if case.status in (*RUNNING, Status.ENDED):
        form("nec_form", NecForm)
    if Event.END in events:
        form("end_form", EndForm)
    if Event.RECORD_OUTCOME in events:
        form("outcome_form", OutcomeForm)
    return forms


def _refused(request, case, exc=None, **bound):
    case.refresh_from_db()
    return _render_case(
        request,
        case,
        status=400,
        page_errors=exc.messages if exc is not None and not bound else (),
        **bound,
    )


@require_GET
def case_detail(request, pk):
    case = selectors.case_for(user=request.user, pk=pk)
    return _render_case(request, case)


def _screen(actor, case, data):
    return services.exit_screen(actor=actor, case=case, note=data["screening_note"])


def _map_police(actor, case, data):
    return services.exit_to_police_mapping(actor=actor, case=case)


def _map_municipal(actor, case, data):
    return services.exit_to_municipal_mapping(actor=actor, case=case)


def _clarify(actor, case, data):
    return services.exit_to_clarification(actor=actor, case=case)


def _enrol(actor, case, data):
    return services.exit_enrol(actor=actor, case=case, decided_on=data["decided_on"])


def _decline(actor, case, data):
    return services.exit_decline(actor=actor, case=case, **data)


def _end(actor, case, data):
    return services.exit_end(actor=actor, case=case, **data)


def _record_outcome(actor, case, data):
    return services.outcome_record(actor=actor, case=case, outcome=data["outcome"])


# The transitions made on the case page: the form (and its name on the page) and
# the service. Signing happens in the agreement editor.
STEPS = {
    Event.SCREEN: ("screen_form", ScreenForm, _screen),
    Event.MAP_POLICE: ("", None, _map_police),
    Event.MAP_MUNICIPAL: ("", None, _map_municipal),
    Event.CLARIFY: ("", None, _clarify),
    Event.ENROL: ("enrol_form", EnrolForm, _enrol),
    Event.DECLINE: ("decline_form", DeclineForm, _decline),
    Event.END: ("end_form", EndForm, _end),
    Event.RECORD_OUTCOME: ("outcome_form", OutcomeForm, _record_outcome),
}


@require_POST
def case_step(request, pk, event):
    if event not in STEPS:
        raise Http404
    case = _for_change(request, pk)
    name, form_class, service = STEPS[event]
    data = {}
    form = None
    if form_class is not None:
        form = form_class(request.POST, prefix=name.removesuffix("_form"))
        if not form.is_valid():
            return _refused(request, case, **{name: form})
        data = (
            form.service_arguments()
            if hasattr(form, "service_arguments")
            else form.cleaned_data
        )
    try:
        result = service(request.user, case, data)
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            add_service_errors(form, exc, renames={"reason": "decline_reason"})
            return _refused(request, case, **{name: form})
        return _refused(request, case, exc)
    if event == Event.ENROL:
        return redirect("exitprogram:agreement", pk=result.pk)
    return _to_case(case)


@require_http_methods(["GET", "POST"])
def police_mapping(request, pk):
    """The police mapping with the security assessment (R-EXIT-3): recorded by the
    police exit contact in its phase; read by the exit unit; nobody else."""
    user = request.user
    case = selectors.case_for(user=user, pk=pk)
    is_contact = user.pk == case.police_contact_id
    if not (is_contact or can(user, case, CHANGE)):
        raise Http404
    mapping = selectors.police_mapping_of(user=user, case=case)
    editable = is_contact and case.status == Status.POLICE_MAPPING
    if request.method == "POST":
        require(editable)
    form = None
    if editable:
        form = PoliceMappingForm(
            request.POST or None, initial=PoliceMappingForm.initial_from(mapping)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.police_mapping_record(
                    actor=user, case=case, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The police mapping was saved."))
                return _to_case(case, "police-mapping")
    return render(
        request,
        "exitprogram/police_mapping.html",
        {"case": case, "mapping": mapping, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def municipal_mapping(request, pk):
    case = _for_change(request, pk)
    form = MunicipalMappingForm(request.POST, prefix="municipal")
    if form.is_valid():
        try:
            services.municipal_mapping_record(
                actor=request.user, case=case, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_case(case, "municipal-mapping")
    return _refused(request, case, municipal_form=form)


@require_POST
def clarification(request, pk):
    case = _for_change(request, pk)
    form = ClarificationForm(request.POST, prefix="clarification")
    if form.is_valid():
        try:
            services.clarification_record(
                actor=request.user, case=case, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(
                form, exc, renames={"domains": f"domain_{LifeDomain.values[0]}"}
            )
        else:
            return _to_case(case, "clarification")
    return _refused(request, case, clarification_form=form)


@require_POST
def follow_up(request, pk):
    case = _for_change(request, pk)
    form = FollowUpForm(request.POST, prefix="follow_up")
    if form.is_valid():
        try:
            services.follow_up_meeting_add(
                actor=request.user, case=case, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_case(case, "follow-up")
    return _refused(request, case, follow_up_form=form)


@require_POST
def mentors(request, pk):
    case = _for_change(request, pk)
    form = MentorForm(request.POST, prefix="mentor")
    if form.is_valid():
        try:
            services.mentor_assign(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_case(case, "mentors")
    return _refused(request, case, mentor_form=form)


@require_POST
def mentor_sessions(request, assignment_id):
    assignment = selectors.assignment_for(user=request.user, pk=assignment_id)
    case = _for_change(request, assignment.case_id)
    form = MentorSessionForm(request.POST, prefix="session")
    if form.is_valid():
        try:
            services.mentor_session_add(
                actor=request.user, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_case(case, "mentors")
    return _refused(request, case, session_form=form)


@require_POST
def nec(request, pk):
    case = _for_change(request, pk)
    form = NecForm(request.POST, prefix="nec")
    if form.is_valid():
        try:
            services.nec_notify(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_case(case, "nec")
    return _refused(request, case, nec_form=form)


@require_POST
def agreement_revise(request, pk):
    """A new draft version of the signed agreement; the signed one is kept."""
    case = _for_change(request, pk)
    try:
        draft = services.agreement_revise(actor=request.user, case=case)
    except ValidationError as exc:
        return _refused(request, case, exc)
    return redirect("exitprogram:agreement", pk=draft.pk)


# --- The agreement editor -------------------------------------------------------------


def _authorities(case):
    """The authorities of the case's municipality and its police district, which
    the service accepts as responsible for a measure."""
    district = Municipality.objects.filter(pk=case.municipality_id).values(
        "police_district"
    )
    return (
        Agency.objects.filter(
            Q(municipality=case.municipality_id)
            | Q(municipality__isnull=True, police_district__in=district)
        )
        .filter(kind__in=AgencyKind.authority_kinds())
        .order_by("name")
    )


def _measures_context(request, agreement, *, may_change, measure_form=None) -> dict:
    editable = may_change and not agreement.is_locked
    return {
        "agreement": agreement,
        "measures": list(selectors.measures_of(user=request.user, agreement=agreement)),
        "editable": editable,
        "measure_form": (
            measure_form
            or MeasureForm(prefix="measure", agencies=_authorities(agreement.case))
        )
        if editable
        else None,
        "today": timezone.localdate(),
    }


def _render_agreement(request, agreement, *, status=200, page_errors=(), **bound):
    user = request.user
    case = agreement.case
    may_change = can(user, agreement, CHANGE)
    versions = list(selectors.agreements_of(user=user, case=case))
    context = {
        "case": case,
        "may_change": may_change,
        "versions": versions,
        "page_errors": page_errors,
        **_measures_context(
            request,
            agreement,
            may_change=may_change,
            measure_form=bound.get("measure_form"),
        ),
    }
    if may_change and not agreement.is_locked:
        context["agreement_form"] = bound.get("agreement_form") or AgreementForm(
            prefix="agreement",
            initial={
                "parties": agreement.parties,
                "consequences": agreement.consequences,
            },
        )
        context["sign_form"] = bound.get("sign_form") or SignForm(prefix="sign")
    if may_change and agreement.status == AgreementStatus.SIGNED:
        context["sent_form"] = bound.get("sent_form") or SentForm(
            prefix="sent",
            initial={
                "sent_to_police_on": agreement.sent_to_police_on,
                "sent_to_nec_on": agreement.sent_to_nec_on,
            },
        )
        context["can_revise"] = case.status in RUNNING and not any(
            v.status == AgreementStatus.DRAFT for v in versions
        )
    return render(request, "exitprogram/agreement_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def agreement_detail(request, pk):
    """The editor of a draft (parties, consequences, measures, signing); a signed
    or earlier version read-only."""
    if request.method == "GET":
        agreement = selectors.agreement_for(user=request.user, pk=pk)
        return _render_agreement(request, agreement)
    agreement = selectors.agreement_for(user=request.user, pk=pk, action=CHANGE)
    form = AgreementForm(request.POST, prefix="agreement")
    if form.is_valid():
        try:
            services.agreement_update(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("exitprogram:agreement", pk=agreement.pk)
    return _render_agreement(request, agreement, status=400, agreement_form=form)


def _measures_response(request, agreement, measure_form=None):
    return render(
        request,
        "exitprogram/partials/_agreement_measures.html",
        _measures_context(
            request, agreement, may_change=True, measure_form=measure_form
        ),
    )


@require_POST
def agreement_measures(request, pk):
    """Add a measure to a draft; htmx gets the measures fragment back."""
    agreement = selectors.agreement_for(user=request.user, pk=pk, action=CHANGE)
    form = MeasureForm(
        request.POST, prefix="measure", agencies=_authorities(agreement.case)
    )
    if form.is_valid():
        try:
            services.agreement_measure_add(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _measures_response(request, agreement)
            return redirect("exitprogram:agreement", pk=agreement.pk)
    if _htmx(request):
        return _measures_response(request, agreement, measure_form=form)
    return _render_agreement(request, agreement, status=400, measure_form=form)


@require_POST
def measure_remove(request, pk):
    """Take a measure off a draft (the exit unit; a signed version is locked)."""
    measure = selectors.measure_for(user=request.user, pk=pk, action=CHANGE)
    agreement = selectors.agreement_for(
        user=request.user, pk=measure.agreement_id, action=CHANGE
    )
    try:
        services.agreement_measure_remove(actor=request.user, measure=measure)
    except ValidationError as exc:
        return _render_agreement(
            request, agreement, status=400, page_errors=exc.messages
        )
    if _htmx(request):
        return _measures_response(request, agreement)
    return redirect("exitprogram:agreement", pk=agreement.pk)


@require_POST
def agreement_sign(request, pk):
    agreement = selectors.agreement_for(user=request.user, pk=pk, action=CHANGE)
    form = SignForm(request.POST, prefix="sign")
    if form.is_valid():
        try:
            services.agreement_sign(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agreement is signed and locked."))
            return redirect("exitprogram:agreement", pk=agreement.pk)
    agreement.refresh_from_db()
    return _render_agreement(request, agreement, status=400, sign_form=form)


@require_POST
def agreement_sent(request, pk):
    agreement = selectors.agreement_for(user=request.user, pk=pk, action=CHANGE)
    form = SentForm(request.POST, prefix="sent")
    if form.is_valid():
        try:
            services.agreement_mark_sent(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("exitprogram:agreement", pk=agreement.pk)
    return _render_agreement(request, agreement, status=400, sent_form=form)


# --- Measures of a responsible authority ----------------------------------------------


def _measure_row(request, measure, *, form=None, status=200):
    measure.may_change = True  # fetched for CHANGE by the caller
    return render(
        request,
        "exitprogram/partials/_measure_row.html",
        {
            "measure": measure,
            "form": form,
            "statuses": MeasureStatus.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _render_measures(request, *, bound=None, status=200):
    rows = list(selectors.measures_for_agency(user=request.user))
    changeable = selectors.measures_changeable(
        user=request.user, ids=[row.pk for row in rows]
    )
    for row in rows:
        row.form = (bound or {}).get(row.pk)
        row.may_change = row.pk in changeable
    return render(
        request,
        "exitprogram/measures.html",
        {
            "measures": rows,
            "statuses": MeasureStatus.choices,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
def measures(request):
    """The measures the user's agencies answer for, with their status; the
    responsible authority sees the measure and nothing of the case."""
    return _render_measures(request)


@require_POST
def measure_status(request, pk):
    measure = selectors.measure_for(user=request.user, pk=pk, action=CHANGE)
    form = MeasureStatusForm(request.POST, auto_id=f"id_measure{measure.pk}_%s")
    if form.is_valid():
        try:
            measure = services.measure_set_status(
                actor=request.user, measure=measure, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _measure_row(request, measure)
            return redirect("exitprogram:measures")
    if _htmx(request):
        return _measure_row(request, measure, form=form)
    return _render_measures(request, bound={measure.pk: form}, status=400)


# --- Weekly police reports ------------------------------------------------------------


def _report_row(request, report, *, form=None, answer="", status=200):
    return render(
        request,
        "exitprogram/partials/_report_row.html",
        {"report": report, "form": form, "answer": answer},
        status=status,
    )


def _render_reports(request, *, yes="", bound=None, status=200):
    rows = list(selectors.reports_to_make(user=request.user))
    for row in rows:
        row.answer = "yes" if str(row.pk) == str(yes) else ""
        row.form = bound if row.answer and bound is not None else None
    return render(request, "exitprogram/reports.html", {"reports": rows}, status=status)


@require_GET
def reports(request):
    """The police liaison's weekly list: one click per person ("No"), or "Yes"
    with a description."""
    return _render_reports(request, yes=request.GET.get("yes", ""))


@require_http_methods(["GET", "POST"])
def report_record(request, pk):
    """GET: the row asking for the description of a "Yes" (htmx), POST: the
    report. Fetched for change: the district police agency that makes it."""
    report = selectors.report_for(user=request.user, pk=pk, action=CHANGE)
    if request.method == "GET":
        if _htmx(request):
            return _report_row(request, report, answer="yes")
        return redirect(f"{reverse('exitprogram:reports')}?yes={report.pk}")
    form = ReportForm(request.POST, auto_id=f"id_report{report.pk}_%s")
    if form.is_valid():
        try:
            report = services.weekly_report_record(
                actor=request.user, report=report, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _report_row(request, report)
            messages.success(request, _("The report was recorded."))
            return redirect("exitprogram:reports")
    if _htmx(request):
        return _report_row(request, report, form=form, answer="yes")
    return _render_reports(request, yes=report.pk, bound=form, status=400)
