"""Concern conversation services: bad input is refused field by field and nothing
is half-saved; the visibility of point 7 in the matrix style of the foundation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import CHANGE, SUMMARY, VIEW
from access.services import access_grant
from audit.models import Action, AuditEntry
from cases.services import person_create
from conversations import selectors, services
from conversations.models import (
    ConcernConversation,
    ConcernKind,
    Measure,
    ParticipantRole,
    RequestSource,
    Status,
)
from families.models import MemberRole
from families.services import family_add_new_person, family_create
from timeline.selectors import timeline_for

from .conftest import local

TODAY = timezone.localdate


def _hold(conversation, actor, **overrides):
    arguments = {
        "actor": actor,
        "conversation": conversation,
        "held_on": TODAY() - timedelta(days=1),
        "mapping_note": "Kortlægning.",
        "accountability_note": "Ansvar.",
        "measures_note": "Tiltag.",
        "attended": [],
        **overrides,
    }
    return services.conversation_hold(**arguments)


# --- Bad input -------------------------------------------------------------------


def test_follow_up_before_the_conversation_is_refused(make_conversation, personas):
    conversation = make_conversation(Status.PLANNED)
    with pytest.raises(ValidationError) as refused:
        _hold(
            conversation,
            personas.police,
            follow_up_on=TODAY() - timedelta(days=5),
        )
    assert set(refused.value.message_dict) == {"follow_up_on"}
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED
    assert conversation.held_on is None


def test_held_without_a_phase_note_is_refused_field_by_field(
    make_conversation, personas
):
    conversation = make_conversation(Status.PLANNED)
    with pytest.raises(ValidationError) as refused:
        _hold(conversation, personas.police, mapping_note=" ", measures_note="")
    assert set(refused.value.message_dict) == {"mapping_note", "measures_note"}
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED


def test_an_invalid_measure_rolls_the_whole_hold_back(
    make_conversation, personas, world, measure_type
):
    conversation = make_conversation(Status.PLANNED)
    good = {
        "measure_type": measure_type,
        "description": "Fritidsjob i Brugsen",
        "responsible_agency": world.ssp_ishoej,
        "due_on": TODAY() + timedelta(days=30),
    }
    bad = {**good, "responsible_agency": world.ssp_helsingoer}
    with pytest.raises(ValidationError) as refused:
        _hold(conversation, personas.police, measures=[good, bad])
    assert "measures-1-responsible_agency" in refused.value.message_dict
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED
    assert not Measure.objects.filter(conversation=conversation).exists()


def test_default_follow_up_date_is_the_municipality_period(make_conversation, personas):
    conversation = make_conversation(Status.PLANNED)
    held_on = TODAY() - timedelta(days=1)
    _hold(conversation, personas.police, held_on=held_on)
    conversation.refresh_from_db()
    assert conversation.follow_up_on == held_on + timedelta(days=90)


def test_municipality_setting_changes_the_default(make_conversation, personas, world):
    from conversations.models import ConversationSettings

    ConversationSettings.objects.create(municipality=world.ishoej, follow_up_days=30)
    conversation = make_conversation(Status.PLANNED)
    held_on = TODAY() - timedelta(days=1)
    _hold(conversation, personas.police, held_on=held_on)
    conversation.refresh_from_db()
    assert conversation.follow_up_on == held_on + timedelta(days=30)


def test_guardian_from_another_family_is_refused(
    make_conversation, personas, world, youth
):
    other_family = family_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        name="Familien Andersen",
    )
    stranger = family_add_new_person(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        family=other_family,
        role=MemberRole.MOTHER,
        given_name="Anna",
        family_name="Andersen",
    ).person
    conversation = make_conversation(Status.REQUESTED)
    with pytest.raises(ValidationError) as refused:
        services.participant_add(
            actor=personas.police,
            conversation=conversation,
            role=ParticipantRole.GUARDIAN,
            person=stranger,
        )
    assert set(refused.value.message_dict) == {"person"}
    # The mother on the family record is welcome.
    services.participant_add(
        actor=personas.police,
        conversation=conversation,
        role=ParticipantRole.GUARDIAN,
        person=youth.mother,
    )
    assert conversation.participants.filter(person=youth.mother).exists()


def test_staff_from_another_municipality_is_refused(make_conversation, personas):
    conversation = make_conversation(Status.REQUESTED)
    with pytest.raises(ValidationError) as refused:
        services.participant_add(
            actor=personas.police,
            conversation=conversation,
            role=ParticipantRole.MUNICIPAL,
            user=personas.ssp_albertslund,
        )
    assert set(refused.value.message_dict) == {"user"}


def test_only_a_police_liaison_requests(personas, world, youth):
    with pytest.raises(ValidationError):
        services.conversation_request(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            person=youth.person,
            kind=ConcernKind.GENERAL,
            source=RequestSource.AD_HOC,
            requested_by="SSP",
            requested_on=TODAY(),
            reason="Bekymring",
            municipal_agency=world.ssp_ishoej,
        )
    assert not ConcernConversation.objects.exists()


def test_municipal_agency_must_be_of_the_persons_municipality(personas, world, youth):
    with pytest.raises(ValidationError) as refused:
        services.conversation_request(
            actor=personas.police,
            agency=world.police_vestegn,
            person=youth.person,
            kind=ConcernKind.GENERAL,
            source=RequestSource.AD_HOC,
            requested_by="Skolen",
            requested_on=TODAY(),
            reason="Bekymring",
            municipal_agency=world.ssp_albertslund,
        )
    assert set(refused.value.message_dict) == {"municipal_agency"}


def test_follow_up_needs_next_date_when_concern_continues(
    make_conversation, personas, world
):
    conversation = make_conversation(Status.HELD)
    with pytest.raises(ValidationError) as refused:
        services.conversation_follow_up(
            actor=personas.police,
            agency=world.police_vestegn,
            conversation=conversation,
            followed_up_on=TODAY(),
            note="Stadig uro.",
            concern_continues=True,
        )
    assert set(refused.value.message_dict) == {"next_follow_up_on"}
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD


def test_plan_in_the_past_of_the_request_is_refused(make_conversation, personas):
    conversation = make_conversation(Status.REQUESTED)
    with pytest.raises(ValidationError) as refused:
        services.conversation_plan(
            actor=personas.police,
            conversation=conversation,
            planned_at=local(-60),
            place="",
        )
    assert set(refused.value.message_dict) == {"planned_at", "place"}


# --- Visibility (point 7) ----------------------------------------------------------


@pytest.fixture
def with_social(make_conversation, world):
    """Held with Ishøj children & family services taking part: Ishøj SSP then
    sees only that it exists and its follow-up."""
    return make_conversation(Status.HELD, municipal_agency=world.social_ishoej)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("police", {SUMMARY, VIEW, CHANGE}),
        ("social", {SUMMARY, VIEW}),
        ("ssp", {SUMMARY}),
        ("ssp_albertslund", set()),
        ("police_other_district", set()),
        ("manager", {SUMMARY}),  # a case role in Ishøj SSP
        ("admin", set()),
        ("superuser", set()),
    ],
)
def test_visibility_matrix(with_social, personas, persona, expected):
    user = getattr(personas, persona)
    listed = selectors.conversations_visible_to(user=user, audit=None)
    assert listed.filter(pk=with_social.pk).exists() == (SUMMARY in expected)
    for action in (SUMMARY, VIEW, CHANGE):
        if action in expected:
            assert selectors.conversation_for(
                user=user, pk=with_social.pk, action=action
            )
        elif SUMMARY in expected:
            with pytest.raises(PermissionDenied):
                selectors.conversation_for(user=user, pk=with_social.pk, action=action)
        else:
            with pytest.raises(Http404):
                selectors.conversation_for(user=user, pk=with_social.pk, action=action)


def test_ssp_sees_the_follow_up_state_not_the_notes_on_the_timeline(
    with_social, personas, world, youth
):
    entries = list(timeline_for(user=personas.ssp, person=youth.person))
    held = [e for e in entries if e.kind == "conversations.held"]
    assert len(held) == 1
    assert "Kortlægning" not in held[0].detail


def test_an_agency_that_sees_the_person_does_not_see_the_conversation(
    make_conversation, personas, world, youth
):
    conversation = make_conversation(Status.HELD)
    access_grant(
        actor=personas.ssp,
        obj=youth.person,
        agency=world.ssp_albertslund,
        actions=[VIEW],
        legal_basis=LegalBasis.CONSENT,
    )
    kinds = {
        e.kind for e in timeline_for(user=personas.ssp_albertslund, person=youth.person)
    }
    assert not any(kind.startswith("conversations.") for kind in kinds)
    assert not selectors.conversations_of(
        user=personas.ssp_albertslund, person=youth.person
    ).exists()
    assert conversation.pk


def test_a_refused_change_is_audited(with_social, personas):
    with pytest.raises(PermissionDenied):
        selectors.conversation_for(user=personas.ssp, pk=with_social.pk, action=VIEW)
    assert AuditEntry.objects.filter(
        action=Action.PERMISSION_DENIED, object_id=str(with_social.pk)
    ).exists()


def test_measure_is_on_the_responsible_agencys_worklist_without_the_notes(
    make_conversation, personas, world, measure_type
):
    conversation = make_conversation(Status.HELD)
    measure = services.measure_add(
        actor=personas.police,
        conversation=conversation,
        measure_type=measure_type,
        description="Lektiecafé",
        responsible_agency=world.social_ishoej,
        due_on=TODAY() + timedelta(days=14),
        responsible_user=personas.social,
    )
    worklist = list(
        selectors.worklist_for(user=personas.social, agency=world.social_ishoej)
    )
    assert worklist == [measure]
    with pytest.raises(Http404):
        selectors.conversation_for(user=personas.social, pk=conversation.pk)
    assert not list(
        selectors.worklist_for(
            user=personas.ssp_albertslund, agency=world.social_ishoej
        )
    )


def test_person_outside_the_district_is_refused(personas, world):
    far = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Fjern",
        family_name="Persen",
    )
    with pytest.raises(ValidationError):
        services.conversation_request(
            actor=personas.police_other_district,
            agency=world.police_nordsjaelland,
            person=far,
            kind=ConcernKind.GENERAL,
            source=RequestSource.AD_HOC,
            requested_by="x",
            requested_on=TODAY(),
            reason="x",
            municipal_agency=world.ssp_albertslund,
        )
