"""Fixtures for §115/SSP meetings: an SSP forum run by Ishøj SSP with Ishøj's
children & family services (as a whole agency) and the Vestegn police liaison (as
a named person) as members; its next meeting; a 15-year-old on the agenda. Every
state is reached through the services, never by writing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import VIEW
from access.services import access_grant
from cases.services import person_create
from meetings import agenda, forums, services
from meetings.models import AgendaItem, Forum, ForumKind, Meeting


def local(days: int = 0, hour: int = 9) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def born_years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=30)


@dataclass
class ForumWorld:
    forum: Forum
    meeting: Meeting
    person: object  # a 15-year-old in Ishøj, seen by Ishøj SSP
    item: AgendaItem


@pytest.fixture
def ssp_kind(db) -> ForumKind:
    return ForumKind.objects.get(code="ssp")


@pytest.fixture
def ssp_forum(personas, world, ssp_kind) -> ForumWorld:
    forum = forums.forum_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        kind=ssp_kind,
        name="SSP Ishøj",
        municipalities=[world.ishoej],
        chair=personas.ssp,
        first_meeting_at=local(days=7),
        place="Ishøj Rådhus, mødelokale 2",
    )
    forums.forum_member_add(actor=personas.ssp, forum=forum, agency=world.social_ishoej)
    forums.forum_member_add(
        actor=personas.ssp,
        forum=forum,
        agency=world.police_vestegn,
        user=personas.police,
    )
    meeting = forum.meetings.order_by("starts_at").first()
    person = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Mødet",
        family_name="Dagsordensen",
        date_of_birth=born_years_ago(15),
    )
    item = agenda.agenda_item_add(
        actor=personas.ssp,
        meeting=meeting,
        person=person,
        title="Bekymring fra skolen",
        reason="Fravær og nye venner",
    )
    return ForumWorld(forum=forum, meeting=meeting, person=person, item=item)


@pytest.fixture
def running(personas, ssp_forum) -> ForumWorld:
    """The forum's next meeting with its agenda sent and the meeting started."""
    agenda.agenda_send(actor=personas.ssp, meeting=ssp_forum.meeting)
    services.meeting_start(actor=personas.ssp, meeting=ssp_forum.meeting)
    ssp_forum.meeting.refresh_from_db()
    ssp_forum.item.refresh_from_db()
    return ssp_forum


def share_person_with(actor, person, agency) -> None:
    access_grant(
        actor=actor,
        obj=person,
        agency=agency,
        actions=[VIEW],
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        reason="test",
    )
