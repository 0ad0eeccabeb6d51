"""What meetings add to the shared registries: reminder kinds. Their texts name
the forum's date, never a person (notifications carry no personal data)."""

from __future__ import annotations

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from access.permissions import CHANGE
from inbox.registry import register_inbox_kind
from organisations.models import Role
from reminders.registry import register_reminder_kind

from .models import ActionStatus
from .selectors import action_for, open_action_items
from .services import action_item_set_status


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


# --- The inbox (issue 18, point 2) -------------------------------------------------


def _open_action_items(ctx):
    if not ctx.roles & Role.case_roles():
        return None
    return ctx.columns(
        open_action_items(user=ctx.user, audit=None),
        kind="meetings.action_item",
        since="created_at",
        due="due_on",
        text="description",
        link="item_id",
        user="responsible_user",
        agency="responsible_agency",
    )


def _action_item_done(actor, pk) -> str:
    action = action_for(user=actor, pk=pk, action=CHANGE)
    action_item_set_status(actor=actor, action=action, status=ActionStatus.DONE)
    return str(_("The action item is marked as done."))


register_inbox_kind(
    "meetings.action_item",
    label=_("Action items from meetings"),
    rows=_open_action_items,
    link="meetings:item",
    done=_action_item_done,
    order=20,
)
