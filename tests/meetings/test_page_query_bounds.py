"""The meeting page stays within a fixed number of queries, the same for 5 and 40
agenda items, before the meeting (the agenda) and while it runs (the live view)
(STYLE.md §16; issue 5, point 9)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.legal import LegalBasis
from cases.services import person_create
from meetings import agenda, services, sharing

from .conftest import born_years_ago

# What matters is that the count does not grow with items; the bounds are today's
# counts (SQLite), so that a query added to the page is a decision, not a drift.
AGENDA_MAX_QUERIES = 15
# The live page reads the meeting's CHANGE grant once for the page and its panel;
# the panel's collapsed forms and their choices only when opened (18 before).
LIVE_MAX_QUERIES = 14
# One collapsed form of the panel, fetched when it is opened.
FORM_MAX_QUERIES = 12


def _add_items(personas, world, meeting, count: int, start: int) -> None:
    for n in range(start, start + count):
        adult = n % 5 == 0  # some outside the age group, with a reason (R-115-9)
        person = person_create(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            municipality=world.ishoej,
            given_name=f"Ung{n}",
            family_name="Listesen",
            date_of_birth=born_years_ago(25 if adult else 15),
        )
        agenda.agenda_item_add(
            actor=personas.ssp,
            meeting=meeting,
            person=person,
            title=f"Punkt {n}",
            age_override_reason="Storebror" if adult else "",
        )


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_agenda_page_queries_do_not_grow(
    personas, world, client_for, ssp_forum, django_assert_max_num_queries
):
    meeting = ssp_forum.meeting
    client = client_for(personas.ssp)
    path = reverse("meetings:meeting", args=[meeting.pk])
    _add_items(personas, world, meeting, 4, start=1)  # 5 with the fixture's item
    client.get(path)  # warm caches (content types, session)
    few = _count(client, path)
    _add_items(personas, world, meeting, 35, start=5)
    many = _count(client, path)
    assert len(client.get(path).context["items"]) == 40
    assert few == many
    with django_assert_max_num_queries(AGENDA_MAX_QUERIES):
        client.get(path)


def test_live_meeting_page_queries_do_not_grow(
    personas, world, client_for, ssp_forum, django_assert_max_num_queries
):
    meeting = ssp_forum.meeting
    _add_items(personas, world, meeting, 4, start=1)
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    services.meeting_start(actor=personas.ssp, meeting=meeting)
    sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=ssp_forum.item,
        text="Set med kendte personer",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity="Forebyggelse",
    )
    services.action_item_add(
        actor=personas.ssp,
        item=ssp_forum.item,
        description="Kontakt forældrene",
        responsible_agency=world.social_ishoej,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    client = client_for(personas.ssp)
    path = reverse("meetings:meeting", args=[meeting.pk]) + f"?item={ssp_forum.item.pk}"
    client.get(path)
    few = _count(client, path)
    # Items added while the meeting runs cannot come through the agenda service
    # (it is closed), so the larger agenda is a second meeting of the same forum.
    later = ssp_forum.forum.meetings.order_by("starts_at")[1]
    _add_items(personas, world, later, 40, start=100)
    agenda.agenda_send(actor=personas.ssp, meeting=later)
    services.meeting_start(actor=personas.ssp, meeting=later)
    first = later.items.order_by("position").first()
    sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=first,
        text="Set med kendte personer",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity="Forebyggelse",
    )
    services.action_item_add(
        actor=personas.ssp,
        item=first,
        description="Kontakt forældrene",
        responsible_agency=world.social_ishoej,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    later_path = reverse("meetings:meeting", args=[later.pk]) + f"?item={first.pk}"
    client.get(later_path)
    many = _count(client, later_path)
    assert len(client.get(later_path).context["items"]) == 40
    assert few == many
    with django_assert_max_num_queries(LIVE_MAX_QUERIES):
        client.get(later_path)


def test_panel_form_fragments_are_bounded(personas, world, client_for, ssp_forum):
    """Each collapsed form of the live panel (meetings:item_form) reads its item
    and the choices of its own fields, whatever the size of the agenda."""
    meeting = ssp_forum.meeting
    _add_items(personas, world, meeting, 4, start=1)
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    services.meeting_start(actor=personas.ssp, meeting=meeting)
    client = client_for(personas.ssp)
    item = ssp_forum.item
    client.get(reverse("meetings:meeting", args=[meeting.pk]))  # warm the session
    counts = {
        name: _count(client, reverse("meetings:item_form", args=[item.pk, name]))
        for name in ("share", "reshare", "action")
    }
    assert max(counts.values()) <= FORM_MAX_QUERIES, counts


def test_the_agenda_reads_only_what_it_shows_of_its_persons(personas, ssp_forum):
    """An agenda, its minutes and its API list show a person's name and age for the
    forum's target group (R-115-9): the CPR number, address and contact details are
    not read for them, and what is shown needs no further query."""
    from meetings import selectors

    meeting = selectors.meeting_for(user=personas.ssp, pk=ssp_forum.meeting.pk)
    items = list(selectors.agenda_of(user=personas.ssp, meeting=meeting))
    person = next(item.person for item in items if item.person_id)
    assert {
        "cpr_encrypted",
        "cpr_hash",
        "address",
        "email",
        "phone",
    } <= person.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        assert person.full_name
        agenda.outside_age_group(items[0])
    assert len(queries) == 0
