"""Family pages: list, create, the family page with its members, adding members
and recording relations. Thin: access function → form → service → redirect."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.permissions import (
    CHANGE,
    acting_agency,
    can_expression,
    can_record_cases,
    get_visible_or_404,
    require,
)
from cases.models import Person
from cases.selectors import persons_visible_to
from organisations.selectors import municipalities_for

from . import services
from .alerts import persons_with_sibling_alert
from .forms import ExistingMemberForm, FamilyForm, NewMemberForm, RelationForm
from .member_cases import cases_of
from .models import Family
from .plan_selectors import assessment_changes
from .selectors import families_visible_to, family_members, relation_of

PAGE_SIZE = 25


@require_GET
def family_list(request):
    page = Paginator(families_visible_to(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "families/family_list.html",
        {"page": page, "can_create": can_record_cases(request.user)},
    )


@require_GET
def attention(request):
    """The young people with a sibling who also receives attention (the sibling
    alert), for the overview's figure: the persons and facts the user may see."""
    page = Paginator(persons_with_sibling_alert(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "families/attention.html", {"page": page})


@require_http_methods(["GET", "POST"])
def family_create(request):
    agency = acting_agency(request)
    require(can_record_cases(request.user, agency))
    form = FamilyForm(
        request.POST or None, municipalities=municipalities_for(agency=agency)
    )
    if request.method == "POST" and form.is_valid():
        try:
            family = services.family_create(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("families:family_detail", family_id=family.pk)
    return render(
        request,
        "families/family_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _render_family(request, family, *, can_change: bool, status=200, **forms):
    """The family page. `can_change`: whether the user may change the family, as
    the caller established in this request (the forms are shown only then)."""
    members = list(family_members(user=request.user, family=family))
    cases = cases_of(user=request.user, person_ids=[m.person_id for m in members])
    for member in members:
        member.cases = cases.get(member.person_id, [])
    context = {
        "family": family,
        "members": members,
        # Issue 7: the family page shows the change between the last two assessments.
        "changes": assessment_changes(user=request.user, family=family),
        "can_change": can_change,
        "new_form": forms.get("new_form") or (NewMemberForm() if can_change else None),
        "existing_form": forms.get("existing_form")
        or (ExistingMemberForm() if can_change else None),
        "relation_form": forms.get("relation_form")
        or (RelationForm(members=members) if can_change and len(members) > 1 else None),
    }
    return render(request, "families/family_detail.html", context, status=status)


@require_GET
def family_detail(request, family_id):
    family = get_visible_or_404(
        request.user,
        Family.objects.select_related("municipality", "recorded_by").annotate(
            may_change=can_expression(request.user, Family, CHANGE)
        ),
        pk=family_id,
    )
    return _render_family(request, family, can_change=family.may_change)


@require_POST
def family_add_new(request, family_id):
    family = get_visible_or_404(request.user, Family, pk=family_id, action=CHANGE)
    agency = acting_agency(request)
    form = NewMemberForm(request.POST)
    if form.is_valid():
        try:
            services.family_add_new_person(
                actor=request.user, agency=agency, family=family, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("families:family_detail", family_id=family.pk)
    return _render_family(request, family, can_change=True, new_form=form, status=400)


@require_POST
def family_add_existing(request, family_id):
    family = get_visible_or_404(request.user, Family, pk=family_id, action=CHANGE)
    agency = acting_agency(request)
    form = ExistingMemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = persons_visible_to(user=request.user, query=data["cpr"]).first()
        if person is None:
            form.add_error(
                "cpr",
                _(
                    "No person you may see has this CPR number. "
                    "Register the person first."
                ),
            )
        else:
            try:
                services.family_add_member(
                    actor=request.user,
                    agency=agency,
                    family=family,
                    person=person,
                    role=data["role"],
                    sibling_of_children=data["sibling_of_children"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("families:family_detail", family_id=family.pk)
    return _render_family(
        request, family, can_change=True, existing_form=form, status=400
    )


@require_POST
def family_remove_member(request, family_id, person_id):
    family = get_visible_or_404(request.user, Family, pk=family_id, action=CHANGE)
    member = get_object_or_404(
        family_members(user=request.user, family=family), person_id=person_id
    )
    services.family_remove_member(
        actor=request.user, agency=acting_agency(request), member=member
    )
    return redirect("families:family_detail", family_id=family.pk)


@require_POST
def family_record_relation(request, family_id):
    family = get_visible_or_404(request.user, Family, pk=family_id, action=CHANGE)
    agency = acting_agency(request)
    members = list(family_members(user=request.user, family=family))
    form = RelationForm(request.POST, members=members)
    if form.is_valid():
        # The form offers only the members the user may see.
        people = {str(m.person.pk): m.person for m in members}
        try:
            services.relation_record(
                actor=request.user,
                agency=agency,
                person=people[form.cleaned_data["person"]],
                relative=people[form.cleaned_data["relative"]],
                kind=form.cleaned_data["kind"],
                legal_basis=family.legal_basis,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("families:family_detail", family_id=family.pk)
    return _render_family(
        request, family, can_change=True, relation_form=form, status=400
    )


@require_POST
def relation_remove(request, person_id, relation_id):
    """Remove a relation recorded in error, from the page of one of its persons (who
    the user may change)."""
    person = get_visible_or_404(request.user, Person, pk=person_id, action=CHANGE)
    relation = relation_of(user=request.user, person=person, relation_id=relation_id)
    services.relation_remove(
        actor=request.user, agency=acting_agency(request), relation=relation
    )
    return redirect("cases:person_detail", person_id=person.pk)
