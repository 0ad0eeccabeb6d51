"""The demo forums (issue 5, point 10): `seed_demo` adds an SSP and an SSP+ forum in
Ishøj with past and upcoming meetings, one held meeting with recorded content, and
a second run changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from access.legal import LegalBasis
from audit.models import AuditEntry
from meetings import selectors
from meetings.models import (
    ActionItem,
    AgendaItem,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
    Participant,
    SharedInformation,
)
from organisations.models import AgencyKind, User
from reminders.models import Reminder


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return {user.username: user for user in User.objects.all()}


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Forum,
            ForumMember,
            Meeting,
            Participant,
            AgendaItem,
            SharedInformation,
            ActionItem,
            Reminder,
        )
    )


def test_seed_demo_creates_an_ssp_and_an_ssp_plus_forum_in_ishoej(demo):
    forums = {f.kind.code: f for f in Forum.objects.select_related("kind", "agency")}
    assert set(forums) == {"ssp", "ssp_plus"}
    for forum in forums.values():
        assert forum.agency.kind == AgencyKind.SSP_UNIT
        assert forum.agency.municipality.name == "Ishøj"
        assert forum.chair == demo["ssp"]
        members = {(m.agency.kind, m.user) for m in selectors.members_of(forum=forum)}
        assert (AgencyKind.CHILDREN_FAMILY, None) in members
        assert (AgencyKind.POLICE, demo["politi"]) in members
        now = timezone.now()
        assert forum.meetings.filter(starts_at__lt=now).exists()
        assert forum.meetings.filter(
            starts_at__gt=now, status=MeetingStatus.PLANNED
        ).exists()


def test_the_last_ssp_meeting_was_held_with_a_share_a_decision_and_an_action(demo):
    forum = Forum.objects.get(kind__code="ssp")
    held = forum.meetings.get(status=MeetingStatus.HELD)
    item = held.items.get()
    assert item.person.given_name == "Ali"
    assert item.decision
    shared = SharedInformation.objects.get(item=item)
    assert shared.legal_basis == LegalBasis.RPL115_1_1_SSP
    assert shared.agency.kind == AgencyKind.POLICE
    assert shared.necessity
    action = ActionItem.objects.get(item=item)
    assert action.responsible_agency.kind == AgencyKind.CHILDREN_FAMILY
    assert action.due_on > timezone.localdate()
    statuses = list(
        forum.meetings.filter(starts_at__lt=timezone.now()).values_list(
            "status", flat=True
        )
    )
    assert statuses == [
        MeetingStatus.CANCELLED,
        MeetingStatus.APPROVED,
        MeetingStatus.HELD,
    ]
    # The participants see it; the demo coordinator of Albertslund does not.
    assert selectors.shared_of(user=demo["socialraadgiver"], meeting=held).exists()
    assert not selectors.meetings_visible_to(user=demo["ssp.albertslund"]).exists()
    # The action item is on the social worker's worklist.
    assert list(selectors.my_action_items(user=demo["socialraadgiver"])) == [action]


def test_the_ssp_plus_forum_has_held_meetings_without_items(demo):
    forum = Forum.objects.get(kind__code="ssp_plus")
    past = forum.meetings.filter(starts_at__lt=timezone.now())
    assert past.exists()
    assert not past.exclude(
        status__in=[MeetingStatus.HELD, MeetingStatus.APPROVED]
    ).exists()


def test_a_second_run_changes_nothing(demo, settings):
    before = _counts()
    entries = AuditEntry.objects.count()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
    assert AuditEntry.objects.count() == entries
