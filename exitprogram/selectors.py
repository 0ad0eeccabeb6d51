"""Reading exit cases through the permission core (issue 6, point 6).

* the case, its mappings' municipal part, the clarification, the agreements, the
  follow-up meetings and mentors: the exit unit of its municipality (view, change,
  export) and the police exit contact (view), through the case's grants;
* the police mapping with the security assessment: the exit unit and the police
  exit contact only, through its own grants (R-EXIT-3);
* a measure: also its responsible authority, which sees the measure and nothing of
  the case (no word of gang affiliation);
* a weekly report: also the district police agency that makes it.

Everybody else: 404, and absent from lists and counts.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from access.permissions import (
    VIEW,
    get_visible_or_404,
    visible,
    visible_via,
)

from .models import (
    Agreement,
    AgreementMeasure,
    AgreementStatus,
    Clarification,
    ExitCase,
    FollowUpMeeting,
    MeasureStatus,
    MentorAssignment,
    MentorSession,
    MunicipalMapping,
    NecNotification,
    PoliceMapping,
    Status,
    WeeklyReport,
)

# A measure still to be carried out.
OPEN_MEASURE = (MeasureStatus.PLANNED, MeasureStatus.STARTED)

_CASE = (
    "person",
    "agency",
    "coordinator",
    "police_agency",
    "police_contact",
    "municipality",
)


def cases_visible_to(*, user, audit="list") -> QuerySet[ExitCase]:
    return visible(user, ExitCase.objects.select_related(*_CASE), audit=audit)


# What the coordinator's dashboard shows of a case (exitprogram.views.dashboard):
# three joins instead of six (planning the six took PostgreSQL longer than running
# the query) and 20 columns instead of 91.
_OVERVIEW_FIELDS = (
    "status",
    "referred_on",
    "ended_on",
    "person__given_name",
    "person__family_name",
    "coordinator__username",
    "coordinator__first_name",
    "coordinator__last_name",
    "coordinator__title",
    "police_contact__username",
    "police_contact__first_name",
    "police_contact__last_name",
    "police_contact__title",
)


def cases_overview(*, user) -> QuerySet[ExitCase]:
    """The cases visible to the user with what the dashboard lists of them: the
    young person's name, the dates and the names of the two contacts. Audited as a
    list, as cases_visible_to."""
    return visible(
        user,
        ExitCase.objects.select_related("person", "coordinator", "police_contact").only(
            *_OVERVIEW_FIELDS
        ),
    )


def case_for(*, user, pk, action: str = VIEW) -> ExitCase:
    return get_visible_or_404(
        user, ExitCase.objects.select_related(*_CASE), pk=pk, action=action
    )


def _of_case(user, model, case):
    return visible_via(
        user, model.objects.filter(case=case), parent="case", parent_model=ExitCase
    )


def police_mapping_of(*, user, case: ExitCase) -> PoliceMapping | None:
    return visible(user, PoliceMapping.objects.filter(case=case), audit="view").first()


def police_mapping_for(*, user, case: ExitCase, action: str = VIEW) -> PoliceMapping:
    mapping = PoliceMapping.objects.filter(case=case).values_list("pk", flat=True)
    return get_visible_or_404(
        user, PoliceMapping, pk=next(iter(mapping), None), action=action
    )


def municipal_mapping_of(*, user, case: ExitCase) -> MunicipalMapping | None:
    return _of_case(user, MunicipalMapping, case).first()


def clarification_of(*, user, case: ExitCase) -> Clarification | None:
    return _of_case(user, Clarification, case).first()


def agreements_of(*, user, case: ExitCase) -> QuerySet[Agreement]:
    return visible(user, Agreement.objects.filter(case=case).order_by("-version"))


def agreement_for(*, user, pk, action: str = VIEW) -> Agreement:
    return get_visible_or_404(
        user,
        Agreement.objects.select_related("case", "case__person", "case__agency"),
        pk=pk,
        action=action,
    )


def current_agreement(*, user, case: ExitCase) -> Agreement | None:
    """The draft if there is one, else the signed version."""
    versions = list(agreements_of(user=user, case=case))
    for status in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
        for agreement in versions:
            if agreement.status == status:
                return agreement
    return versions[0] if versions else None


def measures_of(*, user, agreement: Agreement) -> QuerySet[AgreementMeasure]:
    return visible(
        user,
        AgreementMeasure.objects.filter(agreement=agreement).select_related(
            "responsible_agency"
        ),
    )


def measure_for(*, user, pk, action: str = VIEW) -> AgreementMeasure:
    return get_visible_or_404(
        user,
        AgreementMeasure.objects.select_related(
            "agreement", "responsible_agency", "person"
        ),
        pk=pk,
        action=action,
    )


def measures_for_agency(*, user) -> QuerySet[AgreementMeasure]:
    """The measures of signed agreements the user's agencies answer for, open
    first (the responsible authority's worklist)."""
    return visible(
        user,
        AgreementMeasure.objects.filter(
            agreement__status=AgreementStatus.SIGNED
        ).select_related("responsible_agency", "person"),
    ).order_by("status", "ends_on")


def overdue_measures_for_agency(*, user, day=None) -> QuerySet[AgreementMeasure]:
    """For the coordinator's dashboard: the open measures of signed agreements
    whose time frame ended before `day`, as measures_for_agency sees them, with
    what the dashboard shows of them (the kind, the end of the time frame, the
    responsible authority's and the young person's names)."""
    day = day or timezone.localdate()
    return (
        measures_for_agency(user=user)
        .filter(status__in=OPEN_MEASURE, ends_on__lt=day)
        .only(
            "kind",
            "ends_on",
            "responsible_agency__name",
            "person__given_name",
            "person__family_name",
        )
    )


def measures_changeable(*, user, ids) -> set:
    """Which of these measures the user may change (its authority, the exit unit):
    one query, for showing the status form only to them."""
    from access.permissions import CHANGE

    if not ids:
        return set()
    return set(
        visible(
            user,
            AgreementMeasure.objects.filter(pk__in=ids),
            action=CHANGE,
            audit=None,
        ).values_list("pk", flat=True)
    )


def overdue_measures(*, user, case: ExitCase) -> QuerySet[AgreementMeasure]:
    today = timezone.localdate()
    return visible(
        user,
        AgreementMeasure.objects.filter(
            case=case,
            agreement__status=AgreementStatus.SIGNED,
            status__in=["planned", "started"],
            ends_on__lt=today,
        ).select_related("responsible_agency"),
    )


def weekly_reports_of(*, user, case: ExitCase) -> QuerySet[WeeklyReport]:
    return visible(
        user, WeeklyReport.objects.filter(case=case).select_related("reported_by")
    )


def report_for(*, user, pk, action: str = VIEW) -> WeeklyReport:
    return get_visible_or_404(
        user,
        WeeklyReport.objects.select_related("case", "person"),
        pk=pk,
        action=action,
    )


def reports_to_make(*, user, day=None) -> QuerySet[WeeklyReport]:
    """The police liaison's weekly list: this week's reports and earlier missing
    ones, for the persons the user's police agency reports on."""
    from access.permissions import CHANGE

    day = day or timezone.localdate()
    return (
        visible(
            user,
            WeeklyReport.objects.filter(
                week_start__lte=day, case__status=Status.ACTIVE
            ).select_related("person", "case__municipality"),
            action=CHANGE,
        )
        .filter(
            reported_at__isnull=True,
        )
        .order_by("week_start", "person__family_name")
    )


def missing_reports(*, user, day=None) -> QuerySet[WeeklyReport]:
    """For the coordinator's dashboard: reports of finished weeks not made, with
    what the dashboard shows of them (the week, the case's id, the young person's
    name); other fields are read on access."""
    day = day or timezone.localdate()
    this_week = day - timedelta(days=day.weekday())
    return visible(
        user,
        WeeklyReport.objects.filter(
            reported_at__isnull=True,
            week_start__lt=this_week,
            case__status=Status.ACTIVE,
        )
        .select_related("person")
        .only("case", "week_start", "person__given_name", "person__family_name")
        .order_by("week_start"),
    )


def follow_up_meetings_of(*, user, case: ExitCase) -> QuerySet[FollowUpMeeting]:
    return _of_case(user, FollowUpMeeting, case)


def mentors_of(*, user, case: ExitCase) -> QuerySet[MentorAssignment]:
    return _of_case(user, MentorAssignment, case)


def mentor_sessions_of(*, user, case: ExitCase) -> QuerySet[MentorSession]:
    return _of_case(user, MentorSession, case).select_related("assignment")


def assignment_for(*, user, pk) -> MentorAssignment:
    from django.http import Http404

    try:
        return visible_via(
            user,
            MentorAssignment.objects.select_related("case"),
            parent="case",
            parent_model=ExitCase,
            audit="view",
        ).get(pk=pk)
    except (MentorAssignment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def nec_notifications_of(*, user, case: ExitCase) -> QuerySet[NecNotification]:
    """What NEC was told and when (no person data of its own: not audited)."""
    return visible_via(
        user,
        NecNotification.objects.filter(case=case).select_related("recorded_by"),
        parent="case",
        parent_model=ExitCase,
        audit=None,
    ).order_by("-sent_on")


def _outcome_limit(day: date) -> date:
    """The last end date whose two years have passed on `day`."""
    from .services import OUTCOME_YEARS

    try:
        return day.replace(year=day.year - OUTCOME_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year - OUTCOME_YEARS, day=28)


def outcomes_due(*, user, day=None) -> QuerySet[ExitCase]:
    """Ended cases whose two years have passed without a recorded outcome."""
    limit = _outcome_limit(day or timezone.localdate())
    return cases_visible_to(user=user).filter(status=Status.ENDED, ended_on__lte=limit)


def outcomes_due_among(cases, *, day=None) -> list[ExitCase]:
    """outcomes_due on cases already read through cases_visible_to or
    cases_overview (the dashboard), in their order: the same condition, no query."""
    limit = _outcome_limit(day or timezone.localdate())
    return [
        case
        for case in cases
        if case.status == Status.ENDED
        and case.ended_on is not None
        and case.ended_on <= limit
    ]
