"""The agenda of a meeting: built for the coordinator from what is due, then
reordered, added to and pruned by hand, then sent (issue 5, point 3).

`agenda_build` gathers, from what the coordinator may see (one query per source):

* rows of imported police lists, matched or confirmed, not yet on an agenda;
* concern conversations whose follow-up is due by the meeting, and agreed
  measures due by then;
* new concerns since the previous meeting: a concern level set to yellow or red,
  and concern conversations requested;
* persons whose sibling alert is new: not yet discussed for it in this forum.

Every item names its source (`source_key`), so a rebuild adds only what is new
and never revives an item the coordinator removed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import visible, visible_q
from audit.models import Action
from audit.services import audit_record
from cases.models import ConcernLevel, ConcernLevelChange, Person
from organisations.models import Membership, Role
from reminders.services import reminder_schedule, reminders_cancel_for

from .models import (
    AgendaItem,
    ItemSource,
    Meeting,
    MeetingStatus,
    Participant,
    PoliceList,
    PoliceListRow,
    RowFate,
)
from .states import Event, target_of


def outside_age_group(item: AgendaItem) -> bool:
    """R-115-9: a warning, not a block. Needs the item's meeting, forum, kind and
    person loaded (the selectors do)."""
    kind = item.meeting.forum.kind
    day = item.meeting.starts_at.date()
    return not kind.in_age_group(item.person.age_on(day) if item.person else None)


def _previous_start(meeting: Meeting) -> datetime:
    previous = (
        Meeting.objects.filter(forum=meeting.forum, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .aggregate(at=Max("starts_at"))["at"]
    )
    return previous or meeting.starts_at - timedelta(days=meeting.forum.cadence_days)


def _basis(meeting: Meeting, *, police: bool) -> str:
    bases = meeting.forum.kind.legal_bases
    preferred = (
        [b for b in bases if b.startswith("RPL115_1")]
        if police
        else [LegalBasis.RPL115_2]
        if LegalBasis.RPL115_2 in bases
        else []
    )
    return (preferred or bases or [LegalBasis.OWN_TASK])[0]


def _candidates(actor, meeting: Meeting) -> list[dict]:
    from conversations.models import Measure
    from conversations.selectors import FOLLOWING_UP, conversations_visible_to
    from families.alerts import persons_with_sibling_alert

    forum = meeting.forum
    day = meeting.starts_at.date()
    since = _previous_start(meeting)
    municipalities = forum.municipalities.all()
    found: list[dict] = []
    persons = visible(actor, Person, audit=None).filter(municipality__in=municipalities)

    # Behind the import's own checks: only the forum's municipalities, and only
    # persons and lists the coordinator may see.
    rows = PoliceListRow.objects.filter(
        visible_q(actor, PoliceList, field="police_list"),
        police_list__forum=forum,
        fate__in=[RowFate.MATCHED, RowFate.CONFIRMED],
        item__isnull=True,
        person__in=persons.values("pk"),
    ).select_related("police_list", "police_list__police_agency")
    for row in rows:
        screening = ", ".join(row.screening())
        found.append(
            {
                "source": ItemSource.POLICE_LIST,
                "source_key": f"list-row:{row.pk}",
                "person_id": row.person_id,
                "title": str(row.police_list.get_kind_display()),
                "reason": "\n".join(filter(None, [row.description, screening])),
                "agency": row.police_list.police_agency,
                "legal_basis": row.police_list.legal_basis,
                "row": row,
            }
        )

    conversations = conversations_visible_to(user=actor, audit=None).filter(
        municipality__in=municipalities
    )
    for c in conversations.filter(status__in=FOLLOWING_UP, follow_up_on__lte=day):
        found.append(
            {
                "source": ItemSource.FOLLOW_UP,
                "source_key": f"follow-up:{c.pk}:{c.follow_up_on}",
                "person_id": c.person_id,
                "title": _("Follow-up of a concern conversation due"),
                "reason": "",
            }
        )
    for c in conversations.filter(status="requested", created_at__gte=since):
        found.append(
            {
                "source": ItemSource.NEW_CONCERN,
                "source_key": f"request:{c.pk}",
                "person_id": c.person_id,
                "title": _("Concern conversation requested"),
                "reason": "",
            }
        )
    measures = visible(
        actor,
        Measure.objects.filter(
            status__in=["agreed", "in_progress"],
            due_on__lte=day,
            person__municipality__in=municipalities,
        ),
        audit=None,
    )
    for m in measures:
        found.append(
            {
                "source": ItemSource.MEASURE,
                "source_key": f"measure:{m.pk}:{m.due_on}",
                "person_id": m.person_id,
                "title": _("Agreed measure due"),
                "reason": "",
            }
        )

    changes = (
        ConcernLevelChange.objects.filter(
            person__in=persons.values("pk"),
            level__in=[ConcernLevel.YELLOW, ConcernLevel.RED],
            set_at__gte=since,
        )
        .order_by("person_id", "-set_at")
        .values("pk", "person_id", "level")
    )
    seen: set = set()
    for change in changes:
        if change["person_id"] in seen:
            continue
        seen.add(change["person_id"])
        found.append(
            {
                "source": ItemSource.NEW_CONCERN,
                "source_key": f"concern:{change['pk']}",
                "person_id": change["person_id"],
                "title": _("New concern"),
                "reason": str(ConcernLevel(change["level"]).label),
            }
        )

    discussed = AgendaItem.objects.filter(
        meeting__forum=forum, source=ItemSource.SIBLING_ALERT
    ).values("person")
    # As a subquery: the alert's queryset is audited and yields instances only; the
    # build audits the persons it adds.
    alerted = (
        persons.filter(pk__in=persons_with_sibling_alert(user=actor).values("pk"))
        .exclude(pk__in=discussed)
        .values_list("pk", flat=True)
    )
    for pk in alerted:
        found.append(
            {
                "source": ItemSource.SIBLING_ALERT,
                "source_key": f"sibling-alert:{pk}",
                "person_id": pk,
                "title": _("New sibling alert"),
                "reason": "",
            }
        )
    return found


def _require_open(meeting: Meeting) -> None:
    if not meeting.is_open_for_agenda:
        raise ValidationError(_("The agenda can no longer be changed."))


@transaction.atomic
def agenda_build(*, actor, meeting: Meeting) -> list[AgendaItem]:
    """Add to the agenda what is due and new (see the module). Returns the items
    added; the caller has fetched the meeting for CHANGE."""
    _require_open(meeting)
    existing = set(meeting.items.values_list("source_key", flat=True))
    position = (meeting.items.aggregate(p=Max("position"))["p"] or 0) + 1
    added: list[AgendaItem] = []
    rows: list[tuple[PoliceListRow, AgendaItem]] = []
    for candidate in _candidates(actor, meeting):
        if candidate["source_key"] in existing:
            continue
        existing.add(candidate["source_key"])
        police = candidate["source"] == ItemSource.POLICE_LIST
        item = AgendaItem(
            meeting=meeting,
            position=position,
            person_id=candidate["person_id"],
            source=candidate["source"],
            source_key=candidate["source_key"],
            title=str(candidate["title"])[:200],
            reason=candidate["reason"],
            agency=candidate.get("agency") or meeting.forum.agency,
            legal_basis=candidate.get("legal_basis") or _basis(meeting, police=police),
        )
        position += 1
        added.append(item)
        if "row" in candidate:
            rows.append((candidate["row"], item))
    AgendaItem.objects.bulk_create(added)
    for row, item in rows:
        row.item = item
    PoliceListRow.objects.bulk_update([row for row, _item in rows], ["item"])
    meeting.agenda_built_at = timezone.now()
    meeting.save(update_fields=["agenda_built_at", "updated_at"])
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=meeting,
        subjects=sorted({str(i.person_id) for i in added if i.person_id}),
        criterion=f"agenda built: {len(added)} items",
    )
    return added


@transaction.atomic
def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    person: Person | None = None,
    reason: str = "",
    age_override_reason: str = "",
) -> AgendaItem:
    """The coordinator adds an item (about a person it may see, fetched by the
    caller). Outside the forum's target age group it needs a reason (R-115-9)."""
    _require_open(meeting)
    errors = {}
    if not title.strip():
        errors["title"] = _("Write a title.")
    kind = meeting.forum.kind
    if person is not None:
        if not meeting.forum.municipalities.filter(pk=person.municipality_id).exists():
            errors["person"] = _("The person lives outside the forum's municipalities.")
        if (
            not kind.in_age_group(person.age_on(meeting.starts_at.date()))
            and not age_override_reason.strip()
        ):
            errors["age_override_reason"] = _(
                "The person is outside this forum's target age group. Write why "
                "the forum should discuss the person anyway."
            )
    if errors:
        raise ValidationError(errors)
    position = (meeting.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        person=person,
        source=ItemSource.MANUAL,
        source_key=f"manual:{timezone.now().timestamp()}:{position}",
        title=title.strip(),
        reason=reason.strip(),
        agency=meeting.forum.agency,
        added_by=actor,
        legal_basis=_basis(meeting, police=False),
        age_override_reason=age_override_reason.strip(),
    )
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=item,
        subjects=[person.pk] if person else [],
    )
    return item


@transaction.atomic
def agenda_item_update(
    *, actor, item: AgendaItem, age_override_reason: str | None = None, **changes
) -> AgendaItem:
    """Change an item's title, reason, consent status or age-group reason before
    the meeting is held."""
    if item.meeting.status in (MeetingStatus.HELD, MeetingStatus.APPROVED):
        raise ValidationError(_("The meeting has been held."))
    allowed = {"title", "reason", "consent_status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if age_override_reason is not None:
        item.age_override_reason = age_override_reason.strip()
    item.full_clean()
    item.save()
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=item,
        subjects=[item.person_id] if item.person_id else [],
        changed_fields=sorted(changes)
        + (["age_override_reason"] if age_override_reason is not None else []),
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> AgendaItem:
    """Take the item off the agenda. It stays removed: a rebuild does not bring it
    back, and a police-list row on it goes back to the list."""
    _require_open(item.meeting)
    item.removed = True
    item.save(update_fields=["removed"])
    audit_record(
        user=actor,
        action=Action.DELETE,
        obj=item,
        subjects=[item.person_id] if item.person_id else [],
    )
    return item


@transaction.atomic
def agenda_reorder(*, actor, meeting: Meeting, order: list) -> None:
    """Put the items in `order` (their ids); items not named keep their place
    after them."""
    _require_open(meeting)
    items = {str(i.pk): i for i in meeting.items.filter(removed=False)}
    named = [str(pk) for pk in order]
    if any(pk not in items for pk in named) or len(set(named)) != len(named):
        raise ValidationError({"order": _("The order names items not on the agenda.")})
    rest = [pk for pk in items if pk not in named]
    for position, pk in enumerate(named + rest, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=meeting,
        subjects=[],
        criterion="agenda order",
    )


def notice_at(meeting: Meeting) -> datetime:
    """When participants are notified: the forum's notice days before the meeting,
    at eight in the morning, or now if that has passed."""
    day = meeting.starts_at.date() - timedelta(days=meeting.forum.agenda_notice_days)
    at = timezone.make_aware(datetime.combine(day, time(8, 0)))
    return max(at, timezone.now())


def recipients_of(meeting: Meeting):
    """The people a meeting's notices go to: named participants, and the members
    of agencies that take part as a whole."""
    from organisations.models import User

    participants = Participant.objects.filter(meeting=meeting)
    whole = participants.filter(user__isnull=True).values("agency")
    # Of a whole agency, those who work with cases: its administrators and
    # auditors are not in its group and do not see the meeting.
    return User.objects.filter(is_active=True).filter(
        pk__in=participants.filter(user__isnull=False).values("user")
    ) | User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            agency__in=whole, role__in=Role.case_roles()
        ).values("user"),
    )


@transaction.atomic
def agenda_send(*, actor, meeting: Meeting) -> Meeting:
    """Send the agenda: participants are notified (in the app and by e-mail) the
    forum's notice days before the meeting, through the reminder mechanism. The
    notice names the forum and the date, never a person."""
    target = target_of(meeting.status, Event.SEND_AGENDA)
    items = list(
        meeting.items.filter(removed=False).select_related(
            "person", "meeting__forum__kind"
        )
    )
    if not items:
        raise ValidationError(_("The agenda is empty."))
    unexplained = [
        i for i in items if outside_age_group(i) and not i.age_override_reason
    ]
    if unexplained:
        raise ValidationError(
            _(
                "%(count)d items are about persons outside the forum's target age "
                "group. Write why, or remove them."
            )
            % {"count": len(unexplained)}
        )
    meeting.status = target
    meeting.agenda_sent_at = timezone.now()
    meeting.save(update_fields=["status", "agenda_sent_at", "updated_at"])
    url = meeting_url(meeting)
    for user in recipients_of(meeting).distinct():
        reminder_schedule(
            key=f"meeting-agenda:{meeting.pk}:{user.pk}",
            kind="meetings.agenda",
            recipient=user,
            due_at=notice_at(meeting),
            url=url,
            params={"starts_at": meeting.starts_at.isoformat()},
            source=meeting,
        )
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=meeting,
        subjects=sorted({str(i.person_id) for i in items if i.person_id}),
        changed_fields=["status"],
        criterion="agenda sent",
    )
    return meeting


def meeting_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("meetings:meeting", args=[meeting.pk])


def cancel_notices(meeting: Meeting) -> None:
    reminders_cancel_for(source=meeting)
