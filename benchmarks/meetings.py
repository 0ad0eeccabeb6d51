"""The benchmark's meeting (issue 8, "a meeting page with 40 agenda items"): one
SSP forum of the home municipality with a running meeting whose agenda holds 40
young people the coordinator may see (fewer in a small data set), each with
information police shared, a decision and an action item. Written through the
services (a few hundred rows), so the page reads what real use leaves; rebuilt
from scratch on every call."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import visible
from cases.models import Person
from organisations.models import Agency, AgencyKind, Membership, Municipality, Role

from .volume import USERNAME_PREFIX

FORUM_NAME = "Benchmark: SSP"
ITEMS = 40


def _member(agency: Agency, role: str):
    membership = (
        Membership.objects.filter(
            agency=agency, role=role, user__username__startswith=USERNAME_PREFIX
        )
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if membership is None:
        raise LookupError(f"No volume user with role {role}: run seed_volume first.")
    return membership.user


def _remove_previous() -> None:
    from meetings.models import Forum, Meeting, PoliceList

    forums = Forum.objects.filter(name=FORUM_NAME)
    PoliceList.objects.filter(forum__in=forums).delete()
    Meeting.objects.filter(forum__in=forums).delete()
    forums.delete()


@transaction.atomic
def ensure_bench_meeting(*, home: str = "Ishøj", items: int = ITEMS):
    """The running meeting of the benchmark forum, with `items` agenda items."""
    from meetings import agenda, forums, services, sharing
    from meetings.models import ForumKind

    _remove_previous()
    municipality = Municipality.objects.get(name=home)
    ssp_unit = Agency.objects.get(municipality=municipality, kind=AgencyKind.SSP_UNIT)
    police = Agency.objects.get(
        police_district=municipality.police_district, kind=AgencyKind.POLICE
    )
    coordinator = _member(ssp_unit, Role.SSP_COORDINATOR)
    officer = _member(police, Role.POLICE_LIAISON)
    now = timezone.now()
    forum = forums.forum_create(
        actor=coordinator,
        agency=ssp_unit,
        kind=ForumKind.objects.get(code="ssp"),
        name=FORUM_NAME,
        municipalities=[municipality],
        chair=coordinator,
        first_meeting_at=now + timedelta(hours=2),
        cadence_days=14,
    )
    forums.forum_member_add(actor=coordinator, forum=forum, agency=police, user=officer)
    meeting = forum.meetings.order_by("starts_at").first()
    persons = list(
        visible(coordinator, Person, audit=None)
        .filter(municipality=municipality)
        .order_by("family_name", "pk")[:items]
    )
    if not persons:
        raise LookupError("No young people for the meeting's agenda.")
    # Small data sets have fewer: the page's query count does not depend on it.
    added = [
        agenda.agenda_item_add(
            actor=coordinator,
            meeting=meeting,
            person=person,
            title="Drøftelse",
            reason="Benchmark",
            age_override_reason="Benchmark",
        )
        for person in persons
    ]
    agenda.agenda_send(actor=coordinator, meeting=meeting)
    services.meeting_start(actor=coordinator, meeting=meeting)
    for item in added:
        sharing.information_share(
            actor=officer,
            agency=police,
            item=item,
            text="Antruffet sammen med personer fra et kendt miljø.",
            legal_basis=LegalBasis.RPL115_1_1_SSP,
            necessity="Forebyggelse",
        )
        services.decision_record(actor=coordinator, item=item, decision="Opfølgning")
        services.action_item_add(
            actor=coordinator,
            item=item,
            description="Kontakt familien",
            responsible_agency=ssp_unit,
            responsible_user=coordinator,
            due_on=timezone.localdate() + timedelta(days=14),
        )
    return meeting
