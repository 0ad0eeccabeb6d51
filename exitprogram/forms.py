"""Forms of the Exit programme pages. They check the shape of the input; the
services (exitprogram.services) check the domain, and their field errors are put
back on these forms by `add_service_errors`.

Every choice offered (persons, police contacts, authorities) is handed in by the
view from a selector or the permission core: a form never reads what the user may
see on its own."""

from __future__ import annotations

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from conversations.forms import DATE, add_service_errors

from .models import (
    Agreement,
    AgreementMeasure,
    Clarification,
    EndReason,
    ExitCase,
    FollowUpKind,
    FollowUpMeeting,
    LifeDomain,
    MeasureKind,
    MeasureStatus,
    MentorAssignment,
    MentorSession,
    MunicipalMapping,
    NecNotification,
    NecNotificationKind,
    Outcome,
    PoliceMapping,
    ReferralSource,
    RiskLevel,
    WeeklyReport,
)

__all__ = [
    "AgreementForm",
    "ClarificationForm",
    "DeclineForm",
    "EndForm",
    "EnrolForm",
    "FollowUpForm",
    "MeasureForm",
    "MeasureStatusForm",
    "MentorForm",
    "MentorSessionForm",
    "MunicipalMappingForm",
    "NecForm",
    "OutcomeForm",
    "PoliceMappingForm",
    "ReferForm",
    "ReportForm",
    "ScreenForm",
    "SentForm",
    "SignForm",
    "add_service_errors",
]

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


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


def _date(model, field, *, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=_label(model, field), widget=DATE, required=required, **kwargs
    )


def _today():
    return timezone.localdate()


def _user_name(user) -> str:
    return user.name_and_title


# --- Referral and the phases ----------------------------------------------------------


class ReferForm(forms.Form):
    """A referral of a person chosen from the list or found by CPR number."""

    person = forms.ChoiceField(
        label=capfirst(_("young person")),
        required=False,
        help_text=_("People of your municipality you have access to."),
    )
    cpr = forms.CharField(
        label=_("or CPR number"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    referral_source = forms.ChoiceField(
        label=_label(ExitCase, "referral_source"), choices=ReferralSource.choices
    )
    referrer = forms.CharField(
        label=_label(ExitCase, "referrer"), max_length=200, required=False
    )
    referred_on = _date(ExitCase, "referred_on", initial=_today)
    note = _text(ExitCase, "referral_note", rows=4, required=False, label=None)
    police_contact = forms.ModelChoiceField(
        queryset=None,
        label=_label(ExitCase, "police_contact"),
        help_text=_("A police liaison officer of the police district."),
    )

    def __init__(self, *args, persons, police_contacts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.persons = {str(p.pk): p for p in persons}
        self.fields["person"].choices = [("", "—")] + [
            (pk, p.full_name) for pk, p in self.persons.items()
        ]
        self.fields["police_contact"].queryset = police_contacts
        self.fields["police_contact"].label_from_instance = _user_name

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("cpr"):
            self.add_error("cpr", _("Choose a person or write a CPR number, not both."))
        elif not data.get("person") and not data.get("cpr") and not self.errors:
            self.add_error("person", _("Choose a person or write a CPR number."))
        return data


class ScreenForm(forms.Form):
    screening_note = _text(ExitCase, "screening_note", rows=5)


class PoliceMappingForm(forms.Form):
    nec_registered = forms.TypedChoiceField(
        label=_label(PoliceMapping, "nec_registered"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    crime_picture = _text(PoliceMapping, "crime_picture", rows=4)
    intentions = _text(PoliceMapping, "intentions", rows=4)
    risk_level = forms.ChoiceField(
        label=_label(PoliceMapping, "risk_level"), choices=RiskLevel.choices
    )
    risk_assessment = _text(PoliceMapping, "risk_assessment", rows=4)
    assessed_on = _date(PoliceMapping, "assessed_on", initial=_today)

    @classmethod
    def initial_from(cls, mapping: PoliceMapping | None) -> dict:
        if mapping is None:
            return {}
        initial = {
            name: getattr(mapping, name)
            for name in cls.base_fields
            if name != "nec_registered"
        }
        initial["nec_registered"] = "yes" if mapping.nec_registered else "no"
        return initial


class MunicipalMappingForm(forms.Form):
    social_services = _text(MunicipalMapping, "social_services", required=False)
    job_centre = _text(MunicipalMapping, "job_centre", required=False)
    family_centre = _text(MunicipalMapping, "family_centre", required=False)
    employment = _text(MunicipalMapping, "employment", required=False)
    income = _text(MunicipalMapping, "income", required=False)
    housing = _text(MunicipalMapping, "housing", required=False)


class ClarificationForm(forms.Form):
    """One textarea per life domain, the most pressing needs, and that the
    programme's premises were explained."""

    held_on = _date(Clarification, "held_on", initial=_today)
    pressing_needs = _text(Clarification, "pressing_needs", rows=4)
    premises_explained = forms.BooleanField(
        label=_label(Clarification, "premises_explained"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in LifeDomain.choices:
            self.fields[f"domain_{key}"] = forms.CharField(
                label=label,
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # The domains first, in the order of the conversation.
        order = [f"domain_{key}" for key in LifeDomain.values]
        order += ["held_on", "pressing_needs", "premises_explained"]
        self.order_fields(order)

    def domain_fields(self):
        return [self[f"domain_{key}"] for key in LifeDomain.values]

    @classmethod
    def initial_from(cls, clarification: Clarification | None) -> dict:
        if clarification is None:
            return {}
        initial = {
            "held_on": clarification.held_on,
            "pressing_needs": clarification.pressing_needs,
            "premises_explained": clarification.premises_explained,
        }
        for key, text in clarification.domains.items():
            initial[f"domain_{key}"] = text
        return initial

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "domains": {key: data[f"domain_{key}"] for key in LifeDomain.values},
            "pressing_needs": data["pressing_needs"],
            "premises_explained": data["premises_explained"],
        }


class EnrolForm(forms.Form):
    decided_on = _date(ExitCase, "decided_on", initial=_today)


class DeclineForm(forms.Form):
    decided_on = _date(ExitCase, "decided_on", initial=_today)
    decline_reason = _text(ExitCase, "decline_reason", rows=3)
    psychiatric = forms.BooleanField(
        label=_label(ExitCase, "excluded_psychiatric"), required=False
    )
    substance = forms.BooleanField(
        label=_label(ExitCase, "excluded_substance"), required=False
    )
    staff_safety = forms.BooleanField(
        label=_label(ExitCase, "excluded_staff_safety"), required=False
    )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["reason"] = data.pop("decline_reason")
        return data


class EndForm(forms.Form):
    ended_on = _date(ExitCase, "ended_on", initial=_today)
    end_reason = forms.ChoiceField(
        label=_label(ExitCase, "end_reason"), choices=EndReason.choices
    )
    breached_term = _text(
        ExitCase,
        "breached_term",
        rows=2,
        required=False,
        help_text=_("Required when the programme ends for breach of the agreement."),
    )
    end_note = _text(ExitCase, "end_note", rows=3, required=False)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "ended_on": data["ended_on"],
            "reason": data["end_reason"],
            "breached_term": data["breached_term"],
            "note": data["end_note"],
        }


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_label(ExitCase, "outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Convicted of violent crime (violence, robbery, assault, weapons) within "
            "two years after the end."
        ),
    )


# --- The agreement --------------------------------------------------------------------


class AgreementForm(forms.Form):
    parties = _text(
        Agreement,
        "parties",
        rows=3,
        help_text=Agreement._meta.get_field("parties").help_text,
    )
    consequences = _text(Agreement, "consequences", rows=4, required=False)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(AgreementMeasure, "kind"), choices=MeasureKind.choices
    )
    description = _text(AgreementMeasure, "description", rows=2, required=False)
    responsible_agency = forms.ModelChoiceField(
        queryset=None, label=_label(AgreementMeasure, "responsible_agency")
    )
    contact = forms.CharField(
        label=_label(AgreementMeasure, "contact"), max_length=200, required=False
    )
    starts_on = _date(AgreementMeasure, "starts_on")
    ends_on = _date(AgreementMeasure, "ends_on")

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = agencies


class SignForm(forms.Form):
    signed_by_person_on = _date(Agreement, "signed_by_person_on", initial=_today)
    signed_by_coordinator_on = _date(
        Agreement, "signed_by_coordinator_on", initial=_today
    )


class SentForm(forms.Form):
    sent_to_police_on = _date(Agreement, "sent_to_police_on", required=False)
    sent_to_nec_on = _date(Agreement, "sent_to_nec_on", required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("sent_to_police_on") or data.get("sent_to_nec_on")
        ):
            raise forms.ValidationError(_("Give at least one date."))
        return data


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_label(AgreementMeasure, "status"), choices=MeasureStatus.choices
    )
    status_on = _date(AgreementMeasure, "status_on", initial=_today)


# --- Follow-up ------------------------------------------------------------------------


class ReportForm(forms.Form):
    """The weekly report: "No" in one click; "Yes" with a description."""

    encountered = forms.TypedChoiceField(
        label=_label(WeeklyReport, "encountered"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
    )
    description = _text(WeeklyReport, "description", rows=3, required=False)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(FollowUpMeeting, "kind"), choices=FollowUpKind.choices
    )
    held_on = _date(FollowUpMeeting, "held_on", initial=_today)
    attendees = _text(FollowUpMeeting, "attendees", rows=2)
    mentor_present = forms.BooleanField(
        label=_label(FollowUpMeeting, "mentor_present"), required=False
    )
    notes = _text(FollowUpMeeting, "notes", rows=4)


class MentorForm(forms.Form):
    mentor_name = forms.CharField(
        label=_label(MentorAssignment, "mentor_name"), max_length=160
    )
    contact = forms.CharField(
        label=_label(MentorAssignment, "mentor_contact"),
        max_length=200,
        required=False,
    )
    from_date = _date(MentorAssignment, "from_date", initial=_today)


class MentorSessionForm(forms.Form):
    """DOMAIN.md's session structure: check-in, summary of the last session,
    today's agenda, wrap-up and the next meeting."""

    held_on = _date(MentorSession, "held_on", initial=_today)
    check_in = _text(MentorSession, "check_in", rows=2)
    summary = _text(MentorSession, "summary", rows=2)
    agenda = _text(MentorSession, "agenda", rows=2)
    wrap_up = _text(MentorSession, "wrap_up", rows=2)
    next_meeting_on = _date(MentorSession, "next_meeting_on", required=False)


class NecForm(forms.Form):
    kind = forms.ChoiceField(
        label=_label(NecNotification, "kind"), choices=NecNotificationKind.choices
    )
    sent_on = _date(NecNotification, "sent_on", initial=_today)
    note = _text(NecNotification, "note", rows=2, required=False)
