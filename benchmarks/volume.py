"""A reproducible, fictitious data set at a police district's scale (issue 8).

`seed_volume(persons=N, seed=S)` writes N invented persons across the 11 Vestegn
municipalities with what the real workflows leave behind: households of 2–5 persons
with mother/father relations and children, some direct sibling and half-sibling
relations, concern levels with their history, risk and protective factors, §115
stk. 5 information for a few red young people, a timeline of about ten entries per
person, and the object permissions the services grant (the recording agency's
view/change/export; the district police's view on yellow and red young people and
their households; the municipal SSP unit's view on yellow and red young people that
another agency of the municipality recorded; the §115 stk. 5 grants to the sharing
police agency and the named recipient), and concern conversations (below).

Concern conversations: about one for every 25 persons, with yellow and red young
people, held by the district police with a municipal agency taking part, in the mix of
states the workflow leaves (requested, planned, held, in follow-up, closed, cancelled,
not attended), with the rows and grants conversations.services writes: participants
(the officer, the young person, the parents of the household, a municipal member of
staff), agreed measures, follow-ups, a restricted timeline entry per step, the police
agency's view/change/export/summary, the municipal agency's view/summary and the SSP
unit's summary on the conversation (view on the timeline entries), and the measure
grants. Their dates are relative to the day of seeding, not to ANCHOR, so that the
police liaison's dashboard has follow-ups due and overdue whatever the day: the same
seed gives the same offsets. Reminders are not written (no worker sweeps this data).

It writes the rows the services would write, with bulk inserts instead of the
services: those audit each write and would take hours at this scale. The generator
is not a user, so it writes no audit entries. Everything it writes is invented: the
names are common Danish names put together at random, and the CPR numbers are
fictitious (valid in form, the date part matching the date of birth).

Same `seed` and `persons`: the same households, names, levels, factors and grants
(primary keys included); only the `created_at`-style timestamps differ, and the
conversations' dates move with the day of seeding.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from access.legal import LegalBasis
from cases.models import (
    ConcernLevel,
    ConcernLevelChange,
    Factor,
    FactorKind,
    Person,
    PersonFactor,
    PersonGroupObjectPermission,
)
from conversations.models import (
    ConcernConversation,
    ConcernKind,
    ConversationGroupObjectPermission,
    FollowUp,
    Measure,
    MeasureGroupObjectPermission,
    MeasureStatus,
    MeasureType,
    Method,
    Outcome,
    Participant,
    ParticipantRole,
    RequestSource,
    Status,
)
from core.crypto import encrypt, keyed_hash
from core.text import search_key
from families.models import (
    Family,
    FamilyGroupObjectPermission,
    FamilyMember,
    MemberRole,
    Relation,
    RelationKind,
)
from meetings.models import (
    GangInformation,
    GangInformationGroupObjectPermission,
    GangInformationKind,
    GangInformationUserObjectPermission,
)
from organisations.demo import MUNICIPALITIES, seed_organisations
from organisations.models import (
    Agency,
    AgencyKind,
    Membership,
    Municipality,
    Role,
    User,
)
from timeline.models import (
    TimelineEntry,
    TimelineEntryGroupObjectPermission,
    TimelineEntryUserObjectPermission,
)

BATCH_SIZE = 2000
# Households are written in chunks of about this many persons, so that memory stays
# flat whatever N is.
CHUNK_PERSONS = 5000

# Every timestamp is set relative to this fixed moment, so that a seed gives the same
# data on any day.
ANCHOR = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)

# Inhabitants in thousands (rounded): persons are spread over the municipalities in
# this proportion, so Gladsaxe has about three times Ishøj's persons.
POPULATION = {
    "Albertslund": 28,
    "Ballerup": 49,
    "Brøndby": 35,
    "Gladsaxe": 70,
    "Glostrup": 23,
    "Herlev": 30,
    "Hvidovre": 54,
    "Høje-Taastrup": 52,
    "Ishøj": 23,
    "Rødovre": 41,
    "Vallensbæk": 17,
}

# The share of persons with a CPR number. Encryption is cheap (about 30 µs a number,
# measured), so this is realism, not speed: not every person around a young person
# is identified.
CPR_SHARE = 0.85

# Users per agency kind: (role, how many). The first SSP coordinator of each
# municipality and the first police liaison are the benchmark's users.
STAFF = {
    AgencyKind.SSP_UNIT: [(Role.SSP_COORDINATOR, 3), (Role.MANAGER, 1)],
    AgencyKind.CHILDREN_FAMILY: [(Role.SOCIAL_WORKER, 6)],
    AgencyKind.YOUTH_UNIT: [(Role.SOCIAL_WORKER, 3)],
    AgencyKind.SCHOOL: [(Role.SOCIAL_WORKER, 4)],
    AgencyKind.EXIT_UNIT: [(Role.EXIT_COORDINATOR, 1)],
    AgencyKind.JOB_CENTRE: [(Role.SOCIAL_WORKER, 2)],
    AgencyKind.ADDICTION_CENTRE: [(Role.SOCIAL_WORKER, 2)],
    AgencyKind.PSYCHIATRY: [(Role.SOCIAL_WORKER, 2)],
    AgencyKind.POLICE: [(Role.POLICE_LIAISON, 12), (Role.MANAGER, 1)],
    AgencyKind.PRISON_PROBATION: [(Role.SOCIAL_WORKER, 4)],
}
USERNAME_PREFIX = "volume."

BOYS = (
    "Ali Emil Noah William Oscar Lucas Victor Malthe Alfred Carl Oliver Elias Magnus "
    "Frederik Aksel Mikkel Mohammed Omar Ahmad Yusuf Hamza Jonas Mads Rasmus Sebastian "
    "Søren Jørgen Andreas Kasper Tobias Adam Anton Bjørn Ibrahim Mustafa Ömer"
).split()
GIRLS = (
    "Sara Emma Ida Clara Freja Alma Ella Sofia Karla Olivia Aya Maja Laura Nora "
    "Josefine Mathilde Asta Agnes Fatima Maryam Zainab Amina Aase Åse Signe Caroline "
    "Line Mette Hanne Louise Julie Cecilie Hiba Leyla Emilie Zoë"
).split()
FAMILY_NAMES = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
    "Jørgensen Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen "
    "Møller Mortensen Østergaard Aagaard Kjær Knudsen Holm Lund Jakobsen Frederiksen "
    "Ahmed Hussein Ali Yilmaz Khan Demir Hassan Mohamed Abdi Nguyen Kaya Öztürk "
    "Lindholm Bæk Dahl Friis Skov Winther Brandt Vestergaard Bech Iversen Laursen "
    "Schmidt Eriksen Henriksen Mikkelsen Berg Clausen Krogh Juhl Damgaard Nørgaard"
).split()
SCHOOLS = (
    "Vibeskolen",
    "Strandgårdskolen",
    "Ishøj Skole",
    "Herstedlund Skole",
    "Hvidovre Gymnasium",
    "Brøndby Strand Skole",
    "Rødovre Skole",
    "10. klassecenter Vestegnen",
    "Erhvervsskolen Glostrup",
    "",
)
REASONS = (
    "Bekymring fra skolen om fravær.",
    "Drøftet på SSP-møde; aftalt opfølgning.",
    "Anholdt sammen med ældre kammerater.",
    "Positiv udvikling, fast fritidsjob.",
    "Underretning fra fritidsklubben.",
    "Opfølgning efter bekymringssamtale.",
)


# Concern conversations: the chance that a yellow or red young person under 18 has
# had one (giving about one conversation for every 25 persons), and the mix of
# states they are in.
CONVERSATION_SHARE = 0.33
CONVERSATION_STATES = {
    Status.REQUESTED: 8,
    Status.PLANNED: 10,
    Status.HELD: 22,
    Status.FOLLOW_UP: 20,
    Status.CLOSED: 28,
    Status.CANCELLED: 5,
    Status.NOT_ATTENDED: 7,
}
# The municipal agency taking part: mostly the SSP unit.
CONVERSATION_PARTNERS = {
    AgencyKind.SSP_UNIT: 70,
    AgencyKind.CHILDREN_FAMILY: 20,
    AgencyKind.YOUTH_UNIT: 10,
}
# Agencies answering for agreed measures.
MEASURE_AGENCIES = (
    AgencyKind.SSP_UNIT,
    AgencyKind.CHILDREN_FAMILY,
    AgencyKind.YOUTH_UNIT,
    AgencyKind.SCHOOL,
    AgencyKind.JOB_CENTRE,
)
CONVERSATION_NOTES = (
    "Gennemgang af skolegang, fritid og venner.",
    "Konsekvenserne er gjort klart for den unge og forældrene.",
    "Aftalt fritidsjob, mentor og kontakt til skolen.",
)


@dataclass
class VolumeReport:
    persons: int = 0
    families: int = 0
    members: int = 0
    relations: int = 0
    concern_changes: int = 0
    factors: int = 0
    gang_information: int = 0
    timeline_entries: int = 0
    conversations: int = 0
    measures: int = 0
    follow_ups: int = 0
    grants: int = 0
    users: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        per_person = self.timeline_entries / self.persons if self.persons else 0
        return [
            f"persons            {self.persons:>9,}",
            f"families           {self.families:>9,} ({self.members:,} members)",
            f"relations          {self.relations:>9,}",
            f"concern changes    {self.concern_changes:>9,}",
            f"observed factors   {self.factors:>9,}",
            f"§115 stk. 5 info   {self.gang_information:>9,}",
            f"conversations      {self.conversations:>9,} "
            f"({self.measures:,} measures, {self.follow_ups:,} follow-ups)",
            f"timeline entries   {self.timeline_entries:>9,} "
            f"({per_person:.1f} a person)",
            f"object grants      {self.grants:>9,}",
            f"users created      {self.users:>9,}",
            f"seconds            {self.seconds:>9.1f} "
            + " ".join(f"{k}={v:.1f}" for k, v in self.timings.items()),
        ]


class _Ids:
    """UUIDs drawn from the seeded generator: the same seed, the same keys."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


@dataclass
class _World:
    municipalities: list[Municipality]
    weights: list[int]
    agencies: dict[tuple[str, str], Agency]  # (municipality pk, kind) → agency
    police: Agency
    staff: dict[str, list[User]]  # agency pk → its users (first: SSP coordinator …)
    ssp_coordinators: dict[str, list[User]]  # municipality pk → coordinators
    police_liaisons: list[User]
    permissions: dict[str, int]  # "cases.view_person" → permission pk
    risk: list[Factor]
    protective: list[Factor]
    method: Method | None
    measure_types: list[MeasureType]


@dataclass
class _Chunk:
    """The rows of one chunk of households, written together."""

    persons: list[Person] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    members: list[FamilyMember] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    changes: list[ConcernLevelChange] = field(default_factory=list)
    factors: list[PersonFactor] = field(default_factory=list)
    gang: list[GangInformation] = field(default_factory=list)
    gang_recipients: list = field(default_factory=list)
    entries: list[TimelineEntry] = field(default_factory=list)
    person_grants: list[PersonGroupObjectPermission] = field(default_factory=list)
    family_grants: list[FamilyGroupObjectPermission] = field(default_factory=list)
    gang_group_grants: list = field(default_factory=list)
    gang_user_grants: list = field(default_factory=list)
    entry_group_grants: list = field(default_factory=list)
    entry_user_grants: list = field(default_factory=list)
    conversations: list[ConcernConversation] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    conversation_grants: list = field(default_factory=list)
    measure_grants: list = field(default_factory=list)


def ensure_world(*, stdout: Callable[[str], None] | None = None) -> int:
    """The Vestegn municipalities and agencies (organisations.demo, which creates no
    users and no passwords) and the volume users: STAFF per agency, with unusable
    passwords (the benchmark logs them in without one). Idempotent; returns the
    number of users created."""
    seed_organisations()
    if User.objects.filter(username__startswith=USERNAME_PREFIX).exists():
        return 0
    agencies = list(
        Agency.objects.select_related("municipality").order_by("kind", "name")
    )
    password = make_password(None)
    users, memberships, groups = [], [], []
    for agency in agencies:
        where = agency.municipality.code if agency.municipality else "district"
        for role, count in STAFF.get(agency.kind, []):
            for number in range(1, count + 1):
                user = User(
                    username=f"{USERNAME_PREFIX}{where}.{agency.kind}.{role}.{number}",
                    first_name=f"{role.label}",
                    last_name=f"{number} ({agency.name})",
                    password=password,
                )
                users.append(user)
                memberships.append(Membership(user=user, agency=agency, role=role))
                # What membership_sync_groups does for a case role (signals do not
                # fire on bulk_create).
                if role in Role.case_roles():
                    groups.append(
                        User.groups.through(user=user, group_id=agency.group_id)
                    )
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    User.groups.through.objects.bulk_create(groups, batch_size=BATCH_SIZE)
    if stdout:
        stdout(f"Created {len(users)} users in {len(agencies)} agencies.")
    return len(users)


def _load_world() -> _World:
    municipalities = list(
        Municipality.objects.filter(code__in=MUNICIPALITIES.values()).order_by("code")
    )
    agencies = {}
    police = None
    for agency in Agency.objects.all():
        if agency.municipality_id:
            agencies[(agency.municipality_id, agency.kind)] = agency
        elif agency.kind == AgencyKind.POLICE:
            police = agency
    staff: dict = {}
    ssp: dict = {}
    liaisons = []
    for m in (
        Membership.objects.filter(user__username__startswith=USERNAME_PREFIX)
        .select_related("user", "agency")
        .order_by("user__username")
    ):
        staff.setdefault(m.agency_id, []).append(m.user)
        if m.role == Role.SSP_COORDINATOR:
            ssp.setdefault(m.agency.municipality_id, []).append(m.user)
        elif m.role == Role.POLICE_LIAISON:
            liaisons.append(m.user)
    permissions = {
        f"{p.content_type.app_label}.{p.codename}": p.pk
        for p in Permission.objects.filter(
            content_type__in=ContentType.objects.get_for_models(
                Person,
                Family,
                GangInformation,
                TimelineEntry,
                ConcernConversation,
                Measure,
            ).values()
        ).select_related("content_type")
    }
    factors = list(Factor.objects.filter(active=True).order_by("kind", "position"))
    return _World(
        municipalities=municipalities,
        weights=[POPULATION[m.name] for m in municipalities],
        agencies=agencies,
        police=police,
        staff=staff,
        ssp_coordinators=ssp,
        police_liaisons=liaisons,
        permissions=permissions,
        risk=[f for f in factors if f.kind == FactorKind.RISK],
        protective=[f for f in factors if f.kind == FactorKind.PROTECTIVE],
        method=Method.objects.filter(active=True).order_by("position", "pk").first(),
        measure_types=list(
            MeasureType.objects.filter(active=True).order_by("position", "pk")
        ),
    )


class _Generator:
    def __init__(self, *, seed: int, world: _World) -> None:
        # Reproducible fictitious data, not secrets.
        self.rng = random.Random(seed)  # noqa: S311
        self.new_id = _Ids(self.rng)
        self.world = world
        self.cpr_serials: dict[date, int] = {}
        self.earlier_children: list[Person] = []  # for half-sibling relations
        self.family_number = 0
        # The conversations' dates: relative to the day of seeding (module docstring).
        self.today = timezone.localdate()

    # --- small draws -----------------------------------------------------------

    def moment(self, days_back_max: int, days_back_min: int = 0) -> datetime:
        days = self.rng.randint(days_back_min, days_back_max)
        return ANCHOR - timedelta(days=days, minutes=self.rng.randint(0, 600))

    def birthday(self, age_min: int, age_max: int) -> date:
        return ANCHOR.date() - timedelta(
            days=self.rng.randint(age_min * 365, age_max * 365 + 364)
        )

    def cpr(self, born: date) -> str:
        """A fictitious CPR number for `born`, unique in this data set: the seventh
        digit gives the century by the CPR Office's rule (core.cpr.century)."""
        serial = self.cpr_serials.get(born, 0)
        self.cpr_serials[born] = serial + 1
        first = 4 if born.year >= 2000 else 0
        return f"{born:%d%m%y}{first + serial // 1000}{serial % 1000:03d}"

    def staff_of(self, agency: Agency) -> User:
        return self.rng.choice(self.world.staff[agency.pk])

    def grant(self, chunk: _Chunk, obj, agency: Agency, actions) -> None:
        model, rows = {
            Person: (PersonGroupObjectPermission, chunk.person_grants),
            Family: (FamilyGroupObjectPermission, chunk.family_grants),
            GangInformation: (
                GangInformationGroupObjectPermission,
                chunk.gang_group_grants,
            ),
            TimelineEntry: (
                TimelineEntryGroupObjectPermission,
                chunk.entry_group_grants,
            ),
            ConcernConversation: (
                ConversationGroupObjectPermission,
                chunk.conversation_grants,
            ),
            Measure: (MeasureGroupObjectPermission, chunk.measure_grants),
        }[type(obj)]
        label = type(obj)._meta.app_label
        name = type(obj)._meta.model_name
        for action in actions:
            rows.append(
                model(
                    content_object_id=obj.pk,
                    group_id=agency.group_id,
                    permission_id=self.world.permissions[f"{label}.{action}_{name}"],
                )
            )

    def entry(self, chunk: _Chunk, person: Person, kind: str, **fields):
        entry = TimelineEntry(
            id=self.new_id(), person_id=person.pk, kind=kind, **fields
        )
        chunk.entries.append(entry)
        return entry

    # --- persons ---------------------------------------------------------------

    def person(
        self,
        chunk: _Chunk,
        *,
        municipality: Municipality,
        agency: Agency,
        family_name: str,
        young: bool,
        female: bool,
    ) -> Person:
        rng = self.rng
        born = self.birthday(10, 21) if young else self.birthday(32, 58)
        given = rng.choice(GIRLS if female else BOYS)
        actor = self.staff_of(agency)
        person = Person(
            id=self.new_id(),
            given_name=given,
            family_name=family_name,
            date_of_birth=born,
            school=rng.choice(SCHOOLS) if young else "",
            address="" if rng.random() < 0.3 else f"Vestvej {rng.randint(1, 200)}",
            municipality=municipality,
            recorded_by=agency,
            legal_basis=LegalBasis.OWN_TASK,
            created_by=actor,
            # What Person.save does, which bulk_create bypasses.
            search_name=search_key(f"{given} {family_name}"),
        )
        if rng.random() < CPR_SHARE:
            digits = self.cpr(born)
            person.cpr_encrypted = encrypt(digits)
            person.cpr_hash = keyed_hash(digits)
        registered = self.moment(1000, 400)
        chunk.persons.append(person)
        self.entry(
            chunk,
            person,
            "cases.registered",
            occurred_at=registered,
            agency=agency,
            legal_basis=LegalBasis.OWN_TASK,
            recorded_by=actor,
            source_type="cases.person",
            source_id=str(person.pk),
        )
        self.grant(chunk, person, agency, ("view", "change", "export"))
        if young:
            self.concern(chunk, person, agency)
            self.observe_factors(chunk, person, agency, count=rng.randint(3, 8))
        elif rng.random() < 0.5:
            self.observe_factors(chunk, person, agency, count=rng.randint(1, 3))
        return person

    def concern(self, chunk: _Chunk, person: Person, agency: Agency) -> None:
        rng = self.rng
        level = rng.choices(
            ["", ConcernLevel.GREEN, ConcernLevel.YELLOW, ConcernLevel.RED],
            weights=[8, 52, 32, 8],
        )[0]
        if not level:
            return
        steps = rng.randint(1, 4) + (1 if level == ConcernLevel.RED else 0)
        levels = [
            rng.choice([ConcernLevel.GREEN, ConcernLevel.YELLOW])
            for _ in range(steps - 1)
        ] + [level]
        days = sorted((rng.randint(0, 390) for _ in levels), reverse=True)
        for value, back in zip(levels, days, strict=True):
            actor = self.staff_of(agency)
            change = ConcernLevelChange(
                id=self.new_id(),
                person_id=person.pk,
                level=value,
                reason=rng.choice(REASONS),
                set_by=actor,
                agency=agency,
                legal_basis=LegalBasis.OWN_TASK,
            )
            chunk.changes.append(change)
            self.entry(
                chunk,
                person,
                "cases.concern_level",
                occurred_at=ANCHOR - timedelta(days=back, hours=rng.randint(0, 9)),
                params={"level": value},
                detail=change.reason,
                agency=agency,
                legal_basis=LegalBasis.OWN_TASK,
                recorded_by=actor,
                source_type="cases.concernlevelchange",
                source_id=str(change.pk),
            )
        person.concern_level = level
        if level in (ConcernLevel.YELLOW, ConcernLevel.RED):
            # §115 sharing as the SSP/PSP workflow grants it: the district police
            # see the young people of concern, and so does the municipality's SSP
            # unit when another of its agencies recorded them.
            self.grant(chunk, person, self.world.police, ("view",))
            ssp = self.world.agencies[(person.municipality_id, AgencyKind.SSP_UNIT)]
            if ssp.pk != agency.pk:
                self.grant(chunk, person, ssp, ("view",))
        if level == ConcernLevel.RED and rng.random() < 0.15:
            self.gang_information(chunk, person)

    def observe_factors(
        self, chunk: _Chunk, person: Person, agency: Agency, *, count: int
    ) -> None:
        rng = self.rng
        pool = self.world.risk * 2 + self.world.protective
        for factor in {rng.choice(pool) for _ in range(count)}:
            actor = self.staff_of(agency)
            observed_on = (ANCHOR - timedelta(days=rng.randint(30, 700))).date()
            observed = PersonFactor(
                id=self.new_id(),
                person_id=person.pk,
                factor=factor,
                observed_on=observed_on,
                note="",
                agency=agency,
                legal_basis=LegalBasis.OWN_TASK,
                recorded_by=actor,
            )
            params = {
                "kind": factor.kind,
                "name_da": factor.name_da,
                "name_en": factor.name_en,
            }
            common = {
                "agency": agency,
                "legal_basis": LegalBasis.OWN_TASK,
                "recorded_by": actor,
                "params": params,
                "source_type": "cases.personfactor",
                "source_id": str(observed.pk),
            }
            self.entry(
                chunk,
                person,
                "cases.factor_recorded",
                occurred_at=datetime.combine(observed_on, ANCHOR.timetz()),
                **common,
            )
            if rng.random() < 0.25:
                observed.ended_on = observed_on + timedelta(days=rng.randint(1, 29))
                observed.end_note = "Ikke længere aktuelt."
                self.entry(
                    chunk,
                    person,
                    "cases.factor_ended",
                    occurred_at=datetime.combine(observed.ended_on, ANCHOR.timetz()),
                    detail=observed.end_note,
                    **common,
                )
            chunk.factors.append(observed)

    def gang_information(self, chunk: _Chunk, person: Person) -> None:
        """What meetings.services.gang_information_share writes: the record, a
        restricted timeline entry, the grants to the sharing police agency and to
        the named recipient (an SSP coordinator of the person's municipality)."""
        rng = self.rng
        police = self.world.police
        actor = rng.choice(self.world.police_liaisons)
        recipient = self.world.ssp_coordinators[person.municipality_id][0]
        kind = rng.choice(GangInformationKind.values)
        info = GangInformation(
            id=self.new_id(),
            person_id=person.pk,
            kind=kind,
            shared_on=(ANCHOR - timedelta(days=rng.randint(1, 200))).date(),
            agency=police,
            shared_by=actor,
        )
        chunk.gang.append(info)
        chunk.gang_recipients.append(
            GangInformation.recipients.through(
                ganginformation_id=info.pk, user_id=recipient.pk
            )
        )
        entry = self.entry(
            chunk,
            person,
            "meetings.gang_information",
            occurred_at=datetime.combine(info.shared_on, ANCHOR.timetz()),
            params={"kind": kind},
            agency=police,
            legal_basis=LegalBasis.RPL115_5_GANG,
            recorded_by=actor,
            restricted=True,
            source_type="meetings.ganginformation",
            source_id=str(info.pk),
        )
        self.grant(chunk, info, police, ("view", "change"))
        self.grant(chunk, entry, police, ("view",))
        for obj, model, rows in (
            (info, GangInformationUserObjectPermission, chunk.gang_user_grants),
            (entry, TimelineEntryUserObjectPermission, chunk.entry_user_grants),
        ):
            label = type(obj)._meta
            rows.append(
                model(
                    content_object_id=obj.pk,
                    user_id=recipient.pk,
                    permission_id=self.world.permissions[
                        f"{label.app_label}.view_{label.model_name}"
                    ],
                )
            )

    # --- concern conversations -------------------------------------------------

    def conversation_entry(
        self,
        chunk: _Chunk,
        conversation: ConcernConversation,
        step: str,
        day: date,
        **params,
    ) -> None:
        """What conversations.services._timeline writes: a restricted entry, seen
        by the parties (the police, the municipal agency, the SSP unit)."""
        entry = self.entry(
            chunk,
            conversation.person,
            f"conversations.{step}",
            occurred_at=datetime.combine(day, ANCHOR.timetz()),
            params={"kind": conversation.kind, **params},
            agency=conversation.agency,
            legal_basis=conversation.legal_basis,
            recorded_by=conversation.owner,
            restricted=True,
            source_type="conversations.concernconversation",
            source_id=str(conversation.pk),
        )
        for agency in self.parties(conversation):
            self.grant(chunk, entry, agency, ("view",))

    def parties(self, conversation: ConcernConversation) -> list[Agency]:
        ssp = self.world.agencies[(conversation.municipality_id, AgencyKind.SSP_UNIT)]
        parties = [conversation.agency, conversation.municipal_agency]
        return parties if ssp in parties else [*parties, ssp]

    def participant(self, chunk: _Chunk, conversation, role: str, **who) -> Participant:
        participant = Participant(
            id=self.new_id(), conversation=conversation, role=role, **who
        )
        chunk.participants.append(participant)
        return participant

    def maybe_conversation(
        self, chunk: _Chunk, person: Person, guardians: list[Person]
    ) -> None:
        """A concern conversation with a yellow or red young person of 12-17 now
        and then (CONVERSATION_SHARE). The age is taken at ANCHOR and the draw made
        first, so that the day of seeding never changes which persons follow."""
        draw = self.rng.random()
        age = (ANCHOR.date() - person.date_of_birth).days // 365
        if (
            person.concern_level not in (ConcernLevel.YELLOW, ConcernLevel.RED)
            or not 12 <= age <= 17
            or draw >= CONVERSATION_SHARE
        ):
            return
        self.conversation(chunk, person, guardians)

    def conversation(
        self, chunk: _Chunk, person: Person, guardians: list[Person]
    ) -> None:
        """The rows conversations.services writes on the way to a state drawn from
        CONVERSATION_STATES (the police already see a yellow or red young person:
        concern() shared it)."""
        rng = self.rng
        world = self.world
        today = self.today
        status = rng.choices(
            list(CONVERSATION_STATES), weights=list(CONVERSATION_STATES.values())
        )[0]
        partner_kind = rng.choices(
            list(CONVERSATION_PARTNERS), weights=list(CONVERSATION_PARTNERS.values())
        )[0]
        partner = world.agencies[(person.municipality_id, partner_kind)]
        owner = rng.choice(world.police_liaisons)
        back = {
            Status.REQUESTED: (0, 30),
            Status.PLANNED: (3, 60),
            Status.HELD: (40, 400),
            Status.FOLLOW_UP: (60, 500),
            Status.CLOSED: (150, 700),
            Status.CANCELLED: (5, 200),
            Status.NOT_ATTENDED: (25, 200),
        }[status]
        requested_on = today - timedelta(days=rng.randint(*back))
        conversation = ConcernConversation(
            id=self.new_id(),
            person=person,
            municipality_id=person.municipality_id,
            status=status,
            kind=rng.choice(ConcernKind.values),
            source=rng.choice(RequestSource.values),
            requested_by="SSP-mødet",
            requested_on=requested_on,
            reason=rng.choice(REASONS),
            agency=world.police,
            owner=owner,
            municipal_agency=partner,
            legal_basis=LegalBasis.RPL115_1_1_SSP,
            created_by=owner,
        )
        chunk.conversations.append(conversation)
        self.grant(
            chunk, conversation, world.police, ("view", "change", "export", "summary")
        )
        self.grant(chunk, conversation, partner, ("view", "summary"))
        for agency in self.parties(conversation)[2:]:
            self.grant(chunk, conversation, agency, ("summary",))
        invited = [
            self.participant(
                chunk,
                conversation,
                ParticipantRole.POLICE,
                user=owner,
                agency=world.police,
            ),
            self.participant(chunk, conversation, ParticipantRole.YOUTH, person=person),
        ]
        self.conversation_entry(chunk, conversation, "requested", requested_on)
        cancelled_early = status == Status.CANCELLED and rng.random() < 0.5
        if status == Status.REQUESTED or cancelled_early:
            if cancelled_early:
                self.conversation_end(chunk, conversation, "cancelled", requested_on)
            return
        # Planned: a time, a place, a municipal colleague and the parents invited.
        if status == Status.PLANNED:
            day = today + timedelta(days=rng.randint(-5, 30))
            day = max(day, requested_on)
        elif status == Status.CANCELLED:
            day = requested_on + timedelta(days=rng.randint(3, 5))
        else:
            day = requested_on + timedelta(days=rng.randint(3, 20))
        conversation.planned_at = datetime.combine(day, ANCHOR.timetz()) + timedelta(
            hours=rng.randint(-3, 4)
        )
        conversation.place = "Politistationen" if rng.random() < 0.6 else "Hjemme"
        colleague = self.staff_of(partner)
        invited.append(
            self.participant(
                chunk,
                conversation,
                ParticipantRole.MUNICIPAL,
                user=colleague,
                agency=partner,
            )
        )
        invited += [
            self.participant(
                chunk, conversation, ParticipantRole.GUARDIAN, person=guardian
            )
            for guardian in guardians
        ]
        self.conversation_entry(
            chunk,
            conversation,
            "planned",
            min(requested_on + timedelta(days=1), today),
            planned_at=conversation.planned_at.isoformat(),
        )
        if status == Status.PLANNED:
            return
        if status in (Status.CANCELLED, Status.NOT_ATTENDED):
            step = "cancelled" if status == Status.CANCELLED else "not_attended"
            self.conversation_end(chunk, conversation, step, day)
            return
        self.held(chunk, conversation, invited, day, status)

    def conversation_end(self, chunk, conversation, step: str, day: date) -> None:
        conversation.status_reason = (
            "Familien mødte ikke op." if step == "not_attended" else "Ikke aktuelt."
        )
        self.conversation_entry(chunk, conversation, step, day)

    def held(
        self,
        chunk: _Chunk,
        conversation: ConcernConversation,
        invited: list[Participant],
        held_on: date,
        status: str,
    ) -> None:
        """Held on `held_on`, then followed up or closed by `status`."""
        rng = self.rng
        today = self.today
        for participant in invited:
            participant.attended = rng.random() < 0.9
        conversation.held_on = held_on
        conversation.method = self.world.method
        (
            conversation.mapping_note,
            conversation.accountability_note,
            conversation.measures_note,
        ) = CONVERSATION_NOTES
        conversation.follow_up_on = max(
            held_on, today + timedelta(days=rng.randint(-30, 90))
        )
        conversation.agreed_follow_up_on = conversation.follow_up_on
        self.conversation_entry(
            chunk,
            conversation,
            "held",
            held_on,
            follow_up_on=conversation.follow_up_on.isoformat(),
        )
        for _ in range(rng.choices([0, 1, 2], weights=[30, 45, 25])[0]):
            self.measure(chunk, conversation, closed=status == Status.CLOSED)
        last = held_on
        if status == Status.FOLLOW_UP or (
            status == Status.CLOSED and rng.random() < 0.5
        ):
            rounds = rng.randint(1, 2)
            for number in range(rounds):
                last = min(today, last + timedelta(days=rng.randint(20, 90)))
                final = number == rounds - 1
                continues = not final or (
                    status == Status.FOLLOW_UP and rng.random() < 0.85
                )
                following = (
                    max(last, today + timedelta(days=rng.randint(-30, 90)))
                    if continues
                    else None
                )
                chunk.follow_ups.append(
                    FollowUp(
                        id=self.new_id(),
                        conversation=conversation,
                        person_id=conversation.person_id,
                        followed_up_on=last,
                        note="Kontakt med skole og klub.",
                        concern_continues=continues,
                        next_follow_up_on=following,
                        agency=conversation.agency,
                        recorded_by=conversation.owner,
                    )
                )
                conversation.follow_up_on = following
                self.conversation_entry(
                    chunk,
                    conversation,
                    "followed_up",
                    last,
                    concern_continues=continues,
                )
        if status == Status.CLOSED:
            conversation.closed_on = min(
                today, last + timedelta(days=rng.randint(0, 30))
            )
            conversation.outcome = rng.choice(Outcome.values)
            conversation.status_reason = "Ingen fortsat bekymring."
            conversation.follow_up_on = None
            self.conversation_entry(
                chunk,
                conversation,
                "closed",
                conversation.closed_on,
                outcome=conversation.outcome,
            )

    def measure(
        self, chunk: _Chunk, conversation: ConcernConversation, *, closed: bool
    ) -> None:
        """What conversations.services.measure_add writes, with the grants."""
        rng = self.rng
        world = self.world
        if rng.random() < 0.1:
            agency = world.police
        else:
            kind = rng.choice(MEASURE_AGENCIES)
            agency = world.agencies[(conversation.municipality_id, kind)]
        measure = Measure(
            id=self.new_id(),
            conversation=conversation,
            person_id=conversation.person_id,
            measure_type=rng.choice(world.measure_types),
            description="Aftalt i samtalen.",
            responsible_agency=agency,
            responsible_user=self.staff_of(agency) if rng.random() < 0.5 else None,
            due_on=conversation.held_on + timedelta(days=rng.randint(14, 120)),
            status=rng.choices(
                list(MeasureStatus.values),
                weights=[5, 5, 70, 20] if closed else [40, 35, 20, 5],
            )[0],
        )
        chunk.measures.append(measure)
        self.grant(chunk, measure, conversation.agency, ("view", "change"))
        if agency.pk != conversation.agency_id:
            self.grant(chunk, measure, agency, ("view", "change"))
        if agency.pk != conversation.municipal_agency_id:
            self.grant(chunk, measure, conversation.municipal_agency, ("view",))

    # --- households ------------------------------------------------------------

    def relation(
        self,
        chunk: _Chunk,
        person: Person,
        relative: Person,
        kind: str,
        agency: Agency,
    ) -> None:
        """What families.services.relation_record writes: the relation and an
        entry on both persons' timelines."""
        actor = self.staff_of(agency)
        relation = Relation(
            id=self.new_id(),
            person_id=person.pk,
            relative_id=relative.pk,
            kind=kind,
            agency=agency,
            legal_basis=LegalBasis.OWN_TASK,
            recorded_by=actor,
        )
        chunk.relations.append(relation)
        when = self.moment(380, 0)
        for subject in (person, relative):
            self.entry(
                chunk,
                subject,
                "families.relation",
                occurred_at=when,
                params={"kind": kind},
                agency=agency,
                legal_basis=LegalBasis.OWN_TASK,
                recorded_by=actor,
                source_type="families.relation",
                source_id=str(relation.pk),
            )

    def household(self, chunk: _Chunk, size: int) -> None:
        rng = self.rng
        world = self.world
        municipality = rng.choices(world.municipalities, weights=world.weights)[0]
        kind = rng.choices(
            [
                AgencyKind.SSP_UNIT,
                AgencyKind.CHILDREN_FAMILY,
                AgencyKind.YOUTH_UNIT,
                AgencyKind.SCHOOL,
            ],
            weights=[55, 30, 10, 5],
        )[0]
        agency = world.agencies[(municipality.pk, kind)]
        family_name = rng.choice(FAMILY_NAMES)
        if size == 1:
            person = self.person(
                chunk,
                municipality=municipality,
                agency=agency,
                family_name=family_name,
                young=True,
                female=rng.random() < 0.35,
            )
            self.maybe_conversation(chunk, person, [])
            return
        self.family_number += 1
        family = Family(
            id=self.new_id(),
            name=f"Familien {family_name}",
            municipality=municipality,
            recorded_by=agency,
            legal_basis=LegalBasis.OWN_TASK,
            created_by=self.staff_of(agency),
        )
        chunk.families.append(family)
        self.grant(chunk, family, agency, ("view", "change", "export"))
        # About one household in ten is siblings without a recorded parent: their
        # sibling relations are recorded directly.
        siblings_only = rng.random() < 0.1
        carers = 0 if siblings_only else (2 if size >= 3 and rng.random() < 0.6 else 1)
        roles = []
        if carers:
            roles.append(MemberRole.MOTHER if rng.random() < 0.8 else MemberRole.FATHER)
        if carers == 2:
            roles.append(
                MemberRole.FATHER
                if roles[0] == MemberRole.MOTHER
                else MemberRole.MOTHER
            )
        roles += [MemberRole.CHILD] * (size - len(roles))
        members: list[tuple[Person, str]] = []
        for role in roles:
            person = self.person(
                chunk,
                municipality=municipality,
                agency=agency,
                family_name=family_name,
                young=role == MemberRole.CHILD,
                female=role == MemberRole.MOTHER
                or (role == MemberRole.CHILD and rng.random() < 0.45),
            )
            members.append((person, role))
            chunk.members.append(
                FamilyMember(family_id=family.pk, person_id=person.pk, role=role)
            )
            self.entry(
                chunk,
                person,
                "families.member_added",
                occurred_at=self.moment(390, 380),
                params={"family": family.name, "role": role},
                agency=agency,
                legal_basis=LegalBasis.OWN_TASK,
                recorded_by=family.created_by,
                source_type="families.family",
                source_id=str(family.pk),
            )
        children = [p for p, role in members if role == MemberRole.CHILD]
        for parent, role in members:
            if role in (MemberRole.MOTHER, MemberRole.FATHER):
                for child in children:
                    self.relation(chunk, child, parent, role, agency)
        if siblings_only:
            for i, child in enumerate(children):
                for other in children[i + 1 :]:
                    self.relation(chunk, child, other, RelationKind.SIBLING, agency)
        # A half-sibling in another household (a parent Tværs has not recorded).
        for child in children:
            if self.earlier_children and rng.random() < 0.03:
                other = rng.choice(self.earlier_children)
                self.relation(chunk, child, other, RelationKind.HALF_SIBLING, agency)
        self.earlier_children.extend(children)
        carers = [p for p, role in members if role != MemberRole.CHILD]
        for child in children:
            self.maybe_conversation(chunk, child, carers)
        if len(self.earlier_children) > 5000:
            del self.earlier_children[:2500]
        if any(p.concern_level == ConcernLevel.RED for p in children):
            self.grant(chunk, family, world.police, ("view",))

    def chunk(self, persons: int) -> _Chunk:
        chunk = _Chunk()
        while len(chunk.persons) < persons:
            left = persons - len(chunk.persons)
            if self.rng.random() < 0.15:
                size = 1
            else:
                size = self.rng.choices([2, 3, 4, 5], weights=[30, 35, 25, 10])[0]
            self.household(chunk, min(size, left))
        return chunk


def _write(chunk: _Chunk, report: VolumeReport) -> None:
    def put(model, rows) -> None:
        if rows:
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    put(Person, chunk.persons)
    put(Family, chunk.families)
    put(FamilyMember, chunk.members)
    put(Relation, chunk.relations)
    put(ConcernLevelChange, chunk.changes)
    put(PersonFactor, chunk.factors)
    put(GangInformation, chunk.gang)
    put(GangInformation.recipients.through, chunk.gang_recipients)
    put(ConcernConversation, chunk.conversations)
    put(Participant, chunk.participants)
    put(Measure, chunk.measures)
    put(FollowUp, chunk.follow_ups)
    put(TimelineEntry, chunk.entries)
    grants = (
        chunk.person_grants,
        chunk.family_grants,
        chunk.gang_group_grants,
        chunk.gang_user_grants,
        chunk.entry_group_grants,
        chunk.entry_user_grants,
        chunk.conversation_grants,
        chunk.measure_grants,
    )
    for rows in grants:
        if rows:
            put(type(rows[0]), rows)
    report.persons += len(chunk.persons)
    report.families += len(chunk.families)
    report.members += len(chunk.members)
    report.relations += len(chunk.relations)
    report.concern_changes += len(chunk.changes)
    report.factors += len(chunk.factors)
    report.gang_information += len(chunk.gang)
    report.timeline_entries += len(chunk.entries)
    report.conversations += len(chunk.conversations)
    report.measures += len(chunk.measures)
    report.follow_ups += len(chunk.follow_ups)
    report.grants += sum(len(rows) for rows in grants)


CASE_MODELS = (Person, Family)


def volume_reset() -> None:
    """Delete every person and family with everything that hangs on them (grants,
    timeline, relations, factors, §115 information, concern conversations). The
    audit log stays: it has no foreign key to persons and is append-only."""
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table) for m in CASE_MODELS
        )
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of rows written earlier in the same
            # transaction (a test's) would otherwise block TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} CASCADE")  # noqa: S608 - table names
        return
    # Small data sets (tests, SQLite): the ORM follows the cascades; meetings and
    # conversations first, since they protect their persons.
    from exitprogram.models import ExitCase
    from meetings.models import Consent, Meeting, PoliceList

    ExitCase.objects.all().delete()
    PoliceList.objects.all().delete()
    Meeting.objects.all().delete()
    Consent.objects.all().delete()
    ConcernConversation.objects.all().delete()
    Family.objects.all().delete()
    Person.objects.all().delete()


def seed_volume(
    *,
    persons: int,
    seed: int = 8,
    reset: bool = False,
    stdout: Callable[[str], None] | None = None,
) -> VolumeReport:
    """Write `persons` fictitious persons (see the module docstring). Refuses (with
    ValueError) to add to a database that already holds persons unless `reset`,
    which deletes all persons and families first."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    started = time.perf_counter()
    report = VolumeReport()
    report.users = ensure_world(stdout=stdout)
    with transaction.atomic():
        if reset:
            volume_reset()
        elif Person.objects.exists():
            raise ValueError(
                "The database already holds persons; reset to replace them."
            )
        report.timings["reset"] = time.perf_counter() - started
        world = _load_world()
        generator = _Generator(seed=seed, world=world)
        generating = writing = 0.0
        while report.persons < persons:
            mark = time.perf_counter()
            chunk = generator.chunk(min(CHUNK_PERSONS, persons - report.persons))
            generating += time.perf_counter() - mark
            mark = time.perf_counter()
            _write(chunk, report)
            writing += time.perf_counter() - mark
            if stdout:
                stdout(f"  {report.persons:,} / {persons:,} persons")
        report.timings["generate"] = generating
        report.timings["write"] = writing
    if connection.vendor == "postgresql":
        mark = time.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM too, where it can run (not inside a transaction, as in the
            # smoke test): it sets the visibility map that index-only scans of the
            # grant tables rely on, as autovacuum keeps it in production.
            cursor.execute(
                "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            )
        report.timings["analyze"] = time.perf_counter() - mark
    mark = time.perf_counter()
    from .meetings import ensure_bench_meeting

    try:
        ensure_bench_meeting()
    except LookupError as exc:  # too few young people (tiny data sets)
        if stdout:
            stdout(f"  no benchmark meeting: {exc}")
    report.timings["meeting"] = time.perf_counter() - mark
    mark = time.perf_counter()
    from .exit import ensure_bench_exit

    ensure_bench_exit()
    report.timings["exit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    from .plans import ensure_bench_plan

    try:
        ensure_bench_plan()
    except LookupError as exc:  # no household in the home municipality
        if stdout:
            stdout(f"  no benchmark family plan: {exc}")
    report.timings["plan"] = time.perf_counter() - mark
    report.seconds = time.perf_counter() - started
    return report
