"""Reading concern conversations through the permission core.

Who sees what (issue 4, point 7), decided by the grants conversations.services
makes and read here only through access.permissions:

* `summary` — that a conversation about a named young person exists, its kind,
  dates, state and follow-up date: the police agency, the municipal agency taking
  part and the municipality's SSP unit. Lists and dashboards ask for this.
* `view` — the reason, the phase notes, participants, measures and follow-ups:
  the police agency and the municipal agency taking part.
* `change` — the police agency holding it.

Other agencies see nothing: 404 on the page and in the API, absent from lists,
counts and figures.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access.permissions import SUMMARY, VIEW, can, visible, visible_via
from audit.models import Action
from audit.services import audit_record_refusal
from organisations.models import Agency, AgencyKind, Membership, Role

from .models import (
    ConcernConversation,
    FollowUp,
    Measure,
    MeasureType,
    Method,
    Participant,
    Status,
)

OPEN = (Status.REQUESTED, Status.PLANNED, Status.HELD, Status.FOLLOW_UP)
FOLLOWING_UP = (Status.HELD, Status.FOLLOW_UP)
DUE_SOON_DAYS = 14

_RELATED = ("person", "agency", "municipal_agency", "owner", "municipality")

# What a table of conversations shows (templates/conversations/partials/
# _conversation_table.html: the dashboard and the list): two joins instead of five
# (planning the five took PostgreSQL longer than running the query) and 11 columns
# instead of about 100. `person_id` names the audited subject.
_TABLE_FIELDS = (
    "person_id",
    "status",
    "kind",
    "requested_on",
    "planned_at",
    "follow_up_on",
    "person__given_name",
    "person__family_name",
    "agency__name",
)


def conversations_visible_to(
    *, user, action: str = SUMMARY, audit: str | None = Action.LIST
) -> QuerySet[ConcernConversation]:
    return visible(
        user,
        ConcernConversation.objects.select_related(*_RELATED),
        action=action,
        audit=audit,
    )


def conversation_for(*, user, pk, action: str = SUMMARY) -> ConcernConversation:
    """One conversation for `action`: 404 when the user may not even know it
    exists; 403 (an audited refusal) when it may see it but not do `action`."""
    try:
        conversation = conversations_visible_to(user=user, audit=Action.VIEW).get(pk=pk)
    except (ConcernConversation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if action != SUMMARY and not can(user, conversation, action):
        audit_record_refusal(
            user=user,
            obj=conversation,
            subjects=[conversation.person_id],
            criterion=action,
        )
        raise PermissionDenied
    return conversation


def conversations_of(*, user, person) -> QuerySet[ConcernConversation]:
    """The conversations about `person` the user may know of, newest first."""
    return conversations_visible_to(user=user).filter(person=person)


def participants_of(
    *, user, conversation: ConcernConversation
) -> QuerySet[Participant]:
    """The invited, for a user who may see the conversation in full."""
    return visible_via(
        user,
        Participant.objects.filter(conversation=conversation).select_related(
            "user", "person", "agency"
        ),
        parent="conversation",
        parent_model=ConcernConversation,
    )


def measures_of(*, user, conversation: ConcernConversation) -> QuerySet[Measure]:
    return visible(
        user,
        Measure.objects.filter(conversation=conversation).select_related(
            "measure_type", "responsible_agency", "responsible_user"
        ),
    )


def measure_for(*, user, pk, action: str = VIEW) -> Measure:
    from access.permissions import get_visible_or_404

    return get_visible_or_404(
        user,
        Measure.objects.select_related(
            "conversation", "measure_type", "responsible_agency", "responsible_user"
        ),
        pk=pk,
        action=action,
    )


def follow_ups_of(*, user, conversation: ConcernConversation) -> QuerySet[FollowUp]:
    return visible_via(
        user,
        FollowUp.objects.filter(conversation=conversation).select_related(
            "agency", "recorded_by"
        ),
        parent="conversation",
        parent_model=ConcernConversation,
    )


def worklist_for(*, user, agency) -> QuerySet[Measure]:
    """The open measures `agency` answers for, as far as the user may see them:
    the responsible agency's worklist (issue 4, point 4)."""
    return visible(
        user,
        Measure.objects.filter(
            responsible_agency=agency, status__in=["agreed", "in_progress"]
        ).select_related(
            "person",
            "measure_type",
            "responsible_agency",
            "responsible_user",
            "conversation__owner",
        ),
    ).order_by("due_on", "id")


def follow_ups_due(
    *,
    user,
    today: date | None = None,
    within_days: int = DUE_SOON_DAYS,
    audit: str | None = Action.LIST,
) -> QuerySet[ConcernConversation]:
    """Conversations being followed up whose follow-up date is overdue or within
    `within_days`, oldest first (the police liaison's dashboard). With audit=None
    for counts that show no one."""
    today = today or timezone.localdate()
    return (
        conversations_visible_to(user=user, audit=audit)
        .filter(
            status__in=FOLLOWING_UP,
            follow_up_on__lte=today + timedelta(days=within_days),
        )
        .order_by("follow_up_on", "id")
    )


def conversations_filtered(
    *,
    user,
    status: str = "",
    kind: str = "",
    mine: bool = False,
    follow_up: str = "",
    today: date | None = None,
) -> QuerySet[ConcernConversation]:
    """The conversations list's rows. `follow_up`: "overdue" or "due" (within
    DUE_SOON_DAYS), the same rows as `follow_ups_due` splits on the dashboard and
    the overview."""
    found = conversations_visible_to(user=user)
    if follow_up in ("overdue", "due"):
        today = today or timezone.localdate()
        found = follow_ups_due(user=user, today=today)
        found = (
            found.filter(follow_up_on__lt=today)
            if follow_up == "overdue"
            else found.filter(follow_up_on__gte=today)
        )
    if status == "open":
        found = found.filter(status__in=OPEN)
    elif status in Status.values:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    if mine:
        found = found.filter(Q(owner=user))
    return found


def for_table(
    conversations: QuerySet[ConcernConversation],
) -> QuerySet[ConcernConversation]:
    """`conversations` (from a selector above, so scoped and audited as it was)
    with only what a table of conversations shows: reading any other field costs a
    query per row."""
    return (
        conversations.select_related(None)
        .select_related("person", "agency")
        .only(*_TABLE_FIELDS)
    )


def active_methods() -> QuerySet[Method]:
    return Method.objects.filter(active=True).prefetch_related("questions")


def active_measure_types() -> QuerySet[MeasureType]:
    return MeasureType.objects.filter(active=True)


# --- Who may take part: staff of the district's police and the municipality -----


def staff_for(conversation) -> list[Membership]:
    """Members of staff who may take part or answer for a measure: the police of
    the district and the case workers of the young person's municipality (the
    services check the same), each user once."""
    memberships = (
        Membership.objects.filter(
            Q(
                agency__kind=AgencyKind.POLICE,
                agency__police_district=conversation.municipality.police_district_id,
            )
            | Q(agency__municipality=conversation.municipality_id),
            role__in=Role.case_roles(),
        )
        .select_related("user", "agency")
        .order_by(
            "agency__name", "user__first_name", "user__last_name", "user__username"
        )
    )
    first: dict = {}
    for membership in memberships:
        first.setdefault(membership.user_id, membership)
    return list(first.values())


def agencies_for(conversation):
    """Agencies that work in the young person's municipality: its own and the
    district's (police, prison and probation)."""
    return Agency.objects.filter(
        Q(municipality=conversation.municipality_id)
        | Q(police_district=conversation.municipality.police_district_id)
    ).order_by("name")
