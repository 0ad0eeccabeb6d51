"""The inbox page ("Mine opgaver"), the header's count, done and put aside.

Thin: context → selector → render; or form → service → message → back to the
inbox with the user's filter."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import LATER_CHOICES, ItemForm, SnoozeForm, later_than
from .registry import registered_kinds
from .selectors import (
    AGENCY,
    ALL,
    MINE,
    PAGE_SIZE,
    SCOPES,
    inbox_context,
    inbox_counts,
    inbox_items,
)


class _Rows:
    """The inbox's rows for Django's Paginator: counted from the counts already
    read, sliced by the database."""

    def __init__(self, ctx, kind: str, total: int) -> None:
        self.ctx, self.kind, self.total = ctx, kind, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice):
        return inbox_items(
            self.ctx,
            kind=self.kind,
            offset=window.start or 0,
            limit=(window.stop or self.total) - (window.start or 0),
        )


def _filters(request) -> dict:
    keys = {kind.key for kind in registered_kinds()}
    scope = request.GET.get("scope", ALL)
    kind = request.GET.get("kind", "")
    return {
        "scope": scope if scope in SCOPES else ALL,
        "kind": kind if kind in keys else "",
        "snoozed": request.GET.get("snoozed") == "1",
        "overdue": request.GET.get("overdue") == "1",
    }


def _query(filters: dict) -> str:
    """The filter as a query string ("" for the default view)."""
    shown = {
        "scope": filters["scope"] if filters["scope"] != ALL else "",
        "kind": filters["kind"],
        "snoozed": "1" if filters["snoozed"] else "",
        "overdue": "1" if filters["overdue"] else "",
    }
    return urlencode({k: v for k, v in shown.items() if v})


@require_GET
def inbox(request):
    filters = _filters(request)
    ctx = inbox_context(
        user=request.user,
        session=request.session,
        scope=filters["scope"],
        snoozed=filters["snoozed"],
        overdue=filters["overdue"],
    )
    counts = inbox_counts(ctx)
    shown = counts.of(filters["kind"]) if filters["kind"] else counts
    total = shown.total if shown else 0
    page = Paginator(_Rows(ctx, filters["kind"], total), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if not filters["snoozed"]:
        services.inbox_mark_seen(user=request.user)
    query = _query(filters)
    here = reverse("inbox:inbox")

    def link(**changes) -> str:
        wanted = _query({**filters, **changes})
        return f"{here}?{wanted}" if wanted else here

    scope_labels = {
        ALL: _("Mine and my agency's"),
        MINE: _("Assigned to me"),
        AGENCY: _("My agency's"),
    }
    return render(
        request,
        "inbox/inbox.html",
        {
            "page": page,
            "counts": counts,
            "filters": filters,
            "filter_query": f"{query}&" if query else "",
            "back": f"{here}?{query}" if query else here,
            "scope_links": [
                (label, link(scope=scope), filters["scope"] == scope)
                for scope, label in scope_labels.items()
            ],
            "all_kinds_link": link(kind=""),
            "kind_links": [
                (count, link(kind=count.kind.key), filters["kind"] == count.kind.key)
                for count in counts.by_kind
            ],
            "snoozed_total": 0 if filters["snoozed"] else counts.snoozed,
            "snoozed_link": link(snoozed=True, kind="", overdue=False),
            "tasks_link": link(snoozed=False),
            "all_dates_link": link(overdue=False),
            "later_choices": LATER_CHOICES,
            "agency": ctx.agency,
        },
    )


@require_GET
def badge(request):
    """The header's count of new and overdue tasks, fetched after the page so that
    no page waits for it (templates/inbox/partials/_badge.html)."""
    ctx = inbox_context(user=request.user, session=request.session)
    return render(request, "inbox/partials/_badge.html", {"counts": inbox_counts(ctx)})


def _back(request) -> str:
    # Back to the inbox with the user's filter: only the inbox's own URL.
    back = request.POST.get("back", "")
    inbox_url = reverse("inbox:inbox")
    if back.startswith(f"{inbox_url}?") and "//" not in back and "\\" not in back:
        return back
    return inbox_url


def _refused(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
def done(request):
    form = ItemForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect(_back(request))
    ctx = inbox_context(user=request.user, session=request.session)
    try:
        message = services.inbox_done(
            ctx=ctx,
            kind=form.cleaned_data["kind"],
            object_id=form.cleaned_data["object_id"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(_back(request))


@require_POST
def snooze(request):
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect(_back(request))
    ctx = inbox_context(user=request.user, session=request.session)
    until = later_than(form.cleaned_data["later"], ctx.today)
    try:
        services.inbox_snooze(
            ctx=ctx,
            kind=form.cleaned_data["kind"],
            object_id=form.cleaned_data["object_id"],
            until=until,
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("The task is put aside until %(date)s.")
            % {"date": date_format(until, "DATE_FORMAT")},
        )
    return redirect(_back(request))


@require_POST
def wake(request):
    form = ItemForm(request.POST)
    if form.is_valid() and services.inbox_wake(
        user=request.user,
        kind=form.cleaned_data["kind"],
        object_id=form.cleaned_data["object_id"],
    ):
        messages.success(request, _("The task is back in your inbox."))
    else:
        messages.error(request, _("That task was not put aside."))
    return redirect(_back(request))
