"""The minutes of a held meeting as a PDF for one reader (referat; issue 5, point 6).

Each reader's minutes hold only what that reader may see: the agenda, the shared
information and the action items come from meetings.selectors with the reader as
the user, so the permission core decides, never this module.

What the minutes never hold (R-115-6, R-115-3):

* §115 stk. 5 information (gang information), not even for its named recipients:
  it may not be exported. A reader who received such information in the meeting
  gets one line saying that it was shared and can be read in Tværs; the line names
  neither the person nor the item, since that link is the information itself.
* anything for an investigation: the declared purpose is checked by the caller
  (access.purposes.purpose_check) before this is called.

The minutes are in Danish whatever language the reader works in, and carry
"Fortroligt" and "Side x af y" on every page (CSS page counters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from core.pdf import render_pdf

from . import selectors
from .models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingStatus,
    Participant,
    SharedInformation,
)

MINUTES_STATES = (MeetingStatus.HELD, MeetingStatus.APPROVED)

DATE_FORMAT = r"l \d\e\n j. F Y"  # tirsdag den 8. december 2026
SHORT_DATE_FORMAT = "j. F Y"  # 8. december 2026
TIME_FORMAT = "H.i"  # 15.00


@dataclass(frozen=True)
class MinutesParticipant:
    name: str
    agency: str
    attendance: str


@dataclass(frozen=True)
class MinutesShare:
    text: str
    agency: str
    legal_basis: str
    necessity: str
    consent: str = ""
    passed_on_from: str = ""


@dataclass(frozen=True)
class MinutesAction:
    description: str
    agency: str
    person: str
    due_on: str
    status: str


@dataclass
class MinutesItem:
    number: int
    title: str
    person: str
    legal_basis: str
    decision: str
    shared: list[MinutesShare] = field(default_factory=list)
    actions: list[MinutesAction] = field(default_factory=list)


@dataclass
class Minutes:
    forum: str
    kind: str
    date: str
    time: str
    place: str
    chair: str
    status: str
    approved: str
    participants: list[MinutesParticipant]
    items: list[MinutesItem]
    restricted_shared: bool
    subjects: list = field(default_factory=list)


def _name_of_user(user) -> str:
    return user.name_and_title if user else ""


def _day(value: date) -> str:
    return dateformat.format(value, SHORT_DATE_FORMAT)


def _attendance(participant: Participant) -> str:
    if participant.attended is None:
        return _("Not recorded")
    return _("Attended") if participant.attended else _("Did not attend")


def _participant(participant: Participant) -> MinutesParticipant:
    return MinutesParticipant(
        name=_name_of_user(participant.user) or _("The whole agency"),
        agency=participant.agency.name,
        attendance=_attendance(participant),
    )


def _share(shared: SharedInformation) -> MinutesShare:
    consent = ""
    if shared.consent_id:
        consent = _("Consent given %(day)s") % {"day": _day(shared.consent.given_on)}
    source = shared.reshared_from
    return MinutesShare(
        text=shared.text,
        agency=shared.agency.name,
        legal_basis=shared.get_legal_basis_display(),
        necessity=shared.necessity,
        consent=consent,
        passed_on_from=source.agency.name if source else "",
    )


def _action(action: ActionItem) -> MinutesAction:
    return MinutesAction(
        description=action.description,
        agency=action.responsible_agency.name,
        person=_name_of_user(action.responsible_user),
        due_on=_day(action.due_on),
        status=action.get_status_display(),
    )


def _person_name(item: AgendaItem) -> str:
    person = item.person
    return f"{person.given_name} {person.family_name}" if person else ""


def minutes_for(*, reader, meeting: Meeting) -> Minutes:
    """The content of the minutes as `reader` may see it (three audited reads
    through meetings.selectors, whatever the number of items). Call inside
    translation.override("da") for Danish labels."""
    items = list(selectors.agenda_of(user=reader, meeting=meeting))
    shared = list(selectors.shared_of(user=reader, meeting=meeting))
    actions = list(selectors.actions_of(user=reader, meeting=meeting))
    participants = list(selectors.participants_of(meeting=meeting))
    # R-115-6: §115 stk. 5 information is never exported, whoever reads.
    restricted = [s for s in shared if s.restricted]
    shared_by_item: dict = {}
    for info in shared:
        if not info.restricted:
            shared_by_item.setdefault(info.item_id, []).append(_share(info))
    actions_by_item: dict = {}
    for action in actions:
        actions_by_item.setdefault(action.item_id, []).append(_action(action))
    local_start = timezone.localtime(meeting.starts_at)
    local_end = timezone.localtime(meeting.ends_at)
    forum = meeting.forum
    approved = ""
    if meeting.status == MeetingStatus.APPROVED and meeting.minutes_approved_at:
        approved = _day(timezone.localtime(meeting.minutes_approved_at).date())
    return Minutes(
        forum=forum.name,
        kind=forum.kind.name,
        date=dateformat.format(local_start, DATE_FORMAT),
        time=(
            f"{dateformat.format(local_start, TIME_FORMAT)}–"
            f"{dateformat.format(local_end, TIME_FORMAT)}"
        ),
        place=meeting.place or forum.place,
        chair=_name_of_user(forum.chair),
        status=meeting.get_status_display(),
        approved=approved,
        participants=[_participant(p) for p in participants],
        items=[
            MinutesItem(
                number=number,
                title=item.title,
                person=_person_name(item),
                legal_basis=item.get_legal_basis_display(),
                decision=item.decision,
                shared=shared_by_item.get(item.pk, []),
                actions=actions_by_item.get(item.pk, []),
            )
            for number, item in enumerate(items, start=1)
        ],
        restricted_shared=bool(restricted),
        subjects=sorted(
            {
                str(pid)
                for pid in [i.person_id for i in items]
                + [s.person_id for s in shared if not s.restricted]
                + [a.person_id for a in actions]
                if pid
            }
        ),
    )


def css_string(text: str) -> SafeString:
    """A CSS string literal of `text` (for `content:` in @page boxes), safe inside
    a <style> element: quotes, backslashes and "<" are escaped the CSS way."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("<", "\\3C ")
        .replace("\n", " ")
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - escaped above


def page_counter_css() -> SafeString:
    """ "Side x af y" as a CSS `content` value with the page counters."""
    text = _("Page %(page)s of %(pages)s")
    before, _sep, rest = text.partition("%(page)s")
    middle, _sep, after = rest.partition("%(pages)s")
    parts = [
        css_string(before),
        "counter(page)",
        css_string(middle),
        "counter(pages)",
        css_string(after),
    ]
    return mark_safe(" ".join(p for p in parts if p != '""'))  # noqa: S308


def check_minutes_state(meeting: Meeting) -> None:
    if meeting.status not in MINUTES_STATES:
        raise ValidationError(
            _(
                "Minutes are made when the meeting has been held. This meeting is "
                "“%(status)s”."
            )
            % {"status": meeting.get_status_display().lower()},
            code="not_held",
        )


@transaction.atomic
def minutes_render_pdf(*, actor, meeting: Meeting) -> bytes:
    """The minutes of a held (or approved) meeting as `actor` may see them, as
    PDF bytes.

    The caller has fetched `meeting` for EXPORT through the permission core
    (selectors.meeting_for) and checked the declared purpose. Refused with a
    ValidationError (code "not_held") before the meeting is held. Audited as an
    export of the meeting naming the persons in the minutes.
    """
    check_minutes_state(meeting)
    with translation.override("da"):
        minutes = minutes_for(reader=actor, meeting=meeting)
        html = render_to_string(
            "meetings/pdf/minutes.html",
            {
                "minutes": minutes,
                "confidential": css_string(_("Confidential")),
                "page_counter": page_counter_css(),
                "made_on": _day(timezone.localdate()),
                "made_by": _name_of_user(actor),
            },
        )
    pdf = render_pdf(html)
    audit_record(
        user=actor,
        action=Action.EXPORT,
        obj=meeting,
        subjects=minutes.subjects,
        criterion="minutes",
    )
    return pdf


def minutes_filename(meeting: Meeting) -> str:
    """A file name without names: the minutes may be saved on a shared drive."""
    day = timezone.localtime(meeting.starts_at).date()
    return f"referat-{day.isoformat()}.pdf"
