"""The states of a family action plan version and the transitions between them:
the one table the services consult (STYLE.md §5).

    draft ─approve─▶ approved ─put_in_force─▶ in_force ─close─▶ closed
    in_force ─revise─▶ revised (a new draft version takes over; this one is kept)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .plan_models import PlanStatus as S


class Event:
    APPROVE = "approve"
    PUT_IN_FORCE = "put_in_force"
    REVISE = "revise"
    CLOSE = "close"


EVENT_LABELS = {
    Event.APPROVE: pgettext_lazy("plan event", "approved"),
    Event.PUT_IN_FORCE: pgettext_lazy("plan event", "put in force"),
    Event.REVISE: pgettext_lazy("plan event", "revised"),
    Event.CLOSE: pgettext_lazy("plan event", "closed"),
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, Event.APPROVE): S.APPROVED,
    (S.APPROVED, Event.PUT_IN_FORCE): S.IN_FORCE,
    (S.IN_FORCE, Event.REVISE): S.REVISED,
    (S.IN_FORCE, Event.CLOSE): S.CLOSED,
}

EVENTS = tuple(EVENT_LABELS)


def allowed_events(status: str) -> list[str]:
    return [event for (state, event) in TRANSITIONS if state == status]


def target_of(status: str, event: str) -> str:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise ValidationError(
            _("This plan is “%(status)s”, so it cannot be %(event)s.")
            % {
                "status": S(status).label.lower(),
                "event": EVENT_LABELS.get(event, event),
            },
            code="illegal_transition",
        ) from None
