"""Fixtures for the Exit programme: Ishøj's exit unit with its coordinator, the
Vestegn police liaison as police exit contact, Ishøj's job centre (a responsible
authority for measures), a 20-year-old recorded by the exit unit with a signed
consent declaration covering the exit unit and the job centre, and a factory that
takes a new case to any state through the services (never by writing the state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.services import person_create
from exitprogram import services
from exitprogram.models import (
    EndReason,
    ExitCase,
    MeasureKind,
    ReferralSource,
    RiskLevel,
    Status,
)
from meetings.sharing import consent_record
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user


def today() -> date:
    return timezone.localdate()


def born_years_ago(years: int) -> date:
    d = today()
    return d.replace(year=d.year - years) - timedelta(days=40)


@dataclass
class ExitWorld:
    exit_unit: Agency
    job_centre: Agency
    coordinator: object
    job_worker: object
    person: object
    consent: object


@pytest.fixture
def exit_world(world, personas) -> ExitWorld:
    exit_unit = Agency.objects.create(
        name="Ishøj Exit", kind=AgencyKind.EXIT_UNIT, municipality=world.ishoej
    )
    job_centre = Agency.objects.create(
        name="Ishøj Jobcenter", kind=AgencyKind.JOB_CENTRE, municipality=world.ishoej
    )
    coordinator = make_user("exit", (exit_unit, Role.EXIT_COORDINATOR))
    job_worker = make_user("job", (job_centre, Role.SOCIAL_WORKER))
    person = person_create(
        actor=coordinator,
        agency=exit_unit,
        municipality=world.ishoej,
        given_name="Udvej",
        family_name="Exitsen",
        date_of_birth=born_years_ago(20),
    )
    consent = consent_record(
        actor=coordinator,
        agency=exit_unit,
        person=person,
        given_by="Udvej Exitsen",
        scope="Kommune, politi og Kriminalforsorgen må udveksle oplysninger",
        given_on=today(),
        agencies=[exit_unit, job_centre, world.police_vestegn],
    )
    return ExitWorld(exit_unit, job_centre, coordinator, job_worker, person, consent)


# The steps that lead from "referred" to each state, for the factory.
def _screen(ew, case, personas):
    services.exit_screen(
        actor=ew.coordinator, case=case, note="Motiveret, henvist af politiet"
    )


def _police(ew, case, personas):
    services.exit_to_police_mapping(actor=ew.coordinator, case=case)
    services.police_mapping_record(
        actor=personas.police,
        case=case,
        nec_registered=True,
        crime_picture="Tidligere vold og narkotikasalg",
        intentions="Vil ud af miljøet og have et job",
        risk_level=RiskLevel.HIGH,
        risk_assessment="Trusler fra tidligere gruppe",
        assessed_on=today(),
    )


def _municipal(ew, case, personas):
    services.exit_to_municipal_mapping(actor=ew.coordinator, case=case)
    services.municipal_mapping_record(
        actor=ew.coordinator, case=case, employment="Ledig", housing="Bor hos familien"
    )


def _clarify(ew, case, personas):
    services.exit_to_clarification(actor=ew.coordinator, case=case)
    services.clarification_record(
        actor=ew.coordinator,
        case=case,
        held_on=today(),
        domains={"employment": "Ønsker job", "housing": "Skal flytte"},
        pressing_needs="Bolig og job",
        premises_explained=True,
    )


def _enrol(ew, case, personas):
    agreement = services.exit_enrol(
        actor=ew.coordinator,
        case=case,
        decided_on=today(),
        consequences="Ny voldskriminalitet afslutter forløbet.",
    )
    services.agreement_measure_add(
        actor=ew.coordinator,
        agreement=agreement,
        kind=MeasureKind.JOB,
        responsible_agency=ew.job_centre,
        starts_on=today(),
        ends_on=today() + timedelta(days=90),
        contact="Jobcentret, team exit",
    )


def _sign(ew, case, personas):
    agreement = case.agreements.get(status="draft")
    services.agreement_sign(
        actor=ew.coordinator,
        agreement=agreement,
        signed_by_person_on=today(),
        signed_by_coordinator_on=today(),
    )


def _end(ew, case, personas):
    services.exit_end(
        actor=ew.coordinator, case=case, ended_on=today(), reason=EndReason.COMPLETED
    )


PATHS = {
    Status.REFERRED: [],
    Status.PRE_SCREENING: [_screen],
    Status.POLICE_MAPPING: [_screen, _police],
    Status.MUNICIPAL_MAPPING: [_screen, _police, _municipal],
    Status.CLARIFICATION: [_screen, _police, _municipal, _clarify],
    Status.AGREEMENT: [_screen, _police, _municipal, _clarify, _enrol],
    Status.ACTIVE: [_screen, _police, _municipal, _clarify, _enrol, _sign],
    Status.ENDED: [_screen, _police, _municipal, _clarify, _enrol, _sign, _end],
}


@pytest.fixture
def make_case(exit_world, personas):
    """`make_case(Status.ACTIVE)`: a case for the fixture's person in that state."""

    def make(status: str = Status.REFERRED, person=None) -> ExitCase:
        case = services.exit_refer(
            actor=exit_world.coordinator,
            agency=exit_world.exit_unit,
            person=person or exit_world.person,
            referral_source=ReferralSource.POLICE,
            referrer="Vestegn Politi, exit-koordinator",
            referred_on=today(),
            police_contact=personas.police,
        )
        for step in PATHS[status]:
            step(exit_world, case, personas)
            case.refresh_from_db()
        return case

    return make
