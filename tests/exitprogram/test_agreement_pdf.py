"""The cooperation agreement as PDF for signing (issue 6, point 2): it holds the
parties, the version, each measure with its authority, contact, start and time
frame, the consequences of relapse and the signature lines with the signing dates;
never the police mapping (crime picture, security assessment: R-EXIT-3), the CPR
number or a protected address; "Fortroligt" and "Side x af y" on every page. Only
the exit unit downloads it (an audited export after a recent sign-in); anyone
else gets 404."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.fresh import FRESH_AUTH_AT
from audit.models import Action, AuditEntry
from cases.services import person_create, person_update
from exitprogram import services
from exitprogram.documents_views import agreement_render_pdf
from exitprogram.models import AgreementStatus, MeasureKind, Status
from meetings.sharing import consent_record

from .conftest import today

CONSEQUENCES = "Ny voldskriminalitet afslutter forløbet."
CRIME_PICTURE = "Tidligere vold og narkotikasalg"
RISK = "Trusler fra tidligere gruppe"
INTENTIONS = "Vil ud af miljøet og have et job"
CONFIDENTIAL = re.compile(r"Fortroligt|Confidential")
# New texts read in English until the translations are compiled.
TITLE = re.compile(r"Samarbejdsaftale|Cooperation agreement")


def version(number: int) -> re.Pattern:
    return re.compile(rf"Version {number}\b")


def pdf_text(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def url(agreement) -> str:
    return reverse("exitprogram:agreement_pdf", args=[agreement.pk])


@pytest.fixture
def draft(make_case, exit_world):
    """A draft agreement with the job-centre measure and a mentor measure whose
    description runs long, for a person with a CPR number and a protected
    address."""
    case = make_case(Status.AGREEMENT)
    person = case.person
    person_update(actor=exit_world.coordinator, person=person, address_protected=True)
    agreement = case.agreements.get()
    services.agreement_update(
        actor=exit_world.coordinator,
        agreement=agreement,
        parties="Udvej Exitsen; Ishøj Exit; Vestegn Forebyggelse; Ishøj Jobcenter",
        consequences=CONSEQUENCES,
    )
    services.agreement_measure_add(
        actor=exit_world.coordinator,
        agreement=agreement,
        kind=MeasureKind.MENTOR,
        responsible_agency=exit_world.exit_unit,
        starts_on=today(),
        ends_on=today() + timedelta(days=365),
        description="Ugentlige møder med mentor",
        contact="Exitkoordinatoren",
    )
    return agreement


def test_the_pdf_holds_parties_measures_consequences_and_version(
    draft, exit_world, client_for
):
    response = client_for(exit_world.coordinator).get(url(draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "Exitsen" not in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content))
    assert TITLE.search(text)
    assert version(1).search(text)
    for expected in (
        "Udvej Exitsen",
        "Ishøj Exit; Vestegn Forebyggelse; Ishøj Jobcenter",
        "Job",
        "Ishøj Jobcenter",
        "Jobcentret, team exit",
        "Mentor",
        "Ugentlige møder med mentor",
        "Exitkoordinatoren",
        CONSEQUENCES,
    ):
        assert expected in text, expected
    # Start and end of the time frame, as Danish dates.
    ends = today() + timedelta(days=90)
    assert f"{ends.day}. " in text and str(ends.year) in text


def test_never_the_police_mapping_nor_the_cpr_or_the_address(
    make_case, exit_world, world
):
    """R-EXIT-3: the security assessment and the crime picture stay with the exit
    unit and the police; the CPR number is never printed, nor an address."""
    person = person_create(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        municipality=world.ishoej,
        given_name="Beskyt",
        family_name="Adressesen",
        date_of_birth=date(2000, 3, 14),
        cpr="140300-4005",
        address="Hemmeligvej 7, 2635 Ishøj",
    )
    consent_record(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        person=person,
        given_by="Beskyt Adressesen",
        scope="Exitforløbet",
        given_on=today(),
        agencies=[exit_world.exit_unit, exit_world.job_centre, world.police_vestegn],
    )
    case = make_case(Status.ACTIVE, person=person)
    agreement = case.agreements.get()
    text = " ".join(
        pdf_text(
            agreement_render_pdf(actor=exit_world.coordinator, agreement=agreement)
        )
    )
    assert "Beskyt Adressesen" in text
    for secret in (CRIME_PICTURE, RISK, INTENTIONS, "Hemmeligvej", "140300", "4005"):
        assert secret not in text, secret
    person_update(actor=exit_world.coordinator, person=person, address_protected=True)
    text = " ".join(
        pdf_text(
            agreement_render_pdf(actor=exit_world.coordinator, agreement=agreement)
        )
    )
    assert "Hemmeligvej" not in text


def test_every_page_is_confidential_and_numbered(draft, exit_world):
    for number in range(12):
        services.agreement_measure_add(
            actor=exit_world.coordinator,
            agreement=draft,
            kind=MeasureKind.OTHER,
            responsible_agency=exit_world.exit_unit,
            starts_on=today(),
            ends_on=today() + timedelta(days=30),
            description=f"Indsats nummer {number}. "
            + "Beskrivelse af indsatsen. " * 12,
        )
    pages = pdf_text(
        agreement_render_pdf(actor=exit_world.coordinator, agreement=draft)
    )
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert CONFIDENTIAL.search(page)
        assert re.search(rf"(Side|Page) {number} (af|of) {len(pages)}", page)


def test_a_signed_agreement_carries_the_signing_dates(make_case, exit_world):
    case = make_case(Status.ACTIVE)
    signed = case.agreements.get(status=AgreementStatus.SIGNED)
    text = " ".join(
        pdf_text(agreement_render_pdf(actor=exit_world.coordinator, agreement=signed))
    )
    assert text.count(f"Dato: {today().day}.") >= 2
    assert "Udkast" not in text and "Draft" not in text


def test_an_earlier_version_can_be_downloaded(make_case, exit_world, client_for):
    case = make_case(Status.ACTIVE)
    first = case.agreements.get()
    draft = services.agreement_revise(actor=exit_world.coordinator, case=case)
    client = client_for(exit_world.coordinator)
    old = client.get(url(first))
    assert old.status_code == 200
    assert version(1).search(" ".join(pdf_text(old.content)))
    new = client.get(url(draft))
    assert version(2).search(" ".join(pdf_text(new.content)))


def test_the_download_is_audited_as_an_export(draft, exit_world, client_for):
    assert client_for(exit_world.coordinator).get(url(draft)).status_code == 200
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.user == exit_world.coordinator
    assert entry.object_type == "exitprogram.agreement"
    assert entry.object_id == str(draft.pk)
    assert list(entry.subjects.values_list("person_id", flat=True)) == [draft.person_id]


def test_the_police_exit_contact_reads_the_case_but_does_not_export_it(
    draft, personas, client_for
):
    """A reader who may not export gets 403 (STYLE.md §3), and no export."""
    response = client_for(personas.police).get(url(draft))
    assert response.status_code == 403
    assert b"Exitsen" not in response.content
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize(
    "who", ["ssp", "social", "ssp_albertslund", "police_other_district", "manager"]
)
def test_anyone_outside_the_exit_unit_gets_404(draft, personas, client_for, who):
    """They may not know the agreement exists: 404 as for one that does not."""
    client = client_for(getattr(personas, who))
    response = client.get(url(draft))
    assert response.status_code == 404
    missing = client.get(reverse("exitprogram:agreement_pdf", args=[uuid.uuid4()]))
    assert missing.status_code == 404
    assert b"Exitsen" not in response.content
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_the_job_centre_gets_404(make_case, exit_world, client_for):
    case = make_case(Status.ACTIVE)
    response = client_for(exit_world.job_worker).get(url(case.agreements.get()))
    assert response.status_code == 404


def test_a_stale_session_confirms_first(draft, exit_world, client_for):
    client = client_for(exit_world.coordinator)
    session = client.session
    session[FRESH_AUTH_AT] = (timezone.now() - timedelta(hours=1)).timestamp()
    session.save()
    response = client.get(url(draft))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_get_only(draft, exit_world, client_for):
    assert client_for(exit_world.coordinator).post(url(draft)).status_code == 405
