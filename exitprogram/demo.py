"""Demo exit cases in Ishøj (issue 6, point 9) for the demo exit coordinator
("exit", Ishøj Kommune, Exit) and the demo police liaison ("politi", Københavns
Vestegns Politi), who is the police exit contact of each case:

* a new referral from the police, waiting for the pre-screening;
* an active case whose police report for last week is missing (the row of last
  week is opened and left unreported, so the police liaison's list and the
  coordinator's dashboard show it), with a job-centre measure and a mentor;
* a case that ended two years and two weeks ago, awaiting its outcome (its
  reminder to the coordinator is due).

Three new fictitious persons are recorded by the exit unit, each with a signed
consent declaration covering the exit unit, the police and the job centre
(R-EXIT-2). Everything goes through the services as a user would, with past dates
where the services allow them. A person who already has an exit case is left
alone: a second run creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Person
from cases.services import person_create
from meetings.sharing import consent_record
from organisations.demo import agency_of
from organisations.models import Agency, AgencyKind

from . import services
from .models import (
    EndReason,
    ExitCase,
    FollowUpKind,
    MeasureKind,
    ReferralSource,
    RiskLevel,
)

CONSENT_SCOPE = (
    "Demo: Kommunen, politiet og Kriminalforsorgen må udveksle oplysninger om mig "
    "i forbindelse med exitforløbet, og jobcentret må få de oplysninger, der er "
    "nødvendige for indsatsen."
)
CONSEQUENCES = (
    "Demo: Ny voldskriminalitet er brud på aftalen. Exitkoordinatoren og politiet "
    "vurderer da sammen, om forløbet fortsætter eller afsluttes."
)

# (given name, family name, date of birth): invented, no CPR number.
REFERRAL = ("Mads", "Demosen", date(2005, 4, 11))
ACTIVE = ("Karim", "Eksempelsen", date(2001, 9, 23))
ENDED = ("Lasse", "Testrup", date(1998, 1, 30))


@dataclass
class _Context:
    coordinator: object
    officer: object
    exit_unit: Agency
    police: Agency
    job_centre: Agency
    today: date


def _person(ctx: _Context, names: tuple, *, consent_on: date) -> Person | None:
    """The demo person with a consent; None when the person has an exit case
    already (the demo ran before)."""
    given, family, born = names
    municipality = ctx.exit_unit.municipality
    person = Person.objects.filter(
        given_name=given, family_name=family, municipality=municipality
    ).first()
    if person is not None:
        if ExitCase.objects.filter(person=person).exists():
            return None
    else:
        person = person_create(
            actor=ctx.coordinator,
            agency=ctx.exit_unit,
            municipality=municipality,
            given_name=given,
            family_name=family,
            date_of_birth=born,
        )
    consent_record(
        actor=ctx.coordinator,
        agency=ctx.exit_unit,
        person=person,
        given_by=f"{given} {family}",
        scope=CONSENT_SCOPE,
        given_on=consent_on,
        agencies=[ctx.exit_unit, ctx.police, ctx.job_centre],
    )
    return person


def _refer(ctx: _Context, person: Person, *, on: date, note: str) -> ExitCase:
    return services.exit_refer(
        actor=ctx.coordinator,
        agency=ctx.exit_unit,
        person=person,
        referral_source=ReferralSource.POLICE,
        referrer="Demo: Københavns Vestegns Politi, exitkoordinator",
        referred_on=on,
        police_contact=ctx.officer,
        note=note,
    )


def _to_signed(ctx: _Context, case: ExitCase, *, start: date) -> ExitCase:
    """From referral to a signed agreement; the mappings and the conversation
    about a month before `start`, the signatures on `start`."""
    earlier = start - timedelta(days=30)
    services.exit_screen(
        actor=ctx.coordinator,
        case=case,
        note="Demo: motiveret; vil ud af miljøet og i arbejde.",
    )
    services.exit_to_police_mapping(actor=ctx.coordinator, case=case)
    services.police_mapping_record(
        actor=ctx.officer,
        case=case,
        nec_registered=True,
        crime_picture="Demo: tidligere dømt for vold; ingen aktuelle sigtelser.",
        intentions="Demo: vil bryde med gruppen og have et arbejde.",
        risk_level=RiskLevel.MEDIUM,
        risk_assessment="Demo: ingen kendte trusler mod personen lige nu.",
        assessed_on=earlier,
    )
    services.exit_to_municipal_mapping(actor=ctx.coordinator, case=case)
    services.municipal_mapping_record(
        actor=ctx.coordinator,
        case=case,
        job_centre="Demo: sag i jobcentret om kontanthjælp.",
        employment="Demo: ledig.",
        housing="Demo: bor hos familien.",
    )
    services.exit_to_clarification(actor=ctx.coordinator, case=case)
    services.clarification_record(
        actor=ctx.coordinator,
        case=case,
        held_on=earlier + timedelta(days=7),
        domains={
            "employment": "Demo: ønsker et job som lagerarbejder.",
            "housing": "Demo: vil gerne have egen bolig.",
            "network": "Demo: familien bakker op.",
        },
        pressing_needs="Demo: job og egen bolig.",
        premises_explained=True,
    )
    agreement = services.exit_enrol(
        actor=ctx.coordinator,
        case=case,
        decided_on=earlier + timedelta(days=14),
        parties=(
            f"{case.person.given_name} {case.person.family_name}; "
            f"{ctx.exit_unit.name}; {ctx.police.name}; {ctx.job_centre.name}"
        ),
        consequences=CONSEQUENCES,
    )
    services.agreement_measure_add(
        actor=ctx.coordinator,
        agreement=agreement,
        kind=MeasureKind.JOB,
        responsible_agency=ctx.job_centre,
        starts_on=start,
        ends_on=start + timedelta(days=180),
        description="Demo: virksomhedspraktik med henblik på ordinært job.",
        contact="Demo: Jobcentret, team exit",
    )
    services.agreement_measure_add(
        actor=ctx.coordinator,
        agreement=agreement,
        kind=MeasureKind.MENTOR,
        responsible_agency=ctx.exit_unit,
        starts_on=start,
        ends_on=start + timedelta(days=365),
        description="Demo: ugentlige møder med mentor.",
        contact="Demo: exitkoordinatoren",
    )
    services.agreement_sign(
        actor=ctx.coordinator,
        agreement=agreement,
        signed_by_person_on=start,
        signed_by_coordinator_on=start,
    )
    services.agreement_mark_sent(
        actor=ctx.coordinator,
        agreement=agreement,
        sent_to_police_on=start,
        sent_to_nec_on=start,
    )
    services.mentor_assign(
        actor=ctx.coordinator,
        case=case,
        mentor_name="Demo: Mentor Mortensen",
        from_date=start,
    )
    case.refresh_from_db()
    return case


def _referral(ctx: _Context) -> bool:
    person = _person(ctx, REFERRAL, consent_on=ctx.today - timedelta(days=2))
    if person is None:
        return False
    _refer(
        ctx,
        person,
        on=ctx.today - timedelta(days=2),
        note="Demo: har selv kontaktet politiet og ønsker at komme ud af miljøet.",
    )
    return True


def _active(ctx: _Context) -> bool:
    start = ctx.today - timedelta(days=42)
    person = _person(ctx, ACTIVE, consent_on=start - timedelta(days=60))
    if person is None:
        return False
    case = _refer(
        ctx, person, on=start - timedelta(days=60), note="Demo: henvist af politiet."
    )
    case = _to_signed(ctx, case, start=start)
    services.follow_up_meeting_add(
        actor=ctx.coordinator,
        case=case,
        kind=FollowUpKind.EVALUATION,
        held_on=ctx.today - timedelta(days=10),
        attendees="Demo: deltageren, exitkoordinatoren, mentor",
        notes="Demo: praktikken går godt; boligsøgning fortsætter.",
        mentor_present=True,
    )
    # Last week's report is opened and left unreported: it is missing.
    services.weekly_report_open(
        case=case, actor=ctx.coordinator, day=ctx.today - timedelta(days=7)
    )
    return True


def _ended(ctx: _Context) -> bool:
    ended_on = services.years_after(ctx.today, -services.OUTCOME_YEARS) - timedelta(
        days=14
    )
    start = ended_on - timedelta(days=300)
    person = _person(ctx, ENDED, consent_on=start - timedelta(days=60))
    if person is None:
        return False
    case = _refer(
        ctx,
        person,
        on=start - timedelta(days=60),
        note="Demo: henvist af Kriminalforsorgen før løsladelse.",
    )
    case = _to_signed(ctx, case, start=start)
    # Signing opens the report of the signing day's week, which is this week even
    # when the dates are in the past; the police report it before the case ends,
    # so that no report of an ended case shows as missing.
    for report in case.weekly_reports.filter(reported_at__isnull=True):
        services.weekly_report_record(
            actor=ctx.officer, report=report, encountered=False
        )
    services.exit_end(
        actor=ctx.coordinator,
        case=case,
        ended_on=ended_on,
        reason=EndReason.COMPLETED,
        note="Demo: i fast arbejde og egen bolig; aftalen er gennemført.",
    )
    return True


@transaction.atomic
def seed_exit_cases(*, users) -> int:
    """Create the demo exit cases that do not exist yet; returns how many."""
    exit_unit = agency_of(AgencyKind.EXIT_UNIT, "Ishøj")
    ctx = _Context(
        coordinator=users["exit"],
        officer=users["politi"],
        exit_unit=exit_unit,
        police=agency_of(AgencyKind.POLICE, None),
        job_centre=agency_of(AgencyKind.JOB_CENTRE, "Ishøj"),
        today=timezone.localdate(),
    )
    return sum(1 for make in (_referral, _active, _ended) if make(ctx))
