"""The municipalities' Exit programme settings, edited by administrators (issue 6,
point 1; core.admin_site admits administrators only).

No exit case, mapping, clarification, agreement, measure, report, meeting, mentor
or NEC notification is registered: they hold a person's data, which the admin
never shows, and the police mapping's security and risk assessment is the exit
unit's and the police exit contact's alone (R-EXIT-3).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_site import AdministratorPermissions

from .models import ExitSettings

# No programme takes children; a floor above 30 would be a typing error.
MINIMUM_AGE_RANGE = (12, 30)


class ExitSettingsForm(forms.ModelForm):
    class Meta:
        model = ExitSettings
        fields = ["municipality", "minimum_age"]
        help_texts = {
            "minimum_age": _(
                "Leave empty for no age limit (as in Ishøj). Most programmes "
                "enrol from 18."
            )
        }

    def clean_minimum_age(self) -> int | None:
        age = self.cleaned_data.get("minimum_age")
        low, high = MINIMUM_AGE_RANGE
        if age is not None and not low <= age <= high:
            raise forms.ValidationError(
                _("Choose an age from %(low)d to %(high)d, or leave it empty.")
                % {"low": low, "high": high}
            )
        return age


@admin.register(ExitSettings)
class ExitSettingsAdmin(AdministratorPermissions, admin.ModelAdmin):
    """A municipality's minimum age for enrolment (R-EXIT-1); without a row, or
    with the age empty, there is no age limit. The age holds on the decision
    date (exitprogram.services.exit_enrol)."""

    form = ExitSettingsForm
    list_display = ["municipality", "minimum_age"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name"]
    ordering = ["municipality__name"]
