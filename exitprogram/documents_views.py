"""Documents of the Exit programme: the cooperation agreement as a PDF for signing
(issue 6, point 2) and the programme's figures (point 5).

The agreement PDF (samarbejdsaftale) holds what the parties sign: the version,
the parties' names, each measure with its responsible authority, contact, start
and time frame, the consequences of relapse into violent crime, and the signature
lines (with the signing dates once signed). It never holds the police mapping (the
crime picture, the security and risk assessment: R-EXIT-3), the CPR number or an
address (a protected address is never printed: R-EXIT-3); it names the person by
name only. Danish whatever language the reader works in, "Fortroligt" and
"Side x af y" on every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from access.permissions import EXPORT, require
from accounts.fresh import fresh_authentication_required
from audit.models import Action
from audit.services import audit_record
from core.pdf import render_pdf
from meetings.minutes import css_string, page_counter_css

from . import selectors
from .figures import exit_figures, exit_figures_scope
from .models import Agreement, AgreementStatus

SHORT_DATE_FORMAT = "j. F Y"  # 8. december 2026

# --- The agreement as PDF -------------------------------------------------------------


def _day(value) -> str:
    return dateformat.format(value, SHORT_DATE_FORMAT) if value else ""


def _name_of_user(user) -> str:
    return user.name_and_title if user else ""


@dataclass(frozen=True)
class PdfMeasure:
    kind: str
    description: str
    authority: str
    contact: str
    starts_on: str
    ends_on: str


@dataclass(frozen=True)
class PdfAgreement:
    version: int
    status: str
    is_draft: bool
    is_superseded: bool
    person: str
    exit_unit: str
    municipality: str
    coordinator: str
    parties: str
    consequences: str
    measures: list[PdfMeasure]
    signed_by_person_on: str
    signed_by_coordinator_on: str


def agreement_content(*, actor, agreement: Agreement) -> PdfAgreement:
    """What the PDF shows: the agreement's own fields and its measures as `actor`
    may read them (exitprogram.selectors). Call inside translation.override("da")
    for Danish labels. Nothing of the police mapping is read."""
    case = agreement.case
    person = case.person
    measures = selectors.measures_of(user=actor, agreement=agreement)
    return PdfAgreement(
        version=agreement.version,
        status=agreement.get_status_display(),
        is_draft=agreement.status == AgreementStatus.DRAFT,
        is_superseded=agreement.status == AgreementStatus.SUPERSEDED,
        person=f"{person.given_name} {person.family_name}",
        exit_unit=case.agency.name,
        municipality=case.municipality.name,
        coordinator=_name_of_user(case.coordinator),
        parties=agreement.parties,
        consequences=agreement.consequences,
        measures=[
            PdfMeasure(
                kind=measure.get_kind_display(),
                description=measure.description,
                authority=measure.responsible_agency.name,
                contact=measure.contact,
                starts_on=_day(measure.starts_on),
                ends_on=_day(measure.ends_on),
            )
            for measure in measures
        ],
        signed_by_person_on=_day(agreement.signed_by_person_on),
        signed_by_coordinator_on=_day(agreement.signed_by_coordinator_on),
    )


@transaction.atomic
def agreement_render_pdf(*, actor, agreement: Agreement) -> bytes:
    """The agreement (any version: a signed one is the signing copy) as PDF bytes.

    The caller has fetched `agreement` for EXPORT through
    exitprogram.selectors.agreement_for (the exit unit). Audited as an export of
    the agreement naming the person."""
    with translation.override("da"):
        content = agreement_content(actor=actor, agreement=agreement)
        html = render_to_string(
            "exitprogram/pdf/agreement.html",
            {
                "agreement": content,
                "confidential": css_string(_("Confidential")),
                "page_counter": page_counter_css(),
                "made_on": _day(timezone.localdate()),
                "made_by": _name_of_user(actor),
            },
        )
    pdf = render_pdf(html)
    audit_record(
        user=actor,
        action=Action.EXPORT,
        obj=agreement,
        subjects=[agreement.person_id],
        criterion=f"agreement v{agreement.version}",
    )
    return pdf


def agreement_filename(agreement: Agreement) -> str:
    """No name in the file name: the file may be saved on a shared drive."""
    return f"samarbejdsaftale-v{agreement.version}.pdf"


@require_GET
@fresh_authentication_required
def agreement_pdf(request, pk):
    """The cooperation agreement as PDF for the exit unit (EXPORT); 404 for anyone
    else, as for an agreement that does not exist. An export of a person's data:
    it needs a recent sign-in (accounts.fresh) and is audited as an export."""
    agreement = selectors.agreement_for(user=request.user, pk=pk, action=EXPORT)
    content = agreement_render_pdf(actor=request.user, agreement=agreement)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{agreement_filename(agreement)}"'
    )
    # It names a person in an exit programme: never kept by a browser or proxy.
    response["Cache-Control"] = "no-store, private"
    return response


# --- The figures ----------------------------------------------------------------------


class FiguresFilterForm(forms.Form):
    """Within the user's scope, one municipality or all."""

    municipality = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Municipality"),
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, data, *, municipalities):
        super().__init__({k: v for k, v in data.items() if k in self.base_fields})
        self.fields["municipality"].queryset = municipalities


def figures_for(user, params):
    """The filter form and, when it is valid, the figures. 403 for a user whose
    scope is empty (exitprogram.figures.exit_figures_scope)."""
    scope = exit_figures_scope(user)
    municipalities = list(scope)
    require(bool(municipalities))
    form = FiguresFilterForm(params, municipalities=scope)
    if not form.is_valid():
        return form, None
    chosen = form.cleaned_data["municipality"]
    return form, exit_figures(municipalities=[chosen] if chosen else municipalities)


@require_GET
def figures(request):
    """The programme's figures: counts only, no person (issue 6, point 5)."""
    form, found = figures_for(request.user, request.GET)
    return render(
        request,
        "exitprogram/figures.html",
        {"form": form, "figures": found},
        status=200 if found else 400,
    )
