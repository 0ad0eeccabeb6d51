"""The Exit programme's own figures (issue 6, point 5): enrolled per year, active
now, ended by reason, and the outcome against the programme's goal — at least 65%
of those who took part are not convicted of violent crime within two years after
the end (seed 003, Ishøj "En vej ind"; DOMAIN.md workflow 3).

Figures are aggregate counts of the exit cases of the municipalities the user
oversees (`exit_figures_scope`): no names, no ids, no dates of a single case. They
are not limited to the cases the user may open, and reading them is not a read of
anyone's data (no audit entry), like conversations.figures. The programme is small
(5–8 persons a year in a municipality): the page shows counts, never a list.

The outcome. A case counts once it has ended (ended or outcome recorded):

* known: the outcome recorded as "not convicted" or "convicted" (a conviction may
  be recorded as soon as it is known; "not convicted" only after the two years);
* not yet known, kept apart and outside the share: recorded as "not known", or
  the two years have passed without an outcome being recorded;
* still within the two years, without an outcome: not yet due, also outside.

The share not convicted = not convicted / known, with both counts shown.

Cost: two queries whatever the number of cases (one grouped by the year the case
became active; one of conditional counts), plus one for the scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from access.permissions import exit_figures_scope  # noqa: F401 (re-exported)

from .models import EndReason, ExitCase, Outcome, Status
from .services import OUTCOME_YEARS

# The programme's goal: the share not convicted of violent crime within two years.
TARGET_PERCENT = 65


@dataclass(frozen=True)
class FigureRow:
    """A count with its label (a year, a reason)."""

    key: object
    label: str
    count: int


@dataclass(frozen=True)
class OutcomeFigures:
    not_convicted: int = 0
    convicted: int = 0
    recorded_unknown: int = 0
    overdue: int = 0  # two years passed, no outcome recorded
    within_two_years: int = 0  # ended, two years not yet passed, no outcome

    @property
    def known(self) -> int:
        return self.not_convicted + self.convicted

    @property
    def not_yet_known(self) -> int:
        return self.recorded_unknown + self.overdue

    @property
    def share_not_convicted(self) -> float | None:
        """0–1, or None when no outcome is known."""
        return self.not_convicted / self.known if self.known else None

    @property
    def percent_not_convicted(self) -> float | None:
        share = self.share_not_convicted
        return None if share is None else round(share * 100, 1)

    @property
    def target_percent(self) -> int:
        return TARGET_PERCENT

    @property
    def target_met(self) -> bool | None:
        share = self.share_not_convicted
        return None if share is None else share * 100 >= TARGET_PERCENT


@dataclass(frozen=True)
class ExitFigures:
    today: date
    municipalities: list
    enrolled_by_year: list[FigureRow]
    active: int
    ended_by_reason: list[FigureRow]
    outcome: OutcomeFigures

    @property
    def enrolled_total(self) -> int:
        return sum(row.count for row in self.enrolled_by_year)

    @property
    def ended_total(self) -> int:
        return sum(row.count for row in self.ended_by_reason)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _counts(limit: date) -> dict:
    ended = Q(ended_on__isnull=False)
    no_outcome = ended & Q(outcome="")
    counts = {
        "active": Count("pk", filter=Q(status=Status.ACTIVE)),
        "not_convicted": Count("pk", filter=ended & Q(outcome=Outcome.NOT_CONVICTED)),
        "convicted": Count("pk", filter=ended & Q(outcome=Outcome.CONVICTED)),
        "recorded_unknown": Count("pk", filter=ended & Q(outcome=Outcome.UNKNOWN)),
        "overdue": Count("pk", filter=no_outcome & Q(ended_on__lte=limit)),
        "within_two_years": Count("pk", filter=no_outcome & Q(ended_on__gt=limit)),
    }
    for reason in EndReason:
        counts[f"ended_{reason.value}"] = Count(
            "pk", filter=ended & Q(end_reason=reason.value)
        )
    return counts


def exit_figures(*, municipalities: Iterable, today: date | None = None) -> ExitFigures:
    """The figures of the exit cases of `municipalities` (Municipality objects the
    caller may see the figures of: `exit_figures_scope`). Every end reason has a
    row; the years run from the first year a case became active to this year, with
    zeros between. Two queries; only counts leave the database."""
    today = today or timezone.localdate()
    municipalities = list(municipalities)
    base = ExitCase.objects.filter(
        municipality_id__in=[m.pk for m in municipalities]
    ).order_by()
    found = base.aggregate(**_counts(_years_before(today, OUTCOME_YEARS)))
    per_year = dict(
        base.filter(started_on__isnull=False)
        .annotate(year=ExtractYear("started_on"))
        .values("year")
        .annotate(count=Count("pk"))
        .values_list("year", "count")
    )
    years = range(min(per_year), today.year + 1) if per_year else []
    return ExitFigures(
        today=today,
        municipalities=municipalities,
        enrolled_by_year=[
            FigureRow(key=year, label=str(year), count=per_year.get(year, 0))
            for year in years
        ],
        active=found["active"],
        ended_by_reason=[
            FigureRow(
                key=reason.value,
                label=str(reason.label),
                count=found[f"ended_{reason.value}"],
            )
            for reason in EndReason
        ],
        outcome=OutcomeFigures(
            not_convicted=found["not_convicted"],
            convicted=found["convicted"],
            recorded_unknown=found["recorded_unknown"],
            overdue=found["overdue"],
            within_two_years=found["within_two_years"],
        ),
    )
