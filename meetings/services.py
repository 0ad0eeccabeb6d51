"""Running a meeting: start, attendance, decisions, action items, end, minutes
approved, cancel; and the §115 stk. 5 record police share (R-115-6), which
meetings.sharing creates from a meeting's item and the sibling alert reads.

Callers fetch the meeting or item through the permission core (meetings.selectors)
for CHANGE; the services check the domain: the state, the dates, the parties.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import CHANGE, VIEW
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from organisations.models import Agency, AgencyKind, Role
from organisations.selectors import roles_of
from reminders.services import morning_of, reminder_schedule, reminders_cancel_for
from timeline.services import timeline_record

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    GangInformation,
    Meeting,
    MeetingStatus,
    Participant,
)
from .states import Event, target_of


@transaction.atomic
def gang_information_share(
    *,
    actor,
    agency: Agency,
    person,
    kind: str,
    recipients,
    shared_on: date,
    note: str = "",
) -> GangInformation:
    """Police share §115 stk. 5 information about `person` with named recipients.

    R-115-6: only a police agency may create it; it is seen by that agency and the
    named recipients (grants to each user, never to their agencies), and by no one
    else, also on the timeline (a restricted entry with the same grants).
    """
    if agency.kind != AgencyKind.POLICE or Role.POLICE_LIAISON not in roles_of(
        user=actor
    ):
        raise ValidationError(_("Only police may share information under §115 stk. 5."))
    recipients = list(recipients)
    if not recipients:
        raise ValidationError({"recipients": _("Name at least one recipient.")})
    info = GangInformation(
        person=person,
        kind=kind,
        note=note.strip(),
        shared_on=shared_on,
        agency=agency,
        shared_by=actor,
    )
    info.full_clean()
    info.save()
    info.recipients.set(recipients)
    audit_record(user=actor, action=Action.CREATE, obj=info, subjects=[person.pk])
    entry = timeline_record(
        person=person,
        kind="meetings.gang_information",
        actor=actor,
        agency=agency,
        legal_basis=LegalBasis.RPL115_5_GANG,
        params={"kind": kind},
        detail=info.note,
        source=info,
        restricted=True,
    )
    basis = LegalBasis.RPL115_5_GANG
    for obj in (info, entry):
        access_grant(
            actor=actor,
            obj=obj,
            agency=agency,
            actions=[VIEW, CHANGE] if obj is info else [VIEW],
            legal_basis=basis,
            reason="sharing police agency",
        )
        for recipient in recipients:
            access_grant(
                actor=actor,
                obj=obj,
                user=recipient,
                actions=[VIEW],
                legal_basis=basis,
                reason="named recipient",
            )
    return info


@transaction.atomic
def gang_information_end(
    *, actor, info: GangInformation, ended_on: date
) -> GangInformation:
    """The information no longer holds (callers fetch it for CHANGE: the police)."""
    if info.ended_on is not None:
        raise ValidationError(_("This information has already ended."))
    if ended_on < info.shared_on:
        raise ValidationError({"ended_on": _("It cannot end before it was shared.")})
    info.ended_on = ended_on
    info.save(update_fields=["ended_on"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=info,
        subjects=[info.person_id],
        changed_fields=["ended_on"],
    )
    return info


# --- Running a meeting ----------------------------------------------------------------


def _transition(actor, meeting: Meeting, event: str, **fields) -> Meeting:
    meeting.status = target_of(meeting.status, event)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=["status", "updated_at", *fields])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=meeting,
        subjects=[],
        changed_fields=["status", *fields],
    )
    return meeting


@transaction.atomic
def meeting_start(*, actor, meeting: Meeting) -> Meeting:
    return _transition(actor, meeting, Event.START)


@transaction.atomic
def meeting_end(*, actor, meeting: Meeting) -> Meeting:
    """The meeting is over: its minutes are what was recorded. Attendance not
    marked counts as absent."""
    meeting = _transition(actor, meeting, Event.END)
    Participant.objects.filter(meeting=meeting, attended__isnull=True).update(
        attended=False
    )
    return meeting


@transaction.atomic
def minutes_approve(*, actor, meeting: Meeting) -> Meeting:
    """The chair approves the minutes (LAW.md C2: "referat godkendt af mødeleder")."""
    if actor.pk != meeting.forum.chair_id:
        raise ValidationError(_("Only the chair approves the minutes."))
    return _transition(
        actor,
        meeting,
        Event.APPROVE,
        minutes_approved_at=timezone.now(),
        minutes_approved_by=actor,
    )


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Write the reason.")})
    meeting = _transition(actor, meeting, Event.CANCEL, cancel_reason=reason.strip())
    reminders_cancel_for(source=meeting)
    return meeting


@transaction.atomic
def attendance_set(*, actor, participant: Participant, attended: bool) -> Participant:
    if participant.meeting.status not in (
        MeetingStatus.IN_PROGRESS,
        MeetingStatus.HELD,
    ):
        raise ValidationError(_("Attendance is recorded when the meeting runs."))
    participant.attended = attended
    participant.save(update_fields=["attended"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=participant.meeting,
        subjects=[],
        criterion=f"attendance {participant.pk} {attended}",
    )
    return participant


def _require_running(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise ValidationError(_("This is recorded while the meeting runs."))


def _police_for_conversation(item: AgendaItem):
    """The police officer a requested conversation goes to: a named police
    liaison taking part, else one of a police agency taking part."""
    from access.permissions import can_record_conversations
    from organisations.models import User

    police = Participant.objects.filter(
        meeting=item.meeting, agency__kind=AgencyKind.POLICE
    ).select_related("agency", "user")
    for participant in police:
        candidates = (
            [participant.user]
            if participant.user_id
            else User.objects.filter(
                memberships__agency=participant.agency,
                memberships__role=Role.POLICE_LIAISON,
                is_active=True,
            ).order_by("username")
        )
        for user in candidates:
            if can_record_conversations(user, participant.agency):
                return participant.agency, user
    return None, None


@transaction.atomic
def decision_record(
    *,
    actor,
    item: AgendaItem,
    decision: str,
    request_conversation: bool = False,
    conversation_reason: str = "",
) -> AgendaItem:
    """Record the forum's decision on an item; it is then discussed. A decision
    may request a concern conversation with the item's person: it is recorded for
    the police liaison taking part and appears in the police's list."""
    _require_running(item.meeting)
    if not decision.strip():
        raise ValidationError({"decision": _("Write the decision.")})
    item.decision = decision.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.discussed = True
    fields = ["decision", "decided_by", "decided_at", "discussed"]
    if request_conversation and item.conversation_id is None:
        item.conversation = _request_conversation(
            actor=actor, item=item, reason=conversation_reason or decision
        )
        fields.append("conversation")
    item.save(update_fields=fields)
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=item,
        subjects=[item.person_id] if item.person_id else [],
        changed_fields=fields,
    )
    return item


def _request_conversation(*, actor, item: AgendaItem, reason: str):
    from conversations.models import ConcernKind, RequestSource
    from conversations.services import conversation_request, ssp_units_of

    if item.person_id is None:
        raise ValidationError(
            {"request_conversation": _("A concern conversation is with one person.")}
        )
    agency, officer = _police_for_conversation(item)
    if officer is None:
        raise ValidationError(
            {
                "request_conversation": _(
                    "No police liaison officer takes part in this meeting."
                )
            }
        )
    person = item.person
    forum = item.meeting.forum
    municipal = (
        forum.agency
        if forum.agency.municipality_id == person.municipality_id
        else next(iter(ssp_units_of(person.municipality)), None)
    )
    if municipal is None:
        raise ValidationError(
            {"request_conversation": _("The person's municipality has no SSP unit.")}
        )
    return conversation_request(
        actor=actor,
        agency=agency,
        person=person,
        kind=ConcernKind.GENERAL,
        source=RequestSource.SSP_MEETING,
        requested_by=str(forum),
        requested_on=timezone.localdate(),
        reason=reason,
        municipal_agency=municipal,
        legal_basis=item.legal_basis,
        owner=officer,
        on_behalf_of_meeting=True,
    )


def _schedule_action(action: ActionItem, *, reopened: bool = False) -> None:
    from .agenda import meeting_url

    key = f"action-due:{action.pk}:{action.due_on}"
    if reopened:
        # The first reminder was cancelled, and a cancelled key stays cancelled
        # (reminders.services.reminder_schedule): a reopened item needs a new key.
        key = f"{key}:reopened:{timezone.now().timestamp()}"
    reminder_schedule(
        key=key,
        kind="meetings.action_due",
        recipient=action.responsible_user or action.meeting.forum.chair,
        due_at=morning_of(action.due_on),
        url=meeting_url(action.meeting),
        params={"due_on": action.due_on.isoformat()},
        source=action,
    )


@transaction.atomic
def action_item_add(
    *,
    actor,
    item: AgendaItem,
    description: str,
    responsible_agency: Agency,
    due_on: date,
    responsible_user=None,
) -> ActionItem:
    """An action agreed on an item: what, which agency taking part and which of
    its people answers for it, by when. It is on their worklists (the agency and
    the forum's running agency may change it) and gets a reminder when due."""
    meeting = item.meeting
    _require_running(meeting)
    errors = {}
    if not description.strip():
        errors["description"] = _("Write what will be done.")
    if not Participant.objects.filter(
        meeting=meeting, agency=responsible_agency
    ).exists():
        errors["responsible_agency"] = _("Choose an agency taking part in the meeting.")
    elif (
        responsible_user is not None
        and not responsible_agency.memberships.filter(user=responsible_user).exists()
    ):
        errors["responsible_user"] = _("The person does not work in that agency.")
    if due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    action = ActionItem.objects.create(
        item=item,
        meeting=meeting,
        person_id=item.person_id,
        description=description.strip(),
        responsible_agency=responsible_agency,
        responsible_user=responsible_user,
        due_on=due_on,
        created_by=actor,
    )
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=action,
        subjects=[item.person_id] if item.person_id else [],
    )
    basis = item.legal_basis
    for agency in {responsible_agency, meeting.forum.agency}:
        access_grant(
            actor=actor,
            obj=action,
            agency=agency,
            actions=[VIEW, CHANGE],
            legal_basis=basis,
            reason="responsible agency" if agency == responsible_agency else "forum",
        )
    if responsible_user is not None:
        access_grant(
            actor=actor,
            obj=action,
            user=responsible_user,
            actions=[VIEW, CHANGE],
            legal_basis=basis,
            reason="responsible person",
        )
    _schedule_action(action)
    return action


@transaction.atomic
def action_item_set_status(*, actor, action: ActionItem, status: str) -> ActionItem:
    """Done or cancelled (or reopened); the caller fetched it for CHANGE."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    was_open = action.is_open
    action.status = status
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "completed_on"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=action,
        subjects=[action.person_id] if action.person_id else [],
        changed_fields=["status"],
    )
    if action.is_open:
        _schedule_action(action, reopened=not was_open)
    else:
        reminders_cancel_for(source=action)
    return action
