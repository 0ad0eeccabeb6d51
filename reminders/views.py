"""The notifications page: a user's own notifications, newest first.

Thin: selector (404 for anyone else's) → service → redirect, or the fragment when
htmx asks (the row, and the header's count out of band)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import services
from .selectors import notification_of, notifications_for

PAGE_SIZE = 25


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


@require_GET
def notification_list(request):
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = (
        "reminders/partials/_notifications.html"
        if _htmx(request)
        else "reminders/notification_list.html"
    )
    return render(request, template, {"page": page, "filter_query": ""})


@require_POST
def notification_read(request, notification_id):
    notification = notification_of(user=request.user, notification_id=notification_id)
    services.notification_mark_read(user=request.user, notification=notification)
    if _htmx(request):
        return render(
            request,
            "reminders/partials/_notification_read.html",
            {"notification": notification},
        )
    return redirect(_back(request))


@require_POST
def notification_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("reminders:notification_list")


def _back(request) -> str:
    """Back to the page of the list the user was on (a number, nothing else)."""
    url = reverse("reminders:notification_list")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url
