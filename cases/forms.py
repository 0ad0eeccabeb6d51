from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from access.legal import LegalBasis
from organisations.models import Municipality

from .models import ConcernLevel, Factor, Person, PersonStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "address_protected",
            "address",
            "school",
            "phone",
            "email",
        ]
        widgets = {
            "date_of_birth": DATE,
            "phone": forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("address_protected") and data.get("address"):
            self.add_error(
                "address",
                _(
                    "The person has address protection: leave the address empty. "
                    "It is not recorded in Tværs."
                ),
            )
        return data


class PersonCreateForm(PersonForm):
    cpr = forms.CharField(
        label=_("CPR number"),
        required=False,
        max_length=11,
        help_text=_("ddmmyy-xxxx. Leave it empty if it is not known."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("Municipality")
    )
    legal_basis = forms.ChoiceField(
        choices=LegalBasis.choices, initial=LegalBasis.OWN_TASK, label=_("Legal basis")
    )

    confirm_not_duplicate = forms.BooleanField(
        required=False,
        label=_("This is a different person from the similar ones shown"),
        widget=forms.HiddenInput,
    )

    field_order = ["given_name", "family_name", "cpr", "date_of_birth", "municipality"]

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]


class ConcernLevelForm(forms.Form):
    level = forms.ChoiceField(
        choices=[("", "—"), *ConcernLevel.choices], label=_("Concern level")
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you have seen. Describe behaviour, not the young person."),
    )


class PersonFilterForm(forms.Form):
    """The list's filters: in the URL, since none of them names a person."""

    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(),
        required=False,
        label=_("Municipality"),
        empty_label=_("All"),
    )
    concern_level = forms.ChoiceField(
        choices=[("", _("All")), *ConcernLevel.choices],
        required=False,
        label=_("Concern level"),
    )
    school = forms.CharField(max_length=100, required=False, label=_("School"))
    status = forms.ChoiceField(
        choices=[("", _("All")), *PersonStatus.choices],
        required=False,
        label=_("Status"),
    )

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the concern has ended, or the person has moved away."),
    )


class FactorForm(forms.Form):
    factor = forms.ModelChoiceField(
        queryset=Factor.objects.filter(active=True), label=_("Factor")
    )
    observed_on = forms.DateField(label=_("Observed on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was observed, and by whom."),
    )
    legal_basis = forms.ChoiceField(
        choices=LegalBasis.choices, initial=LegalBasis.OWN_TASK, label=_("Legal basis")
    )


class FactorEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE)
    note = forms.CharField(
        label=_("Why it ended"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
