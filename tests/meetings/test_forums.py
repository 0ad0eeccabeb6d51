"""Forums, members and the meetings their cadence generates (issue 5, points 1–2;
LAW.md C2: the SSP team chairs; R-115-4: members are authorities of the forum's
municipalities and police district)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from meetings import forums, selectors, services, tasks
from meetings.forums import HORIZON_DAYS
from meetings.models import Forum, ForumMember, Meeting, MeetingStatus
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user

from .conftest import local


def create(personas, world, ssp_kind, **overrides):
    values = {
        "actor": personas.ssp,
        "agency": world.ssp_ishoej,
        "kind": ssp_kind,
        "name": "SSP Ishøj",
        "municipalities": [world.ishoej],
        "chair": personas.ssp,
        "first_meeting_at": local(days=7),
    }
    values.update(overrides)
    return forums.forum_create(**values)


def refused(field, call, *args, **kwargs) -> None:
    before = Forum.objects.count(), Meeting.objects.count()
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    if field:
        assert field in caught.value.message_dict, caught.value
    assert (Forum.objects.count(), Meeting.objects.count()) == before


def expected_slots(first, cadence_days: int, until) -> list:
    slots, at = [], first
    while at <= until:
        slots.append(at)
        at += timedelta(days=cadence_days)
    return slots


# --- forum_create ---------------------------------------------------------------------


def test_only_an_ssp_coordinator_of_the_unit_creates_a_forum(personas, world, ssp_kind):
    """LAW.md C2: the SSP team convenes and chairs."""
    refused(None, create, personas, world, ssp_kind, actor=personas.social)
    refused(None, create, personas, world, ssp_kind, actor=personas.manager)
    refused(None, create, personas, world, ssp_kind, actor=personas.ssp_albertslund)
    # A coordinator acting for an agency that is not its own unit.
    refused(None, create, personas, world, ssp_kind, agency=world.ssp_albertslund)


def test_the_municipalities_share_a_police_district_and_include_the_own(
    personas, world, ssp_kind
):
    refused(
        "municipalities",
        create,
        personas,
        world,
        ssp_kind,
        municipalities=[world.ishoej, world.helsingoer],
    )
    refused("municipalities", create, personas, world, ssp_kind, municipalities=[])
    refused(
        "municipalities",
        create,
        personas,
        world,
        ssp_kind,
        municipalities=[world.albertslund],
    )
    forum = create(
        personas, world, ssp_kind, municipalities=[world.ishoej, world.albertslund]
    )
    assert forum.police_district == world.vestegn
    assert set(forum.municipalities.all()) == {world.ishoej, world.albertslund}


def test_the_chair_must_be_a_coordinator_of_the_unit(personas, world, ssp_kind):
    for chair in (personas.social, personas.ssp_albertslund, personas.manager):
        refused("chair", create, personas, world, ssp_kind, chair=chair)
    colleague = make_user("ssp2", (world.ssp_ishoej, Role.SSP_COORDINATOR))
    assert create(personas, world, ssp_kind, chair=colleague).chair == colleague


def test_cadence_is_bounded(personas, world, ssp_kind):
    refused("cadence_days", create, personas, world, ssp_kind, cadence_days=0)
    refused("cadence_days", create, personas, world, ssp_kind, cadence_days=93)


def test_a_new_forum_has_its_unit_and_chair_as_members_and_its_meetings(
    personas, world, ssp_kind
):
    forum = create(personas, world, ssp_kind)
    members = set(forum.members.values_list("agency", "user"))
    assert members == {
        (world.ssp_ishoej.pk, None),
        (world.ssp_ishoej.pk, personas.ssp.pk),
    }
    assert selectors.forum_for(user=personas.ssp, pk=forum.pk) == forum
    for outsider in (personas.social, personas.ssp_albertslund, personas.police):
        with pytest.raises(Http404):
            selectors.forum_for(user=outsider, pk=forum.pk)
    meeting = forum.meetings.order_by("starts_at").first()
    assert meeting.starts_at == local(days=7)
    assert meeting.ends_at == meeting.starts_at + timedelta(minutes=120)
    assert set(meeting.participants.values_list("agency", "user")) == members


# --- meetings_generate ----------------------------------------------------------------


def test_meetings_follow_the_cadence_up_to_the_horizon_and_are_generated_once(
    personas, world, ssp_kind
):
    forum = create(personas, world, ssp_kind, cadence_days=7, place="Rådhuset")
    now = timezone.now()
    slots = expected_slots(local(days=7), 7, now + timedelta(days=HORIZON_DAYS))
    starts = list(
        forum.meetings.order_by("starts_at").values_list("starts_at", flat=True)
    )
    assert starts == slots
    assert set(forum.meetings.values_list("place", flat=True)) == {"Rådhuset"}
    assert forums.meetings_generate(forum=forum) == 0
    assert forum.meetings.count() == len(slots)

    # A longer horizon adds the slots after it, once.
    until = now + timedelta(days=HORIZON_DAYS + 30)
    more = forums.meetings_generate(forum=forum, until=until)
    assert more == len(expected_slots(local(days=7), 7, until)) - len(slots)
    assert forums.meetings_generate(forum=forum, until=until) == 0


def test_meetings_keep_their_local_time_across_daylight_saving(
    personas, world, ssp_kind
):
    """Every other Monday at 9 stays at 9 when summer time begins (29 March
    2037), read back from the database (in UTC) or not, and generating again
    creates nothing."""
    first = datetime(2037, 1, 5, 9, 0, tzinfo=timezone.get_current_timezone())
    forum = create(personas, world, ssp_kind, first_meeting_at=first)
    forum = Forum.objects.get(pk=forum.pk)
    since, until = first - timedelta(days=1), first + timedelta(days=140)
    created = forums.meetings_generate(forum=forum, since=since, until=until)
    assert created == 11
    starts = forum.meetings.order_by("starts_at").values_list("starts_at", flat=True)
    local_times = {timezone.localtime(at).time() for at in starts}
    assert local_times == {time(9, 0)}
    offsets = {timezone.localtime(at).utcoffset() for at in starts}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    again = Forum.objects.get(pk=forum.pk)
    assert forums.meetings_generate(forum=again, since=since, until=until) == 0


def test_a_cancelled_meeting_is_not_generated_again(personas, world, ssp_kind):
    forum = create(personas, world, ssp_kind)
    meeting = forum.meetings.order_by("starts_at").first()
    services.meeting_cancel(actor=personas.ssp, meeting=meeting, reason="Ferie")
    assert forums.meetings_generate(forum=forum) == 0
    assert forum.meetings.filter(starts_at=meeting.starts_at).get().status == (
        MeetingStatus.CANCELLED
    )


def test_an_inactive_forum_generates_nothing(personas, world, ssp_kind):
    forum = create(personas, world, ssp_kind)
    Forum.objects.filter(pk=forum.pk).update(active=False)
    forum.refresh_from_db()
    assert (
        forums.meetings_generate(
            forum=forum, until=timezone.now() + timedelta(days=HORIZON_DAYS * 2)
        )
        == 0
    )


def test_a_new_member_takes_part_in_upcoming_meetings_only(personas, world, ssp_kind):
    """Not in meetings already held, nor in past ones still marked planned: joining
    does not open what was discussed before."""
    forum = create(personas, world, ssp_kind, first_meeting_at=local(days=-27))
    # The past meetings as if the forum had run in Tværs all along.
    forums.meetings_generate(forum=forum, since=local(days=-30))
    past = list(forum.meetings.filter(starts_at__lt=timezone.now()))
    assert len(past) == 2
    upcoming = list(forum.meetings.filter(starts_at__gt=timezone.now()))
    held = upcoming[0]
    services.meeting_start(actor=personas.ssp, meeting=held)
    services.meeting_end(actor=personas.ssp, meeting=held)

    forums.forum_member_add(actor=personas.ssp, forum=forum, agency=world.social_ishoej)
    taking_part = set(
        forum.meetings.filter(participants__agency=world.social_ishoej).values_list(
            "pk", flat=True
        )
    )
    assert taking_part == {m.pk for m in upcoming[1:]}
    for meeting in [*past, held]:
        with pytest.raises(Http404):
            selectors.meeting_for(user=personas.social, pk=meeting.pk)
    assert selectors.meeting_for(user=personas.social, pk=upcoming[1].pk)
    # Meetings generated later include the member.
    until = timezone.now() + timedelta(days=HORIZON_DAYS + 60)
    assert forums.meetings_generate(forum=forum, until=until) > 0
    latest = forum.meetings.order_by("-starts_at").first()
    assert latest.participants.filter(agency=world.social_ishoej).exists()


def test_the_daily_task_generates_meetings(personas, world, ssp_kind):
    forum = create(personas, world, ssp_kind)
    forums.forum_member_add(actor=personas.ssp, forum=forum, agency=world.social_ishoej)
    last = forum.meetings.order_by("-starts_at").first()
    count = forum.meetings.count()
    last.delete()
    assert tasks.meetings_generate.apply().get() == 1
    assert forum.meetings.count() == count
    again = forum.meetings.order_by("-starts_at").first()
    assert again.starts_at == last.starts_at
    assert again.participants.filter(agency=world.social_ishoej).exists()
    assert selectors.meeting_for(user=personas.social, pk=again.pk) == again
    assert tasks.meetings_generate.apply().get() == 0


# --- Members --------------------------------------------------------------------------


def test_members_are_authorities_of_the_forums_area(personas, world, ssp_kind):
    """R-115-4: authorities of the forum's municipalities and police district."""
    forum = create(personas, world, ssp_kind)
    for agency in (world.ssp_albertslund, world.police_nordsjaelland):
        with pytest.raises(ValidationError) as caught:
            forums.forum_member_add(actor=personas.ssp, forum=forum, agency=agency)
        assert "agency" in caught.value.message_dict
    private = Agency.objects.create(
        name="Idrætsforeningen", kind=AgencyKind.PRIVATE, municipality=world.ishoej
    )
    with pytest.raises(ValidationError):
        forums.forum_member_add(actor=personas.ssp, forum=forum, agency=private)
    with pytest.raises(ValidationError) as caught:
        forums.forum_member_add(
            actor=personas.ssp,
            forum=forum,
            agency=world.social_ishoej,
            user=personas.police,
        )
    assert "user" in caught.value.message_dict
    forums.forum_member_add(
        actor=personas.ssp,
        forum=forum,
        agency=world.police_vestegn,
        user=personas.police,
    )
    with pytest.raises(ValidationError):
        forums.forum_member_add(
            actor=personas.ssp,
            forum=forum,
            agency=world.police_vestegn,
            user=personas.police,
        )
    assert ForumMember.objects.filter(forum=forum).count() == 3


def test_leaving_is_validated(personas, world, ssp_kind):
    forum = create(personas, world, ssp_kind)
    member = forums.forum_member_add(
        actor=personas.ssp, forum=forum, agency=world.social_ishoej
    )
    with pytest.raises(ValidationError):
        forums.forum_member_leave(
            actor=personas.ssp,
            member=member,
            left_on=member.joined_on - timedelta(days=1),
        )
    forums.forum_member_leave(
        actor=personas.ssp, member=member, left_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        forums.forum_member_leave(
            actor=personas.ssp, member=member, left_on=timezone.localdate()
        )
    # It may join again later.
    again = forums.forum_member_add(
        actor=personas.ssp, forum=forum, agency=world.social_ishoej
    )
    assert again.is_current


def test_the_running_agency_cannot_be_removed_from_a_meeting(
    personas, ssp_forum, world
):
    participant = ssp_forum.meeting.participants.get(
        agency=world.ssp_ishoej, user__isnull=True
    )
    with pytest.raises(ValidationError):
        forums.participant_remove(actor=personas.ssp, participant=participant)
