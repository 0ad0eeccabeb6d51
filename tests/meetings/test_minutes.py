"""The minutes as PDF (issue 5, point 6): what they hold, that each reader's copy
holds only what that reader may see, that §115 stk. 5 information is never in them
(R-115-6), that an investigation purpose is refused (R-115-3), that the download
is an audited export needing a recent sign-in, and who gets 404."""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from access.legal import LegalBasis
from accounts.fresh import FRESH_AUTH_AT
from audit.models import Action, AuditEntry
from meetings import agenda, services, sharing
from meetings.minutes import minutes_for, minutes_render_pdf
from meetings.models import GangInformationKind, MeetingStatus

DECISION = "Forvaltningen kontakter forældrene"
ACTION = "Tilbyd familien en mentor"
SHARED = "Set sent om aftenen ved centret"
GANG = "Omgås personer fra et kendt bandemiljø"
SSP_LABEL = "Retsplejeloven § 115, stk. 1, nr. 1"  # LegalBasis.RPL115_1_1_SSP in Danish
CONFIDENTIAL = re.compile(r"Fortroligt|Confidential")
PAGE = re.compile(r"(Side|Page) 1 (af|of) 1")


def pdf_text(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def held(personas, world, running):
    """The running meeting with a police share, §115 stk. 5 information for the
    SSP coordinator only, a decision and an action item; then ended."""
    personas.social.first_name, personas.social.last_name = "Sofie", "Socialsen"
    personas.social.save()
    sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text=SHARED,
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity="Forvaltningen skal kunne handle",
    )
    sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text=GANG,
        legal_basis=LegalBasis.RPL115_5_GANG,
        necessity="SSP skal kende risikoen",
        gang_kind=GangInformationKind.ASSOCIATED,
        recipients=[personas.ssp],
    )
    services.decision_record(actor=personas.ssp, item=running.item, decision=DECISION)
    services.action_item_add(
        actor=personas.ssp,
        item=running.item,
        description=ACTION,
        responsible_agency=world.social_ishoej,
        responsible_user=personas.social,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    services.meeting_end(actor=personas.ssp, meeting=running.meeting)
    return running


def url(meeting, **query) -> str:
    base = reverse("meetings:minutes", args=[meeting.pk])
    return base + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def test_the_minutes_hold_the_items_decisions_actions_and_legal_bases(
    held, personas, client_for
):
    response = client_for(personas.social).get(url(held.meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "Dagsordensen" not in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content))
    for expected in (
        "SSP Ishøj",
        "Ishøj Rådhus, mødelokale 2",
        "Bekymring fra skolen",
        "Mødet Dagsordensen",
        SHARED,
        "Forvaltningen skal kunne handle",
        DECISION,
        ACTION,
        "Ishøj Børn og Familie",
        "Sofie Socialsen",
        "Vestegn Forebyggelse",
        SSP_LABEL,
    ):
        assert expected in text, expected
    assert GANG not in text


def test_every_page_is_marked_confidential_and_numbered(held, personas):
    pages = pdf_text(minutes_render_pdf(actor=personas.ssp, meeting=held.meeting))
    for page in pages:
        assert CONFIDENTIAL.search(page)
    assert re.search(r"(Side|Page) 1 (af|of) \d", pages[0])


@pytest.mark.parametrize("reader", ["ssp", "social", "police"])
def test_gang_information_is_never_in_the_minutes(held, personas, reader):
    """R-115-6: not for the named recipient, not for the sharing police agency,
    not for anyone else."""
    user = getattr(personas, reader)
    text = " ".join(pdf_text(minutes_render_pdf(actor=user, meeting=held.meeting)))
    assert GANG not in text
    assert "bandemiljø" not in text
    assert SHARED in text


def test_a_recipient_reads_that_gang_information_was_shared_another_agency_not(
    held, personas
):
    assert minutes_for(reader=personas.ssp, meeting=held.meeting).restricted_shared
    assert not minutes_for(
        reader=personas.social, meeting=held.meeting
    ).restricted_shared
    recipient = " ".join(
        pdf_text(minutes_render_pdf(actor=personas.ssp, meeting=held.meeting))
    )
    other = " ".join(
        pdf_text(minutes_render_pdf(actor=personas.social, meeting=held.meeting))
    )
    line = re.compile(r"(§ ?115,? stk\. 5)")
    assert line.search(recipient)
    assert not line.search(other)


def test_the_download_is_audited_as_an_export_naming_the_persons(
    held, personas, client_for
):
    assert client_for(personas.social).get(url(held.meeting)).status_code == 200
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.user == personas.social
    assert entry.object_type == "meetings.meeting"
    assert entry.object_id == str(held.meeting.pk)
    assert entry.purpose == "crime_prevention"
    assert list(entry.subjects.values_list("person_id", flat=True)) == [held.person.pk]


@pytest.mark.parametrize("purpose", ["investigation", "efterforskning"])
def test_an_investigation_purpose_is_refused_and_audited(
    held, personas, client_for, purpose
):
    """R-115-3: §115 information may not be exported to investigate crime."""
    response = client_for(personas.police).get(url(held.meeting, purpose=purpose))
    assert response.status_code == 400
    assert b"115" in response.content
    refusal = AuditEntry.objects.get(action=Action.PERMISSION_DENIED)
    assert refusal.user == personas.police
    assert refusal.object_id == str(held.meeting.pk)
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_an_unknown_purpose_is_refused(held, personas, client_for):
    response = client_for(personas.social).get(url(held.meeting, purpose="snooping"))
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_a_declared_purpose_is_recorded_with_the_export(held, personas, client_for):
    response = client_for(personas.social).get(url(held.meeting, purpose="own_task"))
    assert response.status_code == 200
    assert AuditEntry.objects.get(action=Action.EXPORT).purpose == "own_task"


@pytest.mark.parametrize("who", ["ssp_albertslund", "police_other_district"])
def test_an_outsider_gets_404_like_for_a_meeting_that_does_not_exist(
    held, personas, client_for, who
):
    client = client_for(getattr(personas, who))
    response = client.get(url(held.meeting))
    assert response.status_code == 404
    unknown = uuid.uuid4()
    missing = client.get(reverse("meetings:minutes", args=[unknown]))
    assert missing.status_code == 404
    # The page tells nothing of the meeting.
    assert b"SSP Ish" not in response.content
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_a_meeting_not_held_has_no_minutes(running, personas, client_for):
    response = client_for(personas.ssp).get(url(running.meeting))
    assert response.status_code == 409
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_approved_minutes_say_so(held, personas):
    services.minutes_approve(actor=personas.ssp, meeting=held.meeting)
    assert held.meeting.status == MeetingStatus.APPROVED
    minutes = minutes_for(reader=personas.ssp, meeting=held.meeting)
    assert minutes.approved


def test_a_stale_session_confirms_before_the_minutes(held, personas, client_for):
    client = client_for(personas.social)
    session = client.session
    session[FRESH_AUTH_AT] = (timezone.now() - timedelta(hours=1)).timestamp()
    session.save()
    response = client.get(url(held.meeting))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_the_minutes_answer_get_only(held, personas, client_for):
    assert client_for(personas.ssp).post(url(held.meeting)).status_code == 405


def test_the_minutes_are_read_in_a_fixed_number_of_queries(
    personas, world, ssp_forum, django_assert_max_num_queries
):
    from cases.services import person_create
    from tests.meetings.conftest import born_years_ago

    for number in range(8):
        person = person_create(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            municipality=world.ishoej,
            given_name=f"Ung{number}",
            family_name="Testsen",
            date_of_birth=born_years_ago(14),
        )
        agenda.agenda_item_add(
            actor=personas.ssp, meeting=ssp_forum.meeting, person=person, title="Punkt"
        )
    meeting = ssp_forum.meeting
    services.meeting_start(actor=personas.ssp, meeting=meeting)
    for item in meeting.items.all():
        services.decision_record(actor=personas.ssp, item=item, decision="Følges")
        services.action_item_add(
            actor=personas.ssp,
            item=item,
            description="Kontakt",
            responsible_agency=world.ssp_ishoej,
            due_on=timezone.localdate() + timedelta(days=3),
        )
    services.meeting_end(actor=personas.ssp, meeting=meeting)
    # Four reads; outside a request each audited read writes its entry and
    # subjects at once; the acting agency and a content type are looked up once.
    with django_assert_max_num_queries(10):
        minutes = minutes_for(reader=personas.social, meeting=meeting)
    assert len(minutes.items) == 9
