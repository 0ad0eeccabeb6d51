"""The benchmark's smoke version (issue 8): the real generator and the real
benchmark code at a small size, so that both keep working. The figures mean
nothing at this size; the query counts do: they must not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from access.permissions import CHANGE, SUMMARY, VIEW, can
from benchmarks.plans import ACTIONS, time_plan_pdf
from benchmarks.scenarios import (
    SCENARIOS,
    Row,
    build_context,
    growth,
    run_scenarios,
    verified_client,
)
from benchmarks.volume import seed_volume
from cases.models import ConcernLevel, Person, PersonGroupObjectPermission
from conversations import selectors as conversation_selectors
from conversations.models import (
    ConcernConversation,
    FollowUp,
    Measure,
    Participant,
    ParticipantRole,
    Status,
)
from families.models import Family, Relation, RelationKind
from timeline.models import TimelineEntry

LIST_SCENARIOS = {
    "ssp_list",
    "ssp_list_deep",
    "ssp_list_filtered",
    "police_list",
    "police_list_filtered",
    "name_search",
}
# Pages whose query count must not grow with the data.
FLAT_SCENARIOS = LIST_SCENARIOS | {
    "conversation_dashboard",
    "meeting_page",
    "exit_dashboard",
}


def _measured(rows):
    return {row.key: row for row in rows if not row.skipped}


# A seed whose small data set already has a row in every list and in every section
# of the dashboard: an empty list makes fewer queries (no audit entry), which would
# pass for growth when the rows appear at the larger size.
SMOKE_SEED = 18


def _every_page_has_rows() -> None:
    ctx = build_context()
    police = ctx.users["police"]
    today = timezone.localdate()
    due = conversation_selectors.follow_ups_due(user=police, today=today)
    sections = {
        "overdue": due.filter(follow_up_on__lt=today),
        "due": due.filter(follow_up_on__gte=today),
        "planned": conversation_selectors.conversations_filtered(
            user=police, status=Status.PLANNED
        ),
        "requested": conversation_selectors.conversations_filtered(
            user=police, status=Status.REQUESTED
        ),
    }
    empty = [name for name, rows in sections.items() if not rows.exists()]
    red_elsewhere = Person.objects.filter(
        concern_level=ConcernLevel.RED, municipality=ctx.other
    )
    if not red_elsewhere.exists():
        empty.append("police_list_filtered")
    assert not empty, f"choose another SMOKE_SEED: no rows in {empty}"


@pytest.mark.django_db
def test_smoke_benchmark_rows_and_flat_query_counts():
    seed_volume(persons=200, seed=SMOKE_SEED, reset=True)
    _every_page_has_rows()
    small, _ = run_scenarios(repeat=2, warmup=1)
    small_pdf = time_plan_pdf(repeat=1, warmup=0)
    seed_volume(persons=500, seed=SMOKE_SEED, reset=True)
    large, ctx = run_scenarios(repeat=2, warmup=1)
    pdf = time_plan_pdf(repeat=2, warmup=0)

    assert Person.objects.count() == 500
    assert [row.key for row in large] == [s.key for s in SCENARIOS]
    measured = _measured(large)
    # Every scenario's page exists now: a skipped one (e.g. a 404 because the
    # scenario picked an object its user may not see) is a broken benchmark.
    assert set(measured) == {s.key for s in SCENARIOS}, [
        (row.key, row.skipped) for row in large if row.skipped
    ]
    for row in measured.values():
        assert row.status == 200, row
        assert row.median_ms > 0 and row.p95_ms >= row.median_ms
        assert row.queries > 0 and row.baseline_queries > 0
        assert row.ratio > 0
        assert row.probe_median_ms > 0
    before = _measured(small)
    grown = growth(small, large)
    assert set(grown) == set(measured)
    for key in FLAT_SCENARIOS:
        assert measured[key].queries <= before[key].queries, key
    assert ctx.ssp_visible > 0 and ctx.police_visible > 0
    # The family plan PDF, timed at the service for the approving manager.
    assert not pdf.skipped, pdf.skipped
    assert pdf.actions == ACTIONS and 1 <= pdf.members <= 5
    assert pdf.median_ms > 0 and pdf.p95_ms >= pdf.median_ms and pdf.bytes > 0
    assert 0 < pdf.queries <= small_pdf.queries


@pytest.mark.django_db
def test_volume_data_is_what_the_workflows_leave():
    report = seed_volume(persons=300, seed=5, reset=True)

    assert report.persons == Person.objects.count() == 300
    assert not Person.objects.filter(search_name="").exists()
    assert Person.objects.exclude(cpr_hash="").exists()
    # Every person is granted to the agency that recorded it.
    recorded = PersonGroupObjectPermission.objects.filter(
        group__agency__pk__isnull=False,
        permission__codename="change_person",
    )
    assert recorded.count() == 300
    assert Family.objects.exists()
    assert Relation.objects.filter(kind=RelationKind.MOTHER).exists()
    assert Relation.objects.filter(kind__in=RelationKind.siblings()).exists()
    assert Person.objects.filter(concern_level=ConcernLevel.RED).exists()
    per_person = TimelineEntry.objects.count() / 300
    assert 6 < per_person < 14


@pytest.mark.django_db
def test_volume_conversations_are_what_the_workflow_leaves():
    report = seed_volume(persons=1000, seed=5, reset=True)

    conversations = list(ConcernConversation.objects.select_related("person"))
    assert report.conversations == len(conversations)
    assert 1000 / 40 < len(conversations) < 1000 / 15  # about one per 25 persons
    assert len({c.status for c in conversations}) >= 6
    assert report.measures == Measure.objects.count() > 0
    assert report.follow_ups == FollowUp.objects.count() > 0
    for conversation in conversations:
        conversation.full_clean()  # the model's constraints and choices hold
        assert conversation.person.concern_level in (
            ConcernLevel.YELLOW,
            ConcernLevel.RED,
        )
        roles = set(conversation.participants.values_list("role", flat=True).distinct())
        assert {ParticipantRole.POLICE, ParticipantRole.YOUTH} <= roles
        entries = conversation.person.timeline_entries.filter(
            source_id=str(conversation.pk)
        )
        assert entries.exists() and not entries.filter(restricted=False).exists()
    assert Participant.objects.filter(role=ParticipantRole.GUARDIAN).exists()

    # Seen through the permission core as the services' grants allow: the police
    # liaison may change them all and has follow-ups due and overdue; the home SSP
    # coordinator knows of its municipality's, in full only where it takes part.
    ctx = build_context()
    police, ssp = ctx.users["police"], ctx.users["ssp"]
    seen = conversation_selectors.conversations_visible_to(
        user=police, action=CHANGE, audit=None
    )
    assert seen.count() == len(conversations)
    today = timezone.localdate()
    due = [c.follow_up_on for c in conversation_selectors.follow_ups_due(user=police)]
    assert any(day < today for day in due)
    assert any(today <= day <= today + timedelta(days=14) for day in due)
    home = [c for c in conversations if c.municipality_id == ctx.home.pk]
    known = conversation_selectors.conversations_visible_to(user=ssp, audit=None)
    assert {c.pk for c in known} == {c.pk for c in home}
    for conversation in home:
        assert can(ssp, conversation, SUMMARY)
        takes_part = conversation.municipal_agency.kind == "ssp_unit"
        assert can(ssp, conversation, VIEW) == takes_part
        assert not can(ssp, conversation, CHANGE)
    assert (
        ConcernConversation.objects.filter(status=Status.CLOSED)
        .exclude(outcome="")
        .exists()
    )

    # The dashboard's baseline reads the rows the page shows, on this database too.
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        response = verified_client(police).get(
            reverse("benchmarks:baseline"), {"rows": "conversations"}
        )
    assert response.status_code == 200
    waiting = conversation_selectors.conversations_filtered(user=police).filter(
        status__in=[Status.PLANNED, Status.REQUESTED]
    )
    assert response.content.count(b"<tr>") == len(due) + len(list(waiting))


@pytest.mark.django_db
def test_same_seed_same_data():
    def data():
        return (
            sorted(Person.objects.values_list("pk", "search_name", "concern_level")),
            sorted(
                (str(c.pk), c.status, str(c.person_id))
                for c in ConcernConversation.objects.all()
            ),
        )

    seed_volume(persons=300, seed=11, reset=True)
    first = data()
    seed_volume(persons=300, seed=11, reset=True)
    assert data() == first
    assert first[1]  # conversations included


@pytest.mark.django_db
def test_seed_volume_refuses_without_debug_or_consent():
    with override_settings(DEBUG=False), pytest.raises(CommandError):
        call_command("seed_volume", "--persons", "10")
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_seed_volume_refuses_to_add_to_existing_persons():
    seed_volume(persons=10, seed=1, reset=True)
    with pytest.raises(CommandError, match="already holds persons"):
        call_command("seed_volume", "--persons", "10", "--yes-i-know")


def test_growth_is_corrected_by_the_machine_probe():
    """A scenario 3× slower at the larger size while the probe, which does the same
    work at both, got 2× slower: the data added 1.5×."""
    first = [Row("page", "", median_ms=10, baseline_median_ms=4, probe_median_ms=5)]
    last = [Row("page", "", median_ms=30, baseline_median_ms=8, probe_median_ms=10)]
    grown = growth(first, last)["page"]
    assert grown["median_ratio"] == pytest.approx(3.0)
    assert grown["probe_ratio"] == pytest.approx(2.0)
    assert grown["corrected_ratio"] == pytest.approx(1.5)
    assert grown["baseline_ratio"] == pytest.approx(2.0)


@pytest.mark.django_db
def test_the_load_test_logs_its_users_in_with_its_own_device():
    """A volume user the page benchmark used carries its device too; the login
    checks a user's first confirmed device, so load_users_prepare leaves only the
    load test's (a refused code failed every page of that simulated user)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.services import totp_confirmed_device
    from benchmarks.load.prepare import load_users_prepare

    seed_volume(persons=200, seed=SMOKE_SEED, reset=True)
    ctx = build_context()
    verified_client(ctx.users["ssp"])  # the benchmark's own confirmed device
    prepared = load_users_prepare(password="load-test-password", per_role=100)
    account = next(
        a
        for a in prepared["users"]["ssp"]
        if a["username"] == ctx.users["ssp"].username
    )
    assert list(TOTPDevice.objects.filter(user=ctx.users["ssp"])) == [
        totp_confirmed_device(user=ctx.users["ssp"])
    ]
    assert totp_confirmed_device(user=ctx.users["ssp"]).key == account["key"]
