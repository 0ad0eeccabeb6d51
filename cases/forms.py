from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from access.legal import LegalBasis
from organisations.models import Municipality

from .models import ConcernLevel, Person


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["given_name", "family_name", "date_of_birth"]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }


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

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()


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
