from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", _("All actions")), *Action.choices],
        required=False,
        label=_("Action"),
    )
    username = forms.CharField(required=False, label=_("User"), max_length=150)
    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.UUIDField(required=False, label=_("Person id"))

    def clean(self):
        data = super().clean()
        if (
            data.get("date_from")
            and data.get("date_to")
            and data["date_from"] > data["date_to"]
        ):
            self.add_error("date_to", _("The end date is before the start date."))
        return data
