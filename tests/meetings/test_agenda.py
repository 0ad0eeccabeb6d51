"""The agenda built for the coordinator (issue 5, point 3): each source, a rebuild
that neither repeats nor revives, reordering, and only the forum's municipalities
and what the coordinator may see (R-CONF-1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import VIEW
from access.services import access_grant
from cases.services import person_create, person_set_concern_level
from conversations import services as conversation_services
from conversations.models import Status
from families.models import MemberRole
from families.services import family_add_new_person, family_create
from meetings import agenda, services
from meetings.models import (
    AgendaItem,
    ItemSource,
    ListKind,
    PoliceList,
    PoliceListRow,
    RowFate,
)
from tests.conversations import conftest as conversations

from .conftest import born_years_ago, share_person_with

# The concern-conversation fixtures, shared with tests/conversations.
youth = conversations.youth
make_conversation = conversations.make_conversation
measure_type = conversations.measure_type


def built(personas, meeting) -> dict[str, list[AgendaItem]]:
    by_source: dict[str, list[AgendaItem]] = {}
    for item in agenda.agenda_build(actor=personas.ssp, meeting=meeting):
        by_source.setdefault(item.source, []).append(item)
    return by_source


def ishoej_youth(
    personas, world, name: str, *, years: int = 15, actor=None, agency=None
):
    return person_create(
        actor=actor or personas.ssp,
        agency=agency or world.ssp_ishoej,
        municipality=world.ishoej,
        given_name=name,
        family_name="Agendasen",
        date_of_birth=born_years_ago(years),
    )


def police_list(personas, world, ssp_forum) -> PoliceList:
    """A list as the import leaves it (the import itself is tested elsewhere)."""
    imported = PoliceList.objects.create(
        forum=ssp_forum.forum,
        meeting=ssp_forum.meeting,
        kind=ListKind.YOUTH,
        police_agency=world.police_vestegn,
        file_name="ungeliste.csv",
        imported_by=personas.ssp,
    )
    access_grant(
        actor=personas.ssp,
        obj=imported,
        agency=ssp_forum.forum.agency,
        actions=[VIEW],
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        reason="agency running the forum",
    )
    return imported


def list_row(police_list, number, *, person=None, fate=RowFate.MATCHED, **fields):
    values = {
        "given_name": getattr(person, "given_name", "Ukendt"),
        "family_name": getattr(person, "family_name", "Person"),
        "municipality_id": getattr(person, "municipality_id", None),
        "description": "Antruffet med kendte bandemedlemmer",
    }
    values.update(fields)
    return PoliceListRow.objects.create(
        police_list=police_list, row_number=number, fate=fate, person=person, **values
    )


def test_police_list_rows_matched_become_items(personas, world, ssp_forum):
    """A matched row becomes an item under the list's basis (§115 stk. 1 nr. 1) from
    the police agency, with the row's description and screening; a proposed or
    dismissed row does not."""
    imported = police_list(personas, world, ssp_forum)
    matched = ishoej_youth(personas, world, "Matchet")
    row = list_row(imported, 1, person=matched, weapon=True)
    list_row(imported, 2, fate=RowFate.PROPOSED, municipality_id=world.ishoej.pk)
    dismissed = ishoej_youth(personas, world, "Afvist")
    list_row(imported, 3, person=dismissed, fate=RowFate.DISMISSED)

    items = built(personas, ssp_forum.meeting)
    (item,) = items[ItemSource.POLICE_LIST]
    assert item.person == matched
    assert item.agency == world.police_vestegn
    assert item.legal_basis == LegalBasis.RPL115_1_1_SSP
    assert "Antruffet med kendte bandemedlemmer" in item.reason
    row.refresh_from_db()
    assert row.item == item
    # A rebuild, and the next meeting's build, do not bring the row again.
    assert agenda.agenda_build(actor=personas.ssp, meeting=ssp_forum.meeting) == []
    later = ssp_forum.forum.meetings.order_by("starts_at")[1]
    assert not [
        i
        for i in agenda.agenda_build(actor=personas.ssp, meeting=later)
        if i.source == ItemSource.POLICE_LIST
    ]


def test_police_list_rows_outside_the_forum_or_unseen_are_left_out(
    personas, world, ssp_forum
):
    """Only the forum's municipalities, and only persons the coordinator may see,
    even if a row names one (a defence behind the import's own checks)."""
    imported = police_list(personas, world, ssp_forum)
    albertslund = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Albert",
        family_name="Lundsen",
        date_of_birth=born_years_ago(15),
    )
    share_person_with(personas.ssp_albertslund, albertslund, world.ssp_ishoej)
    unseen = ishoej_youth(
        personas, world, "Uset", actor=personas.social, agency=world.social_ishoej
    )
    list_row(imported, 1, person=albertslund)
    list_row(imported, 2, person=unseen)
    assert ItemSource.POLICE_LIST not in built(personas, ssp_forum.meeting)


def test_follow_up_due_by_the_meeting_becomes_an_item(
    personas, world, ssp_forum, make_conversation, youth
):
    """A concern conversation whose follow-up is due by the meeting day."""
    conversation = make_conversation(Status.PLANNED)
    conversation_services.conversation_hold(
        actor=personas.police,
        conversation=conversation,
        held_on=timezone.localdate() - timedelta(days=2),
        follow_up_on=timezone.localdate() + timedelta(days=3),
        mapping_note="Kortlægning: skolefravær.",
        accountability_note="Konsekvenser gjort klart.",
        measures_note="Fritidsjob og mentor.",
        attended=[p.pk for p in conversation.participants.all()],
    )
    not_yet = make_conversation(Status.PLANNED)
    conversation_services.conversation_hold(
        actor=personas.police,
        conversation=not_yet,
        held_on=timezone.localdate() - timedelta(days=2),
        follow_up_on=timezone.localdate() + timedelta(days=60),
        mapping_note="Kortlægning.",
        accountability_note="Konsekvenser.",
        measures_note="Mentor.",
        attended=[p.pk for p in not_yet.participants.all()],
    )
    items = built(personas, ssp_forum.meeting)
    (item,) = items[ItemSource.FOLLOW_UP]
    assert item.person == youth.person
    assert item.source_key.startswith(f"follow-up:{conversation.pk}:")


def test_measure_due_by_the_meeting_becomes_an_item(
    personas, world, ssp_forum, make_conversation, measure_type, youth
):
    """An agreed measure due by the meeting day (not one due later, not one done)."""
    conversation = make_conversation(Status.HELD)

    def measure(days):
        return conversation_services.measure_add(
            actor=personas.police,
            conversation=conversation,
            measure_type=measure_type,
            description="Fritidsjob i hallen",
            responsible_agency=world.social_ishoej,
            due_on=timezone.localdate() + timedelta(days=days),
        )

    due = measure(5)
    measure(40)
    done = measure(2)
    conversation_services.measure_set_status(
        actor=personas.police, measure=done, status="done"
    )
    items = built(personas, ssp_forum.meeting)
    (item,) = items[ItemSource.MEASURE]
    assert item.person == youth.person
    assert item.source_key == f"measure:{due.pk}:{due.due_on}"


def test_new_concerns_become_items(personas, world, ssp_forum, make_conversation):
    """A concern level set to red since the last meeting, and a concern conversation
    requested since then."""
    worried = ishoej_youth(personas, world, "Bekymret")
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=worried,
        level="red",
        reason="Vold i skolegården",
    )
    requested = make_conversation(Status.REQUESTED)
    items = built(personas, ssp_forum.meeting)
    keys = {i.source_key: i for i in items[ItemSource.NEW_CONCERN]}
    concern = [i for i in keys.values() if i.person == worried]
    assert len(concern) == 1
    assert f"request:{requested.pk}" in keys


def test_new_sibling_alert_becomes_an_item_once_per_forum(personas, world, ssp_forum):
    """A person whose sibling is red: once, not again in the forum's next meeting."""
    family = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Familien Søskendesen",
    )
    older, younger = (
        family_add_new_person(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            family=family,
            role=MemberRole.CHILD,
            given_name=name,
            family_name="Søskendesen",
            date_of_birth=born_years_ago(years),
        ).person
        for name, years in (("Storebror", 16), ("Lillesøster", 13))
    )
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=older,
        level="red",
        reason="Sigtet for røveri",
    )
    items = built(personas, ssp_forum.meeting)
    (alert,) = items[ItemSource.SIBLING_ALERT]
    assert alert.person == younger
    later = ssp_forum.forum.meetings.order_by("starts_at")[1]
    assert not [
        i
        for i in agenda.agenda_build(actor=personas.ssp, meeting=later)
        if i.source == ItemSource.SIBLING_ALERT
    ]


def test_rebuild_adds_nothing_twice_and_never_revives_a_removed_item(
    personas, world, ssp_forum
):
    meeting = ssp_forum.meeting
    for name in ("En", "To"):
        person_set_concern_level(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            person=ishoej_youth(personas, world, name),
            level="red",
            reason="Bekymring",
        )
    first = agenda.agenda_build(actor=personas.ssp, meeting=meeting)
    assert len(first) == 2
    assert agenda.agenda_build(actor=personas.ssp, meeting=meeting) == []
    agenda.agenda_item_remove(actor=personas.ssp, item=first[0])
    assert agenda.agenda_build(actor=personas.ssp, meeting=meeting) == []
    live = meeting.items.filter(removed=False)
    assert live.count() == 2  # the fixture's manual item and the one kept
    assert first[0].pk not in set(live.values_list("pk", flat=True))
    assert meeting.items.count() == 3
    # Positions follow the existing items.
    assert sorted(meeting.items.values_list("position", flat=True)) == [1, 2, 3]


def test_build_leaves_out_other_municipalities_and_what_the_coordinator_cannot_see(
    personas, world, ssp_forum
):
    """Only the forum's municipalities (even a person shared with the coordinator),
    and only persons the coordinator may see."""
    albertslund = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Albert",
        family_name="Lundsen",
        date_of_birth=born_years_ago(15),
    )
    share_person_with(personas.ssp_albertslund, albertslund, world.ssp_ishoej)
    person_set_concern_level(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        person=albertslund,
        level="red",
        reason="Bekymring",
    )
    unseen = ishoej_youth(
        personas, world, "Uset", actor=personas.social, agency=world.social_ishoej
    )
    person_set_concern_level(
        actor=personas.social,
        agency=world.social_ishoej,
        person=unseen,
        level="red",
        reason="Bekymring",
    )
    assert agenda.agenda_build(actor=personas.ssp, meeting=ssp_forum.meeting) == []


def test_reorder(personas, world, ssp_forum):
    meeting = ssp_forum.meeting
    second = agenda.agenda_item_add(actor=personas.ssp, meeting=meeting, title="To")
    third = agenda.agenda_item_add(actor=personas.ssp, meeting=meeting, title="Tre")
    agenda.agenda_reorder(
        actor=personas.ssp, meeting=meeting, order=[third.pk, second.pk]
    )
    order = list(
        meeting.items.filter(removed=False)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert order == [third.pk, second.pk, ssp_forum.item.pk]
    for bad in (
        [third.pk, third.pk],
        [third.pk, "00000000-0000-0000-0000-000000000000"],
    ):
        with pytest.raises(ValidationError) as caught:
            agenda.agenda_reorder(actor=personas.ssp, meeting=meeting, order=bad)
        assert "order" in caught.value.message_dict
    agenda.agenda_item_remove(actor=personas.ssp, item=second)
    with pytest.raises(ValidationError):
        agenda.agenda_reorder(actor=personas.ssp, meeting=meeting, order=[second.pk])


def test_the_agenda_is_closed_once_the_meeting_runs(personas, running):
    meeting = running.meeting
    with pytest.raises(ValidationError):
        agenda.agenda_build(actor=personas.ssp, meeting=meeting)
    with pytest.raises(ValidationError):
        agenda.agenda_item_add(actor=personas.ssp, meeting=meeting, title="Sent")
    with pytest.raises(ValidationError):
        agenda.agenda_item_remove(actor=personas.ssp, item=running.item)
    with pytest.raises(ValidationError):
        agenda.agenda_reorder(actor=personas.ssp, meeting=meeting, order=[])
    services.meeting_end(actor=personas.ssp, meeting=meeting)
    running.item.refresh_from_db()
    with pytest.raises(ValidationError):
        agenda.agenda_item_update(actor=personas.ssp, item=running.item, title="Ny")


def test_item_add_validates(personas, world, ssp_forum):
    albertslund = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Albert",
        family_name="Lundsen",
        date_of_birth=born_years_ago(15),
    )
    with pytest.raises(ValidationError) as caught:
        agenda.agenda_item_add(
            actor=personas.ssp, meeting=ssp_forum.meeting, person=albertslund, title=" "
        )
    assert {"title", "person"} <= set(caught.value.message_dict)


def test_sending_an_empty_agenda_is_refused(personas, ssp_forum):
    agenda.agenda_item_remove(actor=personas.ssp, item=ssp_forum.item)
    with pytest.raises(ValidationError):
        agenda.agenda_send(actor=personas.ssp, meeting=ssp_forum.meeting)
