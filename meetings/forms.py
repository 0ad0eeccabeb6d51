"""Forms of the §115/SSP meeting pages. They check the shape of the input; the
services (meetings.forums, .agenda, .sharing, .services) check the domain and the
law, and their field errors are put back on these forms by `add_service_errors`.

Every choice offered (agencies, persons, consents, recipients, shared items) is
handed in by the view from a selector or the permission core: a form never reads
what the user may see on its own."""

from __future__ import annotations

from django import forms
from django.db.models import Model
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from access.legal import LegalBasis
from conversations.forms import DATE, add_service_errors

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Consent,
    ConsentStatus,
    Forum,
    ForumMember,
    GangInformationKind,
    Meeting,
    SharedInformation,
)

__all__ = [
    "ActionForm",
    "ActionStatusForm",
    "AgeReasonForm",
    "AgendaItemForm",
    "CancelForm",
    "ConsentForm",
    "DecisionForm",
    "ForumForm",
    "MemberForm",
    "ReshareForm",
    "ShareForm",
    "WithdrawForm",
    "add_service_errors",
]

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


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


def _user_name(user) -> str:
    return user.name_and_title


def _staff_choices(memberships) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(m.user_id), f"{_user_name(m.user)}, {m.agency.name}") for m in memberships
    ]


# --- Forums -------------------------------------------------------------------------


class ForumForm(forms.Form):
    kind = forms.ModelChoiceField(queryset=None, label=_label(Forum, "kind"))
    name = forms.CharField(label=_label(Forum, "name"), max_length=160)
    municipalities = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_label(Forum, "municipalities"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Municipalities of your police district."),
    )
    chair = forms.ModelChoiceField(queryset=None, label=_label(Forum, "chair"))
    first_date = forms.DateField(label=_("Date of the first meeting"), widget=DATE)
    first_time = forms.TimeField(label=_("Time of the first meeting"), widget=TIME)
    cadence_days = forms.IntegerField(
        label=_label(Forum, "cadence_days"), min_value=1, max_value=92, initial=14
    )
    duration_minutes = forms.IntegerField(
        label=_label(Forum, "duration_minutes"),
        min_value=15,
        max_value=600,
        initial=120,
    )
    place = forms.CharField(
        label=_label(Forum, "place"), max_length=200, required=False
    )
    agenda_notice_days = forms.IntegerField(
        label=_label(Forum, "agenda_notice_days"),
        min_value=0,
        max_value=30,
        initial=3,
        help_text=Forum._meta.get_field("agenda_notice_days").help_text,
    )

    def __init__(self, *args, kinds, municipalities, chairs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["municipalities"].queryset = municipalities
        self.fields["chair"].queryset = chairs
        self.fields["chair"].label_from_instance = _user_name

    def service_arguments(self) -> dict:
        from datetime import datetime

        from django.utils import timezone

        data = dict(self.cleaned_data)
        first = datetime.combine(data.pop("first_date"), data.pop("first_time"))
        data["first_meeting_at"] = timezone.make_aware(first)
        data["municipalities"] = list(data["municipalities"])
        return data


class MemberForm(forms.Form):
    """A standing member: a whole agency, or one of its people."""

    agency = forms.ModelChoiceField(queryset=None, label=_label(ForumMember, "agency"))
    user = forms.ChoiceField(
        label=_label(ForumMember, "user"),
        required=False,
        help_text=_("Leave empty for the whole agency."),
    )

    def __init__(self, *args, agencies, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.staff = {str(m.user_id): m.user for m in staff}
        self.fields["user"].choices = _staff_choices(staff)

    def service_arguments(self) -> dict:
        return {
            "agency": self.cleaned_data["agency"],
            "user": self.staff.get(self.cleaned_data["user"]),
        }


# --- Meetings and the agenda --------------------------------------------------------


class CancelForm(forms.Form):
    cancel_reason = _text(Meeting, "cancel_reason", rows=2)


class AgendaItemForm(forms.Form):
    """Add an item, about a person chosen from the list or found by CPR number."""

    title = forms.CharField(label=_label(AgendaItem, "title"), max_length=200)
    person = forms.ChoiceField(
        label=_label(AgendaItem, "person"),
        required=False,
        help_text=_("Young people of the forum's municipalities you have access to."),
    )
    cpr = forms.CharField(
        label=_("or CPR number"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = _text(AgendaItem, "reason", required=False)
    age_override_reason = _text(
        AgendaItem,
        "age_override_reason",
        required=False,
        help_text=_("Only when the person is outside the forum's target age group."),
    )

    def __init__(self, *args, persons, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.persons = {str(p.pk): p for p in persons}
        self.fields["person"].choices = [("", "—")] + [
            (pk, p.full_name) for pk, p in self.persons.items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("cpr"):
            self.add_error("cpr", _("Choose a person or write a CPR number, not both."))
        return data


class AgeReasonForm(forms.Form):
    """Why an item outside the forum's target age group is discussed (R-115-9)."""

    age_override_reason = _text(AgendaItem, "age_override_reason", rows=2)
    consent_status = forms.ChoiceField(
        label=_label(AgendaItem, "consent_status"),
        choices=[("", "—"), *ConsentStatus.choices],
        required=False,
    )


# --- The running meeting ------------------------------------------------------------


class ShareForm(forms.Form):
    text = _text(SharedInformation, "text", rows=4)
    legal_basis = forms.ChoiceField(label=_label(SharedInformation, "legal_basis"))
    necessity = _text(SharedInformation, "necessity", rows=2)
    consent = forms.ChoiceField(
        label=_label(SharedInformation, "consent"),
        required=False,
        help_text=_("Only when the person's consent is the legal basis."),
    )
    gang_kind = forms.ChoiceField(
        label=_("What police share under §115 stk. 5"),
        choices=[("", "—"), *GangInformationKind.choices],
        required=False,
    )
    recipients = forms.MultipleChoiceField(
        label=_("Named recipients"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only these people see §115 stk. 5 information."),
    )

    def __init__(self, *args, bases, consents, recipients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].choices = [("", "—"), *bases]
        self.consents = {str(c.pk): c for c in consents}
        self.fields["consent"].choices = [("", "—")] + [
            (pk, f"{c.given_by}, {c.given_on:%d.%m.%Y}: {c.scope[:60]}")
            for pk, c in self.consents.items()
        ]
        # `recipients` answers the users who may be named when called: they are
        # shown only for §115 stk. 5 and checked only when such a share is sent,
        # so a meeting page showing the form does not read them.
        self._recipients = recipients
        self.fields["recipients"].choices = self._recipient_choices

    @cached_property
    def recipient_users(self) -> dict:
        return {str(u.pk): u for u in self._recipients()}

    def _recipient_choices(self) -> list[tuple[str, str]]:
        return [(pk, _user_name(u)) for pk, u in self.recipient_users.items()]

    @property
    def is_gang(self) -> bool:
        return self["legal_basis"].value() == LegalBasis.RPL115_5_GANG

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "legal_basis": data["legal_basis"],
            "necessity": data["necessity"],
            "consent": self.consents.get(data["consent"]),
            "gang_kind": data["gang_kind"],
            "recipients": [self.recipient_users[pk] for pk in data["recipients"]],
        }


class ReshareForm(forms.Form):
    """Pass on information received in another forum's meeting, under a new basis
    of one's own (R-115-8)."""

    source = forms.ChoiceField(label=_("Information received in another forum"))
    legal_basis = forms.ChoiceField(
        label=_("Your own legal basis"),
        help_text=_("The basis it was received under does not carry over."),
    )
    necessity = _text(SharedInformation, "necessity", rows=2)
    consent = forms.ChoiceField(
        label=_label(SharedInformation, "consent"), required=False
    )

    def __init__(self, *args, sources, bases, consents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {str(s.pk): s for s in sources}
        self.fields["source"].choices = [("", "—")] + [
            (
                pk,
                f"{s.meeting.forum.name} {s.meeting.starts_at:%d.%m.%Y}, "
                f"{s.agency.name}: {s.text[:60]}",
            )
            for pk, s in self.sources.items()
        ]
        self.fields["legal_basis"].choices = [("", "—"), *bases]
        self.consents = {str(c.pk): c for c in consents}
        self.fields["consent"].choices = [("", "—")] + [
            (pk, f"{c.given_by}, {c.given_on:%d.%m.%Y}")
            for pk, c in self.consents.items()
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "source": self.sources[data["source"]],
            "legal_basis": data["legal_basis"],
            "necessity": data["necessity"],
            "consent": self.consents.get(data["consent"]),
        }


class DecisionForm(forms.Form):
    decision = _text(AgendaItem, "decision", rows=3)
    request_conversation = forms.BooleanField(
        label=_("Request a concern conversation"),
        required=False,
        help_text=_("The police liaison officer taking part gets the request."),
    )
    conversation_reason = forms.CharField(
        label=_("Reason for the conversation"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty to use the decision."),
    )


class ActionForm(forms.Form):
    description = _text(ActionItem, "description", rows=2)
    responsible_agency = forms.ChoiceField(
        label=_label(ActionItem, "responsible_agency")
    )
    responsible_user = forms.ChoiceField(
        label=_label(ActionItem, "responsible_user"),
        required=False,
        help_text=_("Optional. Reminded on the due date."),
    )
    due_on = forms.DateField(label=_label(ActionItem, "due_on"), widget=DATE)

    def __init__(self, *args, agencies, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.fields["responsible_agency"].choices = [("", "—")] + [
            (pk, a.name) for pk, a in self.agencies.items()
        ]
        self.staff = {str(m.user_id): m.user for m in staff}
        self.fields["responsible_user"].choices = _staff_choices(staff)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "responsible_agency": self.agencies[data["responsible_agency"]],
            "responsible_user": self.staff.get(data["responsible_user"]),
            "due_on": data["due_on"],
        }


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_label(ActionItem, "status"), choices=ActionStatus.choices
    )


# --- Consents -----------------------------------------------------------------------


class ConsentForm(forms.Form):
    given_by = forms.CharField(
        label=_label(Consent, "given_by"),
        max_length=160,
        help_text=Consent._meta.get_field("given_by").help_text,
    )
    scope = _text(
        Consent, "scope", help_text=Consent._meta.get_field("scope").help_text
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_label(Consent, "agencies"),
        widget=forms.CheckboxSelectMultiple,
    )
    given_on = forms.DateField(label=_label(Consent, "given_on"), widget=DATE)
    expires_on = forms.DateField(
        label=_label(Consent, "expires_on"), widget=DATE, required=False
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["agencies"] = list(data["agencies"])
        return data


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_label(Consent, "withdrawn_on"), widget=DATE)
