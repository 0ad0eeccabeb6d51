"""The states of a concern conversation and the transitions between them: the one
table the services consult (STYLE.md §5), tested exhaustively.

    requested ─plan─▶ planned ─hold─▶ held ─follow_up─▶ follow_up ─close─▶ closed
    planned ─plan─▶ planned (moved)          held ─close─▶ closed
    planned ─not_attended─▶ not_attended ─plan─▶ planned, or ─close─▶ closed
    follow_up ─follow_up─▶ follow_up (again)
    requested or planned ─cancel─▶ cancelled

LAW.md C1 adds "invitation sent" and "minutes approved" as states; here the letter is
an action on a planned conversation and the notes are written when it is held.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Status


class Event:
    PLAN = "plan"
    HOLD = "hold"
    NOT_ATTENDED = "not_attended"
    FOLLOW_UP = "follow_up"
    CLOSE = "close"
    CANCEL = "cancel"


# Worded to complete "… so it cannot be %(event)s".
EVENT_LABELS = {
    Event.PLAN: gettext_lazy("planned"),
    Event.HOLD: gettext_lazy("recorded as held"),
    Event.NOT_ATTENDED: gettext_lazy("recorded as not attended"),
    Event.FOLLOW_UP: gettext_lazy("followed up"),
    Event.CLOSE: gettext_lazy("closed"),
    Event.CANCEL: gettext_lazy("cancelled"),
}

# (from state, event) -> to state
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.REQUESTED, Event.PLAN): Status.PLANNED,
    (Status.REQUESTED, Event.CANCEL): Status.CANCELLED,
    (Status.PLANNED, Event.PLAN): Status.PLANNED,
    (Status.PLANNED, Event.HOLD): Status.HELD,
    (Status.PLANNED, Event.NOT_ATTENDED): Status.NOT_ATTENDED,
    (Status.PLANNED, Event.CANCEL): Status.CANCELLED,
    (Status.NOT_ATTENDED, Event.PLAN): Status.PLANNED,
    (Status.NOT_ATTENDED, Event.CLOSE): Status.CLOSED,
    (Status.HELD, Event.FOLLOW_UP): Status.FOLLOW_UP,
    (Status.HELD, Event.CLOSE): Status.CLOSED,
    (Status.FOLLOW_UP, Event.FOLLOW_UP): Status.FOLLOW_UP,
    (Status.FOLLOW_UP, Event.CLOSE): Status.CLOSED,
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
            _("This conversation is “%(status)s”, so it cannot be %(event)s.")
            % {
                "status": Status(status).label.lower(),
                "event": EVENT_LABELS.get(event, event),
            },
            code="illegal_transition",
        ) from None
