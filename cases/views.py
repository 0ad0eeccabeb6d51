"""Person pages: list with search, detail, create, edit.

Thin: access function → form → service → redirect."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.permissions import (
    CHANGE,
    acting_agency,
    can,
    can_record_cases,
    can_record_conversations,
    get_visible_or_404,
    require,
)
from accounts.fresh import fresh_authentication_required
from conversations.selectors import conversations_of
from core.cpr import CprError, parse_cpr
from families.alerts import sibling_alerts
from families.selectors import families_of, relations_and_carers_of
from organisations.selectors import acting_membership, municipalities_for
from timeline.selectors import timeline_page

from . import services
from .forms import (
    CloseForm,
    ConcernLevelForm,
    FactorEndForm,
    FactorForm,
    PersonCreateForm,
    PersonFilterForm,
    PersonForm,
)
from .models import Person
from .selectors import (
    concern_history,
    factors_of,
    listed_persons,
    person_page,
    possible_duplicates,
)

PAGE_SIZE = 25


def _municipalities_of(user):
    """The municipalities the user's agencies work in: the list's filter choices."""
    from organisations.models import Municipality
    from organisations.selectors import membership_list

    memberships = membership_list(user=user)
    return Municipality.objects.filter(
        Q(pk__in=[m.agency.municipality_id for m in memberships])
        | Q(police_district__in=[m.agency.police_district_id for m in memberships])
    ).order_by("name")


@require_http_methods(["GET", "POST"])
def person_list(request):
    # A search is POSTed: names never travel in a URL (and so never in access logs).
    # Filters name no one, so they stay in the URL and can be bookmarked.
    params = request.POST if request.method == "POST" else request.GET
    query = request.POST.get("q", "")
    filters = PersonFilterForm(
        request.GET, municipalities=_municipalities_of(request.user)
    )
    chosen = filters.cleaned_data if filters.is_valid() else {}
    people = listed_persons(
        user=request.user,
        query=query,
        **{k: v for k, v in chosen.items() if v},
    )
    page = Paginator(people, PAGE_SIZE).get_page(params.get("page"))
    template = (
        "cases/partials/_person_rows.html"
        if request.headers.get("HX-Request")
        else "cases/person_list.html"
    )
    filter_query = request.GET.copy()
    filter_query.pop("page", None)
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "filters": filters,
            "filter_query": f"{filter_query.urlencode()}&" if filter_query else "",
            "can_create": can_record_cases(request.user),
        },
    )


HISTORY_SHOWN = 10
TIMELINE_PAGE_SIZE = 25


def _can_request_conversation(request) -> bool:
    membership = acting_membership(user=request.user, session=request.session)
    return membership is not None and can_record_conversations(
        request.user, membership.agency
    )


def _render_detail(
    request,
    person,
    *,
    can_change=None,
    history=None,
    factors=None,
    concern_form=None,
    factor_form=None,
    close_form=None,
    status=200,
    **extra,
):
    """The person page. `can_change`, `history`, `factors`: when the caller already
    has them (the page's own read; a POST that required CHANGE knows `can_change`)."""
    user = request.user
    if can_change is None:
        can_change = can(user, person, CHANGE)
    relations, carers = relations_and_carers_of(user=user, person=person)
    context = {
        "person": person,
        "can_change": can_change,
        "history": concern_history(user=user, person=person)[:HISTORY_SHOWN]
        if history is None
        else history,
        "factors": factors_of(user=user, person=person) if factors is None else factors,
        "timeline": _timeline(request, person),
        "alerts": sibling_alerts(user=user, person=person),
        "families": families_of(user=user, person=person),
        "relations": relations,
        "carers": carers,
        # Only what the page shows of a conversation is joined in: its agency.
        "conversations": conversations_of(user=user, person=person)
        .select_related(None)
        .select_related("agency"),
        "can_request_conversation": _can_request_conversation(request),
        "concern_form": concern_form or (ConcernLevelForm() if can_change else None),
        "factor_form": factor_form or (FactorForm() if can_change else None),
        "close_form": close_form
        or (CloseForm() if can_change and person.is_active else None),
        **extra,
    }
    return render(request, "cases/person_detail.html", context, status=status)


def _timeline(request, person):
    return timeline_page(
        user=request.user,
        person=person,
        number=request.GET.get("timeline"),
        per_page=TIMELINE_PAGE_SIZE,
    )


@require_GET
def person_detail(request, person_id):
    if request.headers.get("HX-Request") and "timeline" in request.GET:
        # Another page of the timeline: nothing else of the page is read.
        person = get_visible_or_404(request.user, Person, pk=person_id)
        return render(
            request,
            "cases/partials/_timeline.html",
            {"timeline": _timeline(request, person)},
        )
    page = person_page(user=request.user, pk=person_id, history=HISTORY_SHOWN)
    return _render_detail(
        request,
        page.person,
        can_change=page.may_change,
        history=page.history,
        factors=page.factors,
    )


@require_POST
def person_set_concern_level(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    agency = acting_agency(request)
    form = ConcernLevelForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_concern_level(
                actor=request.user,
                agency=agency,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:person_detail", person_id=person.pk)
    return _render_detail(
        request, person, can_change=True, concern_form=form, status=400
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    existing = None
    duplicates = []
    membership = acting_membership(user=request.user, session=request.session)
    require(
        membership is not None and can_record_cases(request.user, membership.agency)
    )
    form = PersonCreateForm(
        request.POST or None,
        municipalities=municipalities_for(agency=membership.agency),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_not_duplicate")
        cpr = data["cpr"]
        duplicates = _possible_duplicates(request.user, data)
        if duplicates and not confirmed:
            # Shown as a warning; the next POST carries the confirmation.
            form = PersonCreateForm(
                {**request.POST.dict(), "confirm_not_duplicate": "on"},
                municipalities=municipalities_for(agency=membership.agency),
            )
        else:
            try:
                person = services.person_create(
                    actor=request.user, agency=membership.agency, **data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                existing = services.person_find_by_cpr(cpr) if cpr else None
                duplicates = []
            else:
                return redirect("cases:person_detail", person_id=person.pk)
    return render(
        request,
        "cases/person_form.html",
        {
            "form": form,
            "creating": True,
            "duplicates": duplicates,
            # A link to an existing record with the same CPR, only if visible.
            "existing": existing if existing and can(request.user, existing) else None,
        },
        status=400 if form.errors else 200,
    )


def _possible_duplicates(user, data) -> list:
    date_of_birth = data.get("date_of_birth")
    if data.get("cpr"):
        try:
            date_of_birth = parse_cpr(data["cpr"]).birth_date
        except CprError:
            return []
    return possible_duplicates(
        user=user,
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=date_of_birth,
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    # The form edits a copy: the service compares it with the stored person.
    initial = {f: getattr(person, f) for f in services.EDITABLE_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    if person.has_cpr:
        # Derived from the CPR number; shown, not edited.
        form.fields["date_of_birth"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:person_detail", person_id=person.pk)
    return render(
        request,
        "cases/person_form.html",
        {"form": form, "person": person, "creating": False},
        status=400 if form.errors else 200,
    )


@require_POST
@fresh_authentication_required
def person_reveal_cpr(request, person_id):
    """Show the full CPR number once; audited as a reveal (never a GET: no prefetch,
    no history entry). Needs a recent sign-in (accounts.fresh)."""
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    cpr = services.person_reveal_cpr(actor=request.user, person=person)
    if request.headers.get("HX-Request"):
        return render(
            request, "cases/partials/_cpr.html", {"person": person, "revealed_cpr": cpr}
        )
    return _render_detail(request, person, can_change=True, revealed_cpr=cpr)


@require_POST
def person_close(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    agency = acting_agency(request)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.person_close(
                actor=request.user,
                agency=agency,
                person=person,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:person_detail", person_id=person.pk)
    return _render_detail(request, person, can_change=True, close_form=form, status=400)


@require_POST
def person_reopen(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    try:
        services.person_reopen(
            actor=request.user, agency=acting_agency(request), person=person
        )
    except ValidationError:
        pass  # already active: nothing to do
    return redirect("cases:person_detail", person_id=person.pk)


@require_POST
def person_add_factor(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    agency = acting_agency(request)
    form = FactorForm(request.POST)
    if form.is_valid():
        try:
            services.factor_record(
                actor=request.user, agency=agency, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:person_detail", person_id=person.pk)
    return _render_detail(
        request, person, can_change=True, factor_form=form, status=400
    )


@require_http_methods(["GET", "POST"])
def person_end_factor(request, person_id, factor_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    observed = get_object_or_404(
        factors_of(user=request.user, person=person), pk=factor_id, ended_on=None
    )
    form = FactorEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_end(
                actor=request.user,
                agency=acting_agency(request),
                observed=observed,
                ended_on=form.cleaned_data["ended_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:person_detail", person_id=person.pk)
    return render(
        request,
        "cases/factor_end.html",
        {"person": person, "observed": observed, "form": form},
        status=400 if request.method == "POST" else 200,
    )
