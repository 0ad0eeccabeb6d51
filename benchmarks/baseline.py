"""The baseline: the "physical limit" of a Django page on this machine (issue 8).

A bare view that reads the same page of persons a list page shows (25 rows, the
same columns, the same grants, filters and offset) with one hand-written SQL query
and renders them with a minimal template. It runs in the same process, through the
same middleware (session, authentication, two-factor, security headers) as the
pages it is compared with, so the ratio measures what the application adds: the
ORM, the permission core, the audit entry, the layout.

For the concern conversation dashboard (`?rows=conversations`) the same view reads,
with one query, the rows the dashboard shows: for each of its sections (overdue and
due follow-ups, planned, requested) the first 51 conversations the user's agency
groups may know of (the "summary" grant), with the young person's names.

It is reachable only while the benchmark runs (benchmarks.urls, installed with
override_settings(ROOT_URLCONF=...)): it reads person data without the audit
entry every real page writes, so it must never be part of config.urls.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.models import Person, PersonGroupObjectPermission
from conversations.models import (
    ConcernConversation,
    ConversationGroupObjectPermission,
    Status,
)
from conversations.selectors import DUE_SOON_DAYS
from conversations.views import DASHBOARD_SHOWN
from organisations.models import Agency, Municipality, User

PAGE_SIZE = 25


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def baseline_sql(*, concern_level: str = "", municipality: bool = False, q: str = ""):
    """The one query: the page of persons the user's agency groups hold a view
    grant on, with the municipality's and the recording agency's names."""
    where = ""
    if concern_level:
        where += " AND p.concern_level = %s"
    if municipality:
        where += " AND p.municipality_id = %s"
    if q:
        where += " AND p.search_name LIKE %s"
    return f"""
        SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.concern_level,
               p.school, p.status, m.name, a.name
        FROM {_table(Person)} p
        JOIN {_table(Municipality)} m ON m.id = p.municipality_id
        JOIN {_table(Agency)} a ON a.id = p.recorded_by_id
        WHERE p.id IN (
            SELECT g.content_object_id
            FROM {_table(PersonGroupObjectPermission)} g
            JOIN {_table(User.groups.through)} ug ON ug.group_id = g.group_id
            JOIN {_table(Permission)} ap ON ap.id = g.permission_id
            WHERE ug.user_id = %s AND ap.codename = 'view_person'
        ){where}
        ORDER BY p.family_name, p.given_name, p.id
        LIMIT {PAGE_SIZE} OFFSET %s
    """  # noqa: S608 - table names from the models; values are parameters


# The dashboard's sections: which conversations, in which order (as
# conversations.views.dashboard asks the selectors).
_SECTIONS = (
    ("c.status IN (%s, %s) AND c.follow_up_on < %s", "c.follow_up_on, c.id"),
    (
        "c.status IN (%s, %s) AND c.follow_up_on >= %s AND c.follow_up_on <= %s",
        "c.follow_up_on, c.id",
    ),
    ("c.status = %s", "c.planned_at, c.id"),
    ("c.status = %s", "c.requested_on, c.id"),
)


def dashboard_sql() -> str:
    """The one query of the dashboard's baseline: for each of its four sections
    (overdue, due, planned, requested) the first DASHBOARD_SHOWN + 1 conversations
    the user's agency groups may know of (the "summary" grant), with the young
    person's names, in the columns of the person page's template."""
    seen = f"""
        SELECT g.content_object_id
        FROM {_table(ConversationGroupObjectPermission)} g
        JOIN {_table(User.groups.through)} ug ON ug.group_id = g.group_id
        JOIN {_table(Permission)} ap ON ap.id = g.permission_id
        WHERE ug.user_id = %s AND ap.codename = 'summary_concernconversation'
    """  # noqa: S608 - table names from the models
    parts = [
        f"""
        SELECT * FROM (
            SELECT p.id, p.given_name, p.family_name, c.requested_on, c.status,
                   c.follow_up_on, c.planned_at, c.kind, a.name
            FROM {_table(ConcernConversation)} c
            JOIN {_table(Person)} p ON p.id = c.person_id
            JOIN {_table(Agency)} a ON a.id = c.agency_id
            WHERE c.id IN ({seen}) AND {where}
            ORDER BY {order}
            LIMIT {DASHBOARD_SHOWN + 1}
        ) AS section_{number}
        """  # noqa: S608 - table names and fixed clauses; values are parameters
        for number, (where, order) in enumerate(_SECTIONS)
    ]
    return " UNION ALL ".join(parts)


def _dashboard(request):
    user = User._meta.pk.get_db_prep_value(request.user.pk, connection)
    today = timezone.localdate()
    following = [Status.HELD, Status.FOLLOW_UP]
    params = [
        *[user, *following, today],
        *[user, *following, today, today + timedelta(days=DUE_SOON_DAYS)],
        *[user, Status.PLANNED],
        *[user, Status.REQUESTED],
    ]
    with connection.cursor() as cursor:
        cursor.execute(dashboard_sql(), params)
        rows = cursor.fetchall()
    return render(request, "benchmarks/baseline.html", {"rows": rows})


def meeting_sql() -> str:
    """The one query of the meeting page's baseline: the meeting's agenda items the
    user's agency groups see the meeting of, with the person's names, what was
    shared (text, agency), the decision and the action items, in the nine columns
    of the baseline template."""
    from meetings.models import (
        ActionItem,
        AgendaItem,
        Meeting,
        MeetingGroupObjectPermission,
        SharedInformation,
    )

    return f"""
        SELECT i.id, p.given_name, p.family_name, i.title, i.decision, s.text,
               sa.name, x.description, x.due_on
        FROM {_table(AgendaItem)} i
        JOIN {_table(Meeting)} mt ON mt.id = i.meeting_id
        LEFT JOIN {_table(Person)} p ON p.id = i.person_id
        LEFT JOIN {_table(SharedInformation)} s ON s.item_id = i.id AND NOT s.restricted
        LEFT JOIN {_table(Agency)} sa ON sa.id = s.agency_id
        LEFT JOIN {_table(ActionItem)} x ON x.item_id = i.id
        WHERE i.meeting_id = %s AND NOT i.removed AND mt.id IN (
            SELECT g.content_object_id
            FROM {_table(MeetingGroupObjectPermission)} g
            JOIN {_table(User.groups.through)} ug ON ug.group_id = g.group_id
            JOIN {_table(Permission)} ap ON ap.id = g.permission_id
            WHERE ug.user_id = %s AND ap.codename = 'view_meeting'
        )
        ORDER BY i.position, i.id
    """  # noqa: S608 - table names from the models; values are parameters


def _meeting(request):
    uuid_field = User._meta.pk
    params = [
        uuid_field.get_db_prep_value(request.GET.get("meeting"), connection),
        uuid_field.get_db_prep_value(request.user.pk, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(meeting_sql(), params)
        rows = cursor.fetchall()
    return render(request, "benchmarks/baseline.html", {"rows": rows})


def exit_sql() -> str:
    """The one query of the exit dashboard's baseline: the exit cases the user's
    agency groups may see, with the person's names, in the baseline's columns."""
    from exitprogram.models import ExitCase, ExitCaseGroupObjectPermission

    return f"""
        SELECT c.id, p.given_name, p.family_name, c.referred_on, c.status,
               c.referral_source, c.end_reason, m.name, a.name
        FROM {_table(ExitCase)} c
        JOIN {_table(Person)} p ON p.id = c.person_id
        JOIN {_table(Municipality)} m ON m.id = c.municipality_id
        JOIN {_table(Agency)} a ON a.id = c.agency_id
        WHERE c.id IN (
            SELECT g.content_object_id
            FROM {_table(ExitCaseGroupObjectPermission)} g
            JOIN {_table(User.groups.through)} ug ON ug.group_id = g.group_id
            JOIN {_table(Permission)} ap ON ap.id = g.permission_id
            WHERE ug.user_id = %s AND ap.codename = 'view_exitcase'
        )
        ORDER BY c.status, c.referred_on, c.id
    """  # noqa: S608 - table names from the models; values are parameters


def _exit(request):
    params = [User._meta.pk.get_db_prep_value(request.user.pk, connection)]
    with connection.cursor() as cursor:
        cursor.execute(exit_sql(), params)
        rows = cursor.fetchall()
    return render(request, "benchmarks/baseline.html", {"rows": rows})


def probe(request):
    """The machine probe: the same middleware and template with no rows and no
    query of its own, so its time does not depend on the data. The benchmark times
    it beside every scenario and divides a scenario's growth by the probe's, which
    is how much slower the machine itself got between the two sizes' runs."""
    return render(request, "benchmarks/baseline.html", {"rows": []})


@require_GET
def person_page(request):
    """GET parameters: page, concern_level, municipality (pk), q (a search key);
    or rows=conversations for the concern conversation dashboard's baseline; or
    rows=none for the machine probe (`probe`)."""
    if request.GET.get("rows") == "none":
        return probe(request)
    if request.GET.get("rows") == "conversations":
        return _dashboard(request)
    if request.GET.get("rows") == "meeting":
        return _meeting(request)
    if request.GET.get("rows") == "exit":
        return _exit(request)
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError as exc:
        raise Http404 from exc
    concern_level = request.GET.get("concern_level", "")
    municipality = request.GET.get("municipality", "")
    q = request.GET.get("q", "")
    uuid_field = User._meta.pk
    params = [uuid_field.get_db_prep_value(request.user.pk, connection)]
    if concern_level:
        params.append(concern_level)
    if municipality:
        params.append(uuid_field.get_db_prep_value(municipality, connection))
    if q:
        params.append(f"%{q}%")
    params.append((page - 1) * PAGE_SIZE)
    sql = baseline_sql(
        concern_level=concern_level, municipality=bool(municipality), q=q
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return render(request, "benchmarks/baseline.html", {"rows": rows})
