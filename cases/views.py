"""Person pages: list with search, detail, create, edit.

Thin: access function → form → service → redirect."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.permissions import (
    CHANGE,
    can,
    can_record_cases,
    get_visible_or_404,
    require,
)
from organisations.selectors import acting_membership, municipalities_for

from . import services
from .forms import ConcernLevelForm, PersonCreateForm, PersonForm
from .models import Person
from .selectors import concern_history, persons_visible_to

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def person_list(request):
    # A search is POSTed: names never travel in a URL (and so never in access logs).
    params = request.POST if request.method == "POST" else request.GET
    query = request.POST.get("q", "")
    page = Paginator(
        persons_visible_to(user=request.user, query=query), PAGE_SIZE
    ).get_page(params.get("page"))
    template = (
        "cases/partials/_person_rows.html"
        if request.headers.get("HX-Request")
        else "cases/person_list.html"
    )
    return render(
        request,
        template,
        {"page": page, "query": query, "can_create": can_record_cases(request.user)},
    )


HISTORY_SHOWN = 10


def _render_detail(request, person, *, concern_form=None, status=200, **extra):
    can_change = can(request.user, person, CHANGE)
    history = concern_history(user=request.user, person=person)[:HISTORY_SHOWN]
    context = {
        "person": person,
        "can_change": can_change,
        "history": history,
        "concern_form": concern_form or (ConcernLevelForm() if can_change else None),
        **extra,
    }
    return render(request, "cases/person_detail.html", context, status=status)


@require_GET
def person_detail(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id)
    return _render_detail(request, person)


@require_POST
def person_set_concern_level(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    membership = acting_membership(user=request.user, session=request.session)
    require(membership is not None)
    form = ConcernLevelForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_concern_level(
                actor=request.user,
                agency=membership.agency,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:person_detail", person_id=person.pk)
    return _render_detail(request, person, concern_form=form, status=400)


@require_http_methods(["GET", "POST"])
def person_create(request):
    existing = None
    membership = acting_membership(user=request.user, session=request.session)
    require(
        membership is not None and can_record_cases(request.user, membership.agency)
    )
    form = PersonCreateForm(
        request.POST or None,
        municipalities=municipalities_for(agency=membership.agency),
    )
    if request.method == "POST" and form.is_valid():
        cpr = form.cleaned_data["cpr"]
        try:
            person = services.person_create(
                actor=request.user, agency=membership.agency, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            existing = services.person_find_by_cpr(cpr) if cpr else None
        else:
            return redirect("cases:person_detail", person_id=person.pk)
    return render(
        request,
        "cases/person_form.html",
        {
            "form": form,
            "creating": True,
            # A link to an existing record with the same CPR, only if visible.
            "existing": existing if existing and can(request.user, existing) else None,
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    # The form edits a copy: the service compares it with the stored person.
    initial = {f: getattr(person, f) for f in services.EDITABLE_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
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
    )


@require_POST
def person_reveal_cpr(request, person_id):
    """Show the full CPR number once; audited as a reveal (never a GET: no prefetch,
    no history entry)."""
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    cpr = services.person_reveal_cpr(actor=request.user, person=person)
    if request.headers.get("HX-Request"):
        return render(
            request, "cases/partials/_cpr.html", {"person": person, "revealed_cpr": cpr}
        )
    return _render_detail(request, person, revealed_cpr=cpr)
