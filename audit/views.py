"""The audit log for managers and auditors, and one person's access report
(R-LOG-3, the GDPR right of access to log information)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from access.permissions import can_read_audit_log, person_for_access_report, require

from .forms import AuditFilterForm
from .selectors import entries_for_person, entries_visible_to

PAGE_SIZE = 50


@require_GET
def entry_list(request):
    require(can_read_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    entries = entries_visible_to(
        user=request.user, filters=form.cleaned_data if form.is_valid() else {}
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "filter_query": filters.urlencode() + "&" if filters else "",
        },
    )


@require_GET
def person_access(request, person_id):
    person = person_for_access_report(request.user, person_id)
    page = Paginator(
        entries_for_person(user=request.user, person=person), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "audit/person_access.html", {"person": person, "page": page})
