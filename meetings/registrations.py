"""What meetings add to the shared registries: reminder kinds. Their texts name
the forum's date, never a person (notifications carry no personal data)."""

from __future__ import annotations

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from reminders.registry import register_reminder_kind


def _agenda_title(params: dict) -> str:
    at = parse_datetime(params.get("starts_at") or "")
    when = date_format(localtime(at), "DATETIME_FORMAT") if at else ""
    return _("The agenda of the meeting on %(date)s is ready") % {"date": when}


def _action_title(params: dict) -> str:
    day = parse_date(params.get("due_on") or "")
    return _("An action item from a meeting is due on %(date)s") % {
        "date": date_format(day, "DATE_FORMAT") if day else ""
    }


register_reminder_kind("meetings.agenda", title=_agenda_title)
register_reminder_kind("meetings.action_due", title=_action_title)
