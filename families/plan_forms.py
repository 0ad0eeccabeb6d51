"""Forms of the family assessment and action plan pages (issue 7, point 7). They
check the shape of the input; families.plans checks the domain (dates, whose
agency, the plan's state) and its field errors are put back on these forms by
`add_service_errors`.

Every choice offered (members, goals, agencies, responsible persons) is handed in
by the view as a plain list read once through a selector, so rendering a form
never runs a query of its own (the plan page's query count does not grow with
its goals and actions)."""

from __future__ import annotations

from django import forms
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from conversations.forms import DATE, add_service_errors

from .plan_models import (
    Action,
    ActionStatus,
    Assessment,
    Goal,
    Level,
    Plan,
    Progress,
    Rating,
    SectorLaw,
)

__all__ = [
    "ActionForm",
    "ActionStatusForm",
    "AssessmentForm",
    "CloseForm",
    "GoalForm",
    "PlanForm",
    "ProgressForm",
    "RatingForm",
    "SummaryForm",
    "add_service_errors",
]

FAMILY = "family"  # the subject "the family as a whole" in choices and prefixes


def _label(model: type[Model], field: str):
    return capfirst(model._meta.get_field(field).verbose_name)


def _text(model, field, *, rows=3, required=True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=kwargs.pop("label", None) or _label(model, field),
        max_length=model._meta.get_field(field).max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _line(model, field, *, required=True) -> forms.CharField:
    return forms.CharField(
        label=_label(model, field),
        max_length=model._meta.get_field(field).max_length,
        required=required,
    )


class _Chosen(forms.Form):
    """A form whose choices are handed in as ((value, label), …) and whose chosen
    object is looked up in `objects` ({value: object}) after validation."""

    def _object(self, name: str, objects: dict):
        value = self.cleaned_data.get(name) or ""
        return objects.get(value)


# --- Assessment -----------------------------------------------------------------------


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_label(Assessment, "assessed_on"), widget=DATE)
    summary = _text(Assessment, "summary", rows=3, required=False)


class SummaryForm(forms.Form):
    summary = _text(Assessment, "summary", rows=5, required=False)


class RatingForm(forms.Form):
    """One agency's rating of one factor for one subject (a member or the family).
    A row left at "—" is not recorded."""

    level = forms.TypedChoiceField(
        label=_label(Rating, "level"),
        choices=[("", "—"), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    justification = _text(Rating, "justification", rows=2, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("level") is not None
            and not (data.get("justification") or "").strip()
        ):
            self.add_error("justification", _("Write a short justification."))
        return data

    @property
    def is_filled(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("level") is not None


# --- Plan ---------------------------------------------------------------------------


class PlanForm(forms.Form):
    wishes = _text(Plan, "wishes", rows=4)
    review_on = forms.DateField(label=_label(Plan, "review_on"), widget=DATE)


class GoalForm(_Chosen):
    title = _line(Goal, "title")
    person = forms.ChoiceField(label=_("For"), required=False)

    def __init__(self, *args, members, **kwargs):
        """`members`: the family's members the user may see, as persons."""
        super().__init__(*args, **kwargs)
        self.members = {str(p.pk): p for p in members}
        self.fields["person"].choices = [
            ("", _("The family as a whole")),
            *((value, p.full_name) for value, p in self.members.items()),
        ]

    def service_arguments(self) -> dict:
        return {
            "title": self.cleaned_data["title"],
            "person": self._object("person", self.members),
        }


class ActionForm(_Chosen):
    """Adding an action: the goal, the agency (the user's own, or any offered for
    the coordinating agency) and its responsible person are chosen from lists the
    view hands in; the service checks that the person works in the agency."""

    goal = forms.ChoiceField(label=_label(Action, "goal"))
    what = _text(Action, "what", rows=2)
    measure = _text(Action, "measure", rows=2)
    actors = _line(Action, "actors", required=False)
    agency = forms.ChoiceField(label=_label(Action, "agency"))
    responsible = forms.ChoiceField(label=_label(Action, "responsible"))
    deadline = forms.DateField(label=_label(Action, "deadline"), widget=DATE)
    sector_law = forms.ChoiceField(
        label=_label(Action, "sector_law"), choices=[("", "—"), *SectorLaw.choices]
    )
    linked_plans = _line(Action, "linked_plans", required=False)

    def __init__(self, *args, goals=(), agencies=(), staff=(), editing=False, **kw):
        """`goals`: the plan's goals; `agencies`: the agencies the user may add an
        action for; `staff`: (user, agency) pairs of those agencies. When
        `editing`, the goal and agency are not changed (the row keeps them)."""
        super().__init__(*args, **kw)
        self.goals = {str(g.pk): g for g in goals}
        self.agencies = {str(a.pk): a for a in agencies}
        self.staff = {str(user.pk): user for user, _agency in staff}
        self.fields["goal"].choices = [("", "—")] + [
            (value, goal.title) for value, goal in self.goals.items()
        ]
        self.fields["agency"].choices = [
            (value, agency.name) for value, agency in self.agencies.items()
        ]
        if len(self.agencies) != 1:
            self.fields["agency"].choices.insert(0, ("", "—"))
        self.fields["responsible"].choices = [("", "—")] + [
            (str(user.pk), f"{user.name_and_title}, {a.name}")
            for user, a in staff
        ]
        if editing:
            del self.fields["goal"]
            del self.fields["agency"]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["responsible"] = self._object("responsible", self.staff)
        if "goal" in self.fields:
            data["goal"] = self._object("goal", self.goals)
            data["agency"] = self._object("agency", self.agencies)
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_label(Action, "status"), choices=ActionStatus.choices
    )


class ProgressForm(_Chosen):
    goal = forms.ChoiceField(label=_label(Action, "goal"))
    percent = forms.IntegerField(
        label=_label(Progress, "percent"), min_value=0, max_value=100
    )
    note = _text(Progress, "note", rows=2)
    recorded_on = forms.DateField(label=_label(Progress, "recorded_on"), widget=DATE)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = {str(g.pk): g for g in goals}
        self.fields["goal"].choices = [("", "—")] + [
            (value, goal.title) for value, goal in self.goals.items()
        ]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["goal"] = self._object("goal", self.goals)
        return data


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_label(Plan, "closed_on"), widget=DATE)
    reason = _text(Plan, "close_reason", rows=2)
