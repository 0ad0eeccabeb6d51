"""The states of a meeting and the transitions between them: the one table the
services consult (STYLE.md §5), tested exhaustively.

    planned ─send_agenda─▶ agenda_sent ─start─▶ in_progress ─end─▶ held
    held ─approve─▶ approved (the chair approves the minutes)
    agenda_sent ─send_agenda─▶ agenda_sent (sent again after a change)
    planned ─start─▶ in_progress (an urgent meeting without a sent agenda)
    planned or agenda_sent ─cancel─▶ cancelled

LAW.md C2 adds "ready" (consent status settled per person) and "journalised"; here
the consent status is a field of each agenda item, and journalising belongs to the
municipality's records system.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .models import MeetingStatus as S


class Event:
    SEND_AGENDA = "send_agenda"
    START = "start"
    END = "end"
    APPROVE = "approve"
    CANCEL = "cancel"


# Worded to complete "… so it cannot be %(event)s".
EVENT_LABELS = {
    Event.SEND_AGENDA: pgettext_lazy("meeting event", "sent its agenda"),
    Event.START: pgettext_lazy("meeting event", "started"),
    Event.END: pgettext_lazy("meeting event", "ended"),
    Event.APPROVE: pgettext_lazy("meeting event", "given approved minutes"),
    Event.CANCEL: pgettext_lazy("meeting event", "cancelled"),
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PLANNED, Event.SEND_AGENDA): S.AGENDA_SENT,
    (S.AGENDA_SENT, Event.SEND_AGENDA): S.AGENDA_SENT,
    (S.PLANNED, Event.START): S.IN_PROGRESS,
    (S.AGENDA_SENT, Event.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, Event.END): S.HELD,
    (S.HELD, Event.APPROVE): S.APPROVED,
    (S.PLANNED, Event.CANCEL): S.CANCELLED,
    (S.AGENDA_SENT, Event.CANCEL): S.CANCELLED,
}

EVENTS = tuple(EVENT_LABELS)


def allowed_events(status: str) -> list[str]:
    return [event for (state, event) in TRANSITIONS if state == status]


def target_of(status: str, event: str) -> str:
    """The state `event` leads to from `status`; a ValidationError with a clear
    message when the transition is not allowed."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise ValidationError(
            _("This meeting is “%(status)s”, so it cannot be %(event)s.")
            % {
                "status": S(status).label.lower(),
                "event": EVENT_LABELS.get(event, event),
            },
            code="illegal_transition",
        ) from None
