"""Documents of concern conversations: the invitation letter to the parents (PDF)
and the figures (a page and the same data as CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from access.permissions import VIEW, figures_scope, require
from accounts.fresh import fresh_authentication_required

from . import selectors
from .figures import (
    MAX_MONTHS,
    FigureRow,
    Figures,
    conversation_figures,
    default_period,
    month_end,
    months_between,
)
from .letter import conversation_letter_pdf, letter_filename

# --- The letter -----------------------------------------------------------------------


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A letter names a family: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
@fresh_authentication_required
def letter_pdf(request, pk):
    """The invitation letter of a planned conversation (anyone who may see the
    conversation in full); 409 with the reason when it is not planned. An export
    of names: it needs a recent sign-in (accounts.fresh)."""
    conversation = selectors.conversation_for(user=request.user, pk=pk, action=VIEW)
    try:
        content = conversation_letter_pdf(actor=request.user, conversation=conversation)
    except ValidationError as exc:
        return render(
            request,
            "conversations/letter_refused.html",
            {"conversation": conversation, "errors": exc.messages},
            status=409,
        )
    return pdf_response(content, letter_filename(conversation))


# --- The figures ----------------------------------------------------------------------

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class FiguresFilterForm(forms.Form):
    """The period in whole months and, within the user's scope, a municipality."""

    from_month = forms.DateField(
        label=gettext_lazy("From month"),
        input_formats=["%Y-%m"],
        widget=MONTH,
        help_text=gettext_lazy("Year and month, e.g. 2026-01."),
    )
    to_month = forms.DateField(
        label=gettext_lazy("To month"),
        input_formats=["%Y-%m"],
        widget=MONTH,
        help_text=gettext_lazy("Year and month, e.g. 2026-12."),
    )
    municipality = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Municipality"),
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, data, *, municipalities, today: date | None = None):
        since, until = default_period(today)
        params = {"from_month": f"{since:%Y-%m}", "to_month": f"{until:%Y-%m}"}
        params.update({k: v for k, v in data.items() if k in self.base_fields and v})
        super().__init__(params)
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        data = super().clean()
        since, until = data.get("from_month"), data.get("to_month")
        if since and until:
            if until < since:
                self.add_error(
                    "to_month", _("The last month cannot be before the first.")
                )
            elif months_between(since, until) > MAX_MONTHS:
                self.add_error(
                    "to_month",
                    _("Choose at most %(months)d months.") % {"months": MAX_MONTHS},
                )
        return data

    def period(self) -> tuple[date, date]:
        return self.cleaned_data["from_month"], month_end(self.cleaned_data["to_month"])


def figures_for(user, params) -> tuple[FiguresFilterForm, Figures | None]:
    """The filter form and, when it is valid, the figures. 403 for a user who
    oversees no municipality (access.permissions.figures_scope)."""
    scope = figures_scope(user)
    municipalities = list(scope)
    require(bool(municipalities))
    form = FiguresFilterForm(params, municipalities=scope)
    if not form.is_valid():
        return form, None
    chosen = form.cleaned_data["municipality"]
    since, until = form.period()
    return form, conversation_figures(
        municipalities=[chosen] if chosen else municipalities,
        since=since,
        until=until,
    )


@require_GET
def figures(request):
    form, found = figures_for(request.user, request.GET)
    query = request.GET.urlencode()
    return render(
        request,
        "conversations/figures.html",
        {"form": form, "figures": found, "query": query},
        status=200 if found else 400,
    )


def _cell(value) -> str:
    """A text cell as a spreadsheet reads it: never a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _percent(row: FigureRow) -> str:
    percent = row.percent_on_time
    return "" if percent is None else number_format(percent, 1)


def figures_csv_content(found: Figures) -> str:
    """The figures as one table: semicolon-separated, the share with the decimal
    separator of the user's language (Danish: a comma), so that a Danish
    spreadsheet opens it as numbers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Breakdown"),
            _("Value"),
            _("Requested"),
            _("Held"),
            _("Follow-ups due"),
            _("Followed up on time"),
            _("Share followed up on time (%)"),
        ]
    )
    sections = [
        (_("Month"), [(f"{r.key:%Y-%m}", r) for r in found.by_month]),
        (_("Kind of concern"), [(r.label, r) for r in found.by_kind]),
        (_("Municipality"), [(r.label, r) for r in found.by_municipality]),
        (_("Total"), [("", found.total)]),
    ]
    for section, rows in sections:
        for value, row in rows:
            writer.writerow(
                [
                    _cell(section),
                    _cell(value),
                    row.requested,
                    row.held,
                    row.follow_ups_due,
                    row.followed_up_on_time,
                    _percent(row),
                ]
            )
    return out.getvalue()


@require_GET
def figures_csv(request):
    form, found = figures_for(request.user, request.GET)
    if found is None:
        return render(
            request,
            "conversations/figures.html",
            {"form": form, "figures": None, "query": request.GET.urlencode()},
            status=400,
        )
    # UTF-8 with a byte-order mark: Excel then reads æ, ø and å correctly.
    response = HttpResponse(
        "\ufeff" + figures_csv_content(found), content_type="text/csv; charset=utf-8"
    )
    filename = f"samtaler-tal-{found.since:%Y-%m}-{found.until:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
