"""The inbox's forms: which item, and until when it is put aside."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import registered_kinds

LATER_CHOICES = [
    ("tomorrow", _("Until tomorrow")),
    ("monday", _("Until next Monday")),
    ("week", _("For a week")),
    ("two_weeks", _("For two weeks")),
]


def later_than(choice: str, today: datetime.date) -> datetime.date:
    """The day a snoozed item comes back, for one of LATER_CHOICES."""
    if choice == "tomorrow":
        return today + datetime.timedelta(days=1)
    if choice == "monday":
        return today + datetime.timedelta(days=7 - today.weekday())
    if choice == "two_weeks":
        return today + datetime.timedelta(days=14)
    return today + datetime.timedelta(days=7)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(choices=())
    object_id = forms.UUIDField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in registered_kinds()]


class SnoozeForm(ItemForm):
    later = forms.ChoiceField(
        label=_("Put aside"), choices=LATER_CHOICES, initial="tomorrow"
    )
