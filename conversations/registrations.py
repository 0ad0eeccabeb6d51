"""What conversations add to the shared registries: timeline kinds, reminder kinds
and the open-case column of the family page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.overview import Figure, Panel, register_panel
from families.member_cases import register_case_kind
from organisations.models import Role
from timeline.registry import register_kind

from .models import ConcernKind, Outcome
from .selectors import DUE_SOON_DAYS, conversations_visible_to, follow_ups_due


def _kind(params: dict) -> str:
    return str(dict(ConcernKind.choices).get(params.get("kind"), ""))


def _closed(params: dict) -> str:
    outcome = dict(Outcome.choices).get(params.get("outcome"), "")
    return f"{_kind(params)} · {outcome}" if outcome else _kind(params)


def _followed_up(params: dict) -> str:
    continues = (
        _("the concern continues")
        if params.get("concern_continues")
        else _("the concern has ended")
    )
    return f"{_kind(params)} · {continues}"


register_kind(
    "conversations.requested",
    label=_("Concern conversation requested"),
    describe=_kind,
)
register_kind(
    "conversations.planned", label=_("Concern conversation planned"), describe=_kind
)
register_kind(
    "conversations.held", label=_("Concern conversation held"), describe=_kind
)
register_kind(
    "conversations.not_attended",
    label=_("Concern conversation not attended"),
    describe=_kind,
)
register_kind(
    "conversations.cancelled",
    label=_("Concern conversation cancelled"),
    describe=_kind,
)
register_kind(
    "conversations.followed_up",
    label=_("Concern conversation followed up"),
    describe=_followed_up,
)
register_kind(
    "conversations.closed",
    label=_("Concern conversation closed"),
    describe=_closed,
)


def _due_on(params: dict) -> str:
    day = parse_date(params.get("due_on") or "")
    return date_format(day, "DATE_FORMAT") if day else ""


def _follow_up_title(params: dict) -> str:
    return _("A follow-up of a concern conversation is due on %(date)s") % {
        "date": _due_on(params)
    }


def _measure_title(params: dict) -> str:
    return _("An agreed measure is due on %(date)s") % {"date": _due_on(params)}


def _register_reminders() -> None:
    from reminders.registry import register_reminder_kind

    register_reminder_kind("conversations.follow_up_due", title=_follow_up_title)
    register_reminder_kind("conversations.measure_due", title=_measure_title)


_register_reminders()


def _open_conversations(user, person_ids):
    return (
        conversations_visible_to(user=user, audit=None)
        .filter(person_id__in=person_ids)
        .exclude(status__in=["closed", "cancelled"])
        .values_list("person_id", flat=True)
        .distinct()
    )


register_case_kind(
    "conversations.open",
    label=_("Concern conversation"),
    open_for=_open_conversations,
)


# --- The overview (issue 18, point 1) ----------------------------------------------


def _follow_ups_panel(ctx) -> Panel:
    today = timezone.localdate()
    due = follow_ups_due(user=ctx.user, today=today, audit=None)
    overdue = due.filter(follow_up_on__lt=today).count()
    soon = due.filter(follow_up_on__gte=today).count()
    listed = reverse("conversations:list")
    return Panel(
        key="conversations",
        heading=_("Concern conversations"),
        figures=[
            Figure(
                key="conversations.overdue",
                label=_("follow-ups overdue"),
                count=overdue,
                url=f"{listed}?follow_up=overdue",
                urgent=True,
            ),
            Figure(
                key="conversations.due",
                label=_("follow-ups due within %(days)s days")
                % {"days": DUE_SOON_DAYS},
                count=soon,
                url=f"{listed}?follow_up=due",
            ),
        ],
        links=[(_("Open concern conversations"), reverse("conversations:dashboard"))],
    )


register_panel(
    "conversations",
    roles={Role.POLICE_LIAISON},
    order=30,
    build=_follow_ups_panel,
)
