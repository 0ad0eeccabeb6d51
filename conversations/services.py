"""Writes on concern conversations. Each is one transaction with its audit entry and
its timeline entry; a transition is allowed only by `conversations.states`.

Callers fetch the conversation for CHANGE through the permission core
(conversations.selectors.conversation_for), so the services assume the actor may
change it; what they check is the domain: the state, the dates, the participants.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import (
    CHANGE,
    EXPORT,
    SUMMARY,
    VIEW,
    can_record_conversations,
)
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from cases.models import Person
from families.models import Relation, RelationKind
from organisations.models import Agency, AgencyKind, Membership, Role
from reminders.services import morning_of, reminder_schedule, reminders_cancel_for
from timeline.services import timeline_record

from .models import (
    ConcernConversation,
    ConversationSettings,
    FollowUp,
    Measure,
    MeasureStatus,
    MeasureType,
    Method,
    Participant,
    ParticipantRole,
    Status,
)
from .states import Event, target_of

DEFAULT_FOLLOW_UP_DAYS = 90


# --- Who takes part -------------------------------------------------------------------


def ssp_units_of(municipality) -> list[Agency]:
    return list(
        Agency.objects.filter(kind=AgencyKind.SSP_UNIT, municipality=municipality)
    )


def _grant_parties(*, actor, obj, conversation: ConcernConversation, legal_basis):
    """The conversation's parties and what each may do with `obj` (R-115-5: each
    grant is an explicit, recorded act of the police officer who requested it)."""
    access_grant(
        actor=actor,
        obj=obj,
        agency=conversation.agency,
        actions=[VIEW, CHANGE, EXPORT, SUMMARY]
        if isinstance(obj, ConcernConversation)
        else [VIEW],
        legal_basis=LegalBasis.OWN_TASK,
        reason="police agency holding the conversation",
    )
    access_grant(
        actor=actor,
        obj=obj,
        agency=conversation.municipal_agency,
        actions=[VIEW, SUMMARY] if isinstance(obj, ConcernConversation) else [VIEW],
        legal_basis=legal_basis,
        reason="municipal agency taking part",
    )
    for unit in ssp_units_of(conversation.municipality):
        if unit.pk == conversation.municipal_agency_id:
            continue
        access_grant(
            actor=actor,
            obj=obj,
            agency=unit,
            actions=[SUMMARY] if isinstance(obj, ConcernConversation) else [VIEW],
            legal_basis=legal_basis,
            reason="SSP unit: that it takes place and its follow-up",
        )


def _timeline(conversation: ConcernConversation, *, actor, kind: str, **params):
    """A restricted timeline entry: seen by the parties only, and only the state,
    never the notes (issue 4, point 7)."""
    entry = timeline_record(
        person=conversation.person,
        kind=f"conversations.{kind}",
        actor=actor,
        agency=conversation.agency,
        legal_basis=conversation.legal_basis,
        params={"kind": conversation.kind, **params},
        source=conversation,
        restricted=True,
    )
    _grant_parties(
        actor=actor,
        obj=entry,
        conversation=conversation,
        legal_basis=conversation.legal_basis,
    )
    return entry


def _audit_change(actor, conversation, fields: Iterable[str]) -> None:
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=conversation,
        subjects=[conversation.person_id],
        changed_fields=list(fields),
    )


def follow_up_days(municipality) -> int:
    settings = ConversationSettings.objects.filter(municipality=municipality).first()
    return settings.follow_up_days if settings else DEFAULT_FOLLOW_UP_DAYS


def default_follow_up_on(conversation: ConcernConversation, held_on: date) -> date:
    return held_on + timedelta(days=follow_up_days(conversation.municipality))


def _schedule_follow_up(conversation: ConcernConversation) -> None:
    """One reminder for the follow-up date to the responsible police officer; a
    new date replaces the pending reminder (the key names the date, so a reminder
    already sent is never sent again)."""
    if conversation.follow_up_on is None:
        reminders_cancel_for(source=conversation)
        return
    key = f"conversation-follow-up:{conversation.pk}:{conversation.follow_up_on}"
    reminder_schedule(
        key=key,
        kind="conversations.follow_up_due",
        recipient=conversation.owner,
        due_at=morning_of(conversation.follow_up_on),
        url=conversation_url(conversation),
        params={"due_on": conversation.follow_up_on.isoformat()},
        source=conversation,
    )
    # Scheduled first, then the others cancelled: the same date again keeps its
    # pending reminder (a cancelled key is never revived).
    reminders_cancel_for(source=conversation, keep=key)


def conversation_url(conversation: ConcernConversation) -> str:
    from django.urls import reverse

    return reverse("conversations:detail", args=[conversation.pk])


# --- Requested ------------------------------------------------------------------------


@transaction.atomic
def conversation_request(
    *,
    actor,
    agency: Agency,
    person: Person,
    kind: str,
    source: str,
    requested_by: str,
    requested_on: date,
    reason: str,
    municipal_agency: Agency,
    legal_basis: str = LegalBasis.RPL115_1_1_SSP,
    owner=None,
    on_behalf_of_meeting: bool = False,
) -> ConcernConversation:
    """Record that a concern conversation is to be held with `person`.

    Only a police liaison officer of a police agency whose district covers the
    person's municipality records it (DOMAIN.md: police-led). `municipal_agency`
    is the municipal agency taking part, in the person's municipality. The police
    agency may see and change it; the municipal agency sees it in full; the
    municipality's SSP unit sees that it takes place and how far it is. The
    caller has fetched `person` through the permission core.

    `on_behalf_of_meeting`: a §115/SSP meeting's decision requests it (recorded by
    the coordinator, meetings.services.decision_record); then the responsible
    officer, `owner`, must be the police liaison officer.
    """
    errors: dict[str, Any] = {}
    if on_behalf_of_meeting:
        if owner is None or not can_record_conversations(owner, agency):
            raise ValidationError(
                {
                    "owner": _(
                        "The responsible officer must be a police liaison officer."
                    )
                }
            )
    elif not can_record_conversations(actor, agency):
        raise ValidationError(
            _("Only a police liaison officer records concern conversations.")
        )
    if person.municipality.police_district_id != agency.police_district_id:
        errors["person"] = _("The young person lives outside your police district.")
    if municipal_agency.municipality_id != person.municipality_id:
        errors["municipal_agency"] = _(
            "Choose an agency of the young person's municipality."
        )
    owner = owner or actor
    if owner != actor and not can_record_conversations(owner, agency):
        errors["owner"] = _("The responsible officer must be a police liaison officer.")
    if requested_on > timezone.localdate():
        errors["requested_on"] = _("The request cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    conversation = ConcernConversation(
        person=person,
        municipality=person.municipality,
        kind=kind,
        source=source,
        requested_by=requested_by.strip(),
        requested_on=requested_on,
        reason=reason.strip(),
        agency=agency,
        owner=owner,
        municipal_agency=municipal_agency,
        legal_basis=legal_basis,
        created_by=actor,
    )
    conversation.full_clean()
    conversation.save()
    Participant.objects.create(
        conversation=conversation,
        role=ParticipantRole.POLICE,
        user=owner,
        agency=agency,
    )
    Participant.objects.create(
        conversation=conversation, role=ParticipantRole.YOUTH, person=person
    )
    audit_record(
        user=actor, action=Action.CREATE, obj=conversation, subjects=[person.pk]
    )
    _grant_parties(
        actor=actor,
        obj=conversation,
        conversation=conversation,
        legal_basis=legal_basis,
    )
    _timeline(conversation, actor=actor, kind="requested")
    return conversation


# --- Participants ---------------------------------------------------------------------


def _check_participant(
    conversation: ConcernConversation, *, actor, role, user, person, name
) -> None:
    """Field errors for a participant who may not take part in this conversation."""
    if role in (ParticipantRole.POLICE, ParticipantRole.MUNICIPAL):
        if user is None:
            raise ValidationError({"user": _("Choose a member of staff.")})
        if role == ParticipantRole.POLICE:
            ok = Membership.objects.filter(
                user=user,
                agency__kind=AgencyKind.POLICE,
                agency__police_district=conversation.municipality.police_district_id,
            ).exists()
        else:
            ok = Membership.objects.filter(
                user=user,
                agency__municipality=conversation.municipality_id,
                role__in=Role.case_roles(),
            ).exists()
        if not ok:
            raise ValidationError(
                {"user": _("This person does not work with this municipality.")}
            )
    elif role == ParticipantRole.GUARDIAN:
        # Parents and guardians come from the family record: a recorded carer of
        # this young person whom the actor may see (not someone else's family).
        from access.permissions import can

        is_carer = Relation.objects.filter(
            person=conversation.person,
            relative=person,
            kind__in=RelationKind.carers(),
        ).exists()
        if person is None or not is_carer or not can(actor, person, VIEW):
            raise ValidationError(
                {
                    "person": _(
                        "Choose a parent or guardian recorded in the young "
                        "person's family."
                    )
                }
            )
    elif role == ParticipantRole.YOUTH:
        if person != conversation.person:
            raise ValidationError({"person": _("Choose the young person.")})
    elif not name.strip():
        raise ValidationError({"name": _("Write the participant's name.")})


@transaction.atomic
def participant_add(
    *,
    actor,
    conversation: ConcernConversation,
    role: str,
    user=None,
    person: Person | None = None,
    name: str = "",
) -> Participant:
    """Invite someone to a conversation that has not been held yet."""
    if conversation.status not in (Status.REQUESTED, Status.PLANNED):
        raise ValidationError(
            _("Participants can be changed only before the conversation is held.")
        )
    _check_participant(
        conversation, actor=actor, role=role, user=user, person=person, name=name
    )
    duplicate = (
        user is not None and conversation.participants.filter(user=user).exists()
    ) or (
        person is not None and conversation.participants.filter(person=person).exists()
    )
    if duplicate:
        raise ValidationError(_("This participant is already invited."))
    agency = None
    if user is not None:
        membership = (
            Membership.objects.filter(user=user)
            .filter(
                agency__in=[conversation.agency_id, conversation.municipal_agency_id]
            )
            .first()
        )
        agency = membership.agency if membership else None
    participant = Participant(
        conversation=conversation,
        role=role,
        user=user,
        person=person,
        name=name.strip() if user is None and person is None else "",
        agency=agency,
    )
    participant.full_clean()
    participant.save()
    _audit_change(actor, conversation, ["participants"])
    return participant


@transaction.atomic
def participant_remove(
    *, actor, conversation: ConcernConversation, participant: Participant
) -> None:
    if conversation.status not in (Status.REQUESTED, Status.PLANNED):
        raise ValidationError(
            _("Participants can be changed only before the conversation is held.")
        )
    if participant.conversation_id != conversation.pk:
        raise ValidationError(_("This participant is not invited."))
    if participant.user_id == conversation.owner_id:
        raise ValidationError(_("The responsible police officer takes part."))
    participant.delete()
    _audit_change(actor, conversation, ["participants"])


# --- Planned --------------------------------------------------------------------------


@transaction.atomic
def conversation_plan(
    *,
    actor,
    conversation: ConcernConversation,
    planned_at: datetime,
    place: str,
    interpreter_needed: bool = False,
    interpreter_language: str = "",
) -> ConcernConversation:
    """Set (or move) the time and place. Allowed when requested, planned, or not
    attended (a new time)."""
    target = target_of(conversation.status, Event.PLAN)
    errors = {}
    if not place.strip():
        errors["place"] = _("Write where the conversation takes place.")
    if interpreter_needed and not interpreter_language.strip():
        errors["interpreter_language"] = _("Write which language is needed.")
    if planned_at.date() < conversation.requested_on:
        errors["planned_at"] = _("The conversation cannot be before it was requested.")
    if errors:
        raise ValidationError(errors)
    conversation.status = target
    conversation.planned_at = planned_at
    conversation.place = place.strip()
    conversation.interpreter_needed = interpreter_needed
    conversation.interpreter_language = (
        interpreter_language.strip() if interpreter_needed else ""
    )
    conversation.full_clean()
    fields = [
        "status",
        "planned_at",
        "place",
        "interpreter_needed",
        "interpreter_language",
        "updated_at",
    ]
    conversation.save(update_fields=fields)
    _audit_change(actor, conversation, fields[:-1])
    _timeline(
        conversation,
        actor=actor,
        kind="planned",
        planned_at=planned_at.isoformat(),
    )
    return conversation


# --- Held -----------------------------------------------------------------------------


@transaction.atomic
def conversation_hold(
    *,
    actor,
    conversation: ConcernConversation,
    held_on: date,
    mapping_note: str,
    accountability_note: str,
    measures_note: str,
    attended: Iterable,
    follow_up_on: date | None = None,
    method: Method | None = None,
    measures: Iterable[dict] = (),
) -> ConcernConversation:
    """Record the conversation as held: a note for each of the three phases, who
    attended (participant ids), the agreed measures (dicts of measure_add's
    arguments) and the follow-up date (default: the municipality's period).

    Refused field by field, and nothing saved, when a phase note is missing, the
    follow-up date is before the conversation, or a measure is invalid.
    """
    target = target_of(conversation.status, Event.HOLD)
    errors: dict[str, Any] = {}
    notes = {
        "mapping_note": mapping_note.strip(),
        "accountability_note": accountability_note.strip(),
        "measures_note": measures_note.strip(),
    }
    for field, text in notes.items():
        if not text:
            errors[field] = _("Write a note for this phase.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("A conversation cannot be held in the future.")
    elif held_on < conversation.requested_on:
        errors["held_on"] = _("The conversation cannot be before it was requested.")
    follow_up_on = follow_up_on or default_follow_up_on(conversation, held_on)
    if follow_up_on < held_on:
        errors["follow_up_on"] = _(
            "The follow-up date cannot be before the conversation."
        )
    if method is not None and not method.active:
        errors["method"] = _("This method is no longer in use.")
    if errors:
        raise ValidationError(errors)
    attended_ids = {str(pk) for pk in attended}
    participants = list(conversation.participants.all())
    unknown = attended_ids - {str(p.pk) for p in participants}
    if unknown:
        raise ValidationError({"attended": _("Choose among the invited participants.")})
    for participant in participants:
        participant.attended = str(participant.pk) in attended_ids
    Participant.objects.bulk_update(participants, ["attended"])
    conversation.status = target
    conversation.held_on = held_on
    conversation.method = method
    conversation.follow_up_on = follow_up_on
    conversation.agreed_follow_up_on = follow_up_on
    for field, text in notes.items():
        setattr(conversation, field, text)
    conversation.full_clean()
    fields = [
        "status",
        "held_on",
        "method",
        "follow_up_on",
        "agreed_follow_up_on",
        *notes,
        "updated_at",
    ]
    conversation.save(update_fields=fields)
    _audit_change(actor, conversation, [*fields[:-1], "participants"])
    for index, measure in enumerate(measures):
        try:
            measure_add(actor=actor, conversation=conversation, **measure)
        except ValidationError as exc:
            raise ValidationError(
                {f"measures-{index}-{k}": v for k, v in exc.message_dict.items()}
            ) from exc
    _timeline(
        conversation,
        actor=actor,
        kind="held",
        follow_up_on=follow_up_on.isoformat(),
    )
    _schedule_follow_up(conversation)
    return conversation


@transaction.atomic
def conversation_not_attended(
    *, actor, conversation: ConcernConversation, reason: str
) -> ConcernConversation:
    """The family did not come. The conversation can be planned again or closed."""
    return _end_state(
        actor, conversation, Event.NOT_ATTENDED, reason, kind="not_attended"
    )


@transaction.atomic
def conversation_cancel(
    *, actor, conversation: ConcernConversation, reason: str
) -> ConcernConversation:
    conversation = _end_state(
        actor, conversation, Event.CANCEL, reason, kind="cancelled"
    )
    reminders_cancel_for(source=conversation)
    return conversation


def _end_state(actor, conversation, event, reason, *, kind):
    target = target_of(conversation.status, event)
    if not reason.strip():
        raise ValidationError({"reason": _("Write the reason.")})
    conversation.status = target
    conversation.status_reason = reason.strip()
    conversation.save(update_fields=["status", "status_reason", "updated_at"])
    _audit_change(actor, conversation, ["status", "status_reason"])
    _timeline(conversation, actor=actor, kind=kind)
    return conversation


# --- Measures -------------------------------------------------------------------------


@transaction.atomic
def measure_add(
    *,
    actor,
    conversation: ConcernConversation,
    measure_type: MeasureType,
    description: str,
    responsible_agency: Agency,
    due_on: date,
    responsible_user=None,
) -> Measure:
    """Agree a measure. The responsible agency sees it on its worklist (the measure,
    not the conversation's notes); its responsible person, or else the officer
    holding the conversation, is reminded on the due date."""
    if conversation.status not in (Status.PLANNED, Status.HELD, Status.FOLLOW_UP):
        raise ValidationError(
            _("Measures are agreed in the conversation or during follow-up.")
        )
    errors = {}
    if not description.strip():
        errors["description"] = _("Describe the measure.")
    if not measure_type.active:
        errors["measure_type"] = _("This type of measure is no longer in use.")
    works_here = (
        responsible_agency.municipality_id == conversation.municipality_id
        or responsible_agency.police_district_id
        == conversation.municipality.police_district_id
    )
    if not works_here:
        errors["responsible_agency"] = _(
            "Choose an agency that works in the young person's municipality."
        )
    if (
        responsible_user is not None
        and not Membership.objects.filter(
            user=responsible_user, agency=responsible_agency
        ).exists()
    ):
        errors["responsible_user"] = _(
            "The responsible person must work in the responsible agency."
        )
    if conversation.held_on and due_on < conversation.held_on:
        errors["due_on"] = _("The due date cannot be before the conversation.")
    if errors:
        raise ValidationError(errors)
    measure = Measure(
        conversation=conversation,
        person=conversation.person,
        measure_type=measure_type,
        description=description.strip(),
        responsible_agency=responsible_agency,
        responsible_user=responsible_user,
        due_on=due_on,
    )
    measure.full_clean()
    measure.save()
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=measure,
        subjects=[conversation.person_id],
    )
    access_grant(
        actor=actor,
        obj=measure,
        agency=conversation.agency,
        actions=[VIEW, CHANGE],
        legal_basis=LegalBasis.OWN_TASK,
        reason="police agency holding the conversation",
    )
    if responsible_agency.pk != conversation.agency_id:
        access_grant(
            actor=actor,
            obj=measure,
            agency=responsible_agency,
            actions=[VIEW, CHANGE],
            legal_basis=conversation.legal_basis,
            reason="responsible for the measure",
        )
    if responsible_agency.pk != conversation.municipal_agency_id:
        access_grant(
            actor=actor,
            obj=measure,
            agency=conversation.municipal_agency,
            actions=[VIEW],
            legal_basis=conversation.legal_basis,
            reason="municipal agency taking part",
        )
    _schedule_measure(measure, conversation)
    return measure


def _schedule_measure(measure: Measure, conversation: ConcernConversation) -> None:
    reminder_schedule(
        key=f"measure-due:{measure.pk}:{measure.due_on}",
        kind="conversations.measure_due",
        recipient=measure.responsible_user or conversation.owner,
        due_at=morning_of(measure.due_on),
        url=conversation_url(conversation) if measure.responsible_user is None else "",
        params={"due_on": measure.due_on.isoformat()},
        source=measure,
    )


@transaction.atomic
def measure_set_status(*, actor, measure: Measure, status: str) -> Measure:
    """Update how far a measure is (callers fetch it for CHANGE: the police agency
    or the responsible agency). A finished or dropped measure is not reminded."""
    if status not in MeasureStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    measure.status = status
    measure.save(update_fields=["status", "updated_at"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=measure,
        subjects=[measure.person_id],
        changed_fields=["status"],
    )
    if not measure.is_open:
        reminders_cancel_for(source=measure)
    return measure


# --- Follow-up and closing ------------------------------------------------------------


@transaction.atomic
def conversation_follow_up(
    *,
    actor,
    agency: Agency,
    conversation: ConcernConversation,
    followed_up_on: date,
    note: str,
    concern_continues: bool,
    next_follow_up_on: date | None = None,
) -> FollowUp:
    """Record a follow-up. If the concern continues, the next follow-up date is
    required and reminded; if not, the conversation awaits closing."""
    target = target_of(conversation.status, Event.FOLLOW_UP)
    errors = {}
    if not note.strip():
        errors["note"] = _("Write what happened.")
    if followed_up_on > timezone.localdate():
        errors["followed_up_on"] = _("A follow-up cannot be in the future.")
    elif followed_up_on < conversation.held_on:
        errors["followed_up_on"] = _("The follow-up cannot be before the conversation.")
    if concern_continues and next_follow_up_on is None:
        errors["next_follow_up_on"] = _(
            "When the concern continues, set the next follow-up date."
        )
    elif next_follow_up_on is not None and next_follow_up_on < followed_up_on:
        errors["next_follow_up_on"] = _("The next follow-up cannot be before this one.")
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp(
        conversation=conversation,
        person=conversation.person,
        followed_up_on=followed_up_on,
        note=note.strip(),
        concern_continues=concern_continues,
        next_follow_up_on=next_follow_up_on,
        agency=agency,
        recorded_by=actor,
    )
    follow_up.full_clean()
    follow_up.save()
    conversation.status = target
    conversation.follow_up_on = next_follow_up_on
    conversation.save(update_fields=["status", "follow_up_on", "updated_at"])
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=follow_up,
        subjects=[conversation.person_id],
    )
    _timeline(
        conversation,
        actor=actor,
        kind="followed_up",
        concern_continues=concern_continues,
    )
    _schedule_follow_up(conversation)
    return follow_up


@transaction.atomic
def conversation_close(
    *,
    actor,
    conversation: ConcernConversation,
    outcome: str,
    reason: str,
    closed_on: date | None = None,
) -> ConcernConversation:
    """Close with an outcome and a reason; pending reminders are cancelled (the
    measures stay on their agencies' worklists until done or dropped)."""
    target = target_of(conversation.status, Event.CLOSE)
    closed_on = closed_on or timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Write the reason.")
    if conversation.held_on and closed_on < conversation.held_on:
        errors["closed_on"] = _("It cannot close before the conversation was held.")
    if errors:
        raise ValidationError(errors)
    conversation.status = target
    conversation.outcome = outcome
    conversation.status_reason = reason.strip()
    conversation.closed_on = closed_on
    conversation.follow_up_on = None
    conversation.full_clean()
    fields = ["status", "outcome", "status_reason", "closed_on", "follow_up_on"]
    conversation.save(update_fields=[*fields, "updated_at"])
    _audit_change(actor, conversation, fields)
    _timeline(conversation, actor=actor, kind="closed", outcome=outcome)
    reminders_cancel_for(source=conversation)
    return conversation
