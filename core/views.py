"""The overview and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organisations.selectors import roles_of

from .overview import panels_for


@require_GET
def dashboard(request):
    """The overview: the panels the apps registered for the user's roles
    (core.overview); each figure links to the list of exactly those rows."""
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": panels_for(request),
            "no_role": not roles_of(user=request.user),
        },
    )


@login_not_required
@require_GET
def healthz(request):
    """For the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
