"""What the Exit programme adds to the shared registries: timeline kinds, reminder
kinds, the sibling alert's Exit fact and the family page's case column (issue 3,
point 5: a sibling in an active Exit programme)."""

from __future__ import annotations

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from families.alerts import register_sibling_fact
from families.member_cases import register_case_kind
from reminders.registry import register_reminder_kind
from timeline.registry import register_kind

from .models import Status

for key, label in (
    ("referred", _("Referred to the Exit programme")),
    ("screen", _("Exit: pre-screening")),
    ("map_police", _("Exit: police mapping")),
    ("map_municipal", _("Exit: municipal mapping")),
    ("clarify", _("Exit: clarification conversation")),
    ("enrol", _("Exit: enrolled")),
    ("decline", _("Exit: declined")),
    ("sign", _("Exit: cooperation agreement signed")),
    ("end", _("Exit: programme ended")),
    ("record_outcome", _("Exit: outcome recorded")),
):
    register_kind(f"exitprogram.{key}", label=label)


def _week_title(params: dict) -> str:
    day = parse_date(params.get("week") or "")
    return _("A weekly police report for the week of %(date)s is missing") % {
        "date": date_format(day, "DATE_FORMAT") if day else ""
    }


register_reminder_kind(
    "exitprogram.police_mapping", title=_("An exit case awaits the police mapping")
)
register_reminder_kind("exitprogram.weekly_report_missing", title=_week_title)
register_reminder_kind(
    "exitprogram.outcome_due",
    title=_("Record the outcome two years after an exit programme ended"),
)


def _persons_in_active_programme(user):
    from access.permissions import visible
    from cases.models import Person

    from .selectors import cases_visible_to

    active = cases_visible_to(user=user, audit=None).filter(status=Status.ACTIVE)
    return visible(user, Person, audit=None).filter(pk__in=active.values("person"))


register_sibling_fact(
    "exitprogram.active",
    # Worded without labels: the fact is the programme, not the environment.
    label=_("A sibling takes part in the Exit programme"),
    persons_with_fact=_persons_in_active_programme,
)


def _open_cases(user, person_ids):
    from .selectors import cases_visible_to

    return (
        cases_visible_to(user=user, audit=None)
        .filter(person_id__in=person_ids)
        .exclude(status__in=[Status.DECLINED, Status.OUTCOME_RECORDED])
        .values_list("person_id", flat=True)
        .distinct()
    )


register_case_kind("exitprogram.open", label=_("Exit programme"), open_for=_open_cases)
