"""Demo §115 forums in Ishøj (issue 5, point 10): an SSP forum and an SSP+ forum run
by Ishøj SSP, chaired by the demo SSP coordinator ("ssp"), with children and
family services (as a whole agency) and the demo police liaison officer ("politi",
Københavns Vestegns Politi) as members.

Each has past meetings and upcoming ones from its cadence. Everything goes through
the services as a user would; past meetings are started, recorded and ended (the
services allow that for a date gone by). The SSP forum's last meeting was held
with an item about Ali (cases.demo): police shared information under §115 stk. 1
nr. 1, the forum decided, and children and family services got an action item due
in ten days (a due date is never in the past: the services refuse it). Its minutes
are not approved yet, so the chair can approve them in the demo; the meeting
before it has approved minutes, and the one before that was cancelled.

A forum is known by its name and running agency; a second run creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from access.legal import LegalBasis
from cases.models import Person
from organisations.demo import agency_of
from organisations.models import Agency, AgencyKind

from . import agenda, forums, services, sharing
from .models import Forum, ForumKind, Meeting

PLACE_SSP = "Ishøj Rådhus, mødelokale 2"
PLACE_SSP_PLUS = "Ishøj Ungdomsskole, lokale 12"


def _at(days: int, hour: int = 9) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@dataclass
class _Context:
    users: dict
    ssp: Agency
    social: Agency
    police: Agency

    @property
    def chair(self):
        return self.users["ssp"]

    @property
    def officer(self):
        return self.users["politi"]


def _forum(
    ctx: _Context, *, kind: str, name: str, first: datetime, place: str, every: int
):
    """The forum with its members and its meetings since `first`; None when it is
    there already."""
    if Forum.objects.filter(name=name, agency=ctx.ssp).exists():
        return None
    forum = forums.forum_create(
        actor=ctx.chair,
        agency=ctx.ssp,
        kind=ForumKind.objects.get(code=kind),
        name=name,
        municipalities=[ctx.ssp.municipality],
        chair=ctx.chair,
        first_meeting_at=first,
        cadence_days=every,
        place=place,
    )
    forums.forum_member_add(actor=ctx.chair, forum=forum, agency=ctx.social)
    forums.forum_member_add(
        actor=ctx.chair, forum=forum, agency=ctx.police, user=ctx.officer
    )
    forums.meetings_generate(forum=forum, actor=ctx.chair, since=first)
    return forum


def _past(forum: Forum) -> list[Meeting]:
    return list(
        forum.meetings.filter(starts_at__lt=timezone.now()).order_by("starts_at")
    )


def _attend_all(ctx: _Context, meeting: Meeting, *, absent: Agency | None = None):
    for participant in meeting.participants.select_related("agency"):
        services.attendance_set(
            actor=ctx.chair,
            participant=participant,
            attended=participant.agency != absent,
        )


def _hold_empty(ctx: _Context, meeting: Meeting, *, approve: bool) -> None:
    services.meeting_start(actor=ctx.chair, meeting=meeting)
    _attend_all(ctx, meeting)
    services.meeting_end(actor=ctx.chair, meeting=meeting)
    if approve:
        services.minutes_approve(actor=ctx.chair, meeting=meeting)


def _item(ctx: _Context, meeting: Meeting, person: Person, title: str, reason: str):
    return agenda.agenda_item_add(
        actor=ctx.chair, meeting=meeting, person=person, title=title, reason=reason
    )


def _ssp_meetings(ctx: _Context, forum: Forum) -> None:
    ishoej = ctx.ssp.municipality
    ali = Person.objects.get(given_name="Ali", family_name="Demo", municipality=ishoej)
    jonas = Person.objects.get(
        given_name="Jonas", family_name="Prøve", municipality=ishoej
    )
    *older, before_last, last = _past(forum)
    for meeting in older:
        services.meeting_cancel(
            actor=ctx.chair,
            meeting=meeting,
            reason="Demo: aflyst på grund af skolernes vinterferie.",
        )
    # The meeting before the last: one item, decided; minutes approved.
    item = _item(
        ctx,
        before_last,
        jonas,
        "Fravær og konflikter i skolen",
        "Demo: skolen oplever meget fravær og konflikter i frikvartererne.",
    )
    services.meeting_start(actor=ctx.chair, meeting=before_last)
    _attend_all(ctx, before_last)
    services.decision_record(
        actor=ctx.chair,
        item=item,
        decision="Demo: skolen og SSP følger op; drøftes igen om en måned.",
    )
    services.meeting_end(actor=ctx.chair, meeting=before_last)
    services.minutes_approve(actor=ctx.chair, meeting=before_last)
    # The last meeting: police share, the forum decides, an action item.
    item = _item(
        ctx,
        last,
        ali,
        "Set sammen med ældre unge efter butikstyveri",
        "Demo: fra politiets ungeliste.",
    )
    services.meeting_start(actor=ctx.chair, meeting=last)
    _attend_all(ctx, last)
    sharing.information_share(
        actor=ctx.officer,
        agency=ctx.police,
        item=item,
        text=(
            "Demo: Ali er to gange den seneste måned set sent om aftenen i "
            "centret sammen med ældre unge, som politiet kender."
        ),
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity=(
            "Demo: forvaltningen og skolen skal kunne tilbyde hjælp, før det "
            "udvikler sig."
        ),
    )
    services.decision_record(
        actor=ctx.chair,
        item=item,
        decision=(
            "Demo: Børne- og Familierådgivningen kontakter forældrene og tilbyder "
            "en mentor; SSP tager kontakt til klubben."
        ),
    )
    services.action_item_add(
        actor=ctx.chair,
        item=item,
        description="Demo: kontakt forældrene og tilbyd en mentor.",
        responsible_agency=ctx.social,
        responsible_user=ctx.users.get("socialraadgiver"),
        due_on=timezone.localdate() + timedelta(days=10),
    )
    services.meeting_end(actor=ctx.chair, meeting=last)


def _ssp_plus_meetings(ctx: _Context, forum: Forum) -> None:
    past = _past(forum)
    for meeting in past:
        _hold_empty(ctx, meeting, approve=meeting != past[-1])


@transaction.atomic
def seed_meetings(*, users) -> int:
    """Create the demo forums that do not exist yet; returns how many."""
    ctx = _Context(
        users=users,
        ssp=agency_of(AgencyKind.SSP_UNIT, "Ishøj"),
        social=agency_of(AgencyKind.CHILDREN_FAMILY, "Ishøj"),
        police=agency_of(AgencyKind.POLICE, None),
    )
    created = 0
    ssp = _forum(
        ctx, kind="ssp", name="SSP Ishøj", first=_at(-41), place=PLACE_SSP, every=14
    )
    if ssp is not None:
        _ssp_meetings(ctx, ssp)
        created += 1
    ssp_plus = _forum(
        ctx,
        kind="ssp_plus",
        name="SSP+ Ishøj (18–25 år)",
        first=_at(-55, 13),
        place=PLACE_SSP_PLUS,
        every=28,
    )
    if ssp_plus is not None:
        _ssp_plus_meetings(ctx, ssp_plus)
        created += 1
    return created
