from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from access.legal import LegalBasis
from cases.forms import DATE
from organisations.models import Municipality

from .models import MemberRole, RelationKind


class FamilyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("How you refer to the household, e.g. “The Hansen family”."),
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
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]


SIBLING_HELP = _(
    "Records the new child as a sibling of the household's other children, "
    "unless they already share a parent."
)


class NewMemberForm(forms.Form):
    role = forms.ChoiceField(choices=MemberRole.choices, label=_("Role in the family"))
    given_name = forms.CharField(max_length=100, label=_("Given name"))
    family_name = forms.CharField(max_length=100, label=_("Family name"))
    cpr = forms.CharField(
        label=_("CPR number"),
        required=False,
        max_length=11,
        help_text=_("ddmmyy-xxxx. Leave it empty if it is not known."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE
    )
    phone = forms.CharField(max_length=30, required=False, label=_("Phone"))
    sibling_of_children = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Sibling of the other children"),
        help_text=SIBLING_HELP,
    )


class ExistingMemberForm(forms.Form):
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=11,
        help_text=_("The person must already be registered and visible to you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    role = forms.ChoiceField(choices=MemberRole.choices, label=_("Role in the family"))
    sibling_of_children = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Sibling of the other children"),
        help_text=SIBLING_HELP,
    )

    def clean_cpr(self) -> str:
        from cases.services import CPR_MESSAGES
        from core.cpr import CprError, parse_cpr

        try:
            return parse_cpr(self.cleaned_data["cpr"]).formatted
        except CprError as exc:
            raise forms.ValidationError(CPR_MESSAGES[exc.code]) from exc


class RelationForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"))
    kind = forms.ChoiceField(choices=RelationKind.choices, label=_("has as"))
    relative = forms.ChoiceField(label=_("Relative"))

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (str(m.person.pk), m.person.full_name) for m in members
        ]
        self.fields["person"].choices = choices
        self.fields["relative"].choices = choices
