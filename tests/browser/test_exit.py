"""In the browser: the demo exit coordinator takes the demo referral from the
dashboard to a signed cooperation agreement (issue 6, point 8). She pre-screens it
and asks the police for the police mapping, which the demo police liaison, the
case's police exit contact, records in his own session (R-EXIT-3); she records the
municipal mapping (the demo person's consent covers the exit unit, the police and
the job centre: R-EXIT-2) and the clarification conversation, enrols the person,
fills the agreement's parties and consequences, adds a job-centre measure through
the htmx fragment (no page reload) and records today's signatures: the version is
locked, the case active and the job centre sees its measure (R-EXIT-4). The
agreement PDF holds the consequences and the measure's authority, never the police
security and risk assessment (R-EXIT-3). No serious accessibility violations.

Elements are found by id and URL rather than by their wording: the page is in
Danish and its new texts may not be translated yet."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from access.permissions import can
from audit.models import Action, AuditEntry
from cases.models import Person
from exitprogram.models import (
    AgreementStatus,
    ExitCase,
    MeasureKind,
    PoliceMapping,
    RiskLevel,
    Status,
)
from organisations.demo import DEMO_PASSWORD, agency_of
from organisations.models import AgencyKind, Role, User
from tests.browser.conftest import log_in, serious_violations
from tests.browser.test_meeting import _seed_demo
from tests.conftest import make_user

SCREENING = "Motiveret; har selv bedt om hjælp til at komme ud af miljøet."
CRIME_PICTURE = "Tidligere dømt for vold; ingen aktuelle sigtelser."
RISK_ASSESSMENT = "Hemmelig vurdering: trusler fra den tidligere gruppe i foråret."
JOB_CENTRE_NOTE = "Sag om kontanthjælp; ingen aktuel aktivering."
PARTIES = "Mads Demosen; Ishøj Kommune, Exit; Københavns Vestegns Politi; Jobcentret"
CONSEQUENCES = "Ny voldskriminalitet er brud på aftalen og drøftes straks med politiet."
MEASURE = "Virksomhedspraktik på et lager med henblik på ordinært job."


def _submit(page, action_url: str) -> None:
    page.locator(f"form[action='{action_url}'] button[type=submit]").click()
    page.wait_for_load_state()


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _errors(page) -> list[str]:
    return page.locator(".error-summary, .field-errors").all_inner_texts()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_exit_coordinator_takes_a_referral_to_a_signed_agreement(
    live_server, settings, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    _seed_demo(settings)
    today = timezone.localdate()
    day = f"{today:%Y-%m-%d}"
    coordinator = User.objects.get(username="exit")
    officer = User.objects.get(username="politi")
    job_centre = agency_of(AgencyKind.JOB_CENTRE, "Ishøj")
    person = Person.objects.get(given_name="Mads", family_name="Demosen")
    case = ExitCase.objects.get(person=person)
    assert case.status == Status.REFERRED
    assert case.police_contact == officer
    case_url = reverse("exitprogram:case", args=[case.pk])
    police_url = reverse("exitprogram:police_mapping", args=[case.pk])

    def step(event: str) -> None:
        _submit(page, reverse("exitprogram:step", args=[case.pk, event]))

    def status() -> str:
        return ExitCase.objects.get(pk=case.pk).status

    # The dashboard lists the referral; its case page offers the pre-screening.
    log_in(page, live_server, coordinator, password=DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('exitprogram:dashboard')}")
    assert serious_violations(page) == []
    page.locator(f"a[href='{case_url}']").click()
    page.wait_for_url(f"**{case_url}")
    assert serious_violations(page) == []
    page.locator("#id_screen-screening_note").fill(SCREENING)
    step("screen")
    assert status() == Status.PRE_SCREENING, _errors(page)
    step("map_police")
    assert status() == Status.POLICE_MAPPING, _errors(page)
    assert serious_violations(page) == []
    # Only the police exit contact records the police mapping.
    assert page.locator(f"form[action='{police_url}']").count() == 0

    # The police liaison, in his own session, records it from the case page.
    police_page = page.context.browser.new_page(locale="da-DK")
    log_in(police_page, live_server, officer, password=DEMO_PASSWORD)
    police_page.goto(f"{live_server.url}{case_url}")
    police_page.locator(f"a[href='{police_url}']").click()
    police_page.wait_for_url(f"**{police_url}")
    assert serious_violations(police_page) == []
    police_page.locator("#id_nec_registered_0").check()  # yes
    police_page.locator("#id_crime_picture").fill(CRIME_PICTURE)
    police_page.locator("#id_intentions").fill("Vil bryde med gruppen og arbejde.")
    police_page.locator("#id_risk_level").select_option(RiskLevel.MEDIUM)
    police_page.locator("#id_risk_assessment").fill(RISK_ASSESSMENT)
    police_page.locator("#id_assessed_on").fill(day)
    _submit(police_page, police_url)
    police_page.wait_for_url(f"**{case_url}*")
    mapping = PoliceMapping.objects.get(case=case)
    assert (mapping.recorded_by, mapping.risk_assessment) == (officer, RISK_ASSESSMENT)
    assert mapping.nec_registered is True
    police_page.close()

    # The coordinator reads it and goes on to the municipal mapping.
    page.goto(f"{live_server.url}{police_url}")
    expect(page.locator("main")).to_contain_text(RISK_ASSESSMENT)
    assert page.locator("form textarea").count() == 0  # read only for her
    page.goto(f"{live_server.url}{case_url}")
    step("map_municipal")
    assert status() == Status.MUNICIPAL_MAPPING, _errors(page)
    page.locator("#id_municipal-job_centre").fill(JOB_CENTRE_NOTE)
    page.locator("#id_municipal-employment").fill("Ledig.")
    page.locator("#id_municipal-housing").fill("Bor hos familien.")
    assert serious_violations(page) == []
    _submit(page, reverse("exitprogram:municipal_mapping", args=[case.pk]))
    expect(page.locator("#municipal-mapping dl")).to_contain_text(JOB_CENTRE_NOTE)

    # The clarification conversation: domains, needs, the premises explained.
    step("clarify")
    assert status() == Status.CLARIFICATION, _errors(page)
    page.locator("#id_clarification-domain_employment").fill("Ønsker lagerjob.")
    page.locator("#id_clarification-domain_housing").fill("Vil have egen bolig.")
    page.locator("#id_clarification-held_on").fill(day)
    page.locator("#id_clarification-pressing_needs").fill("Job og egen bolig.")
    page.locator("#id_clarification-premises_explained").check()
    assert serious_violations(page) == []
    _submit(page, reverse("exitprogram:clarification", args=[case.pk]))
    clarification = ExitCase.objects.get(pk=case.pk).clarification
    assert clarification.premises_explained is True
    assert clarification.domains["employment"] == "Ønsker lagerjob."

    # Enrol: the draft agreement opens in the editor.
    page.locator("#id_enrol-decided_on").fill(day)
    step("enrol")
    assert status() == Status.AGREEMENT, _errors(page)
    agreement = case.agreements.get()
    agreement_url = reverse("exitprogram:agreement", args=[agreement.pk])
    page.wait_for_url(f"**{agreement_url}")
    assert agreement.status == AgreementStatus.DRAFT
    assert serious_violations(page) == []

    page.locator("#id_agreement-parties").fill(PARTIES)
    page.locator("#id_agreement-consequences").fill(CONSEQUENCES)
    _submit(page, agreement_url)
    agreement.refresh_from_db()
    assert (agreement.parties, agreement.consequences) == (PARTIES, CONSEQUENCES)

    # A job-centre measure through the fragment, without reloading the page.
    page.evaluate("window.notReloaded = true")
    page.locator("#id_measure-kind").select_option(MeasureKind.JOB)
    page.locator("#id_measure-description").fill(MEASURE)
    page.locator("#id_measure-responsible_agency").select_option(str(job_centre.pk))
    page.locator("#id_measure-contact").fill("Jobcentret, team exit")
    page.locator("#id_measure-starts_on").fill(day)
    page.locator("#id_measure-ends_on").fill(f"{today + timedelta(days=180):%Y-%m-%d}")
    measures_url = reverse("exitprogram:agreement_measures", args=[agreement.pk])
    page.locator(f"form[action='{measures_url}'] button[type=submit]").click()
    expect(page.locator("#agreement-measures table")).to_contain_text(MEASURE)
    assert page.evaluate("window.notReloaded") is True
    measure = agreement.measures.get()
    expect(page.locator(f"#measure-{measure.pk}")).to_contain_text(job_centre.name)
    assert serious_violations(page) == []

    # Signed today by both: locked, and the case is active.
    page.locator("#id_sign-signed_by_person_on").fill(day)
    page.locator("#id_sign-signed_by_coordinator_on").fill(day)
    _submit(page, reverse("exitprogram:agreement_sign", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED, _errors(page)
    assert agreement.is_locked
    assert (agreement.signed_by_person_on, agreement.signed_by_coordinator_on) == (
        today,
        today,
    )
    assert status() == Status.ACTIVE
    assert page.locator("#id_agreement-parties").count() == 0  # read only now
    assert page.locator(f"form[action='{measures_url}']").count() == 0
    assert serious_violations(page) == []

    # The job centre answers for its measure and sees it (the demo has no
    # job-centre user: one is made here).
    job_worker = make_user("jobcenter", (job_centre, Role.SOCIAL_WORKER))
    assert can(job_worker, measure)
    assert not can(job_worker, case)

    # The PDF for signing: the terms and the measure, not the police mapping.
    pdf_url = reverse("exitprogram:agreement_pdf", args=[agreement.pk])
    with page.expect_download() as download_info:
        page.locator(f"a[href='{pdf_url}']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = _pdf_text(Path(download.path()).read_bytes())
    assert CONSEQUENCES in text
    assert job_centre.name in text
    assert MEASURE in text
    assert RISK_ASSESSMENT not in text
    assert CRIME_PICTURE not in text
    assert AuditEntry.objects.filter(
        user=coordinator,
        action=Action.EXPORT,
        object_type="exitprogram.agreement",
        object_id=str(agreement.pk),
    ).exists()

    # Back on the case page: active, the agreement signed.
    page.goto(f"{live_server.url}{case_url}")
    expect(page.locator("#agreement")).to_contain_text(MEASURE[:20])
    assert serious_violations(page) == []
