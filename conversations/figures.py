"""Figures on concern conversations (issue 4, point 9): how many were requested and
held, per month, per kind of concern and per municipality, and the share followed
up on time.

Figures are aggregate counts of the conversations in the municipalities a manager
or SSP coordinator oversees (access.permissions.figures_scope): no names, no ids,
no dates of a single conversation. They are therefore not limited to the
conversations the user may open, and reading them is not a read of anyone's data
(no audit entry). Every conversation is counted in the month it was requested: a
row says what became of the conversations requested then.

"Followed up on time": of the conversations held whose follow-up date, as set when
the conversation was held, has passed, the share whose first follow-up was recorded
on or before that date. A conversation closed on or before that date without a
follow-up is left out (the follow-up was no longer due); one closed later without a
follow-up counts as not on time.

The date set when held is ConcernConversation.agreed_follow_up_on (follow_up_on
moves on with each follow-up and is cleared on closing).

Cost: one query per table (month, kind, municipality) whatever the number of
conversations: grouped conditional counts with one correlated subquery each (the first
follow-up, through the follow-up's conversation index).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from .models import ConcernConversation, ConcernKind, FollowUp

# At most five years in one table: the month rows stay a readable, bounded list.
MAX_MONTHS = 60
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class FigureRow:
    """One line of a table: `key` is the month (first day), the kind's value, the
    municipality's id, or None for the total."""

    key: object
    label: str
    requested: int = 0
    held: int = 0
    follow_ups_due: int = 0
    followed_up_on_time: int = 0

    @property
    def share_on_time(self) -> float | None:
        """0–1, or None when no follow-up was due."""
        if not self.follow_ups_due:
            return None
        return self.followed_up_on_time / self.follow_ups_due

    @property
    def percent_on_time(self) -> float | None:
        share = self.share_on_time
        return None if share is None else round(share * 100, 1)


@dataclass(frozen=True)
class Figures:
    since: date
    until: date
    municipalities: list
    by_month: list[FigureRow]
    by_kind: list[FigureRow]
    by_municipality: list[FigureRow]
    total: FigureRow


# --- Periods --------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return date.fromordinal(add_months(day, 1).toordinal() - 1)


def months_between(since: date, until: date) -> int:
    """How many months the period covers, both ends included."""
    return (until.year - since.year) * 12 + until.month - since.month + 1


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, this one included: (first day, last day)."""
    today = today or timezone.localdate()
    return add_months(today, 1 - DEFAULT_MONTHS), month_end(today)


# --- The figures ----------------------------------------------------------------------


def _first_follow_up_on() -> Subquery:
    first = (
        FollowUp.objects.filter(conversation=OuterRef("pk"))
        .order_by("followed_up_on")
        .values("followed_up_on")[:1]
    )
    return Subquery(first, output_field=DateField())


def _counts(today: date) -> dict:
    passed = Q(held_on__isnull=False, due_on__lt=today)
    still_due = (
        Q(first_follow_up_on__isnull=False)
        | Q(closed_on__isnull=True)
        | Q(closed_on__gt=F("due_on"))
    )
    return {
        "requested": Count("pk"),
        "held": Count("pk", filter=Q(held_on__isnull=False)),
        "follow_ups_due": Count("pk", filter=passed & still_due),
        "followed_up_on_time": Count(
            "pk", filter=passed & Q(first_follow_up_on__lte=F("due_on"))
        ),
    }


def _conversations(
    municipality_ids: list, since: date, until: date
) -> QuerySet[ConcernConversation]:
    # Aggregates only: no row, and so no person, leaves the database.
    return (
        ConcernConversation.objects.filter(
            municipality_id__in=municipality_ids,
            requested_on__gte=since,
            requested_on__lte=until,
        )
        .alias(
            due_on=F("agreed_follow_up_on"), first_follow_up_on=_first_follow_up_on()
        )
        .order_by()
    )


def _row(key, label: str, found: dict | None) -> FigureRow:
    if not found:
        return FigureRow(key=key, label=label)
    return FigureRow(
        key=key,
        label=label,
        requested=found["requested"],
        held=found["held"],
        follow_ups_due=found["follow_ups_due"],
        followed_up_on_time=found["followed_up_on_time"],
    )


def _as_date(value) -> date:
    # TruncMonth of a DateField is a date on every backend; be lenient anyway.
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def conversation_figures(
    *,
    municipalities: Iterable,
    since: date,
    until: date,
    today: date | None = None,
) -> Figures:
    """The figures of the conversations requested from `since` to `until` (both
    included) in `municipalities` (Municipality objects the caller may see the
    figures of: access.permissions.figures_scope). Every month, kind and
    municipality has a row, with zeros where nothing happened.

    Three queries, whatever the number of conversations (and one more when
    `municipalities` is an unevaluated queryset)."""
    today = today or timezone.localdate()
    municipalities = list(municipalities)
    ids = [m.pk for m in municipalities]
    counts = _counts(today)
    base = _conversations(ids, since, until)

    per_month = {
        _as_date(found.pop("month")): found
        for found in base.annotate(month=TruncMonth("requested_on"))
        .values("month")
        .annotate(**counts)
    }
    per_kind = {
        found.pop("kind"): found for found in base.values("kind").annotate(**counts)
    }
    per_municipality = {
        found.pop("municipality_id"): found
        for found in base.values("municipality_id").annotate(**counts)
    }

    by_month = []
    month = month_start(since)
    while month <= until:
        by_month.append(
            _row(month, date_format(month, "YEAR_MONTH_FORMAT"), per_month.get(month))
        )
        month = add_months(month, 1)
    by_kind = [
        _row(kind.value, str(kind.label), per_kind.get(kind.value))
        for kind in ConcernKind
    ]
    by_municipality = [
        _row(m.pk, m.name, per_municipality.get(m.pk)) for m in municipalities
    ]
    total = FigureRow(
        key=None,
        label="",
        requested=sum(r.requested for r in by_municipality),
        held=sum(r.held for r in by_municipality),
        follow_ups_due=sum(r.follow_ups_due for r in by_municipality),
        followed_up_on_time=sum(r.followed_up_on_time for r in by_municipality),
    )
    return Figures(
        since=since,
        until=until,
        municipalities=municipalities,
        by_month=by_month,
        by_kind=by_kind,
        by_municipality=by_municipality,
        total=total,
    )
