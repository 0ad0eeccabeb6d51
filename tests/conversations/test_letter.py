"""The invitation letter to the parents (issue 4, point 2): what it says, what it
never says, the municipality's own text, the audit entry, and who may make it on
the page and through the API."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import Action, AuditEntry
from cases.models import Person
from conversations import services
from conversations.letter import conversation_letter_pdf
from conversations.models import (
    ConcernKind,
    ConversationSettings,
    ParticipantRole,
    Status,
)
from families.models import MemberRole
from families.services import family_add_new_person

WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
PLACE = "Ishøj Rådhus, mødelokale 2"


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


def letter_text(personas, conversation) -> str:
    return pdf_text(
        conversation_letter_pdf(actor=personas.police, conversation=conversation)
    )


def in_days(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(15, 0)))


def danish_date(moment: datetime) -> str:
    """Written out independently of Django's formats: the letter must read so."""
    local = timezone.localtime(moment)
    return (
        f"{WEEKDAYS[local.weekday()]} den {local.day}. "
        f"{MONTHS[local.month - 1]} {local.year}"
    )


@pytest.fixture
def named_staff(personas):
    personas.police.first_name, personas.police.last_name = "Peter", "Politisen"
    personas.police.email = "peter.politisen@politi.example"
    personas.police.save()
    personas.ssp.first_name, personas.ssp.last_name = "Sara", "Stender"
    personas.ssp.save()
    return personas


@pytest.fixture
def planned(make_conversation, named_staff, youth, world):
    """A gang-related conversation that was not attended and is planned again
    (so it has a reason on record), with the mother and the SSP coordinator
    invited. The father is on the family record but not invited."""
    personas = named_staff
    conversation = make_conversation(Status.NOT_ATTENDED, kind=ConcernKind.GANG)
    Person.objects.filter(pk__in=[youth.person.pk, youth.mother.pk]).update(
        address="Vejleåparken 12, 2635 Ishøj"
    )
    family_add_new_person(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=youth.family,
        role=MemberRole.FATHER,
        given_name="Frede",
        family_name="Fraværsen",
    )
    services.conversation_plan(
        actor=personas.police,
        conversation=conversation,
        planned_at=in_days(9),
        place=PLACE,
    )
    services.participant_add(
        actor=personas.police,
        conversation=conversation,
        role=ParticipantRole.GUARDIAN,
        person=youth.mother,
    )
    services.participant_add(
        actor=personas.police,
        conversation=conversation,
        role=ParticipantRole.MUNICIPAL,
        user=personas.ssp,
    )
    conversation.refresh_from_db()
    return conversation


def letter_url(conversation) -> str:
    return reverse("conversations:letter", args=[conversation.pk])


def api_url(conversation) -> str:
    return f"/api/v1/conversations/{conversation.pk}/letter/"


# --- What the letter says ---------------------------------------------------------


def test_the_letter_names_the_time_the_place_and_the_invited(planned, personas):
    text = pdf_text(
        conversation_letter_pdf(actor=personas.police, conversation=planned)
    )
    assert "Kære forældre til Sami" in text
    assert f"{danish_date(planned.planned_at)} kl. 15.00" in text
    assert PLACE in text
    assert "Mona Samtalesen" in text
    # Staff by name and title, never by login (issue 18, point 4).
    assert "Peter Politisen, Medarbejder, Vestegn Forebyggelse" in text
    assert "Sara Stender, Medarbejder, Ishøj SSP" in text
    assert "peter.politisen@politi.example" in text
    assert "Ishøj Kommune" in text
    assert "frivillig" in text
    assert "tolk" in text


def test_the_letter_holds_no_cpr_address_reason_kind_or_uninvited(planned, personas):
    text = pdf_text(
        conversation_letter_pdf(actor=personas.police, conversation=planned)
    )
    lowered = text.lower()
    for never in ("150310", "4234", "Vejleåparken", "2635"):
        assert never not in text
    # The reason for the request and for the missed conversation.
    assert "fravær og sene aftener" not in text
    assert "Ingen mødte op" not in text
    assert "bande" not in lowered
    assert "gang" not in lowered
    # The father is on the family record but was not invited.
    assert "Frede" not in text
    assert "Fraværsen" not in text


def test_the_letter_is_danish_whatever_language_the_user_works_in(
    planned, personas, client_for
):
    client = client_for(personas.police)
    client.cookies["django_language"] = "en"
    response = client.get(letter_url(planned))
    assert response.status_code == 200
    assert danish_date(planned.planned_at) in pdf_text(response.content)


def test_the_municipality_s_own_text_is_used_and_stays_harmless(
    planned, personas, world
):
    ConversationSettings.objects.create(
        municipality=world.ishoej,
        letter_subject="Indkaldelse: $barn",
        letter_body=(
            "Hej $barn og familie.\n\n"
            "Vi ses $dato kl. $tidspunkt på $sted.\n\n"
            "{{ conversation.reason }} {% debug %} $unknown ${person} $$5 "
            "$barn.__class__"
        ),
    )
    text = pdf_text(
        conversation_letter_pdf(actor=personas.police, conversation=planned)
    )
    assert "Indkaldelse: Sami" in text
    assert "Hej Sami og familie." in text
    assert f"Vi ses {danish_date(planned.planned_at)} kl. 15.00 på {PLACE}." in text
    assert "{{ conversation.reason }} {% debug %} $unknown ${person} $5" in text
    assert "Sami.__class__" in text
    assert "fravær" not in text
    assert "Kære forældre" not in text  # the standard text is not used


def test_making_the_letter_is_audited_as_an_export(planned, personas, youth):
    conversation_letter_pdf(actor=personas.police, conversation=planned)
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.user == personas.police
    assert entry.object_type == "conversations.concernconversation"
    assert entry.object_id == str(planned.pk)
    assert set(entry.subjects.values_list("person_id", flat=True)) == {
        youth.person.pk,
        youth.mother.pk,
    }


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.HELD, Status.CANCELLED])
def test_only_a_planned_conversation_has_a_letter(make_conversation, personas, status):
    conversation = make_conversation(status)
    with pytest.raises(ValidationError):
        conversation_letter_pdf(actor=personas.police, conversation=conversation)
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


# --- The page --------------------------------------------------------------------


def test_the_letter_page_returns_a_pdf_without_names_in_its_filename(
    planned, personas, client_for
):
    response = client_for(personas.police).get(letter_url(planned))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    day = timezone.localtime(planned.planned_at).date()
    assert disposition == f'attachment; filename="indkaldelse-{day.isoformat()}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "Sami" in pdf_text(response.content)


def test_the_municipal_agency_taking_part_may_make_the_letter(
    planned, personas, client_for
):
    assert client_for(personas.ssp).get(letter_url(planned)).status_code == 200


@pytest.mark.parametrize("who", ["ssp_albertslund", "police_other_district", "admin"])
def test_an_outsider_gets_404(planned, personas, client_for, who):
    response = client_for(getattr(personas, who)).get(letter_url(planned))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_an_ssp_unit_that_sees_only_the_state_gets_403(
    make_conversation, personas, world, client_for
):
    conversation = make_conversation(
        Status.PLANNED, municipal_agency=world.social_ishoej
    )
    assert client_for(personas.ssp).get(letter_url(conversation)).status_code == 403
    assert client_for(personas.social).get(letter_url(conversation)).status_code == (
        200
    )


def test_a_conversation_not_planned_gets_409_with_the_reason(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.REQUESTED)
    response = client_for(personas.police).get(letter_url(conversation))
    assert response.status_code == 409
    assert "planlagt" in response.content.decode() or "planned" in (
        response.content.decode()
    )
    assert response["Content-Type"].startswith("text/html")


def test_the_letter_page_answers_get_only(planned, personas, client_for):
    assert client_for(personas.police).post(letter_url(planned)).status_code == 405


# --- The API ---------------------------------------------------------------------


def test_the_api_returns_the_same_letter(planned, personas, client_for):
    client = client_for(personas.police)
    response = client.get(api_url(planned), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "indkaldelse-" in response["Content-Disposition"]
    assert "Mona Samtalesen" in pdf_text(response.content)
    assert client.get(api_url(planned)).status_code == 200


def test_the_api_refuses_like_the_page(make_conversation, planned, personas, world):
    from tests.conftest import verified_client

    outsider = verified_client(personas.ssp_albertslund)
    response = outsider.get(api_url(planned), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"

    summary_only = make_conversation(
        Status.PLANNED, municipal_agency=world.social_ishoej
    )
    assert verified_client(personas.ssp).get(api_url(summary_only)).status_code == 403

    requested = make_conversation(Status.REQUESTED)
    response = verified_client(personas.police).get(api_url(requested))
    assert response.status_code == 409
    assert response.json()["detail"]

    assert verified_client(personas.police).post(api_url(planned)).status_code == 405


def test_the_api_requires_a_login(planned, client):
    assert client.get(api_url(planned)).status_code in (401, 403)
