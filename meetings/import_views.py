"""Police list pages: import (check, then import), the list with its rows, and the
coordinator's decision on a proposed new person (issue 5, point 3).

The file is not kept between the dry run and the import: browsers cannot post a
file again, and a police list is exactly the personal data we do not park in a
session. The report page asks the user to choose the same file again and carries
only a keyed fingerprint of the checked file; a different file is checked (dry
run) instead of imported, so what is imported is always what the user has seen.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from access.permissions import CHANGE, can
from organisations.models import Agency, AgencyKind

from . import policelist, selectors
from .models import ListKind, MeetingStatus, RowFate

DECISIONS = {"confirm": policelist.row_confirm, "dismiss": policelist.row_dismiss}


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return formats.date_format(
            timezone.localtime(obj.starts_at), "SHORT_DATETIME_FORMAT"
        )


class ListImportForm(forms.Form):
    meeting = _MeetingChoice(
        queryset=None,
        label=gettext_lazy("Meeting"),
        help_text=gettext_lazy("The rows found are put on this meeting's agenda."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("List"), choices=ListKind.choices)
    police_agency = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("From police agency")
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV or XLSX, at most 2 MB and 5,000 rows."),
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, forum, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = selectors.meetings_of(
            user=user, forum=forum
        ).filter(status__in=[MeetingStatus.PLANNED, MeetingStatus.AGENDA_SENT])
        self.fields["police_agency"].queryset = Agency.objects.filter(
            kind=AgencyKind.POLICE,
            pk__in=selectors.members_of(forum=forum).values("agency"),
        ).order_by("name")
        if (forum.kind.age_min or 0) >= 18:  # SSP+: the screened list of adults
            self.fields["kind"].initial = ListKind.ADULT_SCREENING


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _render_import(request, forum, form, *, report=None, notice="", status=200):
    return render(
        request,
        "meetings/import.html",
        {
            "forum": forum,
            "form": form,
            "report": report,
            "notice": notice,
            "columns": policelist.COLUMNS,
            "max_rows": policelist.MAX_ROWS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def list_import(request, pk):
    forum = selectors.forum_for(user=request.user, pk=pk, action=CHANGE)
    if request.method == "GET":
        return _render_import(
            request, forum, ListImportForm(user=request.user, forum=forum)
        )
    form = ListImportForm(request.POST, request.FILES, user=request.user, forum=forum)
    if not form.is_valid():
        return _render_import(request, forum, form, status=400)
    data = form.cleaned_data
    upload = data["file"]
    try:
        if upload.size > policelist.MAX_BYTES:
            raise policelist.ImportFileError(policelist.too_large_message())
        content = upload.read()
        checked = data["fingerprint"] == policelist.file_fingerprint(content)
        wants_import = request.POST.get("action") == "import"
        report = policelist.police_list_import(
            actor=request.user,
            forum=forum,
            meeting=data["meeting"],
            kind=data["kind"],
            police_agency=data["police_agency"],
            file=content,
            filename=upload.name,
            dry_run=not (wants_import and checked),
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return _render_import(request, forum, form, status=400)
    notice = ""
    if wants_import and not checked:
        notice = _(
            "This is not the file you checked. Here is what it would do; nothing "
            "has been imported yet."
        )
    # The next form carries the fingerprint of the file just checked, not the file.
    form = ListImportForm(
        initial={**data, "fingerprint": report.fingerprint, "file": None},
        user=request.user,
        forum=forum,
    )
    return _render_import(request, forum, form, report=report, notice=notice)


def _list_context(request, police_list, **extra) -> dict:
    rows = list(selectors.rows_of(user=request.user, police_list=police_list))
    return {
        "police_list": police_list,
        "forum": police_list.forum,
        "rows": rows,
        "can_change": can(request.user, police_list, CHANGE),
        "waiting": sum(1 for r in rows if r.fate == RowFate.PROPOSED),
        **extra,
    }


@require_http_methods(["GET"])
def list_detail(request, pk):
    police_list = selectors.list_for(user=request.user, pk=pk)
    return render(request, "meetings/list.html", _list_context(request, police_list))


@require_POST
def row_decide(request, row_id, decision):
    service = DECISIONS.get(decision)
    if service is None:
        raise Http404
    row = selectors.row_for(user=request.user, pk=row_id)
    # 403 (audited) for the police agency, which sees the list but does not decide.
    selectors.list_for(user=request.user, pk=row.police_list_id, action=CHANGE)
    errors: list[str] = []
    try:
        row = service(actor=request.user, row=row)
    except ValidationError as exc:
        errors = [str(m) for m in exc.messages]
    htmx = request.headers.get("HX-Request") == "true"
    if htmx:
        # htmx swaps only successful responses, so errors come back with 200.
        return render(
            request,
            "meetings/partials/_list_row.html",
            {
                "row": row,
                "can_change": True,
                "row_errors": errors,
                "error_row": row.pk,
            },
        )
    if errors:
        context = _list_context(
            request, row.police_list, error_row=row.pk, row_errors=errors
        )
        return render(request, "meetings/list.html", context, status=400)
    return redirect("meetings:list", pk=row.police_list_id)
