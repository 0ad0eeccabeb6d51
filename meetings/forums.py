"""Forums, their members, and the meetings their cadence generates.

Access follows membership, as explicit grants (R-115-5): the running agency (the
SSP unit) may view, change and export a forum and its meetings; each member (a
whole agency, or a named person) may view the forum and the meetings it takes part
in. A member who leaves loses the future meetings; what it saw stays in the audit
log (issue 5, point 5).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import CHANGE, EXPORT, VIEW, can_run_forums
from access.services import access_grant, access_revoke
from audit.models import Action
from audit.services import audit_record
from organisations.models import Agency, AgencyKind, Membership, Municipality, Role

from .models import Forum, ForumKind, ForumMember, Meeting, MeetingStatus, Participant

# How far ahead the cadence generates meetings (the daily task keeps it filled).
HORIZON_DAYS = 120


def _basis(forum: Forum) -> str:
    return forum.kind.legal_bases[0] if forum.kind.legal_bases else LegalBasis.OWN_TASK


def _holder(row) -> dict:
    """The grant holder of a member or participant row: its person, else its agency."""
    return {"user": row.user} if row.user_id else {"agency": row.agency}


def _check_member(forum: Forum, agency: Agency, user) -> None:
    # R-115-4: only authorities (and §115 stk. 3 institutions) take part; never a
    # private organisation.
    if agency.kind not in AgencyKind.authority_kinds():
        raise ValidationError(
            {
                "agency": _(
                    "A private organisation cannot take part in a §115 forum or "
                    "receive its information."
                )
            }
        )
    if agency.municipality_id:
        if not forum.municipalities.filter(pk=agency.municipality_id).exists():
            raise ValidationError(
                {"agency": _("The agency works outside the forum's municipalities.")}
            )
    elif agency.police_district_id != forum.police_district_id:
        raise ValidationError(
            {"agency": _("The agency works outside the forum's police district.")}
        )
    if (
        user is not None
        and not Membership.objects.filter(user=user, agency=agency).exists()
    ):
        raise ValidationError({"user": _("The person does not work in that agency.")})


@transaction.atomic
def forum_create(
    *,
    actor,
    agency: Agency,
    kind: ForumKind,
    name: str,
    municipalities: list[Municipality],
    chair,
    first_meeting_at: datetime,
    cadence_days: int = 14,
    duration_minutes: int = 120,
    place: str = "",
    agenda_notice_days: int = 3,
) -> Forum:
    """An SSP coordinator sets up a forum run by its SSP unit; the coordinator's
    unit and the chair are its first members, and its meetings are generated."""
    errors = {}
    if not can_run_forums(actor, agency):
        raise ValidationError(_("Only an SSP coordinator of an SSP unit runs forums."))
    if not municipalities:
        errors["municipalities"] = _("Choose at least one municipality.")
    districts = {m.police_district_id for m in municipalities}
    if len(districts) > 1:
        errors["municipalities"] = _("The municipalities must share a police district.")
    if agency.municipality_id not in {m.pk for m in municipalities}:
        errors["municipalities"] = _("Include your own municipality.")
    if not can_run_forums(chair, agency):
        errors["chair"] = _("The chair must be an SSP coordinator of your unit.")
    if not 1 <= cadence_days <= 92:
        errors["cadence_days"] = _("Choose between 1 and 92 days.")
    if errors:
        raise ValidationError(errors)
    forum = Forum(
        name=name.strip(),
        kind=kind,
        police_district_id=districts.pop(),
        agency=agency,
        chair=chair,
        cadence_days=cadence_days,
        first_meeting_at=first_meeting_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        agenda_notice_days=agenda_notice_days,
        created_by=actor,
    )
    forum.full_clean()
    forum.save()
    forum.municipalities.set(municipalities)
    audit_record(user=actor, action=Action.CREATE, obj=forum, subjects=[])
    access_grant(
        actor=actor,
        obj=forum,
        agency=agency,
        actions=[VIEW, CHANGE, EXPORT],
        legal_basis=LegalBasis.OWN_TASK,
        reason="agency running the forum",
    )
    joined = timezone.localdate()
    forum_member_add(actor=actor, forum=forum, agency=agency, joined_on=joined)
    forum_member_add(
        actor=actor, forum=forum, agency=agency, user=chair, joined_on=joined
    )
    meetings_generate(forum=forum, actor=actor)
    return forum


@transaction.atomic
def forum_member_add(
    *, actor, forum: Forum, agency: Agency, user=None, joined_on: date | None = None
) -> ForumMember:
    """A standing member joins: it sees the forum and takes part in its meetings
    that have not been held yet."""
    _check_member(forum, agency, user)
    if ForumMember.objects.filter(
        forum=forum, agency=agency, user=user, left_on__isnull=True
    ).exists():
        raise ValidationError(_("This member is already in the forum."))
    member = ForumMember.objects.create(
        forum=forum,
        agency=agency,
        user=user,
        joined_on=joined_on or timezone.localdate(),
    )
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=forum,
        subjects=[],
        criterion=f"member+ agency:{agency.pk} user:{getattr(user, 'pk', '')}",
    )
    access_grant(
        actor=actor,
        obj=forum,
        actions=[VIEW],
        legal_basis=_basis(forum),
        reason="forum member",
        **_holder(member),
    )
    # Upcoming meetings only: a past meeting never marked held is not opened to a
    # member who was not there.
    for meeting in forum.meetings.filter(
        status__in=[MeetingStatus.PLANNED, MeetingStatus.AGENDA_SENT],
        starts_at__gte=timezone.now(),
    ):
        participant_add(actor=actor, meeting=meeting, agency=agency, user=user)
    return member


@transaction.atomic
def forum_member_leave(*, actor, member: ForumMember, left_on: date) -> ForumMember:
    """The member leaves: it no longer takes part in meetings after `left_on` that
    have not been held, and loses access to them and to the forum. The meetings it
    took part in stay with it; the audit log keeps what it saw."""
    if member.left_on is not None:
        raise ValidationError(_("This member has already left."))
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("It cannot leave before it joined.")})
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    forum = member.forum
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=forum,
        subjects=[],
        criterion=f"member- agency:{member.agency_id} user:{member.user_id or ''}",
    )
    access_revoke(actor=actor, obj=forum, actions=[VIEW], **_holder(member))
    future = Participant.objects.filter(
        meeting__forum=forum,
        meeting__starts_at__date__gt=left_on,
        meeting__status__in=[
            MeetingStatus.PLANNED,
            MeetingStatus.AGENDA_SENT,
            MeetingStatus.CANCELLED,
        ],
        agency=member.agency,
        user=member.user,
    ).select_related("meeting", "agency", "user")
    for participant in future:
        participant_remove(actor=actor, participant=participant)
    return member


def _meeting_actions(meeting: Meeting, agency: Agency | None) -> list[str]:
    return (
        [VIEW, CHANGE, EXPORT]
        if agency is not None and agency.pk == meeting.forum.agency_id
        else [VIEW, EXPORT]
    )


@transaction.atomic
def participant_add(
    *, actor, meeting: Meeting, agency: Agency, user=None
) -> Participant:
    """A member or a guest authority takes part in one meeting: it sees the meeting,
    its agenda and what is shared in it, and may download its own minutes."""
    _check_member(meeting.forum, agency, user)
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.APPROVED):
        raise ValidationError(_("The meeting has been held."))
    participant, created = Participant.objects.get_or_create(
        meeting=meeting, agency=agency, user=user
    )
    if created:
        access_grant(
            actor=actor,
            obj=meeting,
            actions=_meeting_actions(meeting, None if user else agency),
            legal_basis=_basis(meeting.forum),
            reason="meeting participant",
            **_holder(participant),
        )
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: Participant) -> None:
    meeting = participant.meeting
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.APPROVED):
        raise ValidationError(_("The meeting has been held."))
    if participant.user_id is None and participant.agency_id == meeting.forum.agency_id:
        raise ValidationError(
            _("The agency running the forum takes part in every meeting.")
        )
    access_revoke(actor=actor, obj=meeting, **_holder(participant))
    participant.delete()


def _slots(forum: Forum, until: datetime):
    """The cadence's times, counted in local wall-clock time: a forum that meets
    at 9 meets at 9 in summer too. (Steps added to the UTC time read back from
    the database moved every meeting after a change of daylight saving time by an
    hour, and the daily task then created them a second time.)"""
    first = timezone.localtime(forum.first_meeting_at)
    step = timedelta(days=forum.cadence_days)
    at, n = first, 0
    while at <= until:
        yield at
        n += 1
        at = first + n * step


@transaction.atomic
def meetings_generate(
    *,
    forum: Forum,
    actor=None,
    until: datetime | None = None,
    since: datetime | None = None,
) -> int:
    """Create the forum's meetings from its cadence between `since` (default: a
    day ago) and `until` (default: the horizon). Idempotent: a time that has a
    meeting (also a cancelled one) is skipped. Returns how many were created."""
    if not forum.active:
        return 0
    now = timezone.now()
    until = until or now + timedelta(days=HORIZON_DAYS)
    since = since or now - timedelta(days=1)
    taken = set(forum.meetings.values_list("starts_at", flat=True))
    members = list(
        forum.members.filter(left_on__isnull=True).select_related("agency", "user")
    )
    created = 0
    for at in _slots(forum, until):
        if at in taken or at < since:
            continue
        meeting = Meeting.objects.create(
            forum=forum,
            starts_at=at,
            ends_at=at + timedelta(minutes=forum.duration_minutes),
            place=forum.place,
        )
        access_grant(
            actor=actor or forum.created_by,
            obj=meeting,
            agency=forum.agency,
            actions=[VIEW, CHANGE, EXPORT],
            legal_basis=LegalBasis.OWN_TASK,
            reason="agency running the forum",
        )
        for member in members:
            participant_add(
                actor=actor or forum.created_by,
                meeting=meeting,
                agency=member.agency,
                user=member.user,
            )
        created += 1
    return created


def meetings_generate_all() -> int:
    """The daily task: keep every active forum's meetings generated ahead."""
    return sum(
        meetings_generate(forum=forum)
        for forum in Forum.objects.filter(active=True).select_related(
            "agency", "created_by", "kind"
        )
    )


def chair_candidates(agency: Agency):
    from organisations.models import User

    return User.objects.filter(
        memberships__agency=agency,
        memberships__role=Role.SSP_COORDINATOR,
        is_active=True,
    ).distinct()
