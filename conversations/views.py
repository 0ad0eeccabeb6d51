"""Concern conversation pages: the police liaison's dashboard, the list, the request
form, the conversation page with its actions and htmx fragments (participants,
measures, the method's example questions), and the responsible agency's worklist.

Thin (STYLE.md §6): method check → access function → form → service → redirect, or
the fragment when htmx asks. Every conversation is fetched through
`selectors.conversation_for`: 404 for whoever may not know it exists, 403 for a
reader who may not change it. A refused POST re-renders its form with the service's
messages on the fields: the whole page with status 400, or, for htmx, the fragment
with status 200 (htmx swaps only successful responses, and the messages must show).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.permissions import (
    CHANGE,
    SUMMARY,
    VIEW,
    acting_agency,
    can,
    can_record_conversations,
    get_visible_or_404,
    require,
)
from cases.models import Person
from core.links import link_to
from families.selectors import carers_of
from organisations.models import Agency, AgencyKind

from . import selectors, services
from .forms import (
    PHASE_NOTES,
    CloseForm,
    FollowUpForm,
    HoldForm,
    ListFilterForm,
    MeasureForm,
    MeasureStatusForm,
    ParticipantForm,
    PlanForm,
    ReasonForm,
    RequestForm,
    add_service_errors,
)
from .models import (
    ConcernConversation,
    MeasureStatus,
    Method,
    ParticipantRole,
    Status,
)
from .states import EVENTS, Event, allowed_events

PAGE_SIZE = 25
# Each dashboard section shows its most urgent few, with a link to the list of
# them all: a dashboard says what to do first; 50 a section (step 4) made a
# 200-row page that grew with the district until every section was full.
DASHBOARD_SHOWN = 15
# Participants change until the conversation is held; measures from when it is
# planned (services.participant_add, services.measure_add).
PARTICIPANTS_OPEN = (Status.REQUESTED, Status.PLANNED)
MEASURES_OPEN = (Status.PLANNED, Status.HELD, Status.FOLLOW_UP)
# The fields a refused service may have set on the instance before it refused.
_MUTABLE = [
    "status",
    "planned_at",
    "place",
    "interpreter_needed",
    "interpreter_language",
    "held_on",
    "method",
    "mapping_note",
    "accountability_note",
    "measures_note",
    "follow_up_on",
    "outcome",
    "status_reason",
    "closed_on",
]


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _for_change(request, pk) -> ConcernConversation:
    return selectors.conversation_for(user=request.user, pk=pk, action=CHANGE)


def _to_detail(conversation):
    return redirect("conversations:detail", pk=conversation.pk)


# --- Forms of the conversation page -------------------------------------------------


def _participant_form(request, conversation, data=None) -> ParticipantForm:
    return ParticipantForm(
        data,
        prefix="participant",
        staff=selectors.staff_for(conversation),
        guardians=carers_of(user=request.user, person=conversation.person),
    )


def _measure_form(conversation, data=None) -> MeasureForm:
    return MeasureForm(
        data,
        prefix="measure",
        measure_types=selectors.active_measure_types(),
        agencies=selectors.agencies_for(conversation),
        staff=selectors.staff_for(conversation),
    )


def _hold_form(request, conversation, participants, data=None) -> HoldForm:
    today = timezone.localdate()
    return HoldForm(
        data,
        participants=participants,
        methods=selectors.active_methods(),
        hold_url=reverse("conversations:hold", args=[conversation.pk]),
        initial={
            "held_on": today,
            "follow_up_on": services.default_follow_up_on(conversation, today),
        },
    )


def _prompts(methods, chosen=None, form=None) -> list[dict]:
    """For each phase, the example questions offered beside its note (the form's
    field, if given): the chosen method's, or every active method's when none is
    chosen. A question for no particular phase is offered in each."""
    shown = [m for m in methods if chosen is None or m.pk == chosen.pk]
    return [
        {
            "phase": phase,
            "bound": form[field] if form is not None else None,
            "methods": [
                (m, [q for q in m.questions.all() if q.phase in (phase, "")])
                for m in shown
            ],
        }
        for phase, field in PHASE_NOTES.items()
    ]


def _chosen_method(methods, value):
    return next((m for m in methods if str(m.pk) == str(value or "")), None)


def _action_forms(request, conversation, events, participants, bound) -> dict:
    """The forms of the actions the state allows. A refused one comes back bound,
    with what the user wrote, even if the state no longer allows it (someone else
    moved it on): its message says why."""
    forms: dict = {}
    events = [*events, *(e for e in EVENTS if f"{e}_form" in bound)]
    if Event.PLAN in events:
        planned_at = conversation.planned_at
        forms["plan_form"] = bound.get("plan_form") or PlanForm(
            initial={
                "planned_at": timezone.localtime(planned_at) if planned_at else None,
                "place": conversation.place,
                "interpreter_needed": conversation.interpreter_needed,
                "interpreter_language": conversation.interpreter_language,
            }
        )
    if Event.HOLD in events:
        form = bound.get("hold_form") or _hold_form(request, conversation, participants)
        methods = list(form.fields["method"].queryset)
        chosen = _chosen_method(methods, form["method"].value())
        forms["hold_form"] = form
        forms["prompts"] = _prompts(methods, chosen, form)
        forms["prompts_chosen"] = chosen
    if Event.FOLLOW_UP in events:
        forms["follow_up_form"] = bound.get("follow_up_form") or FollowUpForm(
            initial={"followed_up_on": timezone.localdate()}
        )
    if Event.CLOSE in events:
        forms["close_form"] = bound.get("close_form") or CloseForm(prefix="close")
    if Event.CANCEL in events:
        forms["cancel_form"] = bound.get("cancel_form") or ReasonForm(prefix="cancel")
    if Event.NOT_ATTENDED in events:
        forms["not_attended_form"] = bound.get("not_attended_form") or ReasonForm(
            prefix="not_attended"
        )
    if conversation.status in PARTICIPANTS_OPEN or "participant_form" in bound:
        forms["participant_form"] = bound.get("participant_form") or _participant_form(
            request, conversation
        )
    if conversation.status in MEASURES_OPEN or "measure_form" in bound:
        forms["measure_form"] = bound.get("measure_form") or _measure_form(conversation)
    return forms


def _render_detail(request, conversation, *, status=200, **bound):
    user = request.user
    may_view = can(user, conversation, VIEW)
    may_change = may_view and can(user, conversation, CHANGE)
    context = {
        "conversation": conversation,
        "may_view": may_view,
        "may_change": may_change,
        "person_visible": can(user, conversation.person, VIEW),
        "today": timezone.localdate(),
        "measure_statuses": MeasureStatus.choices,
        "participant_error": bound.pop("participant_error", None),
    }
    participants = []
    if may_view:
        participants = list(
            selectors.participants_of(user=user, conversation=conversation)
        )
        context["participants"] = participants
        context["measures"] = list(
            selectors.measures_of(user=user, conversation=conversation)
        )
        context["follow_ups"] = list(
            selectors.follow_ups_of(user=user, conversation=conversation)
        )
    if may_change:
        events = allowed_events(conversation.status)
        context["events"] = events
        context.update(
            _action_forms(request, conversation, events, participants, bound)
        )
    return render(request, "conversations/detail.html", context, status=status)


def _refused(request, conversation, **bound):
    """The page again after a refused action: what the instance held before."""
    conversation.refresh_from_db(fields=_MUTABLE)
    return _render_detail(request, conversation, status=400, **bound)


# --- Lists --------------------------------------------------------------------------


def _table_rows(conversations) -> list[ConcernConversation]:
    """The rows of partials/_conversation_table.html, each with its link (`url`)
    and the labels of its kind and status (`kind_label`, `status_label`, as
    get_FOO_display gives them) worked out once for the table: a `{% url %}` and
    two get_FOO_display per row were most of the time of a 200-row dashboard."""
    detail = link_to("conversations:detail")
    fields = ConcernConversation._meta
    kinds = {k: str(label) for k, label in fields.get_field("kind").flatchoices}
    states = {k: str(label) for k, label in fields.get_field("status").flatchoices}
    rows = list(conversations)
    for conversation in rows:
        conversation.url = detail(conversation.pk)
        conversation.kind_label = kinds.get(conversation.kind, conversation.kind)
        conversation.status_label = states.get(conversation.status, conversation.status)
    return rows


def _section(key, heading, conversations, status="open", all_label=None) -> dict:
    """One section of the dashboard; `status` is the list filter whose list holds
    all of the section's conversations (for follow-ups, with the other open ones),
    `all_label` the link's text."""
    rows = list(selectors.for_table(conversations)[: DASHBOARD_SHOWN + 1])
    return {
        "key": key,
        "heading": heading,
        "rows": _table_rows(rows[:DASHBOARD_SHOWN]),
        "more": len(rows) > DASHBOARD_SHOWN,
        "status": status,
        "all_label": all_label or _("See all open conversations"),
    }


@require_GET
def dashboard(request):
    """What needs doing: overdue and due follow-ups, planned and requested
    conversations. Each reader sees the conversations it may know of (the SSP unit
    their state and dates only)."""
    user = request.user
    today = timezone.localdate()
    due = selectors.follow_ups_due(user=user, today=today)
    planned = selectors.conversations_filtered(user=user, status=Status.PLANNED)
    requested = selectors.conversations_filtered(user=user, status=Status.REQUESTED)
    sections = [
        _section(
            "overdue", _("Overdue follow-ups"), due.filter(follow_up_on__lt=today)
        ),
        _section(
            "due",
            _("Follow-up due within %(days)s days") % {"days": selectors.DUE_SOON_DAYS},
            due.filter(follow_up_on__gte=today),
        ),
        _section(
            "planned",
            _("Planned conversations"),
            planned.order_by("planned_at", "id"),
            Status.PLANNED,
            _("See all planned conversations"),
        ),
        _section(
            "requested",
            _("Requested, not yet planned"),
            requested.order_by("requested_on", "id"),
            Status.REQUESTED,
            _("See all requested conversations"),
        ),
    ]
    return render(
        request,
        "conversations/dashboard.html",
        {
            "sections": sections,
            "today": today,
            "now": timezone.now(),
            "can_record": can_record_conversations(user),
        },
    )


@require_GET
def conversation_list(request):
    filters = ListFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.conversations_filtered(
        user=request.user,
        status=chosen.get("status", ""),
        kind=chosen.get("kind", ""),
        mine=bool(chosen.get("mine")),
        follow_up=chosen.get("follow_up", ""),
    )
    page = Paginator(selectors.for_table(found), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _table_rows(page.object_list)
    filter_query = request.GET.copy()
    filter_query.pop("page", None)
    return render(
        request,
        "conversations/list.html",
        {
            "page": page,
            "filters": filters,
            "filter_query": f"{filter_query.urlencode()}&" if filter_query else "",
            "today": timezone.localdate(),
        },
    )


@require_GET
def worklist(request):
    """The open measures the acting agency answers for, soonest due first."""
    agency = acting_agency(request)
    measures = selectors.worklist_for(user=request.user, agency=agency)
    page = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    # Which rows may link to their conversation: one query for the page.
    linked = set(
        selectors.conversations_visible_to(user=request.user, audit=None)
        .filter(pk__in=[m.conversation_id for m in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "conversations/worklist.html",
        {
            "page": page,
            "agency": agency,
            "linked": linked,
            "measure_statuses": MeasureStatus.choices,
            "filter_query": "",
            "today": timezone.localdate(),
        },
    )


# --- Request ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def conversation_request(request, person_id):
    person = get_visible_or_404(
        request.user, Person.objects.select_related("municipality"), pk=person_id
    )
    agency = acting_agency(request)
    require(can_record_conversations(request.user, agency))
    agencies = Agency.objects.filter(municipality=person.municipality_id).order_by(
        "name"
    )
    ssp_unit = next((a for a in agencies if a.kind == AgencyKind.SSP_UNIT), None)
    form = RequestForm(
        request.POST or None,
        agencies=agencies,
        initial={"requested_on": timezone.localdate(), "municipal_agency": ssp_unit},
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_request(
                actor=request.user, agency=agency, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_detail(conversation)
    return render(
        request,
        "conversations/request.html",
        {"form": form, "person": person, "agency": agency},
        status=400 if form.errors else 200,
    )


# --- The conversation page and its actions -----------------------------------------


@require_GET
def conversation_detail(request, pk):
    conversation = selectors.conversation_for(user=request.user, pk=pk)
    return _render_detail(request, conversation)


@require_POST
def conversation_plan(request, pk):
    conversation = _for_change(request, pk)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_plan(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_detail(conversation)
    return _refused(request, conversation, plan_form=form)


@require_http_methods(["GET", "POST"])
def conversation_hold(request, pk):
    """POST records the conversation as held. GET, from htmx, answers the chosen
    method's example questions for the three phases (out of band)."""
    conversation = _for_change(request, pk)
    if request.method == "GET":
        if not _htmx(request):
            return redirect(reverse("conversations:detail", args=[pk]) + "#hold")
        methods = list(selectors.active_methods())
        chosen = _chosen_method(methods, request.GET.get("method"))
        return render(
            request,
            "conversations/partials/_prompts.html",
            {"prompts": _prompts(methods, chosen), "prompts_chosen": chosen},
        )
    participants = list(
        selectors.participants_of(user=request.user, conversation=conversation)
    )
    form = _hold_form(request, conversation, participants, data=request.POST)
    if form.is_valid():
        try:
            services.conversation_hold(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_detail(conversation)
    return _refused(request, conversation, hold_form=form)


@require_POST
def conversation_follow_up(request, pk):
    conversation = _for_change(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_follow_up(
                actor=request.user,
                agency=acting_agency(request),
                conversation=conversation,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_detail(conversation)
    return _refused(request, conversation, follow_up_form=form)


@require_POST
def conversation_close(request, pk):
    conversation = _for_change(request, pk)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.conversation_close(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_detail(conversation)
    return _refused(request, conversation, close_form=form)


def _end(request, pk, *, event: str, service):
    conversation = _for_change(request, pk)
    form = ReasonForm(request.POST, prefix=event)
    if form.is_valid():
        try:
            service(
                actor=request.user,
                conversation=conversation,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_detail(conversation)
    return _refused(request, conversation, **{f"{event}_form": form})


@require_POST
def conversation_cancel(request, pk):
    return _end(request, pk, event="cancel", service=services.conversation_cancel)


@require_POST
def conversation_not_attended(request, pk):
    return _end(
        request, pk, event="not_attended", service=services.conversation_not_attended
    )


# --- Participants (htmx fragment) ---------------------------------------------------


def _participants_fragment(request, conversation, *, form=None, error=None):
    """The participants, and, while the conversation is planned, the hold form's
    "who attended" out of band, so that a new participant can be ticked."""
    may_change = can(request.user, conversation, CHANGE)
    if form is None and may_change and conversation.status in PARTICIPANTS_OPEN:
        form = _participant_form(request, conversation)
    participants = list(
        selectors.participants_of(user=request.user, conversation=conversation)
    )
    attended = None
    if may_change and conversation.status == Status.PLANNED:
        attended = HoldForm(
            participants=participants, methods=Method.objects.none(), hold_url=""
        )["attended"]
    return render(
        request,
        "conversations/partials/_participants.html",
        {
            "conversation": conversation,
            "participants": participants,
            "participant_form": form if may_change else None,
            "participant_error": error,
            "may_change": may_change,
            "attended_oob": attended,
        },
    )


@require_http_methods(["GET", "POST"])
def participants(request, pk):
    if request.method == "GET":
        conversation = selectors.conversation_for(user=request.user, pk=pk, action=VIEW)
        return _participants_fragment(request, conversation)
    conversation = _for_change(request, pk)
    form = _participant_form(request, conversation, data=request.POST)
    if form.is_valid():
        arguments = form.service_arguments(conversation.person)
        try:
            services.participant_add(
                actor=request.user, conversation=conversation, **arguments
            )
        except ValidationError as exc:
            guardian = arguments["role"] == ParticipantRole.GUARDIAN
            add_service_errors(
                form, exc, renames={"person": "guardian"} if guardian else None
            )
        else:
            if _htmx(request):
                return _participants_fragment(request, conversation)
            return _to_detail(conversation)
    if _htmx(request):
        return _participants_fragment(request, conversation, form=form)
    return _refused(request, conversation, participant_form=form)


@require_POST
def participant_remove(request, pk, participant_id):
    conversation = _for_change(request, pk)
    participant = get_object_or_404(
        selectors.participants_of(user=request.user, conversation=conversation),
        pk=participant_id,
    )
    error = None
    try:
        services.participant_remove(
            actor=request.user, conversation=conversation, participant=participant
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if _htmx(request):
        return _participants_fragment(request, conversation, error=error)
    if error:
        messages.error(request, error)
    return _to_detail(conversation)


# --- Measures (htmx fragment) -------------------------------------------------------


def _measures_fragment(request, conversation, *, form=None):
    may_change = can(request.user, conversation, CHANGE)
    if form is None and may_change and conversation.status in MEASURES_OPEN:
        form = _measure_form(conversation)
    return render(
        request,
        "conversations/partials/_measures.html",
        {
            "conversation": conversation,
            "measures": selectors.measures_of(
                user=request.user, conversation=conversation
            ),
            "measure_form": form if may_change else None,
            "may_change": may_change,
            "measure_statuses": MeasureStatus.choices,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def measures(request, pk):
    if request.method == "GET":
        conversation = selectors.conversation_for(user=request.user, pk=pk, action=VIEW)
        return _measures_fragment(request, conversation)
    conversation = _for_change(request, pk)
    form = _measure_form(conversation, data=request.POST)
    if form.is_valid():
        try:
            services.measure_add(
                actor=request.user,
                conversation=conversation,
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _measures_fragment(request, conversation)
            return _to_detail(conversation)
    if _htmx(request):
        return _measures_fragment(request, conversation, form=form)
    return _refused(request, conversation, measure_form=form)


@require_POST
def measure_status(request, measure_id):
    """How far a measure is, from the worklist (the responsible agency) or the
    conversation page (the police). Answers the measure's row to htmx."""
    measure = selectors.measure_for(user=request.user, pk=measure_id, action=CHANGE)
    on_worklist = request.POST.get("next") == "worklist"
    form = MeasureStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            measure = services.measure_set_status(
                actor=request.user, measure=measure, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(form.errors.get("status", []))
    if _htmx(request):
        return render(
            request,
            "conversations/partials/_measure_row.html",
            {
                "measure": measure,
                "on_worklist": on_worklist,
                "can_set_status": True,
                "linked": {measure.conversation_id}
                if can(request.user, measure.conversation, SUMMARY)
                else set(),
                "measure_error": error,
                "measure_statuses": MeasureStatus.choices,
                "today": timezone.localdate(),
            },
        )
    if error:
        messages.error(request, error)
    if on_worklist:
        return redirect("conversations:worklist")
    return _to_detail(measure.conversation)
