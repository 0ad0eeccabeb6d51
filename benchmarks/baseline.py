"""The baseline: the "physical limit" of a Django page on this machine (issue 8).

A bare view that reads the same page of persons a list page shows (25 rows, the
same columns, the same grants, filters and offset) with one hand-written SQL query
and renders them with a minimal template. It runs in the same process, through the
same middleware (session, authentication, two-factor, security headers) as the
pages it is compared with, so the ratio measures what the application adds: the
ORM, the permission core, the audit entry, the layout.

It is reachable only while the benchmark runs (benchmarks.urls, installed with
override_settings(ROOT_URLCONF=...)): it reads person data without the audit
entry every real page writes, so it must never be part of config.urls.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.models import Person, PersonGroupObjectPermission
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


@require_GET
def person_page(request):
    """GET parameters: page, concern_level, municipality (pk), q (a search key)."""
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
