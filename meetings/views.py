"""§115/SSP meeting pages: the overview, forums and their members, the meeting page
(agenda before, the live meeting item by item, the minutes after), the action-item
worklists and a person's consents.

Thin (STYLE.md §6): method check → selector → form → service → redirect, or the
fragment when htmx asks. Forums, meetings, items and action items are fetched
through meetings.selectors: 404 for whoever takes no part, 403 for a participant
who may read but not change. A refused POST re-renders its form with the service's
messages on the fields: the whole page with status 400, or, for htmx, the fragment
with status 200 (htmx swaps only successful responses, and the messages must show).
A refused transition (start, end, …) shows its message and changes nothing.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.legal import LegalBasis
from access.permissions import (
    CHANGE,
    VIEW,
    acting_agency,
    agency_leads,
    can,
    can_run_forums,
    get_visible_or_404,
    require,
)
from cases.models import Person
from cases.selectors import persons_visible_to
from core.links import link_to
from organisations.models import Agency, AgencyKind, Membership, Municipality

from . import agenda, forums, selectors, services, sharing
from .forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    AgeReasonForm,
    CancelForm,
    ConsentForm,
    DecisionForm,
    ForumForm,
    MemberForm,
    ReshareForm,
    ShareForm,
    WithdrawForm,
    add_service_errors,
)
from .models import (
    ForumKind,
    Meeting,
    MeetingStatus,
    SharedInformation,
)
from .states import allowed_events

# Upcoming meetings and open action items shown on the overview.
INDEX_SHOWN = 20
# Persons offered when adding an agenda item; beyond that, by CPR number.
PERSONS_SHOWN = 300
HELD = (MeetingStatus.HELD, MeetingStatus.APPROVED)
# The page shows the agenda as a list, with links to the persons, before the
# meeting only: live it is a menu of the items, after it the minutes.
AGENDA_LISTED = (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SENT)
# Attendance is recorded while the meeting runs and until its minutes are approved.
ATTENDANCE_STATES = (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD)


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _to_meeting(meeting, item=None):
    url = reverse("meetings:meeting", args=[meeting.pk])
    if item is not None:
        url += f"?item={item.pk}#item-panel"
    return redirect(url)


def _for_change(request, pk) -> Meeting:
    return selectors.meeting_for(user=request.user, pk=pk, action=CHANGE)


def _by_item(rows) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.item_id].append(row)
    return grouped


# --- Overview and worklists ---------------------------------------------------------


@require_GET
def index(request):
    user = request.user
    return render(
        request,
        "meetings/index.html",
        {
            "meetings": list(selectors.upcoming_meetings(user=user)[:INDEX_SHOWN]),
            "forums": list(selectors.forums_visible_to(user=user)),
            "actions": list(selectors.my_action_items(user=user)[:INDEX_SHOWN]),
            "can_run_forums": can_run_forums(user),
            "today": timezone.localdate(),
        },
    )


@require_GET
def worklist(request):
    """My action items, and for a manager those of the agencies it leads."""
    user = request.user
    leads = agency_leads(user)
    return render(
        request,
        "meetings/worklist.html",
        {
            "mine": list(selectors.my_action_items(user=user)),
            "leads": leads,
            "agency_actions": list(selectors.agency_action_items(user=user))
            if leads
            else [],
            "statuses": ActionStatusForm.base_fields["status"].choices,
            "today": timezone.localdate(),
        },
    )


@require_POST
def action_status(request, pk):
    action = selectors.action_for(user=request.user, pk=pk, action=CHANGE)
    form = ActionStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            action = services.action_item_set_status(
                actor=request.user, action=action, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(form.errors.get("status", []))
    if _htmx(request):
        return render(
            request,
            "meetings/partials/_action_row.html",
            {
                "action": action,
                "on_worklist": True,
                "can_set_status": True,
                "action_error": error,
                "statuses": ActionStatusForm.base_fields["status"].choices,
                "today": timezone.localdate(),
            },
        )
    if error:
        messages.error(request, error)
    return redirect("meetings:worklist")


# --- Forums -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def forum_new(request):
    agency = acting_agency(request)
    require(can_run_forums(request.user, agency))
    district = (
        agency.municipality.police_district_id
        if agency.municipality_id
        else agency.police_district_id
    )
    form = ForumForm(
        request.POST or None,
        kinds=ForumKind.objects.all(),
        municipalities=Municipality.objects.filter(police_district=district).order_by(
            "name"
        ),
        chairs=forums.chair_candidates(agency).order_by("first_name", "username"),
        initial={
            "municipalities": [agency.municipality_id],
            "chair": request.user.pk,
            "first_time": "14:00",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            forum = forums.forum_create(
                actor=request.user, agency=agency, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, renames={"first_meeting_at": "first_date"})
        else:
            return redirect("meetings:forum", pk=forum.pk)
    return render(
        request,
        "meetings/forum_new.html",
        {"form": form, "agency": agency},
        status=400 if form.errors else 200,
    )


def _member_form(forum, data=None) -> MemberForm:
    """Authorities of the forum's municipalities and its police district: the
    service refuses the rest (R-115-4), the form does not offer them."""
    municipalities = forum.municipalities.all()
    agencies = (
        Agency.objects.filter(
            Q(municipality__in=municipalities)
            | Q(municipality__isnull=True, police_district=forum.police_district_id)
        )
        .filter(kind__in=AgencyKind.authority_kinds())
        .order_by("name")
    )
    staff = (
        Membership.objects.filter(agency__in=agencies, user__is_active=True)
        .select_related("user", "agency")
        .order_by("agency__name", "user__first_name", "user__username")
    )
    return MemberForm(data, prefix="member", agencies=agencies, staff=staff)


def _render_forum(request, forum, *, status=200, member_form=None):
    user = request.user
    may_change = can(user, forum, CHANGE)
    members = list(selectors.members_of(forum=forum))
    counts = selectors.attendance_of(forum=forum)
    for member in members:
        row = counts.get((member.agency_id, member.user_id), {})
        member.held_count = row.get("held", 0)
        member.attended_count = row.get("attended", 0)
    own = next((m for m in members if m.user_id == user.pk), None)
    meetings = list(selectors.meetings_of(user=user, forum=forum))
    now = timezone.now()
    return render(
        request,
        "meetings/forum_detail.html",
        {
            "forum": forum,
            "may_change": may_change,
            "members": members,
            "upcoming": [m for m in meetings if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now][::-1],
            "actions": list(selectors.open_actions_of_forum(user=user, forum=forum)),
            "lists": list(selectors.lists_of(user=user, forum=forum)),
            "own_member": own,
            "member_form": member_form or (_member_form(forum) if may_change else None),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
def forum_detail(request, pk):
    forum = selectors.forum_for(user=request.user, pk=pk)
    return _render_forum(request, forum)


@require_POST
def forum_members(request, pk):
    forum = selectors.forum_for(user=request.user, pk=pk, action=CHANGE)
    form = _member_form(forum, data=request.POST)
    if form.is_valid():
        try:
            forums.forum_member_add(
                actor=request.user, forum=forum, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("meetings:forum", pk=forum.pk)
    return _render_forum(request, forum, status=400, member_form=form)


@require_POST
def forum_member_leave(request, pk, member_id):
    """The running agency takes a member off; a named person may leave itself."""
    forum = selectors.forum_for(user=request.user, pk=pk)
    member = get_object_or_404(selectors.members_of(forum=forum), pk=member_id)
    if member.user_id != request.user.pk:
        forum = selectors.forum_for(user=request.user, pk=pk, action=CHANGE)
    try:
        forums.forum_member_leave(
            actor=request.user, member=member, left_on=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if can(request.user, forum, VIEW):
        return redirect("meetings:forum", pk=forum.pk)
    return redirect("meetings:index")


# --- The meeting page ---------------------------------------------------------------


def _valid_consents(user, person):
    """The person's consents valid today, to choose from. The forms name them by
    who gave them, when and what for; which agencies one covers is the sharing
    service's check, so they are not fetched here."""
    if person is None:
        return []
    today = timezone.localdate()
    return list(
        selectors.consents_of(user=user, person=person)
        .prefetch_related(None)
        .filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today),
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            given_on__lte=today,
        )
    )


def _share_form(request, item, data=None, consents=None, initial=None) -> ShareForm:
    meeting = item.meeting
    form = ShareForm(
        data,
        prefix="share",
        bases=meeting.forum.kind.legal_basis_choices(),
        consents=_valid_consents(request.user, item.person)
        if consents is None
        else consents,
        recipients=lambda: (
            agenda.recipients_of(meeting).distinct().order_by("first_name", "username")
        ),
        initial=initial,
    )
    return form


def _reshare_form(request, item, consents, data=None) -> ReshareForm:
    return ReshareForm(
        data,
        prefix="reshare",
        sources=selectors.reshare_sources_for(user=request.user, item=item),
        bases=item.meeting.forum.kind.legal_basis_choices(),
        consents=consents,
    )


def _action_form(meeting, participants=None, data=None) -> ActionForm:
    if participants is None:
        participants = list(selectors.participants_of(meeting=meeting))
    agencies = {p.agency_id: p.agency for p in participants}
    staff = (
        Membership.objects.filter(agency__in=list(agencies), user__is_active=True)
        .select_related("user", "agency")
        .order_by("agency__name", "user__first_name", "user__username")
    )
    return ActionForm(
        data,
        prefix="action",
        agencies=sorted(agencies.values(), key=lambda a: a.name),
        staff=staff,
    )


# The panel's collapsed forms: built when opened (htmx fetches item_form), or on
# the page for `?form=NAME` (without JavaScript) and when a refused one comes back.
# Each reads its own choices (consents, sources, staff), and building and drawing
# the three was a third of a running meeting's page (docs/performance.md).
LAZY_FORMS = ("share", "reshare", "action")


def _lazy_form(request, item, name, participants=None):
    if name == "action":
        return _action_form(item.meeting, participants)
    consents = _valid_consents(request.user, item.person)
    if name == "share":
        return _share_form(request, item, consents=consents)
    return _reshare_form(request, item, consents)


def _participants(meeting, may_change) -> list:
    """The participants, each with the link that records its attendance where the
    user may (a running or held meeting it runs), reversed once for all."""
    participants = list(selectors.participants_of(meeting=meeting))
    if may_change and meeting.status in ATTENDANCE_STATES:
        link = link_to("meetings:attendance", meeting.pk)
        for participant in participants:
            participant.attendance_url = link(participant.pk)
    return participants


def _panel_forms(meeting, may_change) -> tuple[str, ...]:
    """The collapsed forms the panel offers in the meeting's state."""
    names = ()
    if meeting.status in sharing.SHARING_STATES:
        names += ("share", "reshare")
    if meeting.status == MeetingStatus.IN_PROGRESS and may_change:
        names += ("action",)
    return names


def _panel_context(
    request, item, *, participants=None, may_change=None, open_form="", **bound
) -> dict:
    """The live meeting's panel of one item: what was shared (§115 stk. 5 only to
    its recipients), the decision, the action items, and the forms; of the
    collapsed ones (LAZY_FORMS) only a refused one or `open_form`. `may_change`
    and `participants`, when the meeting page has them already, are not read
    again."""
    user = request.user
    meeting = item.meeting
    if may_change is None:
        may_change = can(user, meeting, CHANGE)
    running = meeting.status == MeetingStatus.IN_PROGRESS
    offered = _panel_forms(meeting, may_change)
    context = {
        "item": item,
        "meeting": meeting,
        "may_change": may_change,
        "running": running,
        "shared": list(
            selectors.shared_of(user=user, meeting=meeting).filter(item=item)
        ),
        "actions": list(
            selectors.actions_of(user=user, meeting=meeting).filter(item=item)
        ),
        "outside": agenda.outside_age_group(item),
        "banner": SharedInformation.CONFIDENTIALITY_BANNER,
        "gang_basis": LegalBasis.RPL115_5_GANG,
        "today": timezone.localdate(),
        "focus": bound.pop("focus", False),
        "offers": offered,
    }
    for name in offered:
        form = bound.get(f"{name}_form")
        if form is None and name == open_form:
            form = _lazy_form(request, item, name, participants)
        context[f"{name}_form"] = form
    if running and may_change:
        context["decision_form"] = bound.get("decision_form") or DecisionForm(
            prefix="decision", initial={"decision": item.decision}
        )
    return context


def _current_item(items, wanted):
    for item in items:
        if str(item.pk) == str(wanted or ""):
            return item
    return next((i for i in items if not i.discussed), items[0] if items else None)


def _render_meeting(request, meeting, *, status=200, page_errors=(), **bound):
    """The meeting page: before (agenda), running (live, item by item), after
    (minutes). A constant number of queries whatever the number of items."""
    user = request.user
    may_change = meeting.may_change  # selectors.meeting_for
    participants = _participants(meeting, may_change)
    items = list(selectors.agenda_of(user=user, meeting=meeting))
    # The live view's menu links each item's panel: reversed once for all items.
    panel_link = link_to("meetings:item")
    for item in items:
        item.outside = agenda.outside_age_group(item)
        item.panel_url = panel_link(item.pk)
    visible_persons = (
        selectors.persons_seen(
            user=user, ids={i.person_id for i in items if i.person_id}
        )
        if meeting.status in AGENDA_LISTED
        else set()
    )
    context = {
        "meeting": meeting,
        "forum": meeting.forum,
        "may_change": may_change,
        "is_chair": user.pk == meeting.forum.chair_id,
        "events": allowed_events(meeting.status) if may_change else [],
        "participants": participants,
        "items": items,
        "visible_persons": visible_persons,
        "page_errors": page_errors,
        "today": timezone.localdate(),
        "banner": SharedInformation.CONFIDENTIALITY_BANNER,
    }
    if meeting.is_open_for_agenda and may_change:
        context["add_form"] = bound.get("add_form") or _add_form(request, meeting)
        context["cancel_form"] = bound.get("cancel_form") or CancelForm(prefix="cancel")
        reason_forms = bound.get("reason_forms", {})
        for item in items:
            if item.outside:
                item.reason_form = reason_forms.get(item.pk) or AgeReasonForm(
                    auto_id=f"id_item{item.pk}_%s",
                    initial={
                        "age_override_reason": item.age_override_reason,
                        "consent_status": item.consent_status,
                    },
                )
    if meeting.status == MeetingStatus.IN_PROGRESS:
        current = _current_item(items, bound.pop("current", request.GET.get("item")))
        context["current"] = current
        if current is not None:
            # The panel's own names (item, shared, forms…) for its partial.
            context.update(
                _panel_context(
                    request,
                    current,
                    participants=participants,
                    may_change=may_change,
                    open_form=request.GET.get("form", ""),
                    **bound,
                )
            )
    if meeting.status in HELD:
        context["shared_by_item"] = _by_item(
            selectors.shared_of(user=user, meeting=meeting)
        )
        context["actions_by_item"] = _by_item(
            selectors.actions_of(user=user, meeting=meeting)
        )
        for item in items:
            item.shared_rows = context["shared_by_item"].get(item.pk, [])
            item.action_rows = context["actions_by_item"].get(item.pk, [])
    return render(request, "meetings/meeting_detail.html", context, status=status)


def _add_form(request, meeting, data=None) -> AgendaItemForm:
    persons = (
        persons_visible_to(user=request.user)
        .filter(municipality__in=meeting.forum.municipalities.all())
        .order_by("family_name", "given_name")[:PERSONS_SHOWN]
    )
    return AgendaItemForm(data, prefix="add", persons=persons)


def _refused(request, meeting, exc=None, **bound):
    meeting.refresh_from_db()
    # Whether the user runs the meeting, read again as the meeting is (and not
    # yet known for a meeting reached through its item, selectors.item_for).
    meeting.may_change = can(request.user, meeting, CHANGE)
    return _render_meeting(
        request,
        meeting,
        status=400,
        page_errors=exc.messages if exc is not None else (),
        **bound,
    )


@require_GET
def meeting_detail(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    return _render_meeting(request, meeting)


def _transition(request, pk, service, **arguments):
    meeting = _for_change(request, pk)
    try:
        service(actor=request.user, meeting=meeting, **arguments)
    except ValidationError as exc:
        return _refused(request, meeting, exc)
    return _to_meeting(meeting)


@require_POST
def agenda_build(request, pk):
    meeting = _for_change(request, pk)
    try:
        added = agenda.agenda_build(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        return _refused(request, meeting, exc)
    messages.success(
        request, _("%(count)d items added to the agenda.") % {"count": len(added)}
    )
    return _to_meeting(meeting)


@require_POST
def agenda_add(request, pk):
    meeting = _for_change(request, pk)
    form = _add_form(request, meeting, data=request.POST)
    if form.is_valid():
        person = form.persons.get(form.cleaned_data["person"])
        cpr = form.cleaned_data["cpr"].strip()
        if cpr:
            person = persons_visible_to(user=request.user, query=cpr).first()
            if person is None:
                form.add_error(
                    "cpr", _("No young person you have access to has this CPR number.")
                )
        if not form.errors:
            try:
                agenda.agenda_item_add(
                    actor=request.user,
                    meeting=meeting,
                    title=form.cleaned_data["title"],
                    person=person,
                    reason=form.cleaned_data["reason"],
                    age_override_reason=form.cleaned_data["age_override_reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _to_meeting(meeting)
    return _refused(request, meeting, add_form=form)


@require_POST
def agenda_order(request, pk):
    """Move one item up or down (`item`, `direction`), or put them in `order`."""
    meeting = _for_change(request, pk)
    order = request.POST.getlist("order")
    moved = request.POST.get("item", "")
    if not order:
        order = [
            str(i)
            for i in meeting.items.filter(removed=False)
            .order_by("position", "created_at")
            .values_list("pk", flat=True)
        ]
        if moved in order:
            at = order.index(moved)
            to = at - 1 if request.POST.get("direction") == "up" else at + 1
            if 0 <= to < len(order):
                order[at], order[to] = order[to], order[at]
    try:
        agenda.agenda_reorder(actor=request.user, meeting=meeting, order=order)
    except ValidationError as exc:
        return _refused(request, meeting, exc)
    url = reverse("meetings:meeting", args=[meeting.pk])
    return redirect(f"{url}#agenda-item-{moved}" if moved else url)


@require_POST
def agenda_send(request, pk):
    return _transition(request, pk, agenda.agenda_send)


@require_POST
def meeting_start(request, pk):
    return _transition(request, pk, services.meeting_start)


@require_POST
def meeting_end(request, pk):
    return _transition(request, pk, services.meeting_end)


@require_POST
def minutes_approve(request, pk):
    return _transition(request, pk, services.minutes_approve)


@require_POST
def meeting_cancel(request, pk):
    meeting = _for_change(request, pk)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user,
                meeting=meeting,
                reason=form.cleaned_data["cancel_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if not form.errors:
                return _refused(request, meeting, exc)
        else:
            return _to_meeting(meeting)
    return _refused(request, meeting, cancel_form=form)


@require_POST
def attendance(request, pk, participant_id):
    meeting = _for_change(request, pk)
    participant = get_object_or_404(
        selectors.participants_of(meeting=meeting), pk=participant_id
    )
    error = None
    try:
        services.attendance_set(
            actor=request.user,
            participant=participant,
            attended=request.POST.get("attended") == "yes",
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if _htmx(request):
        return render(
            request,
            "meetings/partials/_participants.html",
            {
                "meeting": meeting,
                "participants": _participants(meeting, may_change=True),
                "participant_error": error,
            },
        )
    if error:
        messages.error(request, error)
    return _to_meeting(meeting)


# --- Agenda items -------------------------------------------------------------------


def _panel(request, item, **bound):
    return render(
        request,
        "meetings/partials/_item_panel.html",
        _panel_context(request, item, **bound),
    )


def _item_refused(request, item, **bound):
    """A refused form of the live panel: the fragment for htmx, else the page."""
    if _htmx(request):
        return _panel(request, item, **bound)
    return _refused(request, item.meeting, current=item.pk, **bound)


@require_GET
def item_detail(request, pk):
    item = selectors.item_for(user=request.user, pk=pk)
    if _htmx(request):
        return _panel(request, item, focus=True)
    return _to_meeting(item.meeting, item)


@require_GET
def item_form(request, pk, name):
    """One of the panel's collapsed forms (LAZY_FORMS), fetched when it is opened;
    404 for a form the panel does not offer in the meeting's state, 403 for the
    action item form unless the user may change the meeting."""
    if name not in LAZY_FORMS:
        raise Http404
    item = selectors.item_for(
        user=request.user, pk=pk, action=CHANGE if name == "action" else VIEW
    )
    if name not in _panel_forms(item.meeting, may_change=True):
        raise Http404
    return render(
        request,
        f"meetings/partials/_{name}_form.html",
        {
            "item": item,
            "meeting": item.meeting,
            f"{name}_form": _lazy_form(request, item, name),
            "gang_basis": LegalBasis.RPL115_5_GANG,
        },
    )


@require_POST
def item_edit(request, pk):
    item = selectors.item_for(user=request.user, pk=pk, action=CHANGE)
    form = AgeReasonForm(request.POST, auto_id=f"id_item{item.pk}_%s")
    if form.is_valid():
        changes = {}
        if "consent_status" in request.POST:
            changes["consent_status"] = form.cleaned_data["consent_status"]
        try:
            agenda.agenda_item_update(
                actor=request.user,
                item=item,
                age_override_reason=form.cleaned_data["age_override_reason"],
                **changes,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_meeting(item.meeting)
    return _refused(request, item.meeting, reason_forms={item.pk: form})


@require_POST
def item_remove(request, pk):
    item = selectors.item_for(user=request.user, pk=pk, action=CHANGE)
    try:
        agenda.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        return _refused(request, item.meeting, exc)
    return _to_meeting(item.meeting)


@require_http_methods(["GET", "POST"])
def item_share(request, pk):
    """Share information under a basis of the forum (R-115-1, -2, -5, -6). A GET
    answers the form for the chosen basis (htmx shows the §115 stk. 5 fields)."""
    item = selectors.item_for(user=request.user, pk=pk)
    if request.method == "GET":
        fields = ("text", "legal_basis", "necessity", "consent", "gang_kind")
        initial = {name: request.GET.get(f"share-{name}", "") for name in fields}
        initial["recipients"] = request.GET.getlist("share-recipients")
        form = _share_form(request, item, initial=initial)
        return render(
            request,
            "meetings/partials/_share_form.html",
            {"item": item, "share_form": form, "gang_basis": LegalBasis.RPL115_5_GANG},
        )
    form = _share_form(request, item, data=request.POST)
    if form.is_valid():
        try:
            sharing.information_share(
                actor=request.user,
                agency=acting_agency(request),
                item=item,
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _panel(request, item)
            return _to_meeting(item.meeting, item)
    return _item_refused(request, item, share_form=form)


@require_POST
def item_reshare(request, pk):
    item = selectors.item_for(user=request.user, pk=pk)
    consents = _valid_consents(request.user, item.person)
    form = _reshare_form(request, item, consents, data=request.POST)
    if form.is_valid():
        try:
            sharing.information_reshare(
                actor=request.user,
                agency=acting_agency(request),
                item=item,
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _panel(request, item)
            return _to_meeting(item.meeting, item)
    return _item_refused(request, item, reshare_form=form)


@require_POST
def item_decision(request, pk):
    item = selectors.item_for(user=request.user, pk=pk, action=CHANGE)
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        try:
            services.decision_record(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _panel(request, item)
            return _to_meeting(item.meeting, item)
    return _item_refused(request, item, decision_form=form)


@require_http_methods(["GET", "POST"])
def item_actions(request, pk):
    if request.method == "GET":
        item = selectors.item_for(user=request.user, pk=pk)
        return _panel(request, item)
    item = selectors.item_for(user=request.user, pk=pk, action=CHANGE)
    form = _action_form(item.meeting, data=request.POST)
    if form.is_valid():
        try:
            services.action_item_add(
                actor=request.user, item=item, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _htmx(request):
                return _panel(request, item)
            return _to_meeting(item.meeting, item)
    return _item_refused(request, item, action_form=form)


# --- Consents -----------------------------------------------------------------------


def _render_consents(request, person, *, form=None, withdraw_forms=None, status=200):
    agencies = _consent_agencies(person)
    consents = list(selectors.consents_of(user=request.user, person=person))
    withdraw_forms = withdraw_forms or {}
    today = timezone.localdate()
    for consent in consents:
        consent.valid = consent.is_valid_on(today)
        consent.withdraw_form = withdraw_forms.get(consent.pk) or WithdrawForm(
            auto_id=f"id_withdraw{consent.pk}_%s", initial={"withdrawn_on": today}
        )
    return render(
        request,
        "meetings/consents.html",
        {
            "person": person,
            "consents": consents,
            "form": form or ConsentForm(agencies=agencies, initial={"given_on": today}),
            "today": today,
        },
        status=status,
    )


def _consent_agencies(person):
    municipality = person.municipality
    return (
        Agency.objects.filter(
            Q(municipality=municipality)
            | Q(
                municipality__isnull=True,
                police_district=municipality.police_district_id,
            )
        )
        .filter(kind__in=AgencyKind.authority_kinds())
        .order_by("name")
    )


@require_http_methods(["GET", "POST"])
def consents(request, person_id):
    person = get_visible_or_404(
        request.user, Person.objects.select_related("municipality"), pk=person_id
    )
    if request.method == "GET":
        return _render_consents(request, person)
    form = ConsentForm(request.POST, agencies=_consent_agencies(person))
    if form.is_valid():
        try:
            sharing.consent_record(
                actor=request.user,
                agency=acting_agency(request),
                person=person,
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("meetings:consents", person_id=person.pk)
    return _render_consents(request, person, form=form, status=400)


@require_POST
def consent_withdraw(request, pk):
    consent = selectors.consent_for(user=request.user, pk=pk)
    form = WithdrawForm(request.POST, auto_id=f"id_withdraw{consent.pk}_%s")
    if form.is_valid():
        try:
            sharing.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("meetings:consents", person_id=consent.person_id)
    person = get_visible_or_404(
        request.user,
        Person.objects.select_related("municipality"),
        pk=consent.person_id,
    )
    return _render_consents(
        request, person, withdraw_forms={consent.pk: form}, status=400
    )
