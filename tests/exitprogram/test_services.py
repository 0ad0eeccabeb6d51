"""The services of the Exit programme beyond the state table (issue 6, points 1, 4
and 5): who may refer and what a referral must hold, the police mapping recorded by
the police exit contact in its phase only, the decline with its reason and explicit
exclusion criteria, the end (the breached term; the measures of other authorities
stay open; NEC notified) and the outcome two years later with its reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from cases.services import person_create
from exitprogram import selectors, services
from exitprogram.models import (
    EndReason,
    ExitCase,
    MeasureStatus,
    NecNotification,
    NecNotificationKind,
    Outcome,
    ReferralSource,
    RiskLevel,
    Status,
)
from organisations.models import Role
from reminders.models import Reminder, ReminderStatus
from reminders.services import REMINDER_HOUR
from tests.conftest import make_user

from .conftest import born_years_ago, today


def refer(exit_world, personas, **overrides) -> ExitCase:
    fields = {
        "actor": exit_world.coordinator,
        "agency": exit_world.exit_unit,
        "person": exit_world.person,
        "referral_source": ReferralSource.PRISON_PROBATION,
        "referred_on": today(),
        "police_contact": personas.police,
        "referrer": "Kriminalforsorgen",
    }
    return services.exit_refer(**{**fields, **overrides})


def field_errors(refused) -> set[str]:
    return set(refused.value.message_dict)


# --- Referral ---------------------------------------------------------------------


def test_a_referral_records_the_case_for_the_exit_unit(exit_world, personas, world):
    case = refer(exit_world, personas)
    assert case.status == Status.REFERRED
    assert case.coordinator == exit_world.coordinator
    assert case.police_agency == world.police_vestegn
    assert case.municipality == world.ishoej


@pytest.mark.parametrize("who", ["ssp", "social", "police", "manager"])
def test_only_an_exit_coordinator_refers(exit_world, personas, who):
    with pytest.raises(ValidationError):
        refer(exit_world, personas, actor=getattr(personas, who))
    assert not ExitCase.objects.exists()


def test_an_exit_coordinator_of_another_unit_does_not_refer_for_this_one(
    exit_world, personas
):
    # A member of the job centre with the coordinator role is not of an exit unit.
    other = make_user("exit_other", (exit_world.job_centre, Role.EXIT_COORDINATOR))
    with pytest.raises(ValidationError):
        refer(exit_world, personas, actor=other)


def test_a_person_of_another_municipality_is_refused(exit_world, personas, world):
    elsewhere = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Anden",
        family_name="Kommunesen",
        date_of_birth=born_years_ago(21),
    )
    with pytest.raises(ValidationError) as refused:
        refer(exit_world, personas, person=elsewhere)
    assert "person" in field_errors(refused)


def test_a_second_open_case_is_refused(exit_world, personas, make_case):
    make_case(Status.ACTIVE)
    with pytest.raises(ValidationError) as refused:
        refer(exit_world, personas)
    assert "person" in field_errors(refused)
    assert ExitCase.objects.count() == 1


def test_a_new_referral_after_a_decline_is_allowed(exit_world, personas, make_case):
    case = make_case(Status.PRE_SCREENING)
    services.exit_decline(
        actor=exit_world.coordinator, case=case, decided_on=today(), reason="Ikke nu"
    )
    assert refer(exit_world, personas).status == Status.REFERRED


@pytest.mark.parametrize("who", ["police_other_district", "ssp", "social"])
def test_the_police_contact_is_a_police_liaison_of_the_district(
    exit_world, personas, who
):
    with pytest.raises(ValidationError) as refused:
        refer(exit_world, personas, police_contact=getattr(personas, who))
    assert "police_contact" in field_errors(refused)


def test_a_referral_cannot_be_in_the_future(exit_world, personas):
    with pytest.raises(ValidationError) as refused:
        refer(exit_world, personas, referred_on=today() + timedelta(days=1))
    assert "referred_on" in field_errors(refused)


# --- The police mapping -------------------------------------------------------------


def record_mapping(case, actor, **overrides):
    fields = {
        "nec_registered": True,
        "crime_picture": "Vold",
        "intentions": "Vil ud af miljøet",
        "risk_level": RiskLevel.HIGH,
        "risk_assessment": "Trusler",
        "assessed_on": today(),
    }
    return services.police_mapping_record(
        actor=actor, case=case, **{**fields, **overrides}
    )


@pytest.mark.parametrize("who", ["police_other_district", "ssp"])
def test_the_police_mapping_is_recorded_by_the_police_contact_only(
    make_case, exit_world, personas, who
):
    case = make_case(Status.PRE_SCREENING)
    services.exit_to_police_mapping(actor=exit_world.coordinator, case=case)
    with pytest.raises(ValidationError):
        record_mapping(case, getattr(personas, who))
    with pytest.raises(ValidationError):
        record_mapping(case, exit_world.coordinator)
    # Another liaison of the same police district is not the named contact either.
    colleague = make_user("police2", (case.police_agency, Role.POLICE_LIAISON))
    with pytest.raises(ValidationError):
        record_mapping(case, colleague)
    mapping = record_mapping(case, personas.police)
    assert mapping.recorded_by == personas.police
    # It can be corrected in its phase; the reminder to the contact is done.
    record_mapping(case, personas.police, risk_level=RiskLevel.CRITICAL)
    mapping.refresh_from_db()
    assert mapping.risk_level == RiskLevel.CRITICAL
    assert (
        Reminder.objects.get(key=f"exit-police-mapping:{case.pk}").status
        == ReminderStatus.CANCELLED
    )


@pytest.mark.parametrize("status", [Status.PRE_SCREENING, Status.MUNICIPAL_MAPPING])
def test_the_police_mapping_is_recorded_in_its_phase_only(make_case, personas, status):
    case = make_case(status)
    before = selectors.police_mapping_of(user=personas.police, case=case)
    with pytest.raises(ValidationError):
        record_mapping(case, personas.police, crime_picture="Ændret")
    after = selectors.police_mapping_of(user=personas.police, case=case)
    assert (after and after.crime_picture) == (before and before.crime_picture)


def test_the_police_mapping_needs_its_fields_and_no_future_date(make_case, personas):
    case = make_case(Status.POLICE_MAPPING)
    with pytest.raises(ValidationError) as refused:
        record_mapping(
            case,
            personas.police,
            crime_picture=" ",
            assessed_on=today() + timedelta(days=1),
        )
    assert {"crime_picture", "assessed_on"} <= field_errors(refused)


# --- The decision -----------------------------------------------------------------


def test_a_decline_needs_a_reason(make_case, exit_world):
    case = make_case(Status.CLARIFICATION)
    with pytest.raises(ValidationError) as refused:
        services.exit_decline(
            actor=exit_world.coordinator, case=case, decided_on=today(), reason="  "
        )
    assert "decline_reason" in field_errors(refused)
    case.refresh_from_db()
    assert case.status == Status.CLARIFICATION


def test_a_decline_records_the_exclusion_criteria(make_case, exit_world):
    case = make_case(Status.CLARIFICATION)
    services.exit_decline(
        actor=exit_world.coordinator,
        case=case,
        decided_on=today(),
        reason="Misbrug og trusler mod personalet",
        substance=True,
        staff_safety=True,
    )
    case.refresh_from_db()
    assert case.status == Status.DECLINED
    assert case.decided_on == today()
    assert case.decline_reason == "Misbrug og trusler mod personalet"
    assert (
        case.excluded_psychiatric,
        case.excluded_substance,
        case.excluded_staff_safety,
    ) == (False, True, True)
    assert len(case.exclusions) == 2


# --- The end ----------------------------------------------------------------------


def test_termination_for_breach_records_the_breached_term(make_case, exit_world):
    case = make_case(Status.ACTIVE)
    with pytest.raises(ValidationError) as refused:
        services.exit_end(
            actor=exit_world.coordinator,
            case=case,
            ended_on=today(),
            reason=EndReason.BREACH,
        )
    assert "breached_term" in field_errors(refused)
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    services.exit_end(
        actor=exit_world.coordinator,
        case=case,
        ended_on=today(),
        reason=EndReason.BREACH,
        breached_term="Ny voldskriminalitet",
    )
    case.refresh_from_db()
    assert (case.status, case.end_reason, case.breached_term) == (
        Status.ENDED,
        EndReason.BREACH,
        "Ny voldskriminalitet",
    )


def test_the_end_refuses_an_unknown_reason_and_a_future_date(make_case, exit_world):
    case = make_case(Status.ACTIVE)
    with pytest.raises(ValidationError) as refused:
        services.exit_end(
            actor=exit_world.coordinator,
            case=case,
            ended_on=today() + timedelta(days=1),
            reason="bored",
        )
    assert {"end_reason", "ended_on"} <= field_errors(refused)


def test_the_measures_of_other_authorities_stay_open_after_the_end(
    make_case, exit_world
):
    case = make_case(Status.ACTIVE)
    measure = case.agreements.get().measures.get()
    assert measure.status == MeasureStatus.PLANNED
    services.exit_end(
        actor=exit_world.coordinator,
        case=case,
        ended_on=today(),
        reason=EndReason.BREACH,
        breached_term="Ny voldskriminalitet",
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED
    # Its authority still sees it and closes it when it is done.
    mine = selectors.measure_for(
        user=exit_world.job_worker, pk=measure.pk, action="change"
    )
    assert list(selectors.measures_for_agency(user=exit_world.job_worker)) == [mine]
    services.measure_set_status(
        actor=exit_world.job_worker,
        measure=mine,
        status=MeasureStatus.COMPLETED,
        status_on=today(),
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.COMPLETED


def test_nec_notifications_are_recorded(make_case, exit_world):
    case = make_case(Status.ENDED)
    services.nec_notify(
        actor=exit_world.coordinator,
        case=case,
        kind=NecNotificationKind.TERMINATION,
        sent_on=today(),
        note="Sendt sikkert",
    )
    notification = NecNotification.objects.get(case=case)
    assert (notification.kind, notification.sent_on, notification.recorded_by) == (
        NecNotificationKind.TERMINATION,
        today(),
        exit_world.coordinator,
    )
    with pytest.raises(ValidationError):
        services.nec_notify(
            actor=exit_world.coordinator,
            case=case,
            kind=NecNotificationKind.CHANGE,
            sent_on=today() + timedelta(days=1),
        )
    assert NecNotification.objects.filter(case=case).count() == 1


# --- The outcome ------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.NOT_CONVICTED, Outcome.UNKNOWN])
def test_not_convicted_or_unknown_only_after_two_years(make_case, exit_world, outcome):
    case = make_case(Status.ENDED)
    coordinator = exit_world.coordinator
    with pytest.raises(ValidationError) as refused:
        services.outcome_record(actor=coordinator, case=case, outcome=outcome)
    assert "outcome" in field_errors(refused)
    case.refresh_from_db()
    assert case.status == Status.ENDED
    # As if two years had passed since the end.
    ended = services.years_after(today(), -2)
    ExitCase.objects.filter(pk=case.pk).update(
        started_on=ended - timedelta(days=200), ended_on=ended
    )
    case.refresh_from_db()
    services.outcome_record(actor=coordinator, case=case, outcome=outcome)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.OUTCOME_RECORDED, outcome)


def test_convicted_may_be_recorded_at_once(make_case, exit_world):
    case = make_case(Status.ENDED)
    services.outcome_record(
        actor=exit_world.coordinator, case=case, outcome=Outcome.CONVICTED
    )
    case.refresh_from_db()
    assert (case.outcome, case.outcome_recorded_on) == (Outcome.CONVICTED, today())
    # Recording it ends the outcome reminder.
    assert (
        Reminder.objects.get(key=f"exit-outcome:{case.pk}").status
        == ReminderStatus.CANCELLED
    )


def test_the_outcome_reminder_is_due_24_months_after_the_end_for_the_coordinator(
    make_case, exit_world
):
    case = make_case(Status.ENDED)
    reminder = Reminder.objects.get(kind="exitprogram.outcome_due")
    assert reminder.recipient == exit_world.coordinator
    assert reminder.status == ReminderStatus.PENDING
    due = reminder.due_at.astimezone(services.timezone.get_current_timezone())
    assert due.date() == services.years_after(case.ended_on, 2)
    assert due.date() == services.outcome_due_on(case)
    assert due.time() == REMINDER_HOUR
    assert reminder.source_id == str(case.pk)
    assert str(case.pk) in reminder.url
