"""The benchmark's smoke version (issue 8): the real generator and the real
benchmark code at a small size, so that both keep working. The figures mean
nothing at this size; the query counts do: they must not grow with the data."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from benchmarks.scenarios import SCENARIOS, run_scenarios
from benchmarks.volume import seed_volume
from cases.models import ConcernLevel, Person, PersonGroupObjectPermission
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


def _measured(rows):
    return {row.key: row for row in rows if not row.skipped}


@pytest.mark.django_db
def test_smoke_benchmark_rows_and_flat_query_counts():
    seed_volume(persons=200, seed=3, reset=True)
    small, _ = run_scenarios(repeat=2, warmup=1)
    seed_volume(persons=500, seed=3, reset=True)
    large, ctx = run_scenarios(repeat=2, warmup=1)

    assert Person.objects.count() == 500
    assert [row.key for row in large] == [s.key for s in SCENARIOS]
    measured = _measured(large)
    # Pages under construction may be skipped, never the registry's own pages.
    assert LIST_SCENARIOS | {"person_detail"} <= set(measured)
    for row in measured.values():
        assert row.status == 200, row
        assert row.median_ms > 0 and row.p95_ms >= row.median_ms
        assert row.queries > 0 and row.baseline_queries > 0
        assert row.ratio > 0
    before = _measured(small)
    for key in LIST_SCENARIOS:
        assert measured[key].queries <= before[key].queries, key
    assert ctx.ssp_visible > 0 and ctx.police_visible > 0


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
def test_same_seed_same_data():
    seed_volume(persons=60, seed=11, reset=True)
    first = sorted(Person.objects.values_list("pk", "search_name", "concern_level"))
    seed_volume(persons=60, seed=11, reset=True)
    assert (
        sorted(Person.objects.values_list("pk", "search_name", "concern_level"))
        == first
    )


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
