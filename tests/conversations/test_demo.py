"""The demo concern conversations (issue 4, point 11): every state for the demo police
liaison officer, a follow-up due and one overdue, measures on a municipal agency's
worklist, nothing new on a second run, and each demo user seeing what point 7
allows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from access.permissions import CHANGE, VIEW, can
from cases.models import Person
from conversations import selectors
from conversations.models import (
    ConcernConversation,
    FollowUp,
    Measure,
    Participant,
    ParticipantRole,
    Status,
)
from conversations.selectors import DUE_SOON_DAYS
from organisations.demo import agency_of
from organisations.models import AgencyKind, User
from reminders.models import Reminder
from timeline.models import TimelineEntry

ISHOEJ = {"Bilal", "Ali", "Sara", "Jonas", "Adam", "Cora"}
ALBERTSLUND = {"Emil", "Ella"}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return {user.username: user for user in User.objects.all()}


def _names(conversations) -> set[str]:
    return {c.person.given_name for c in conversations}


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            ConcernConversation,
            Participant,
            Measure,
            FollowUp,
            TimelineEntry,
            Reminder,
        )
    )


def test_every_state_for_the_demo_police_officer(demo):
    officer = demo["politi"]
    mine = list(selectors.conversations_filtered(user=officer, mine=True))
    assert {c.status for c in mine} == set(Status.values)
    assert _names(mine) == ISHOEJ | ALBERTSLUND
    # The police may change every one, and see the young people.
    for conversation in mine:
        assert can(officer, conversation, CHANGE)
        assert can(officer, conversation.person, VIEW)


def test_a_follow_up_due_and_one_overdue(demo):
    today = timezone.localdate()
    due = list(selectors.follow_ups_due(user=demo["politi"]))
    assert [c.person.given_name for c in due] == ["Sara", "Ali"]
    overdue, soon = due
    assert overdue.follow_up_on < today
    assert today < soon.follow_up_on <= today + timedelta(days=DUE_SOON_DAYS)


def test_planned_next_week_with_the_mother_invited(demo):
    planned = ConcernConversation.objects.get(status=Status.PLANNED)
    assert planned.planned_at.date() > timezone.localdate()
    guardian = planned.participants.get(role=ParticipantRole.GUARDIAN)
    assert guardian.person.given_name == "Dorte"
    assert can(demo["politi"], guardian.person, VIEW)


def test_measures_on_municipal_worklists(demo):
    ssp_agency = agency_of(AgencyKind.SSP_UNIT, "Ishøj")
    social_agency = agency_of(AgencyKind.CHILDREN_FAMILY, "Ishøj")
    ssp_list = selectors.worklist_for(user=demo["ssp"], agency=ssp_agency)
    social_list = selectors.worklist_for(
        user=demo["socialraadgiver"], agency=social_agency
    )
    assert [m.measure_type.name_da for m in ssp_list] == ["Fritidsjob"]
    assert {m.person.given_name for m in social_list} == {"Ali", "Sara"}
    # The social worker answers for a measure of Ali's conversation without
    # seeing the conversation itself.
    ali = ConcernConversation.objects.get(person__given_name="Ali")
    assert not can(demo["socialraadgiver"], ali, VIEW)
    assert not can(demo["socialraadgiver"], ali, "summary")


def test_a_second_run_creates_nothing(demo):
    before = _counts()
    grants = Person.objects.filter(
        persongroupobjectpermission__group=agency_of(AgencyKind.POLICE, None).group
    ).count()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
    assert (
        Person.objects.filter(
            persongroupobjectpermission__group=agency_of(AgencyKind.POLICE, None).group
        ).count()
        == grants
    )


def test_each_demo_user_sees_what_point_7_allows(demo):
    ssp = demo["ssp"]
    # Ishøj SSP: the six of Ishøj (summary); in full the five it takes part in, not
    # Sara's, where children and family services take part.
    assert _names(selectors.conversations_visible_to(user=ssp)) == ISHOEJ
    assert _names(
        selectors.conversations_visible_to(user=ssp, action=VIEW)
    ) == ISHOEJ - {"Sara"}
    assert not selectors.conversations_visible_to(user=ssp, action=CHANGE).exists()
    # Children and family services in Ishøj: Sara's, in full.
    social = demo["socialraadgiver"]
    assert _names(selectors.conversations_visible_to(user=social)) == {"Sara"}
    assert _names(selectors.conversations_visible_to(user=social, action=VIEW)) == {
        "Sara"
    }
    # Albertslund's coordinator: only Albertslund's.
    other = demo["ssp.albertslund"]
    assert _names(selectors.conversations_visible_to(user=other)) == ALBERTSLUND
    # Roles outside casework see none.
    for username in ("exit", "revisor", "admin"):
        assert not selectors.conversations_visible_to(user=demo[username]).exists()
