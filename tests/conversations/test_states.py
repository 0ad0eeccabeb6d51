"""The state machine of a concern conversation: every legal transition succeeds
through its service, every illegal one is refused with a clear message and leaves
nothing behind (issue 4, points 1 and 10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conversations.models import Status
from conversations.states import EVENTS, TRANSITIONS, allowed_events, target_of
from timeline.models import TimelineEntry

from .conftest import apply_event

CASES = [(state, event) for state in Status.values for event in EVENTS]


@pytest.mark.parametrize(("state", "event"), CASES)
def test_every_transition(state, event, make_conversation, personas, world):
    conversation = make_conversation(state)
    entries = TimelineEntry.objects.filter(person=conversation.person).count()
    if (state, event) in TRANSITIONS:
        apply_event(
            conversation, event, actor=personas.police, agency=world.police_vestegn
        )
        conversation.refresh_from_db()
        assert conversation.status == TRANSITIONS[(state, event)]
        assert TimelineEntry.objects.filter(person=conversation.person).count() == (
            entries + 1
        )
    else:
        with pytest.raises(ValidationError) as refused:
            apply_event(
                conversation,
                event,
                actor=personas.police,
                agency=world.police_vestegn,
            )
        assert refused.value.code == "illegal_transition"
        conversation.refresh_from_db()
        assert conversation.status == state
        assert TimelineEntry.objects.filter(person=conversation.person).count() == (
            entries
        )


def test_terminal_states_allow_nothing():
    assert allowed_events(Status.CLOSED) == []
    assert allowed_events(Status.CANCELLED) == []


def test_refusal_is_worded_in_danish_and_english():
    with translation.override("da"), pytest.raises(ValidationError) as da:
        target_of(Status.CLOSED, "hold")
    with translation.override("en"), pytest.raises(ValidationError) as en:
        target_of(Status.CLOSED, "hold")
    assert en.value.messages == [
        "This conversation is “closed”, so it cannot be recorded as held."
    ]
    assert da.value.messages != en.value.messages
