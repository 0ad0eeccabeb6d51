"""Figures on concern conversations (issue 4, point 9): the counts, the share
followed up on time, who sees the figures of which municipality, the CSV, the
API, and a query count that does not grow with the conversations."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import VIEW, figures_scope
from access.services import access_grant
from audit.models import AuditSubject
from cases.services import person_create
from conversations import services
from conversations.figures import add_months, conversation_figures, month_start
from conversations.models import ConcernConversation, ConcernKind, Outcome, Status
from organisations.models import Role
from tests.conftest import make_user

TODAY = timezone.localdate


def hold(conversation, actor, *, due: date):
    """Held ten days ago, with `due` as the follow-up date set when held."""
    return services.conversation_hold(
        actor=actor,
        conversation=conversation,
        held_on=TODAY() - timedelta(days=10),
        mapping_note="Kortlægning.",
        accountability_note="Ansvar.",
        measures_note="Tiltag.",
        attended=[],
        follow_up_on=due,
    )


def follow_up(conversation, personas, world, *, on: date):
    services.conversation_follow_up(
        actor=personas.police,
        agency=world.police_vestegn,
        conversation=conversation,
        followed_up_on=on,
        note="Set på gaden; går i skole.",
        concern_continues=True,
        next_follow_up_on=TODAY() + timedelta(days=30),
    )


def close(conversation, personas, *, on: date):
    services.conversation_close(
        actor=personas.police,
        conversation=conversation,
        outcome=Outcome.NO_FURTHER_CONCERN,
        reason="Ingen fortsat bekymring.",
        closed_on=on,
    )


@pytest.fixture
def albertslund_person(personas, world):
    person = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Alba",
        family_name="Albertsen",
    )
    access_grant(
        actor=personas.ssp_albertslund,
        obj=person,
        agency=world.police_vestegn,
        actions=[VIEW],
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        reason="concern conversation",
    )
    return person


@pytest.fixture
def small_set(make_conversation, personas, world, albertslund_person):
    """Ishøj: a general conversation requested two months ago, and this month two
    incidents, a gang-related one and a cancelled general one. Albertslund: two
    general ones. Four Ishøj conversations are held with the follow-up date five
    days ago (A on time, B late, C not followed up, E closed late), D closed
    before its date (not due), F's date is still to come."""
    days = timedelta
    police = personas.police
    made = {}

    def make(name, status=Status.PLANNED, **fields):
        made[name] = make_conversation(status, **fields)
        return made[name]

    passed = TODAY() - days(5)
    a = make("A", kind=ConcernKind.INCIDENT)
    hold(a, police, due=passed)
    follow_up(a, personas, world, on=passed - days(1))
    b = make("B", kind=ConcernKind.INCIDENT)
    hold(b, police, due=passed)
    follow_up(b, personas, world, on=TODAY() - days(2))
    c = make("C", kind=ConcernKind.GANG)
    hold(c, police, due=passed)
    d = make("D")
    hold(d, police, due=passed)
    close(d, personas, on=TODAY() - days(7))
    e = make("E")
    hold(e, police, due=passed)
    close(e, personas, on=TODAY() - days(3))
    f = make("F")
    hold(f, police, due=TODAY() + days(20))
    follow_up(f, personas, world, on=TODAY() - days(1))
    make("G", Status.CANCELLED)
    make(
        "H1",
        Status.REQUESTED,
        person=albertslund_person,
        municipal_agency=world.ssp_albertslund,
    )
    make(
        "H2",
        Status.REQUESTED,
        person=albertslund_person,
        municipal_agency=world.ssp_albertslund,
    )
    # A was requested two months ago (the requests are otherwise 30 days old).
    two_months_ago = add_months(TODAY(), -2)
    ConcernConversation.objects.filter(pk=a.pk).update(requested_on=two_months_ago)
    ConcernConversation.objects.filter(pk__in=[made[k].pk for k in made]).exclude(
        pk=a.pk
    ).update(requested_on=TODAY())
    return made


def period():
    return month_start(add_months(TODAY(), -11)), TODAY()


def figures_of(world, *municipalities):
    since, until = period()
    return conversation_figures(
        municipalities=municipalities or [world.ishoej, world.albertslund],
        since=since,
        until=until,
    )


def by_key(rows):
    return {row.key: row for row in rows}


# --- The counts ------------------------------------------------------------------


def test_counts_per_municipality_kind_and_month(small_set, world):
    found = figures_of(world)
    municipalities = by_key(found.by_municipality)
    assert municipalities[world.ishoej.pk].requested == 7
    assert municipalities[world.ishoej.pk].held == 6
    assert municipalities[world.albertslund.pk].requested == 2
    assert municipalities[world.albertslund.pk].held == 0
    assert found.total.requested == 9

    kinds = by_key(found.by_kind)
    assert kinds[ConcernKind.GENERAL].requested == 6
    assert kinds[ConcernKind.INCIDENT].requested == 2
    assert kinds[ConcernKind.GANG].requested == 1
    assert [row.key for row in found.by_kind] == list(ConcernKind.values)

    months = by_key(found.by_month)
    assert len(found.by_month) == 12
    assert months[month_start(TODAY())].requested == 8
    assert months[add_months(TODAY(), -2)].requested == 1
    assert months[add_months(TODAY(), -1)].requested == 0


def test_followed_up_on_time_counts_the_date_set_when_held(small_set, world):
    """A on time; B late although its later follow-up date is ahead; C not
    followed up; E closed after its date without a follow-up; D closed before
    its date and F not due yet are left out."""
    total = figures_of(world).total
    assert total.follow_ups_due == 4
    assert total.followed_up_on_time == 1
    assert total.share_on_time == 0.25
    assert total.percent_on_time == 25.0
    kinds = by_key(figures_of(world).by_kind)
    assert kinds[ConcernKind.INCIDENT].follow_ups_due == 2
    assert kinds[ConcernKind.INCIDENT].followed_up_on_time == 1
    assert kinds[ConcernKind.GANG].share_on_time == 0.0
    albertslund = by_key(figures_of(world).by_municipality)[world.albertslund.pk]
    assert albertslund.share_on_time is None


def test_the_period_and_the_municipalities_limit_the_counts(small_set, world):
    found = conversation_figures(
        municipalities=[world.albertslund], since=period()[0], until=period()[1]
    )
    assert found.total.requested == 2
    assert [row.key for row in found.by_municipality] == [world.albertslund.pk]
    last_month_only = conversation_figures(
        municipalities=[world.ishoej],
        since=add_months(TODAY(), -2),
        until=month_start(TODAY()) - timedelta(days=1),
    )
    assert last_month_only.total.requested == 1
    assert len(last_month_only.by_month) == 2


def test_the_query_count_does_not_grow_with_the_conversations(make_conversation, world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures_of(world)
        return len(captured)

    make_conversation(Status.HELD)
    few = queries()
    for status in (Status.FOLLOW_UP, Status.CLOSED, Status.PLANNED) * 3:
        make_conversation(status)
    assert ConcernConversation.objects.count() == 10
    assert queries() == few == 3


# --- Who sees the figures of which municipality -----------------------------------


def test_figures_scope_follows_the_overseeing_roles(personas, world):
    assert list(figures_scope(personas.ssp)) == [world.ishoej]
    assert list(figures_scope(personas.manager)) == [world.ishoej]
    assert list(figures_scope(personas.ssp_albertslund)) == [world.albertslund]
    district_manager = make_user("district", (world.police_vestegn, Role.MANAGER))
    assert set(figures_scope(district_manager)) == {world.ishoej, world.albertslund}
    for who in ("police", "social", "auditor", "admin", "superuser"):
        assert not figures_scope(getattr(personas, who)).exists(), who


def figures_url(**params) -> str:
    url = reverse("conversations:figures")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def test_the_albertslund_coordinator_sees_only_albertslund(
    small_set, personas, world, client_for
):
    response = client_for(personas.ssp_albertslund).get(figures_url())
    assert response.status_code == 200
    found = response.context["figures"]
    assert [row.key for row in found.by_municipality] == [world.albertslund.pk]
    assert found.total.requested == 2
    assert "Ishøj" not in response.content.decode()


def test_a_municipality_outside_the_scope_is_refused_field_by_field(
    small_set, personas, world, client_for
):
    response = client_for(personas.ssp_albertslund).get(
        figures_url(municipality=world.ishoej.pk)
    )
    assert response.status_code == 400
    assert response.context["figures"] is None
    assert "municipality" in response.context["form"].errors


@pytest.mark.parametrize("who", ["police", "social", "auditor", "admin"])
def test_users_who_oversee_no_municipality_get_403(
    small_set, personas, client_for, who
):
    client = client_for(getattr(personas, who))
    assert client.get(figures_url()).status_code == 403
    assert client.get(reverse("conversations:figures_csv")).status_code == 403
    assert client.get("/api/v1/conversations/figures/").status_code == 403


def test_the_page_names_no_one(small_set, personas, youth, client_for):
    subjects_before = AuditSubject.objects.count()
    client = client_for(personas.manager)
    responses = [
        client.get(figures_url()).content.decode(),
        client.get(reverse("conversations:figures_csv")).content.decode("utf-8-sig"),
        client.get("/api/v1/conversations/figures/").content.decode(),
    ]
    for content in responses:
        for never in ("Sami", "Samtalesen", "Mona", str(youth.person.pk)):
            assert never not in content
        for conversation in small_set.values():
            assert str(conversation.pk) not in content
    # No person's data was read, so no audit entry names anyone.
    assert AuditSubject.objects.count() == subjects_before


def test_the_page_has_accessible_tables_and_a_bounded_query_count(
    small_set, personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.ssp)
    with django_assert_max_num_queries(25):
        response = client.get(figures_url())
    html = response.content.decode()
    assert html.count("<caption>") == 3
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert "25,0 %" in html  # Danish decimal comma


def test_a_bad_period_gets_a_field_error(personas, client_for):
    client = client_for(personas.ssp)
    backwards = client.get(figures_url(from_month="2026-05", to_month="2026-01"))
    assert backwards.status_code == 400
    assert "to_month" in backwards.context["form"].errors
    garbage = client.get(figures_url(from_month="maj"))
    assert "from_month" in garbage.context["form"].errors
    too_long = client.get(figures_url(from_month="2010-01", to_month="2026-01"))
    assert "to_month" in too_long.context["form"].errors


def test_the_figures_page_answers_get_only(personas, client_for):
    assert client_for(personas.ssp).post(figures_url()).status_code == 405


# --- CSV and API -----------------------------------------------------------------


def test_the_csv_holds_the_same_figures_for_excel(
    small_set, personas, world, client_for
):
    since, until = period()
    response = client_for(personas.ssp).get(
        reverse("conversations:figures_csv")
        + f"?from_month={since:%Y-%m}&to_month={until:%Y-%m}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="samtaler-tal-{since:%Y-%m}-{until:%Y-%m}.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert len(rows) == 1 + 12 + 3 + 1 + 1  # header, months, kinds, Ishøj, total
    assert len(rows[0]) == 7
    ishoej = next(row for row in rows if row[1] == "Ishøj")
    assert ishoej[2:] == ["7", "6", "4", "1", "25,0"]
    this_month = next(row for row in rows if row[1] == f"{TODAY():%Y-%m}")
    assert this_month[2] == "6"
    total = rows[-1]
    assert total[2:] == ["7", "6", "4", "1", "25,0"]


def test_the_api_returns_the_figures_as_json(small_set, personas, world, client_for):
    client = client_for(personas.ssp)
    body = client.get("/api/v1/conversations/figures/").json()
    assert body["municipalities"] == [{"id": str(world.ishoej.pk), "name": "Ishøj"}]
    assert body["total"] == {
        "requested": 7,
        "held": 6,
        "follow_ups_due": 4,
        "followed_up_on_time": 1,
        "share_on_time": 0.25,
    }
    assert len(body["by_month"]) == 12
    assert body["by_month"][-1]["month"] == f"{TODAY():%Y-%m}"
    kinds = {row["kind"]: row["requested"] for row in body["by_kind"]}
    assert kinds == {"general": 4, "incident": 2, "gang": 1}

    refused = client.get(
        f"/api/v1/conversations/figures/?municipality={world.albertslund.pk}"
    )
    assert refused.status_code == 400
    assert "municipality" in refused.json()["errors"]
    backwards = client.get(
        "/api/v1/conversations/figures/?from_month=2026-05&to_month=2026-01"
    )
    assert backwards.status_code == 400
    assert "to_month" in backwards.json()["errors"]


def test_a_district_manager_chooses_a_municipality_in_the_api(
    small_set, world, client_for
):
    manager = make_user("district", (world.police_vestegn, Role.MANAGER))
    client = client_for(manager)
    both = client.get("/api/v1/conversations/figures/").json()
    assert both["total"]["requested"] == 9
    one = client.get(
        f"/api/v1/conversations/figures/?municipality={world.albertslund.pk}"
    ).json()
    assert one["total"]["requested"] == 2
    assert [m["name"] for m in one["municipalities"]] == ["Albertslund"]
