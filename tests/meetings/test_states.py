"""Every (state, event) pair of meetings.states through the services (STYLE.md §5;
LAW.md C2): a legal pair moves the meeting to the table's target, an illegal one
raises ValidationError and changes nothing (no status, no timestamps, no audit entry,
no reminder)."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from meetings import agenda, services
from meetings.models import MeetingStatus
from meetings.states import EVENTS, TRANSITIONS, Event, allowed_events, target_of
from organisations.models import Membership, Role
from reminders.models import Reminder
from tests.conftest import make_user

# The services' way to each state from a new meeting.
PATHS = {
    MeetingStatus.PLANNED: [],
    MeetingStatus.AGENDA_SENT: [Event.SEND_AGENDA],
    MeetingStatus.IN_PROGRESS: [Event.SEND_AGENDA, Event.START],
    MeetingStatus.HELD: [Event.SEND_AGENDA, Event.START, Event.END],
    MeetingStatus.APPROVED: [Event.SEND_AGENDA, Event.START, Event.END, Event.APPROVE],
    MeetingStatus.CANCELLED: [Event.CANCEL],
}


def perform(event: str, meeting, actor):
    """The service of `event`, with valid input."""
    if event == Event.SEND_AGENDA:
        return agenda.agenda_send(actor=actor, meeting=meeting)
    if event == Event.START:
        return services.meeting_start(actor=actor, meeting=meeting)
    if event == Event.END:
        return services.meeting_end(actor=actor, meeting=meeting)
    if event == Event.APPROVE:
        return services.minutes_approve(actor=actor, meeting=meeting)
    if event == Event.CANCEL:
        return services.meeting_cancel(
            actor=actor, meeting=meeting, reason="Mødelokalet er optaget"
        )
    raise ValueError(event)


def snapshot(meeting) -> tuple:
    meeting.refresh_from_db()
    return (
        meeting.status,
        meeting.updated_at,
        meeting.agenda_sent_at,
        meeting.minutes_approved_at,
        meeting.minutes_approved_by_id,
        meeting.cancel_reason,
        AuditEntry.objects.count(),
        sorted(Reminder.objects.values_list("key", "status")),
    )


def test_the_paths_reach_every_state():
    assert set(PATHS) == set(MeetingStatus.values)
    assert set(EVENTS) == {e for (_s, e) in TRANSITIONS}


@pytest.mark.parametrize(
    ("status", "event"), list(itertools.product(MeetingStatus.values, EVENTS))
)
def test_every_state_and_event_through_the_services(personas, ssp_forum, status, event):
    meeting = ssp_forum.meeting
    for step in PATHS[status]:
        perform(step, meeting, personas.ssp)
    meeting.refresh_from_db()
    assert meeting.status == status
    target = TRANSITIONS.get((status, event))
    assert (event in allowed_events(status)) == (target is not None)
    if target is None:
        before = snapshot(meeting)
        with pytest.raises(ValidationError) as caught:
            perform(event, meeting, personas.ssp)
        assert caught.value.code == "illegal_transition"
        assert snapshot(meeting) == before
        return
    perform(event, meeting, personas.ssp)
    meeting.refresh_from_db()
    assert meeting.status == target == target_of(status, event)
    if event == Event.SEND_AGENDA:
        assert meeting.agenda_sent_at is not None
    if event == Event.APPROVE:
        assert meeting.minutes_approved_by == personas.ssp
        assert meeting.minutes_approved_at is not None
    if event == Event.CANCEL:
        assert meeting.cancel_reason == "Mødelokalet er optaget"
    if event == Event.END:
        # Attendance not marked counts as absent.
        assert not meeting.participants.filter(attended__isnull=True).exists()


def test_target_of_names_the_refusal():
    with pytest.raises(ValidationError):
        target_of(MeetingStatus.APPROVED, Event.CANCEL)
    with pytest.raises(ValidationError):
        target_of(MeetingStatus.PLANNED, "unknown")


def test_only_the_chair_approves_the_minutes(personas, world, ssp_forum):
    """LAW.md C2: "referat godkendt af mødeleder" — not a participant, not another
    coordinator of the same unit."""
    meeting = ssp_forum.meeting
    for step in PATHS[MeetingStatus.HELD]:
        perform(step, meeting, personas.ssp)
    colleague = make_user("ssp2", (world.ssp_ishoej, Role.SSP_COORDINATOR))
    assert Membership.objects.filter(user=colleague, agency=world.ssp_ishoej).exists()
    for actor in (personas.social, personas.police, colleague, personas.manager):
        before = snapshot(meeting)
        with pytest.raises(ValidationError):
            services.minutes_approve(actor=actor, meeting=meeting)
        assert snapshot(meeting) == before
    services.minutes_approve(actor=personas.ssp, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    assert meeting.minutes_approved_by == personas.ssp


def test_cancel_needs_a_reason(personas, ssp_forum):
    meeting = ssp_forum.meeting
    before = snapshot(meeting)
    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(actor=personas.ssp, meeting=meeting, reason="  ")
    assert "cancel_reason" in caught.value.message_dict
    assert snapshot(meeting) == before


def test_attendance_is_recorded_while_the_meeting_runs_or_after(personas, ssp_forum):
    meeting = ssp_forum.meeting
    participant = meeting.participants.filter(user=personas.police).get()
    with pytest.raises(ValidationError):
        services.attendance_set(
            actor=personas.ssp, participant=participant, attended=True
        )
    perform(Event.START, meeting, personas.ssp)
    services.attendance_set(actor=personas.ssp, participant=participant, attended=True)
    perform(Event.END, meeting, personas.ssp)
    participant.refresh_from_db()
    assert participant.attended is True
    assert not meeting.participants.filter(attended__isnull=True).exists()
