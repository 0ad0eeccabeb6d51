"""The dashboard and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from access.permissions import audit_entries_visible, visible
from cases.models import Person
from families.alerts import persons_with_sibling_alert
from organisations.models import Role
from organisations.selectors import roles_of

# The panels each role sees on its dashboard, in order.
PANELS = {
    Role.SSP_COORDINATOR: ["sibling_alerts", "persons", "meetings"],
    Role.POLICE_LIAISON: ["persons", "conversations"],
    Role.EXIT_COORDINATOR: ["exit"],
    Role.SOCIAL_WORKER: ["persons", "family_plans"],
    Role.MANAGER: ["persons", "family_plans", "audit"],
    Role.AUDITOR: ["audit"],
    Role.ADMINISTRATOR: ["administration"],
}


ALERTS_SHOWN = 20


@require_GET
def dashboard(request):
    roles = roles_of(user=request.user)
    panels = list(
        dict.fromkeys(p for role in Role if role in roles for p in PANELS[role])
    )
    counts = {}
    if "persons" in panels:
        counts["persons"] = visible(request.user, Person, audit=None).count()
    if "audit" in panels:
        counts["audit"] = audit_entries_visible(request.user).count()
    if "conversations" in panels:
        from conversations.selectors import follow_ups_due

        due = list(
            follow_ups_due(user=request.user, audit=None).values_list(
                "follow_up_on", flat=True
            )
        )
        today = timezone.localdate()
        counts["overdue"] = sum(1 for day in due if day < today)
        counts["due"] = len(due) - counts["overdue"]
    alerted = []
    if "sibling_alerts" in panels:
        alerted = persons_with_sibling_alert(user=request.user)[:ALERTS_SHOWN]
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": panels,
            "counts": counts,
            "alerted": alerted,
            "no_role": not roles,
        },
    )


@login_not_required
@require_GET
def healthz(request):
    """For the container health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
