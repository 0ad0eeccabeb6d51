"""Demo concern conversations (issue 4, point 11): the demo police liaison officer
("politi", Københavns Vestegns Politi) with a conversation in every state about the
demo young people of Ishøj and Albertslund (organisations.demo, cases.demo,
families.demo), written through conversations.services as a user would.

Dates are relative to the day `seed_demo` first runs, so that the dashboard has a
follow-up due in a few days and one overdue: the services refuse future dates for
what has happened, not past ones. Each conversation is known by its `requested_by`
text ("Demo: …") and its young person; a second run creates nothing.

Who sees what afterwards (issue 4, point 7): the police see all eight and may change
them; Ishøj SSP ("ssp") sees the five it takes part in in full and Sara's, where
children and family services take part, as a summary only; the social worker
("socialraadgiver") sees Sara's in full and has a measure of Ali's conversation on
its worklist, not the conversation; Albertslund SSP sees only Albertslund's two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import VIEW, can
from access.services import access_grant
from cases.models import Person
from organisations.demo import agency_of
from organisations.models import Agency, AgencyKind

from . import services
from .models import (
    ConcernConversation,
    ConcernKind,
    MeasureType,
    Method,
    Outcome,
    ParticipantRole,
    RequestSource,
    Status,
)


def _day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def _at(offset: int, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(_day(offset), time(hour, 0)))


@dataclass
class _Demo:
    """One demo conversation: about whom, in which municipality, who asked (the
    marker), and the steps that take it from "requested" to its state."""

    marker: str
    person: tuple[str, str]  # given name, family name
    municipality: str
    status: str
    kind: str
    source: str
    requested_days_ago: int
    reason: str
    municipal_agency: str = AgencyKind.SSP_UNIT
    # Invited before the steps: parents from the family record, and the member of
    # staff (a demo username) for the municipal agency.
    guardians: tuple[tuple[str, str], ...] = ()
    colleague: str = ""
    steps: list[Callable[[_Context, ConcernConversation], object]] = field(
        default_factory=list
    )


@dataclass
class _Context:
    users: dict
    police: Agency

    @property
    def officer(self):
        return self.users["politi"]


# --- Steps: each calls one service with valid demo input ---------------------------


def _plan(days: int, hour: int = 15):
    def step(ctx: _Context, conversation: ConcernConversation):
        return services.conversation_plan(
            actor=ctx.officer,
            conversation=conversation,
            planned_at=_at(days, hour),
            place=f"Politistationen, {conversation.municipality.name}",
        )

    return step


def _hold(days: int, *, follow_up_in: int, measures: tuple = ()):
    """Held `days` from today (negative: in the past), everyone invited present,
    the follow-up date `follow_up_in` days from today; `measures` are
    (type name, description, agency kind, responsible username, due in days)."""

    def step(ctx: _Context, conversation: ConcernConversation):
        municipality = conversation.municipality.name
        return services.conversation_hold(
            actor=ctx.officer,
            conversation=conversation,
            held_on=_day(days),
            mapping_note=(
                "Demo: gennemgang af skolegang, fritid og venner; fravær og sene "
                "aftener i området. Forældrene bekræfter billedet."
            ),
            accountability_note=(
                "Demo: konsekvenserne af at fortsætte er gjort klart for den unge "
                "og forældrene."
            ),
            measures_note="Demo: tiltag aftalt for fritid, skole og familie.",
            attended=[p.pk for p in conversation.participants.all()],
            follow_up_on=_day(follow_up_in),
            method=Method.objects.filter(active=True).first(),
            measures=[
                {
                    "measure_type": MeasureType.objects.get(name_da=type_name),
                    "description": description,
                    "responsible_agency": agency_of(kind, municipality),
                    "responsible_user": ctx.users[username] if username else None,
                    "due_on": _day(due_in),
                }
                for type_name, description, kind, username, due_in in measures
            ],
        )

    return step


def _follow_up(days: int, *, continues: bool, next_in: int | None = None):
    def step(ctx: _Context, conversation: ConcernConversation):
        return services.conversation_follow_up(
            actor=ctx.officer,
            agency=ctx.police,
            conversation=conversation,
            followed_up_on=_day(days),
            note=(
                "Demo: kontakt med skole og klub; den unge ses stadig sent ude."
                if continues
                else "Demo: går i skole hver dag og har fået fritidsjob."
            ),
            concern_continues=continues,
            next_follow_up_on=_day(next_in) if next_in is not None else None,
        )

    return step


def _close(days: int, outcome: str):
    def step(ctx: _Context, conversation: ConcernConversation):
        return services.conversation_close(
            actor=ctx.officer,
            conversation=conversation,
            outcome=outcome,
            reason="Demo: drøftet på SSP-mødet; sagen følges videre dér.",
            closed_on=_day(days),
        )

    return step


def _cancel(ctx: _Context, conversation: ConcernConversation):
    return services.conversation_cancel(
        actor=ctx.officer,
        conversation=conversation,
        reason="Demo: skolens egen indsats er nok; drøftet på SSP-mødet.",
    )


def _not_attended(ctx: _Context, conversation: ConcernConversation):
    return services.conversation_not_attended(
        actor=ctx.officer,
        conversation=conversation,
        reason="Demo: familien mødte ikke op; der aftales en ny tid.",
    )


DEMO_CONVERSATIONS = [
    _Demo(
        marker="Demo: SSP-mødet i Ishøj",
        person=("Bilal", "Demosen"),
        municipality="Ishøj",
        status=Status.PLANNED,
        kind=ConcernKind.GENERAL,
        source=RequestSource.SSP_MEETING,
        requested_days_ago=10,
        reason="Demo: stigende fravær og ses sent på aftenen med ældre unge.",
        guardians=(("Dorte", "Demosen"),),
        colleague="ssp",
        steps=[
            _plan(7),
        ],
    ),
    _Demo(
        marker="Demo: politiets ungeliste",
        person=("Ali", "Demo"),
        municipality="Ishøj",
        status=Status.HELD,
        kind=ConcernKind.INCIDENT,
        source=RequestSource.POLICE_LIST,
        requested_days_ago=95,
        reason="Demo: standset sammen med ældre kammerater efter butikstyveri.",
        colleague="ssp",
        steps=[
            _plan(-80, 14),
            _hold(
                -80,
                follow_up_in=4,
                measures=(
                    (
                        "Fritidsjob",
                        "Demo: hjælp til at finde et fritidsjob.",
                        AgencyKind.SSP_UNIT,
                        "ssp",
                        25,
                    ),
                    (
                        "Mentor",
                        "Demo: en mentor en gang om ugen.",
                        AgencyKind.CHILDREN_FAMILY,
                        "socialraadgiver",
                        10,
                    ),
                ),
            ),
        ],
    ),
    _Demo(
        marker="Demo: Børne- og Familierådgivningen, Ishøj",
        person=("Sara", "Eksempel"),
        municipality="Ishøj",
        status=Status.HELD,
        kind=ConcernKind.GENERAL,
        source=RequestSource.SOCIAL_SERVICES,
        requested_days_ago=120,
        reason="Demo: bekymring for sene aftener og kontakt til ældre unge.",
        municipal_agency=AgencyKind.CHILDREN_FAMILY,
        colleague="socialraadgiver",
        steps=[
            _plan(-100, 10),
            # The follow-up date has passed: overdue on the dashboard.
            _hold(
                -100,
                follow_up_in=-5,
                measures=(
                    (
                        "Familiestøtte",
                        "Demo: samtaler med familien om rammer og aftaler.",
                        AgencyKind.CHILDREN_FAMILY,
                        "socialraadgiver",
                        -40,
                    ),
                ),
            ),
        ],
    ),
    _Demo(
        marker="Demo: Vejleå Skole, skoleleder",
        person=("Jonas", "Prøve"),
        municipality="Ishøj",
        status=Status.FOLLOW_UP,
        kind=ConcernKind.GENERAL,
        source=RequestSource.SCHOOL,
        requested_days_ago=75,
        reason="Demo: meget fravær og konflikter i frikvartererne.",
        colleague="ssp",
        steps=[
            _plan(-60),
            _hold(-60, follow_up_in=-14),
            _follow_up(-12, continues=True, next_in=40),
        ],
    ),
    _Demo(
        marker="Demo: §115-mødet i Ishøj",
        person=("Adam", "Demosen"),
        municipality="Ishøj",
        status=Status.CLOSED,
        kind=ConcernKind.GANG,
        source=RequestSource.SSP_MEETING,
        requested_days_ago=300,
        reason="Demo: ses jævnligt med personer fra et kriminelt miljø.",
        guardians=(("Dorte", "Demosen"),),
        colleague="ssp",
        steps=[
            _plan(-285),
            _hold(-285, follow_up_in=-195),
            _follow_up(-195, continues=False),
            _close(-190, Outcome.REFERRED_SSP),
        ],
    ),
    _Demo(
        marker="Demo: Demo Skole, klasselærer",
        person=("Cora", "Demosen"),
        municipality="Ishøj",
        status=Status.CANCELLED,
        kind=ConcernKind.GENERAL,
        source=RequestSource.SCHOOL,
        requested_days_ago=20,
        reason="Demo: uro i klassen og sene aftener med storebrødrene.",
        steps=[_cancel],
    ),
    _Demo(
        marker="Demo: SSP-mødet i Albertslund",
        person=("Emil", "Eksempelsen"),
        municipality="Albertslund",
        status=Status.NOT_ATTENDED,
        kind=ConcernKind.INCIDENT,
        source=RequestSource.SSP_MEETING,
        requested_days_ago=40,
        reason="Demo: hærværk ved skolen sammen med to kammerater.",
        guardians=(("Erik", "Eksempelsen"),),
        colleague="ssp.albertslund",
        steps=[
            _plan(-15),
            _not_attended,
        ],
    ),
    _Demo(
        marker="Demo: forældre, Albertslund",
        person=("Ella", "Eksempelsen"),
        municipality="Albertslund",
        status=Status.REQUESTED,
        kind=ConcernKind.GENERAL,
        source=RequestSource.PARENTS,
        requested_days_ago=3,
        reason="Demo: forældrene er bekymrede for nye venner og sene aftener.",
    ),
]


def _share_with_police(ctx: _Context, person: Person, *, recorder) -> None:
    """The recording agency shares the young person (and the parents invited) with
    the district police for the conversation: an explicit, recorded grant."""
    if can(ctx.officer, person, VIEW):
        return
    access_grant(
        actor=recorder,
        obj=person,
        agency=ctx.police,
        actions=[VIEW],
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        reason="concern conversation",
    )


RECORDERS = {"Ishøj": "ssp", "Albertslund": "ssp.albertslund"}


def _person(demo: _Demo, given: str, family: str) -> Person:
    return Person.objects.get(
        given_name=given, family_name=family, municipality__name=demo.municipality
    )


@transaction.atomic
def seed_conversations(*, users) -> int:
    """Create the demo conversations that do not exist yet; returns how many."""
    ctx = _Context(users=users, police=agency_of(AgencyKind.POLICE, None))
    created = 0
    for demo in DEMO_CONVERSATIONS:
        person = _person(demo, *demo.person)
        if ConcernConversation.objects.filter(
            person=person, requested_by=demo.marker
        ).exists():
            continue
        recorder = users[RECORDERS[demo.municipality]]
        guardians = [_person(demo, *name) for name in demo.guardians]
        for shared in (person, *guardians):
            _share_with_police(ctx, shared, recorder=recorder)
        conversation = services.conversation_request(
            actor=ctx.officer,
            agency=ctx.police,
            person=person,
            kind=demo.kind,
            source=demo.source,
            requested_by=demo.marker,
            requested_on=_day(-demo.requested_days_ago),
            reason=demo.reason,
            municipal_agency=agency_of(demo.municipal_agency, demo.municipality),
        )
        for guardian in guardians:
            services.participant_add(
                actor=ctx.officer,
                conversation=conversation,
                role=ParticipantRole.GUARDIAN,
                person=guardian,
            )
        if demo.colleague:
            services.participant_add(
                actor=ctx.officer,
                conversation=conversation,
                role=ParticipantRole.MUNICIPAL,
                user=users[demo.colleague],
            )
        for step in demo.steps:
            step(ctx, conversation)
        conversation.refresh_from_db()
        if conversation.status != demo.status:  # a demo that no longer fits
            raise RuntimeError(f"{demo.marker} ended {conversation.status}")
        created += 1
    return created
