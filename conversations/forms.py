"""Forms of the concern conversation pages. They check the shape of the input; the
services check the domain (states, dates, who may take part) and their field errors
are put back on these forms' fields by `add_service_errors`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from access.legal import LegalBasis

from .models import (
    ConcernConversation,
    ConcernKind,
    FollowUp,
    Measure,
    MeasureStatus,
    Outcome,
    Participant,
    ParticipantRole,
    Phase,
    RequestSource,
    Status,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# The phase notes, in the order of the conversation.
PHASE_NOTES = {
    Phase.MAPPING: "mapping_note",
    Phase.ACCOUNTABILITY: "accountability_note",
    Phase.MEASURES: "measures_note",
}


def _label(model: type[Model], field: str):
    """The model field's verbose name as the form label (one translation)."""
    return capfirst(model._meta.get_field(field).verbose_name)


def _note(model, field, **kwargs) -> forms.CharField:
    """A phase note: required, with the service's own message."""
    return _text(
        model,
        field,
        rows=5,
        error_messages={"required": _("Write a note for this phase.")},
        **kwargs,
    )


def _text(model, field, *, rows=3, required=True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=_label(model, field),
        max_length=model._meta.get_field(field).max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _staff_choices(memberships) -> list[tuple[str, str]]:
    """A member of staff to choose, by user id, named with the agency."""
    return [("", "—")] + [
        (
            str(m.user_id),
            f"{m.user.name_and_title}, {m.agency.name}",
        )
        for m in memberships
    ]


def add_service_errors(form: forms.Form, exc: ValidationError, renames=None) -> None:
    """Put a service's ValidationError on the form: a field's message on that field
    (renamed where the form names it differently), anything else above the form."""
    renames = renames or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        field = renames.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(ConcernConversation, "kind"), choices=ConcernKind.choices
    )
    source = forms.ChoiceField(
        label=_label(ConcernConversation, "source"), choices=RequestSource.choices
    )
    requested_by = forms.CharField(
        label=_label(ConcernConversation, "requested_by"),
        max_length=200,
        help_text=ConcernConversation._meta.get_field("requested_by").help_text,
    )
    requested_on = forms.DateField(
        label=_label(ConcernConversation, "requested_on"), widget=DATE
    )
    reason = _text(ConcernConversation, "reason", rows=4)
    municipal_agency = forms.ModelChoiceField(
        queryset=None,
        label=_label(ConcernConversation, "municipal_agency"),
        help_text=_("It sees the conversation in full and takes part in it."),
    )
    legal_basis = forms.ChoiceField(
        label=_label(ConcernConversation, "legal_basis"),
        choices=LegalBasis.choices,
        initial=LegalBasis.RPL115_1_1_SSP,
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipal_agency"].queryset = agencies


class PlanForm(forms.Form):
    planned_at = forms.DateTimeField(
        label=_label(ConcernConversation, "planned_at"), widget=DATETIME
    )
    place = forms.CharField(
        label=_label(ConcernConversation, "place"),
        max_length=200,
        help_text=_(
            "Where the family feels safe: at home, at the police station or "
            "somewhere else."
        ),
    )
    interpreter_needed = forms.BooleanField(
        label=_label(ConcernConversation, "interpreter_needed"), required=False
    )
    interpreter_language = forms.CharField(
        label=_label(ConcernConversation, "interpreter_language"),
        max_length=60,
        required=False,
    )


class HoldForm(forms.Form):
    held_on = forms.DateField(label=_label(ConcernConversation, "held_on"), widget=DATE)
    method = forms.ModelChoiceField(
        queryset=None,
        label=_label(ConcernConversation, "method"),
        required=False,
        empty_label=_("No particular method"),
        help_text=_("Its example questions are shown beside the notes."),
    )
    mapping_note = _note(
        ConcernConversation,
        "mapping_note",
        help_text=_("The situation, its causes and the risk that it happens again."),
    )
    accountability_note = _note(
        ConcernConversation,
        "accountability_note",
        help_text=_("The consequences made clear; the young person urged to stop."),
    )
    measures_note = _note(
        ConcernConversation,
        "measures_note",
        help_text=_("What the family, the school and leisure time will do."),
    )
    attended = forms.MultipleChoiceField(
        label=_("Who attended"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow_up_on = forms.DateField(
        label=_label(ConcernConversation, "follow_up_on"),
        widget=DATE,
        required=False,
        help_text=_(
            "When the police follow up: your municipality's period from today "
            "unless you choose another date."
        ),
    )

    def __init__(self, *args, participants, methods, hold_url, **kwargs) -> None:
        """`hold_url` answers the chosen method's questions to htmx (GET)."""
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = methods
        self.fields["method"].widget.attrs.update(
            {"hx-get": hold_url, "hx-trigger": "change", "hx-swap": "none"}
        )
        self.fields["attended"].choices = [
            (str(p.pk), f"{p.display_name} ({p.get_role_display()})")
            for p in participants
        ]
        self.fields["attended"].initial = [str(p.pk) for p in participants]

    def phase_fields(self):
        """(phase, bound field) in the order of the conversation, for the template."""
        return [(phase, self[name]) for phase, name in PHASE_NOTES.items()]


class FollowUpForm(forms.Form):
    followed_up_on = forms.DateField(
        label=_label(FollowUp, "followed_up_on"), widget=DATE
    )
    note = _text(FollowUp, "note", rows=4)
    concern_continues = forms.TypedChoiceField(
        label=_label(FollowUp, "concern_continues"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    next_follow_up_on = forms.DateField(
        label=_label(FollowUp, "next_follow_up_on"),
        widget=DATE,
        required=False,
        help_text=_("Required when the concern continues."),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_label(ConcernConversation, "outcome"), choices=Outcome.choices
    )
    reason = _text(ConcernConversation, "status_reason", rows=2)


class ReasonForm(forms.Form):
    """Why it was cancelled, or that the family did not come."""

    reason = _text(ConcernConversation, "status_reason", rows=2)


class ParticipantForm(forms.Form):
    """Invite someone: a member of staff (police or municipal), a parent from the
    family record, the young person, or an interpreter or other by name."""

    role = forms.ChoiceField(
        label=_label(Participant, "role"), choices=ParticipantRole.choices
    )
    user = forms.ChoiceField(
        label=_label(Participant, "user"),
        required=False,
        help_text=_("For a police officer or a municipal representative."),
    )
    guardian = forms.ChoiceField(
        label=_("Parent or guardian"),
        required=False,
        help_text=_("From the young person's family record."),
    )
    name = forms.CharField(
        label=_label(Participant, "name"),
        max_length=200,
        required=False,
        help_text=_("For an interpreter or someone else."),
    )

    def __init__(self, *args, staff, guardians, **kwargs) -> None:
        """`staff`: memberships of those who may take part (police of the district,
        staff of the municipality); `guardians`: the young person's carers the user
        may see."""
        super().__init__(*args, **kwargs)
        self.staff = {str(m.user_id): m.user for m in staff}
        self.fields["user"].choices = _staff_choices(staff)
        # Read once, whole (an audited read), and offered by id.
        self.guardians = {str(person.pk): person for person in guardians}
        self.fields["guardian"].choices = [("", "—")] + [
            (pk, person.full_name) for pk, person in self.guardians.items()
        ]

    def service_arguments(self, person) -> dict:
        """The participant_add arguments for the chosen role (`person`: the young
        person of the conversation)."""
        data = self.cleaned_data
        role = data["role"]
        if role in (ParticipantRole.POLICE, ParticipantRole.MUNICIPAL):
            return {"role": role, "user": self.staff.get(data["user"])}
        if role == ParticipantRole.GUARDIAN:
            return {"role": role, "person": self.guardians.get(data["guardian"])}
        if role == ParticipantRole.YOUTH:
            return {"role": role, "person": person}
        return {"role": role, "name": data["name"]}


class MeasureForm(forms.Form):
    measure_type = forms.ModelChoiceField(
        queryset=None, label=_label(Measure, "measure_type")
    )
    description = _text(Measure, "description", rows=2)
    responsible_agency = forms.ModelChoiceField(
        queryset=None, label=_label(Measure, "responsible_agency")
    )
    responsible_user = forms.ChoiceField(
        label=_label(Measure, "responsible_user"),
        required=False,
        help_text=_("Optional. Reminded on the due date."),
    )
    due_on = forms.DateField(label=_label(Measure, "due_on"), widget=DATE)

    def __init__(self, *args, measure_types, agencies, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure_type"].queryset = measure_types
        self.fields["responsible_agency"].queryset = agencies
        self.staff = {str(m.user_id): m.user for m in staff}
        self.fields["responsible_user"].choices = _staff_choices(staff)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["responsible_user"] = self.staff.get(data["responsible_user"])
        return data


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_label(Measure, "status"), choices=MeasureStatus.choices
    )


class ListFilterForm(forms.Form):
    """The list's filters: in the URL, since none of them names a person."""

    status = forms.ChoiceField(
        label=_label(ConcernConversation, "status"),
        choices=[("", _("All")), ("open", _("Open")), *Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_label(ConcernConversation, "kind"),
        choices=[("", _("All")), *ConcernKind.choices],
        required=False,
    )
    follow_up = forms.ChoiceField(
        label=_("Follow-up"),
        choices=[
            ("", _("All")),
            ("overdue", _("Overdue")),
            ("due", _("Due within 14 days")),
        ],
        required=False,
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
