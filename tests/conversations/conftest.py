"""Fixtures for concern conversations: a young person in Ishøj with a mother on the
family record, shared with the Vestegn police, and a factory that takes a new
conversation to any state through the services (never by writing the state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import VIEW
from access.services import access_grant
from conversations import services
from conversations.models import (
    ConcernConversation,
    ConcernKind,
    MeasureType,
    Outcome,
    RequestSource,
    Status,
)
from families.models import MemberRole
from families.services import family_add_new_person, family_create


@dataclass
class Youth:
    person: object
    mother: object
    family: object


@pytest.fixture
def youth(personas, world) -> Youth:
    family = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Familien Samtalesen",
    )
    mother = family_add_new_person(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=family,
        role=MemberRole.MOTHER,
        given_name="Mona",
        family_name="Samtalesen",
    ).person
    person = family_add_new_person(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=family,
        role=MemberRole.CHILD,
        given_name="Sami",
        family_name="Samtalesen",
        cpr="150310-4234",
    ).person
    for shared in (person, mother):
        access_grant(
            actor=personas.ssp,
            obj=shared,
            agency=world.police_vestegn,
            actions=[VIEW],
            legal_basis=LegalBasis.RPL115_1_1_SSP,
            reason="concern conversation",
        )
    return Youth(person=person, mother=mother, family=family)


def local(days: int = 0, hour: int = 15) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


# The events that lead from "requested" to each state, for the factory.
PATHS = {
    Status.REQUESTED: [],
    Status.PLANNED: ["plan"],
    Status.HELD: ["plan", "hold"],
    Status.FOLLOW_UP: ["plan", "hold", "follow_up"],
    Status.CLOSED: ["plan", "hold", "close"],
    Status.CANCELLED: ["cancel"],
    Status.NOT_ATTENDED: ["plan", "not_attended"],
}


def apply_event(conversation, event: str, *, actor, agency):
    """Perform `event` with valid input through the service."""
    if event == "plan":
        return services.conversation_plan(
            actor=actor,
            conversation=conversation,
            planned_at=local(-20),
            place="Ishøj Politistation",
        )
    if event == "hold":
        return services.conversation_hold(
            actor=actor,
            conversation=conversation,
            held_on=timezone.localdate() - timedelta(days=10),
            mapping_note="Kortlægning: skolefravær.",
            accountability_note="Konsekvenser gjort klart.",
            measures_note="Fritidsjob og mentor.",
            attended=[p.pk for p in conversation.participants.all()],
        )
    if event == "follow_up":
        services.conversation_follow_up(
            actor=actor,
            agency=agency,
            conversation=conversation,
            followed_up_on=timezone.localdate(),
            note="Går i skole igen.",
            concern_continues=True,
            next_follow_up_on=timezone.localdate() + timedelta(days=30),
        )
        return conversation
    if event == "close":
        return services.conversation_close(
            actor=actor,
            conversation=conversation,
            outcome=Outcome.NO_FURTHER_CONCERN,
            reason="Ingen fortsat bekymring.",
        )
    if event == "cancel":
        return services.conversation_cancel(
            actor=actor, conversation=conversation, reason="Familien flyttede."
        )
    if event == "not_attended":
        return services.conversation_not_attended(
            actor=actor, conversation=conversation, reason="Ingen mødte op."
        )
    raise ValueError(event)


@pytest.fixture
def make_conversation(personas, world, youth):
    """`make_conversation(Status.HELD)`: a conversation about `youth.person`, held
    by the Vestegn police with Ishøj SSP taking part, brought to that state."""

    def make(status: str = Status.REQUESTED, **fields) -> ConcernConversation:
        conversation = services.conversation_request(
            actor=personas.police,
            agency=world.police_vestegn,
            person=fields.pop("person", youth.person),
            kind=fields.pop("kind", ConcernKind.GENERAL),
            source=RequestSource.SSP_MEETING,
            requested_by="SSP-mødet",
            requested_on=timezone.localdate() - timedelta(days=30),
            reason="Meget fravær og sene aftener på gaden.",
            municipal_agency=fields.pop("municipal_agency", world.ssp_ishoej),
            **fields,
        )
        for event in PATHS[status]:
            conversation = apply_event(
                conversation, event, actor=personas.police, agency=world.police_vestegn
            )
        conversation.refresh_from_db()
        assert conversation.status == status
        return conversation

    return make


@pytest.fixture
def measure_type(db) -> MeasureType:
    return MeasureType.objects.get(name_da="Fritidsjob")
