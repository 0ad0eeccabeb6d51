"""The benchmark's Exit programme (issue 8, "the exit coordinator's dashboard"): the
home municipality's exit unit with a year's cases in every phase (a municipality
has 5–8 a year; the benchmark gives it 12), written through the services so the
dashboard reads what real use leaves; rebuilt from scratch on every call."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Person
from organisations.models import Agency, AgencyKind, Municipality, Role

from .meetings import _member

REFERRER = "Benchmark"
# How many cases end in each phase.
PHASES = (
    "referred",
    "screened",
    "police",
    "municipal",
    "clarified",
    "agreed",
    "active",
)
PER_PHASE = (1, 1, 1, 2, 1, 1, 5)


def _remove_previous() -> None:
    from exitprogram.models import ExitCase
    from meetings.models import Consent

    cases = ExitCase.objects.filter(referrer=REFERRER)
    persons = list(cases.values_list("person", flat=True))
    Consent.objects.filter(person__in=persons).delete()
    cases.delete()


def _walk(case, phase: str, *, coordinator, officer, job_centre, today: date) -> None:
    from exitprogram import services
    from exitprogram.models import MeasureKind, RiskLevel

    order = PHASES.index(phase)
    if order >= 1:
        services.exit_screen(actor=coordinator, case=case, note="Benchmark")
    if order >= 2:
        services.exit_to_police_mapping(actor=coordinator, case=case)
        services.police_mapping_record(
            actor=officer,
            case=case,
            nec_registered=True,
            crime_picture="Benchmark",
            intentions="Benchmark",
            risk_level=RiskLevel.MEDIUM,
            risk_assessment="Benchmark",
            assessed_on=today,
        )
    if order >= 3:
        services.exit_to_municipal_mapping(actor=coordinator, case=case)
        services.municipal_mapping_record(actor=coordinator, case=case, housing="-")
    if order >= 4:
        services.exit_to_clarification(actor=coordinator, case=case)
        services.clarification_record(
            actor=coordinator,
            case=case,
            held_on=today,
            domains={"housing": "Benchmark"},
            pressing_needs="Benchmark",
            premises_explained=True,
        )
    if order >= 5:
        agreement = services.exit_enrol(
            actor=coordinator, case=case, decided_on=today, consequences="Benchmark"
        )
        services.agreement_measure_add(
            actor=coordinator,
            agreement=agreement,
            kind=MeasureKind.JOB,
            responsible_agency=job_centre,
            starts_on=today,
            ends_on=today + timedelta(days=90),
        )
    if order >= 6:
        services.agreement_sign(
            actor=coordinator,
            agreement=agreement,
            signed_by_person_on=today,
            signed_by_coordinator_on=today,
        )


@transaction.atomic
def ensure_bench_exit(*, home: str = "Ishøj") -> int:
    """The home municipality's benchmark exit cases; returns how many."""
    from exitprogram import services
    from exitprogram.models import ReferralSource
    from meetings.sharing import consent_record

    _remove_previous()
    municipality = Municipality.objects.get(name=home)
    exit_unit = Agency.objects.get(municipality=municipality, kind=AgencyKind.EXIT_UNIT)
    job_centre = Agency.objects.get(
        municipality=municipality, kind=AgencyKind.JOB_CENTRE
    )
    police = Agency.objects.get(
        police_district=municipality.police_district, kind=AgencyKind.POLICE
    )
    coordinator = _member(exit_unit, Role.EXIT_COORDINATOR)
    officer = _member(police, Role.POLICE_LIAISON)
    today = timezone.localdate()
    # Persons of the volume data (the referral's person is whoever is referred; the
    # exit unit sees the case, not the person's other records).
    persons = iter(
        Person.objects.filter(municipality=municipality).order_by("pk")[
            : sum(PER_PHASE)
        ]
    )
    count = 0
    for phase, n in zip(PHASES, PER_PHASE, strict=True):
        for _i in range(n):
            person = next(persons, None)
            if person is None:  # a tiny data set: fewer cases
                return count
            consent_record(
                actor=coordinator,
                agency=exit_unit,
                person=person,
                given_by="Benchmark",
                scope="Benchmark",
                given_on=today,
                agencies=[exit_unit, job_centre, police],
            )
            case = services.exit_refer(
                actor=coordinator,
                agency=exit_unit,
                person=person,
                referral_source=ReferralSource.POLICE,
                referrer=REFERRER,
                referred_on=today,
                police_contact=officer,
            )
            _walk(
                case,
                phase,
                coordinator=coordinator,
                officer=officer,
                job_centre=job_centre,
                today=today,
            )
            count += 1
    return count
