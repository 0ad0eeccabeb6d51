"""The inbox's panel on the overview (core.overview): what waits for the user and
the acting agency, each figure a link to the inbox filtered to exactly those
items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.overview import Figure, Panel, register_panel
from organisations.models import Role

from .selectors import MINE, inbox_context, inbox_counts


def _tasks_panel(ctx) -> Panel:
    inbox = reverse("inbox:inbox")
    request = ctx.request
    counts = inbox_counts(inbox_context(user=ctx.user, session=request.session))
    mine = inbox_counts(
        inbox_context(user=ctx.user, session=request.session, scope=MINE)
    )
    figures = [
        Figure(
            key="inbox.overdue",
            label=_("overdue tasks"),
            count=counts.overdue,
            url=f"{inbox}?overdue=1",
            urgent=True,
        ),
        Figure(
            key="inbox.all",
            label=_("tasks for you and your agency"),
            count=counts.total,
            url=inbox,
        ),
        Figure(
            key="inbox.mine",
            label=_("assigned to you personally"),
            count=mine.total,
            url=f"{inbox}?scope={MINE}",
        ),
    ]
    figures += [
        Figure(
            key=f"inbox.kind.{count.kind.key}",
            label=count.kind.label,
            count=count.total,
            url=f"{inbox}?kind={count.kind.key}",
            urgent=bool(count.overdue),
        )
        for count in counts.by_kind
    ]
    return Panel(
        key="tasks",
        heading=_("What waits for you"),
        figures=figures,
        links=[(_("Open my tasks"), inbox)],
    )


register_panel("tasks", roles=Role.case_roles(), order=10, build=_tasks_panel)
