"""The states of an exit case and the transitions between them: the one table the
services consult (STYLE.md §5), tested exhaustively.

    referred ─screen─▶ pre_screening ─map_police─▶ police_mapping
    police_mapping ─map_municipal─▶ municipal_mapping ─clarify─▶ clarification
    clarification ─enrol─▶ agreement ─sign─▶ active ─end─▶ ended
    ended ─record_outcome─▶ outcome_recorded
    pre_screening … clarification ─decline─▶ declined

Each forward step needs the record of the phase it leaves (the police mapping, the
municipal mapping, the clarification; a signed agreement); the services check it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .models import Status as S


class Event:
    SCREEN = "screen"
    MAP_POLICE = "map_police"
    MAP_MUNICIPAL = "map_municipal"
    CLARIFY = "clarify"
    ENROL = "enrol"
    DECLINE = "decline"
    SIGN = "sign"
    END = "end"
    RECORD_OUTCOME = "record_outcome"


# Worded to complete "… so it cannot be %(event)s".
EVENT_LABELS = {
    Event.SCREEN: pgettext_lazy("exit event", "pre-screened"),
    Event.MAP_POLICE: pgettext_lazy("exit event", "passed to police mapping"),
    Event.MAP_MUNICIPAL: pgettext_lazy("exit event", "passed to municipal mapping"),
    Event.CLARIFY: pgettext_lazy("exit event", "passed to the clarification"),
    Event.ENROL: pgettext_lazy("exit event", "enrolled"),
    Event.DECLINE: pgettext_lazy("exit event", "declined"),
    Event.SIGN: pgettext_lazy("exit event", "made active by a signed agreement"),
    Event.END: pgettext_lazy("exit event", "ended"),
    Event.RECORD_OUTCOME: pgettext_lazy("exit event", "given its outcome"),
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.REFERRED, Event.SCREEN): S.PRE_SCREENING,
    (S.PRE_SCREENING, Event.MAP_POLICE): S.POLICE_MAPPING,
    (S.POLICE_MAPPING, Event.MAP_MUNICIPAL): S.MUNICIPAL_MAPPING,
    (S.MUNICIPAL_MAPPING, Event.CLARIFY): S.CLARIFICATION,
    (S.CLARIFICATION, Event.ENROL): S.AGREEMENT,
    (S.AGREEMENT, Event.SIGN): S.ACTIVE,
    (S.ACTIVE, Event.END): S.ENDED,
    (S.ENDED, Event.RECORD_OUTCOME): S.OUTCOME_RECORDED,
    (S.PRE_SCREENING, Event.DECLINE): S.DECLINED,
    (S.POLICE_MAPPING, Event.DECLINE): S.DECLINED,
    (S.MUNICIPAL_MAPPING, Event.DECLINE): S.DECLINED,
    (S.CLARIFICATION, Event.DECLINE): S.DECLINED,
}

EVENTS = tuple(EVENT_LABELS)
# The phases in order, for the case page's phase timeline.
PHASES = (
    S.REFERRED,
    S.PRE_SCREENING,
    S.POLICE_MAPPING,
    S.MUNICIPAL_MAPPING,
    S.CLARIFICATION,
    S.AGREEMENT,
    S.ACTIVE,
    S.ENDED,
    S.OUTCOME_RECORDED,
)


def allowed_events(status: str) -> list[str]:
    return [event for (state, event) in TRANSITIONS if state == status]


def target_of(status: str, event: str) -> str:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise ValidationError(
            _("This exit case is “%(status)s”, so it cannot be %(event)s.")
            % {
                "status": S(status).label.lower(),
                "event": EVENT_LABELS.get(event, event),
            },
            code="illegal_transition",
        ) from None
