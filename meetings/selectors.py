"""Reading forums and meetings through the permission core.

Who sees what, decided by the grants meetings.forums and meetings.services make
and read here only through access.permissions:

* a forum: its running agency (view, change, export) and its current members;
* a meeting: the running agency (view, change, export) and each participant (view,
  export: the minutes as that reader may see them);
* an agenda item, shared information and an action item: with their meeting
  (`visible_via`), so only those taking part in that meeting see them; §115 stk. 5
  information only by its named recipients and the sharing police agency
  (R-115-6, `restricted`);
* an action item also by its responsible agency and person, on their worklists;
* a police list: the running agency and the police agency it came from.

Everybody else: 404, and absent from lists and counts.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from access.permissions import (
    CHANGE,
    VIEW,
    agency_leads,
    can,
    can_expression,
    get_visible_or_404,
    visible,
    visible_under,
    visible_via,
)
from audit.models import Action
from audit.services import audit_record_refusal
from cases.models import Person

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Consent,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
    Participant,
    PoliceList,
    PoliceListRow,
    SharedInformation,
)

_MEETING = ("forum", "forum__kind", "forum__agency", "forum__chair")
# What an agenda shows of an item's person: the name, and the age for the forum's
# target group (R-115-9). The rest of the record (CPR, address, contact details) is
# not read for an agenda, its minutes or its API list.
_AGENDA_PERSON = {"id", "given_name", "family_name", "date_of_birth", "municipality"}


def _agenda_person_deferred() -> list[str]:
    return [
        f"person__{field.name}"
        for field in Person._meta.concrete_fields
        if field.name not in _AGENDA_PERSON
    ]


def forums_visible_to(*, user) -> QuerySet[Forum]:
    return visible(
        user, Forum.objects.select_related("kind", "agency", "chair"), audit=None
    )


def forum_for(*, user, pk, action: str = VIEW) -> Forum:
    return get_visible_or_404(
        user,
        Forum.objects.select_related("kind", "agency", "chair", "police_district"),
        pk=pk,
        action=action,
    )


def members_of(*, forum: Forum) -> QuerySet[ForumMember]:
    return forum.members.filter(left_on__isnull=True).select_related("agency", "user")


def attendance_of(*, forum: Forum) -> dict:
    """{(agency id, user id): {"held": n, "attended": m}} over the forum's held
    meetings, one aggregate query (staff only, no person data; the caller has
    fetched the forum through the permission core)."""
    from django.db.models import Count, Q

    return {
        (row["agency"], row["user"]): row
        for row in Participant.objects.filter(
            meeting__forum=forum,
            meeting__status__in=[MeetingStatus.HELD, MeetingStatus.APPROVED],
        )
        .values("agency", "user")
        .annotate(held=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    }


def meetings_visible_to(*, user) -> QuerySet[Meeting]:
    return visible(user, Meeting.objects.select_related(*_MEETING), audit=None)


def meetings_of(*, user, forum: Forum) -> QuerySet[Meeting]:
    return meetings_visible_to(user=user).filter(forum=forum)


def upcoming_meetings(*, user) -> QuerySet[Meeting]:
    return (
        meetings_visible_to(user=user)
        .filter(starts_at__gte=timezone.now() - timezone.timedelta(hours=12))
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )


def meeting_for(*, user, pk, action: str = VIEW) -> Meeting:
    """404 when the user takes no part; 403 (audited) for CHANGE by a participant
    that does not run the forum. `may_change` says whether the user runs it, read
    in the same query."""
    return get_visible_or_404(
        user,
        Meeting.objects.select_related(*_MEETING).annotate(
            may_change=can_expression(user, Meeting, CHANGE)
        ),
        pk=pk,
        action=action,
    )


def participants_of(*, meeting: Meeting) -> QuerySet[Participant]:
    """Staff only (agencies and users): no person data."""
    return meeting.participants.select_related("agency", "user").order_by(
        "agency__name", "user__last_name"
    )


def agenda_of(*, user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items on the agenda, audited as a list of the persons they name, of
    whom only what an agenda shows is read (_AGENDA_PERSON). Each item's `meeting`
    is the `meeting` given (with what it has loaded, e.g. forum and
    kind from `meeting_for`), not a copy joined into every row."""
    return visible_under(
        user,
        meeting.items.filter(removed=False)
        .select_related("person", "agency")
        .defer(*_agenda_person_deferred()),
        parent="meeting",
        obj=meeting,
    ).order_by("position", "created_at")


def item_for(*, user, pk, action: str = VIEW) -> AgendaItem:
    """One agenda item: 404 unless the user sees its meeting; 403 (audited) for
    CHANGE unless it may change the meeting (the running agency)."""
    try:
        item = (
            visible_via(
                user,
                AgendaItem.objects.select_related(
                    "person", "agency", *[f"meeting__{f}" for f in _MEETING]
                ),
                parent="meeting",
                parent_model=Meeting,
                audit=Action.VIEW,
            )
            .filter(removed=False)
            .get(pk=pk)
        )
    except (AgendaItem.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if action != VIEW and not can(user, item.meeting, action):
        audit_record_refusal(
            user=user,
            obj=item,
            subjects=[item.person_id] if item.person_id else [],
            criterion=action,
        )
        raise PermissionDenied
    return item


def shared_of(*, user, meeting: Meeting) -> QuerySet[SharedInformation]:
    """What was shared in the meeting that the user may see: everything but the
    §115 stk. 5 information it is not a named recipient of (R-115-6). With what
    the pages and the minutes show; the API adds the gang information's kind
    (PostgreSQL took 0.6 ms longer to plan the join on every live meeting page)."""
    return visible_under(
        user,
        SharedInformation.objects.select_related(
            "agency",
            "shared_by",
            "consent",
            "reshared_from__agency",
        ),
        parent="meeting",
        obj=meeting,
        restricted_field="restricted",
    )


def shared_for(*, user, pk) -> SharedInformation:
    try:
        return (
            visible_via(
                user,
                SharedInformation.objects.select_related(
                    "agency", "meeting", "meeting__forum", "item"
                ),
                parent="meeting",
                parent_model=Meeting,
                restricted_field="restricted",
                audit=Action.VIEW,
            )
        ).get(pk=pk)
    except (SharedInformation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def actions_of(*, user, meeting: Meeting) -> QuerySet[ActionItem]:
    return visible_under(
        user,
        ActionItem.objects.select_related("responsible_agency", "responsible_user"),
        parent="meeting",
        obj=meeting,
    )


def action_for(*, user, pk, action: str = VIEW) -> ActionItem:
    """One action item: seen by the meeting's participants (through the meeting)
    and by its responsible agency and person (own grants, on their worklists);
    404 for anyone else; 403 (audited) for CHANGE without a grant to change it."""
    queryset = ActionItem.objects.select_related(
        "meeting", "meeting__forum", "responsible_agency", "responsible_user", "person"
    )
    try:
        found = visible_via(
            user, queryset, parent="meeting", parent_model=Meeting, audit=Action.VIEW
        ).get(pk=pk)
    except (ActionItem.DoesNotExist, ValueError):
        return get_visible_or_404(user, queryset, pk=pk, action=action)
    if action != VIEW and not can(user, found, action):
        audit_record_refusal(
            user=user,
            obj=found,
            subjects=[found.person_id] if found.person_id else [],
            criterion=action,
        )
        raise PermissionDenied
    return found


def _worklist(user, queryset) -> QuerySet[ActionItem]:
    return visible(
        user,
        queryset.filter(status=ActionStatus.OPEN).select_related(
            "meeting__forum", "responsible_agency", "responsible_user", "person"
        ),
    ).order_by("due_on", "created_at")


def open_action_items(*, user, audit: str | None = Action.LIST) -> QuerySet[ActionItem]:
    """Every open action item the user may see (the inbox keeps those assigned to
    the user or the acting agency: inbox.selectors)."""
    return visible(
        user, ActionItem.objects.filter(status=ActionStatus.OPEN), audit=audit
    )


def my_action_items(*, user) -> QuerySet[ActionItem]:
    """Open action items the user answers for."""
    return _worklist(user, ActionItem.objects.filter(responsible_user=user))


def agency_action_items(*, user) -> QuerySet[ActionItem]:
    """Open action items of the agencies the user leads (a manager)."""
    return _worklist(
        user,
        ActionItem.objects.filter(
            responsible_agency__in=[a.pk for a in agency_leads(user)]
        ),
    )


def open_actions_of_forum(*, user, forum: Forum) -> QuerySet[ActionItem]:
    return visible_via(
        user,
        ActionItem.objects.filter(
            meeting__forum=forum, status=ActionStatus.OPEN
        ).select_related("responsible_agency", "responsible_user", "person", "meeting"),
        parent="meeting",
        parent_model=Meeting,
    ).order_by("due_on")


RESHARE_SHOWN = 50


def reshare_sources_for(*, user, item: AgendaItem) -> list[SharedInformation]:
    """What the user received about the item's person in meetings of other forums,
    to pass on with a basis of its own (R-115-8); never §115 stk. 5 information
    (R-115-6). Newest first, at most RESHARE_SHOWN."""
    if item.person_id is None:
        return []
    # `restricted=False` leaves out all §115 stk. 5 information, so visible_via's
    # `restricted_field` (restricted ones only for their recipients) would add a
    # condition no row can need.
    return list(
        visible_via(
            user,
            SharedInformation.objects.filter(person=item.person_id, restricted=False)
            .exclude(meeting__forum=item.meeting.forum_id)
            .select_related("agency", "meeting__forum")
            .order_by("-created_at"),
            parent="meeting",
            parent_model=Meeting,
        )[:RESHARE_SHOWN]
    )


def lists_of(*, user, forum: Forum) -> QuerySet[PoliceList]:
    return visible(
        user,
        PoliceList.objects.filter(forum=forum).select_related(
            "police_agency", "meeting", "imported_by"
        ),
        audit=None,
    )


def list_for(*, user, pk, action: str = VIEW) -> PoliceList:
    return get_visible_or_404(
        user,
        PoliceList.objects.select_related("forum", "meeting", "police_agency"),
        pk=pk,
        action=action,
    )


def rows_of(*, user, police_list: PoliceList) -> QuerySet[PoliceListRow]:
    return visible_via(
        user,
        PoliceListRow.objects.filter(police_list=police_list).select_related(
            "person", "municipality"
        ),
        parent="police_list",
        parent_model=PoliceList,
    )


def row_for(*, user, pk) -> PoliceListRow:
    """One row of a police list, seen with its list; 404 for whoever does not see
    the list."""
    try:
        return visible_via(
            user,
            PoliceListRow.objects.select_related(
                "police_list__forum__agency", "municipality", "person"
            ),
            parent="police_list",
            parent_model=PoliceList,
            audit=Action.VIEW,
        ).get(pk=pk)
    except (PoliceListRow.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def persons_seen(*, user, ids) -> set:
    """Which of these persons the user may open (for links; not audited: it shows
    nothing)."""
    if not ids:
        return set()
    return set(
        visible(user, Person.objects.filter(pk__in=ids), audit=None).values_list(
            "pk", flat=True
        )
    )


def consents_of(*, user, person: Person) -> QuerySet[Consent]:
    """The consents recorded for a person, seen with the person."""
    return visible_via(
        user,
        Consent.objects.filter(person=person)
        .select_related("agency")
        .prefetch_related("agencies"),
        parent="person",
        parent_model=Person,
    )


def consent_for(*, user, pk) -> Consent:
    try:
        return visible_via(
            user,
            Consent.objects.select_related("person"),
            parent="person",
            parent_model=Person,
            audit=Action.VIEW,
        ).get(pk=pk)
    except (Consent.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def can_change_meeting(user, meeting: Meeting) -> bool:
    return can(user, meeting, CHANGE)
