"""Every (state, event) pair of exitprogram.states, through the services (issue 6,
points 1 and 8; STYLE.md §5): a legal pair reaches the table's target; an illegal
one is refused with the code "illegal_transition" and changes nothing, neither the
status nor the audit log. Then the guards of the forward steps: the police mapping
and a valid consent before the municipal mapping (R-EXIT-2), the municipal mapping
before the clarification, the clarification and the minimum age before enrolment
(R-EXIT-1; no age limit by default, as in Ishøj)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from cases.services import person_create
from exitprogram import services
from exitprogram.models import (
    Agreement,
    AgreementMeasure,
    AgreementStatus,
    EndReason,
    ExitCase,
    ExitSettings,
    MeasureKind,
    Outcome,
    RiskLevel,
    Status,
)
from exitprogram.states import EVENTS, PHASES, TRANSITIONS, Event, allowed_events
from meetings.sharing import consent_record, consent_withdraw

from .conftest import born_years_ago, today

STATES = [*PHASES, Status.DECLINED]


def reach(make_case, exit_world, status: str) -> ExitCase:
    """A case in `status`, through the services (make_case knows the main path)."""
    if status == Status.DECLINED:
        case = make_case(Status.PRE_SCREENING)
        services.exit_decline(
            actor=exit_world.coordinator,
            case=case,
            decided_on=today(),
            reason="Ønsker ikke at deltage",
        )
    elif status == Status.OUTCOME_RECORDED:
        case = make_case(Status.ENDED)
        services.outcome_record(
            actor=exit_world.coordinator, case=case, outcome=Outcome.CONVICTED
        )
    else:
        case = make_case(status)
    case.refresh_from_db()
    assert case.status == status
    return case


def draft_to_sign(case: ExitCase, exit_world) -> Agreement:
    """The draft the SIGN event signs. Where the services would not have made one
    (before the agreement phase, after the end) it is written directly, complete
    and valid, so that only the state can refuse it."""
    draft = case.agreements.filter(status=AgreementStatus.DRAFT).first()
    if draft is not None:
        return draft
    if case.status == Status.ACTIVE:
        return services.agreement_revise(actor=exit_world.coordinator, case=case)
    version = (
        case.agreements.order_by("-version").first() or Agreement(version=0)
    ).version
    draft = Agreement.objects.create(
        case=case,
        person=case.person,
        version=version + 1,
        parties="Udvej Exitsen; Ishøj Exit",
        consequences="Ny voldskriminalitet afslutter forløbet.",
        created_by=exit_world.coordinator,
    )
    AgreementMeasure.objects.create(
        agreement=draft,
        case=case,
        person=case.person,
        kind=MeasureKind.JOB,
        responsible_agency=exit_world.job_centre,
        starts_on=today(),
        ends_on=today() + timedelta(days=90),
    )
    return draft


def fire(event: str, case: ExitCase, exit_world, personas) -> None:
    """Call the service of `event` with valid data (and the record of the phase the
    step leaves, where the service asks for one)."""
    coordinator = exit_world.coordinator
    if event == Event.SCREEN:
        services.exit_screen(actor=coordinator, case=case, note="Motiveret")
    elif event == Event.MAP_POLICE:
        services.exit_to_police_mapping(actor=coordinator, case=case)
    elif event == Event.MAP_MUNICIPAL:
        services.exit_to_municipal_mapping(actor=coordinator, case=case)
    elif event == Event.CLARIFY:
        services.exit_to_clarification(actor=coordinator, case=case)
    elif event == Event.ENROL:
        services.exit_enrol(
            actor=coordinator,
            case=case,
            decided_on=today(),
            consequences="Ny voldskriminalitet afslutter forløbet.",
        )
    elif event == Event.DECLINE:
        services.exit_decline(
            actor=coordinator, case=case, decided_on=today(), reason="Ikke motiveret"
        )
    elif event == Event.SIGN:
        services.agreement_sign(
            actor=coordinator,
            agreement=draft_to_sign(case, exit_world),
            signed_by_person_on=today(),
            signed_by_coordinator_on=today(),
        )
    elif event == Event.END:
        services.exit_end(
            actor=coordinator, case=case, ended_on=today(), reason=EndReason.COMPLETED
        )
    elif event == Event.RECORD_OUTCOME:
        services.outcome_record(actor=coordinator, case=case, outcome=Outcome.CONVICTED)
    else:  # pragma: no cover - a new event needs a line here
        raise AssertionError(event)


def test_the_table_covers_every_event_and_state():
    assert {event for (_state, event) in TRANSITIONS} == set(EVENTS)
    assert set(TRANSITIONS.values()) <= set(STATES)
    # Closed states have no way out.
    assert allowed_events(Status.DECLINED) == []
    assert allowed_events(Status.OUTCOME_RECORDED) == []


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("state", STATES)
def test_every_state_and_event(state, event, make_case, exit_world, personas):
    case = reach(make_case, exit_world, state)
    target = TRANSITIONS.get((state, event))
    if state == Status.ACTIVE and event == Event.SIGN:
        # Signing a new version of the agreement of an active case is no
        # transition: the case stays active (agreement versioning).
        fire(event, case, exit_world, personas)
        case.refresh_from_db()
        assert case.status == Status.ACTIVE
        return
    if target is not None:
        fire(event, case, exit_world, personas)
        case.refresh_from_db()
        assert case.status == target
        return
    # An illegal pair: refused as such, and nothing changes.
    draft = draft_to_sign(case, exit_world) if event == Event.SIGN else None
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        fire(event, case, exit_world, personas)
    assert refused.value.code == "illegal_transition"
    assert AuditEntry.objects.count() == audits
    status = case.status
    case.refresh_from_db()
    assert case.status == status == state
    if draft is not None:
        draft.refresh_from_db()
        assert draft.status == AgreementStatus.DRAFT


# --- The guards of the forward steps ---------------------------------------------


def test_municipal_mapping_needs_the_police_mapping(make_case, exit_world):
    case = make_case(Status.PRE_SCREENING)
    services.exit_to_police_mapping(actor=exit_world.coordinator, case=case)
    with pytest.raises(ValidationError):
        services.exit_to_municipal_mapping(actor=exit_world.coordinator, case=case)
    case.refresh_from_db()
    assert case.status == Status.POLICE_MAPPING


def record_police_mapping(case, personas):
    services.police_mapping_record(
        actor=personas.police,
        case=case,
        nec_registered=False,
        crime_picture="Vold",
        intentions="Vil ud",
        risk_level=RiskLevel.MEDIUM,
        risk_assessment="Moderat",
        assessed_on=today(),
    )


def test_municipal_mapping_needs_a_valid_consent_r_exit_2(
    make_case, exit_world, personas
):
    case = make_case(Status.PRE_SCREENING)
    services.exit_to_police_mapping(actor=exit_world.coordinator, case=case)
    record_police_mapping(case, personas)
    consent_withdraw(
        actor=exit_world.coordinator, consent=exit_world.consent, withdrawn_on=today()
    )
    with pytest.raises(ValidationError) as refused:
        services.exit_to_municipal_mapping(actor=exit_world.coordinator, case=case)
    assert refused.value.code != "illegal_transition"
    case.refresh_from_db()
    assert case.status == Status.POLICE_MAPPING


def test_a_consent_not_covering_the_exit_unit_is_not_enough(
    make_case, exit_world, personas, world
):
    person = person_create(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        municipality=world.ishoej,
        given_name="Anden",
        family_name="Samtykkesen",
        date_of_birth=born_years_ago(22),
    )
    consent_record(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        person=person,
        given_by="Anden Samtykkesen",
        scope="Kun jobcentret",
        given_on=today(),
        agencies=[exit_world.job_centre],
    )
    case = make_case(Status.PRE_SCREENING, person=person)
    services.exit_to_police_mapping(actor=exit_world.coordinator, case=case)
    record_police_mapping(case, personas)
    with pytest.raises(ValidationError):
        services.exit_to_municipal_mapping(actor=exit_world.coordinator, case=case)


def test_clarification_needs_the_municipal_mapping(make_case, exit_world, personas):
    case = make_case(Status.POLICE_MAPPING)
    services.exit_to_municipal_mapping(actor=exit_world.coordinator, case=case)
    with pytest.raises(ValidationError):
        services.exit_to_clarification(actor=exit_world.coordinator, case=case)
    case.refresh_from_db()
    assert case.status == Status.MUNICIPAL_MAPPING


def test_enrolment_needs_the_clarification(make_case, exit_world):
    case = make_case(Status.MUNICIPAL_MAPPING)
    services.exit_to_clarification(actor=exit_world.coordinator, case=case)
    with pytest.raises(ValidationError):
        services.exit_enrol(actor=exit_world.coordinator, case=case, decided_on=today())
    case.refresh_from_db()
    assert case.status == Status.CLARIFICATION
    assert not case.agreements.exists()


def young_person(exit_world, world, years: int):
    person = person_create(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        municipality=world.ishoej,
        given_name="Ung",
        family_name="Exitsen",
        date_of_birth=born_years_ago(years),
    )
    consent_record(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        person=person,
        given_by="Ung Exitsen og forældremyndighedsindehaver",
        scope="Kommune, politi og Kriminalforsorgen må udveksle oplysninger",
        given_on=today(),
        agencies=[exit_world.exit_unit, exit_world.job_centre],
    )
    return person


def test_enrolment_below_the_municipality_minimum_age_is_refused_r_exit_1(
    make_case, exit_world, world
):
    ExitSettings.objects.create(municipality=world.ishoej, minimum_age=18)
    case = make_case(Status.CLARIFICATION, person=young_person(exit_world, world, 17))
    with pytest.raises(ValidationError):
        services.exit_enrol(actor=exit_world.coordinator, case=case, decided_on=today())
    case.refresh_from_db()
    assert case.status == Status.CLARIFICATION
    assert not case.agreements.exists()


def test_enrolment_at_the_minimum_age_is_allowed(make_case, exit_world, world):
    ExitSettings.objects.create(municipality=world.ishoej, minimum_age=18)
    case = make_case(Status.AGREEMENT)  # the fixture's person is 20
    assert case.agreements.get().version == 1


def test_no_age_limit_without_a_setting_as_in_ishoej(make_case, exit_world, world):
    assert not ExitSettings.objects.filter(municipality=world.ishoej).exists()
    case = make_case(Status.AGREEMENT, person=young_person(exit_world, world, 15))
    assert case.status == Status.AGREEMENT
    # A setting without an age is no limit either.
    ExitSettings.objects.create(municipality=world.ishoej, minimum_age=None)
    assert services.minimum_age(world.ishoej) is None
