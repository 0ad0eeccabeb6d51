"""The reminder kinds of family action plans (their texts name no one)."""

from __future__ import annotations

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from reminders.registry import register_reminder_kind


def _on(params: dict) -> str:
    day = parse_date(params.get("due_on") or "")
    return date_format(day, "DATE_FORMAT") if day else ""


register_reminder_kind(
    "families.plan_action_due",
    title=lambda p: (
        _("An action in a family action plan is due on %(date)s") % {"date": _on(p)}
    ),
)
register_reminder_kind(
    "families.plan_review_due",
    title=lambda p: (
        _("A family action plan is to be reviewed on %(date)s") % {"date": _on(p)}
    ),
)
