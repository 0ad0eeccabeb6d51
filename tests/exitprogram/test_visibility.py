"""Who sees what of an exit case, in the matrix style (issue 6, point 6; STYLE.md
§16): the case, the police mapping, the agreement, a measure, a weekly report and a
follow-up meeting, for each persona, through exitprogram.selectors and
access.permissions.can.

* The exit unit and the police exit contact see the case and all of it.
* The police mapping with the security assessment: only they (R-EXIT-3), not even
  another officer of the same district.
* The job centre sees the measure it answers for, and nothing of the case or the
  person (no word of gang affiliation, no protected address).
* The district police agency sees the weekly reports it makes.
* Everybody else: nothing, 404 from the access functions, absent from lists.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404

from access.permissions import can, get_visible_or_404, visible
from cases.models import Person
from cases.selectors import persons_visible_to
from cases.services import person_update
from exitprogram import selectors, services
from exitprogram.models import Status
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user
from timeline.selectors import timeline_for

from .conftest import today

OBJECTS = ("case", "police_mapping", "agreement", "measure", "report", "follow_up")

# persona → the objects it sees (everything else it must not).
MATRIX = {
    "coordinator": set(OBJECTS),
    "police_contact": set(OBJECTS),
    "police_colleague": {"report"},  # the district's police make the reports
    "job_worker": {"measure"},
    "ssp": set(),
    "social": set(),
    "ssp_albertslund": set(),
    "exit_albertslund": set(),
    "police_other_district": set(),
    "manager": set(),
}


@pytest.fixture
def active(make_case, exit_world, personas, world):
    """An active case with all six kinds of record, and the personas by name."""
    case = make_case(Status.ACTIVE)
    services.follow_up_meeting_add(
        actor=exit_world.coordinator,
        case=case,
        kind="evaluation",
        held_on=today(),
        attendees="Udvej, exitkoordinator, mentor",
        notes="Godt i gang med jobcentret",
        mentor_present=True,
    )
    exit_albertslund = Agency.objects.create(
        name="Albertslund Exit",
        kind=AgencyKind.EXIT_UNIT,
        municipality=world.albertslund,
    )
    users = {
        "coordinator": exit_world.coordinator,
        "police_contact": personas.police,
        "police_colleague": make_user(
            "police2", (world.police_vestegn, Role.POLICE_LIAISON)
        ),
        "job_worker": exit_world.job_worker,
        "ssp": personas.ssp,
        "social": personas.social,
        "ssp_albertslund": personas.ssp_albertslund,
        "exit_albertslund": make_user(
            "exit_alb", (exit_albertslund, Role.EXIT_COORDINATOR)
        ),
        "police_other_district": personas.police_other_district,
        "manager": personas.manager,
    }
    agreement = case.agreements.get()
    objects = {
        "case": case,
        "police_mapping": case.police_mapping,
        "agreement": agreement,
        "measure": agreement.measures.get(),
        "report": case.weekly_reports.get(),
        "follow_up": case.follow_up_meetings.get(),
    }
    return case, users, objects


def seen_through_selectors(user, case, objects) -> set[str]:
    seen = set()
    if selectors.cases_visible_to(user=user).filter(pk=case.pk).exists():
        seen.add("case")
    if selectors.police_mapping_of(user=user, case=case) == objects["police_mapping"]:
        seen.add("police_mapping")
    if objects["agreement"] in selectors.agreements_of(user=user, case=case):
        seen.add("agreement")
    if objects["measure"] in selectors.measures_of(
        user=user, agreement=objects["agreement"]
    ):
        seen.add("measure")
    if objects["report"] in selectors.weekly_reports_of(user=user, case=case):
        seen.add("report")
    if objects["follow_up"] in selectors.follow_up_meetings_of(user=user, case=case):
        seen.add("follow_up")
    return seen


def fetched_one_by_one(user, case, objects) -> set[str]:
    """The access functions that fetch one record: 404 for what is not seen."""
    fetchers = {
        "case": lambda: selectors.case_for(user=user, pk=case.pk),
        "police_mapping": lambda: selectors.police_mapping_for(user=user, case=case),
        "agreement": lambda: selectors.agreement_for(
            user=user, pk=objects["agreement"].pk
        ),
        "measure": lambda: selectors.measure_for(user=user, pk=objects["measure"].pk),
        "report": lambda: selectors.report_for(user=user, pk=objects["report"].pk),
    }
    seen = set()
    for name, fetch in fetchers.items():
        try:
            assert fetch().pk == objects[name].pk
        except Http404:
            continue
        seen.add(name)
    return seen


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_the_matrix(who, active):
    case, users, objects = active
    user = users[who]
    expected = MATRIX[who]
    # The permission core, object by object (the follow-up meeting has no grants of
    # its own: it is seen with its case).
    by_can = {
        name for name, obj in objects.items() if name != "follow_up" and can(user, obj)
    }
    assert by_can == expected - {"follow_up"}
    assert seen_through_selectors(user, case, objects) == expected
    assert fetched_one_by_one(user, case, objects) == expected - {"follow_up"}


def test_the_security_assessment_is_the_exit_unit_s_and_the_contact_s_only(active):
    """R-EXIT-3: another officer of the same district, who makes the weekly
    reports, does not see the police mapping."""
    case, users, objects = active
    mapping = objects["police_mapping"]
    assert can(users["police_contact"], mapping, "change")
    assert not can(users["coordinator"], mapping, "change")
    for who in MATRIX:
        if who in ("coordinator", "police_contact"):
            continue
        assert selectors.police_mapping_of(user=users[who], case=case) is None
        with pytest.raises(Http404):
            selectors.police_mapping_for(user=users[who], case=case)


def test_the_job_centre_sees_its_measure_and_nothing_of_the_case(active, exit_world):
    case, users, objects = active
    job = exit_world.job_worker
    measure = objects["measure"]
    assert can(job, measure, "change")
    assert list(selectors.measures_for_agency(user=job)) == [measure]
    assert not selectors.cases_visible_to(user=job).exists()
    assert selectors.municipal_mapping_of(user=job, case=case) is None
    assert selectors.clarification_of(user=job, case=case) is None
    assert selectors.current_agreement(user=job, case=case) is None
    assert not selectors.mentors_of(user=job, case=case).exists()
    assert not selectors.reports_to_make(user=job).exists()
    assert not selectors.missing_reports(
        user=job, day=today() + timedelta(days=7)
    ).exists()
    # Nor the person, nor the restricted Exit entries of the person's timeline.
    assert not can(job, case.person)
    assert not timeline_for(user=job, person=case.person).exists()
    # The exit unit does see its own timeline entries.
    entries = timeline_for(user=exit_world.coordinator, person=case.person)
    kinds = {entry.kind for entry in entries}
    assert {"exitprogram.referred", "exitprogram.sign"} <= kinds


def test_a_protected_address_never_reaches_a_measure_s_authority(active, exit_world):
    case, users, objects = active
    person = person_update(
        actor=exit_world.coordinator, person=case.person, address_protected=True
    )
    assert person.address == ""
    job = exit_world.job_worker
    assert not can(job, person)
    assert not visible(job, Person).exists()
    with pytest.raises(Http404):
        get_visible_or_404(job, Person, pk=person.pk)
    assert not persons_visible_to(user=job).exists()
    # What the measure carries of its person holds no address.
    measure = selectors.measure_for(user=job, pk=objects["measure"].pk)
    assert measure.person.address == ""
    assert Person.objects.get(pk=person.pk).address == ""


def test_the_exit_unit_of_another_municipality_sees_no_case(active):
    case, users, _objects = active
    other = users["exit_albertslund"]
    assert not selectors.cases_visible_to(user=other).exists()
    assert not selectors.outcomes_due(user=other).exists()
    assert not selectors.missing_reports(
        user=other, day=today() + timedelta(days=7)
    ).exists()
