"""Writes on exit cases. Each is one transaction with its audit entry; a transition
is allowed only by `exitprogram.states`, and each forward step needs the record of
the phase it leaves.

Callers fetch the case (or its record) through exitprogram.selectors for the
action they need; the services check the domain: the state, the dates, who
records what (police record the police mapping and the weekly reports; the exit
coordinator everything else), and consent before anything reaches another
authority (R-EXIT-2).

Who sees what is granted here, each grant an explicit recorded act (R-115-5):
the exit unit (view, change, export) and the police exit contact (view) see the
case; the police mapping with its security assessment is theirs alone (R-EXIT-3);
a measure's responsible authority sees that measure; the district police agency
sees the weekly reports it is to make.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import (
    CHANGE,
    EXPORT,
    VIEW,
    can_coordinate_exit,
    can_record_conversations,
)
from access.services import access_grant, access_revoke
from audit.models import Action
from audit.services import audit_record
from cases.models import Person
from organisations.models import Agency, AgencyKind
from reminders.services import (
    morning_of,
    reminder_cancel,
    reminder_schedule,
    reminders_cancel_for,
)
from timeline.services import timeline_record

from .models import (
    Agreement,
    AgreementMeasure,
    AgreementStatus,
    Clarification,
    EndReason,
    ExitCase,
    ExitSettings,
    FollowUpMeeting,
    LifeDomain,
    MeasureStatus,
    MentorAssignment,
    MentorSession,
    MunicipalMapping,
    NecNotification,
    Outcome,
    PoliceMapping,
    Status,
    WeeklyReport,
)
from .states import Event, target_of

OUTCOME_YEARS = 2
CLOSED = (Status.DECLINED, Status.OUTCOME_RECORDED)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def case_url(case: ExitCase) -> str:
    from django.urls import reverse

    return reverse("exitprogram:case", args=[case.pk])


def _audit(actor, obj, action=Action.CHANGE, fields=(), criterion="") -> None:
    person_id = getattr(obj, "person_id", None)
    audit_record(
        user=actor,
        action=action,
        obj=obj,
        subjects=[person_id] if person_id else [],
        changed_fields=list(fields),
        criterion=criterion,
    )


def _timeline(case: ExitCase, *, actor, kind: str, **params):
    """A restricted entry on the person's timeline, seen by the exit unit and the
    police exit contact only."""
    entry = timeline_record(
        person=case.person,
        kind=f"exitprogram.{kind}",
        actor=actor,
        agency=case.agency,
        legal_basis=case.legal_basis,
        params=params,
        source=case,
        restricted=True,
    )
    _grant_exit_unit(actor, entry, case, actions=[VIEW])
    return entry


def _grant_exit_unit(actor, obj, case: ExitCase, *, actions, police=(VIEW,)) -> None:
    access_grant(
        actor=actor,
        obj=obj,
        agency=case.agency,
        actions=actions,
        legal_basis=LegalBasis.OWN_TASK,
        reason="exit unit",
    )
    if police:
        access_grant(
            actor=actor,
            obj=obj,
            user=case.police_contact,
            actions=list(police),
            legal_basis=case.legal_basis,
            reason="police exit contact",
        )


def _move(actor, case: ExitCase, event: str, **fields) -> ExitCase:
    case.status = target_of(case.status, event)
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=["status", "updated_at", *fields])
    _audit(actor, case, fields=["status", *fields])
    _timeline(case, actor=actor, kind=event)
    return case


def minimum_age(municipality) -> int | None:
    found = ExitSettings.objects.filter(municipality=municipality).first()
    return found.minimum_age if found else None


def valid_consent(person: Person, agency: Agency, day: date):
    """The person's signed consent declaration covering `agency` on `day`, if any
    (R-EXIT-2; meetings.models.Consent is the one consent record)."""
    from meetings.models import Consent

    for consent in Consent.objects.filter(person=person, agencies=agency):
        if consent.is_valid_on(day):
            return consent
    return None


# --- Referral and the phases ----------------------------------------------------------


@transaction.atomic
def exit_refer(
    *,
    actor,
    agency: Agency,
    person: Person,
    referral_source: str,
    referred_on: date,
    police_contact,
    referrer: str = "",
    note: str = "",
) -> ExitCase:
    """An exit coordinator records a referral of `person` (fetched by the caller
    through the permission core) and names the police exit contact."""
    errors = {}
    if not can_coordinate_exit(actor, agency):
        raise ValidationError(_("Only an exit coordinator of an exit unit refers."))
    if person.municipality_id != agency.municipality_id:
        errors["person"] = _("The person lives outside your municipality.")
    elif ExitCase.objects.filter(person=person).exclude(status__in=CLOSED).exists():
        errors["person"] = _("The person already has an exit case that is not closed.")
    # The police agency is the contact's own, in the municipality's district.
    police = Agency.objects.filter(
        kind=AgencyKind.POLICE,
        police_district=agency.municipality.police_district_id,
        memberships__user=police_contact,
    ).first()
    if police is None or not can_record_conversations(police_contact, police):
        errors["police_contact"] = _(
            "Choose a police officer of the police district as exit contact."
        )
    if referred_on > timezone.localdate():
        errors["referred_on"] = _("The referral cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    case = ExitCase(
        person=person,
        municipality=person.municipality,
        referral_source=referral_source,
        referrer=referrer.strip(),
        referred_on=referred_on,
        referral_note=note.strip(),
        agency=agency,
        coordinator=actor,
        police_agency=police,
        police_contact=police_contact,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    _audit(actor, case, Action.CREATE)
    _grant_exit_unit(actor, case, case, actions=[VIEW, CHANGE, EXPORT])
    _timeline(case, actor=actor, kind="referred")
    return case


@transaction.atomic
def exit_screen(*, actor, case: ExitCase, note: str) -> ExitCase:
    target_of(case.status, Event.SCREEN)
    if not note.strip():
        raise ValidationError({"screening_note": _("Write the pre-screening.")})
    return _move(actor, case, Event.SCREEN, screening_note=note.strip())


@transaction.atomic
def exit_to_police_mapping(*, actor, case: ExitCase) -> ExitCase:
    """The coordinator asks the police exit contact for the police mapping; the
    contact gets a reminder."""
    case = _move(actor, case, Event.MAP_POLICE)
    reminder_schedule(
        key=f"exit-police-mapping:{case.pk}",
        kind="exitprogram.police_mapping",
        recipient=case.police_contact,
        due_at=timezone.now(),
        url=case_url(case),
        source=case,
    )
    return case


@transaction.atomic
def police_mapping_record(
    *,
    actor,
    case: ExitCase,
    nec_registered: bool,
    crime_picture: str,
    intentions: str,
    risk_level: str,
    risk_assessment: str,
    assessed_on: date,
) -> PoliceMapping:
    """Police record (or correct) the mapping while the case is in police mapping.
    Seen only by the exit unit and the police exit contact (R-EXIT-3)."""
    if actor.pk != case.police_contact_id:
        raise ValidationError(_("The police exit contact records the police mapping."))
    if case.status != Status.POLICE_MAPPING:
        raise ValidationError(_("The police mapping is recorded in its phase."))
    errors = {}
    for name, value in (
        ("crime_picture", crime_picture),
        ("intentions", intentions),
        ("risk_assessment", risk_assessment),
    ):
        if not value.strip():
            errors[name] = _("This field is required.")
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The assessment cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    mapping, created = PoliceMapping.objects.update_or_create(
        case=case,
        defaults={
            "person": case.person,
            "nec_registered": nec_registered,
            "crime_picture": crime_picture.strip(),
            "intentions": intentions.strip(),
            "risk_level": risk_level,
            "risk_assessment": risk_assessment.strip(),
            "assessed_on": assessed_on,
            "agency": case.police_agency,
            "recorded_by": actor,
        },
    )
    mapping.full_clean()
    _audit(actor, mapping, Action.CREATE if created else Action.CHANGE)
    if created:
        _grant_exit_unit(actor, mapping, case, actions=[VIEW], police=(VIEW, CHANGE))
        reminder_cancel(key=f"exit-police-mapping:{case.pk}")
    return mapping


@transaction.atomic
def exit_to_municipal_mapping(*, actor, case: ExitCase) -> ExitCase:
    """Needs the police mapping, and the person's signed consent declaration that
    the municipality, police and prison & probation may exchange information about
    the candidate (R-EXIT-2): the municipal mapping asks other parts of the
    municipality."""
    # The state first: an illegal step is refused as such, whatever it lacks.
    target_of(case.status, Event.MAP_MUNICIPAL)
    if not PoliceMapping.objects.filter(case=case).exists():
        raise ValidationError(_("The police mapping has not been recorded."))
    if valid_consent(case.person, case.agency, timezone.localdate()) is None:
        raise ValidationError(
            _(
                "Record the person's signed consent declaration covering the exit "
                "unit before the municipal mapping."
            )
        )
    return _move(actor, case, Event.MAP_MUNICIPAL)


MUNICIPAL_FIELDS = (
    "social_services",
    "job_centre",
    "family_centre",
    "employment",
    "income",
    "housing",
)


@transaction.atomic
def municipal_mapping_record(*, actor, case: ExitCase, **fields) -> MunicipalMapping:
    unknown = set(fields) - set(MUNICIPAL_FIELDS)
    if unknown:
        raise ValueError(f"Not a field: {sorted(unknown)}")
    if case.status != Status.MUNICIPAL_MAPPING:
        raise ValidationError(_("The municipal mapping is recorded in its phase."))
    if not any(str(v).strip() for v in fields.values()):
        raise ValidationError(_("Fill in at least one field of the mapping."))
    mapping, created = MunicipalMapping.objects.update_or_create(
        case=case,
        defaults={
            "person": case.person,
            "recorded_by": actor,
            **{k: str(v).strip() for k, v in fields.items()},
        },
    )
    _audit(actor, mapping, Action.CREATE if created else Action.CHANGE)
    return mapping


@transaction.atomic
def exit_to_clarification(*, actor, case: ExitCase) -> ExitCase:
    target_of(case.status, Event.CLARIFY)
    if not MunicipalMapping.objects.filter(case=case).exists():
        raise ValidationError(_("The municipal mapping has not been recorded."))
    return _move(actor, case, Event.CLARIFY)


@transaction.atomic
def clarification_record(
    *,
    actor,
    case: ExitCase,
    held_on: date,
    domains: dict,
    pressing_needs: str,
    premises_explained: bool,
) -> Clarification:
    if case.status != Status.CLARIFICATION:
        raise ValidationError(_("The clarification is recorded in its phase."))
    errors = {}
    unknown = set(domains) - set(LifeDomain.values)
    if unknown:
        raise ValueError(f"Not a domain: {sorted(unknown)}")
    domains = {k: v.strip() for k, v in domains.items() if v and v.strip()}
    if not domains:
        errors["domains"] = _("Describe the life situation in at least one domain.")
    if not pressing_needs.strip():
        errors["pressing_needs"] = _("Write the most pressing needs.")
    if not premises_explained:
        errors["premises_explained"] = _(
            "The programme's premises must be explained in the conversation."
        )
    if held_on > timezone.localdate():
        errors["held_on"] = _("The conversation cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    clarification, created = Clarification.objects.update_or_create(
        case=case,
        defaults={
            "person": case.person,
            "held_on": held_on,
            "domains": domains,
            "pressing_needs": pressing_needs.strip(),
            "premises_explained": premises_explained,
            "recorded_by": actor,
        },
    )
    _audit(actor, clarification, Action.CREATE if created else Action.CHANGE)
    return clarification


@transaction.atomic
def exit_enrol(
    *,
    actor,
    case: ExitCase,
    decided_on: date,
    parties: str = "",
    consequences: str = "",
) -> Agreement:
    """The decision to enrol: the case goes to the agreement phase with a first
    draft of the cooperation agreement. The municipality's minimum age, if any,
    holds on the decision date (R-EXIT-1)."""
    target_of(case.status, Event.ENROL)
    if not Clarification.objects.filter(case=case).exists():
        raise ValidationError(
            _("The clarification conversation has not been recorded.")
        )
    floor = minimum_age(case.municipality)
    age = case.person.age_on(decided_on)
    if floor is not None and (age is None or age < floor):
        raise ValidationError(
            {
                "decided_on": _("The municipality enrols from the age of %(age)d.")
                % {"age": floor}
            }
        )
    _move(actor, case, Event.ENROL, decided_on=decided_on)
    agreement = Agreement.objects.create(
        case=case,
        person=case.person,
        version=1,
        parties=parties.strip()
        or f"{case.person.given_name} {case.person.family_name}; {case.agency}",
        consequences=consequences.strip(),
        created_by=actor,
    )
    _audit(actor, agreement, Action.CREATE)
    _grant_exit_unit(actor, agreement, case, actions=[VIEW, CHANGE, EXPORT])
    return agreement


@transaction.atomic
def exit_decline(
    *,
    actor,
    case: ExitCase,
    decided_on: date,
    reason: str,
    psychiatric: bool = False,
    substance: bool = False,
    staff_safety: bool = False,
) -> ExitCase:
    """Decline with a reason; the exclusion criteria are explicit choices."""
    target_of(case.status, Event.DECLINE)
    if not reason.strip():
        raise ValidationError({"decline_reason": _("Write the reason.")})
    return _move(
        actor,
        case,
        Event.DECLINE,
        decided_on=decided_on,
        decline_reason=reason.strip(),
        excluded_psychiatric=psychiatric,
        excluded_substance=substance,
        excluded_staff_safety=staff_safety,
    )


# --- The cooperation agreement ------------------------------------------------------


def _require_draft(agreement: Agreement) -> None:
    if agreement.is_locked:
        raise ValidationError(
            _("A signed agreement is locked. Make a new version to change it.")
        )


@transaction.atomic
def agreement_update(
    *, actor, agreement: Agreement, parties: str, consequences: str
) -> Agreement:
    _require_draft(agreement)
    agreement.parties = parties.strip()
    agreement.consequences = consequences.strip()
    agreement.full_clean()
    agreement.save(update_fields=["parties", "consequences"])
    _audit(actor, agreement, fields=["parties", "consequences"])
    return agreement


@transaction.atomic
def agreement_measure_add(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    responsible_agency: Agency,
    starts_on: date,
    ends_on: date,
    description: str = "",
    contact: str = "",
) -> AgreementMeasure:
    _require_draft(agreement)
    errors = {}
    if responsible_agency.kind not in AgencyKind.authority_kinds():
        errors["responsible_agency"] = _("Choose an authority.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The time frame cannot end before the start.")
    if errors:
        raise ValidationError(errors)
    measure = AgreementMeasure(
        agreement=agreement,
        case=agreement.case,
        person=agreement.person,
        kind=kind,
        description=description.strip(),
        responsible_agency=responsible_agency,
        contact=contact.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    measure.full_clean()
    measure.save()
    _audit(actor, measure, Action.CREATE)
    _grant_exit_unit(actor, measure, agreement.case, actions=[VIEW, CHANGE])
    return measure


@transaction.atomic
def agreement_measure_remove(*, actor, measure: AgreementMeasure) -> None:
    _require_draft(measure.agreement)
    _audit(actor, measure, Action.DELETE)
    measure.delete()


@transaction.atomic
def agreement_sign(
    *,
    actor,
    agreement: Agreement,
    signed_by_person_on: date,
    signed_by_coordinator_on: date,
) -> Agreement:
    """Both have signed: the version is locked, the earlier signed version is
    superseded, each measure's responsible authority gets to see its measure (after
    checking the person's consent covers it, R-EXIT-2), and a case in the agreement
    phase becomes active. In an active case this signs a new version (no
    transition); in any other state signing is refused."""
    case = agreement.case
    if case.status != Status.ACTIVE:
        target_of(case.status, Event.SIGN)
    _require_draft(agreement)
    errors = {}
    today = timezone.localdate()
    if signed_by_person_on > today:
        errors["signed_by_person_on"] = _("The date cannot be in the future.")
    if signed_by_coordinator_on > today:
        errors["signed_by_coordinator_on"] = _("The date cannot be in the future.")
    if not agreement.consequences.strip():
        errors["consequences"] = _(
            "Write the consequences of relapse into violent crime."
        )
    measures = list(agreement.measures.select_related("responsible_agency"))
    if not measures:
        errors["measures"] = _("Add the measures each authority will start.")
    own = {case.agency_id, case.police_agency_id}
    uncovered = sorted(
        {
            m.responsible_agency.name
            for m in measures
            if m.responsible_agency_id not in own
            and valid_consent(case.person, m.responsible_agency, today) is None
        }
    )
    if uncovered:
        errors["measures"] = _("The person's consent does not cover: %(agencies)s.") % {
            "agencies": ", ".join(uncovered)
        }
    if errors:
        raise ValidationError(errors)
    previous = list(
        Agreement.objects.filter(case=case, status=AgreementStatus.SIGNED).exclude(
            pk=agreement.pk
        )
    )
    for old in previous:
        old.status = AgreementStatus.SUPERSEDED
        old.save(update_fields=["status"])
        for measure in old.measures.select_related("responsible_agency"):
            if measure.responsible_agency_id not in own:
                access_revoke(
                    actor=actor, obj=measure, agency=measure.responsible_agency
                )
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_by_person_on = signed_by_person_on
    agreement.signed_by_coordinator_on = signed_by_coordinator_on
    agreement.save(
        update_fields=["status", "signed_by_person_on", "signed_by_coordinator_on"]
    )
    _audit(actor, agreement, fields=["status"], criterion="signed")
    for measure in measures:
        if measure.responsible_agency_id not in own:
            access_grant(
                actor=actor,
                obj=measure,
                agency=measure.responsible_agency,
                actions=[VIEW, CHANGE],
                legal_basis=LegalBasis.CONSENT,
                reason="responsible authority",
            )
    if case.status == Status.AGREEMENT:
        _move(
            actor,
            case,
            Event.SIGN,
            started_on=max(signed_by_person_on, signed_by_coordinator_on),
        )
        weekly_report_open(case=case, actor=actor, day=today)
    return agreement


@transaction.atomic
def agreement_mark_sent(
    *,
    actor,
    agreement: Agreement,
    sent_to_police_on: date | None = None,
    sent_to_nec_on: date | None = None,
) -> Agreement:
    """Record when the signed agreement went to the police exit unit and to NEC
    (facts about the signed version, not changes to it)."""
    if agreement.status == AgreementStatus.DRAFT:
        raise ValidationError(_("Only a signed agreement is sent."))
    fields = []
    for name, value in (
        ("sent_to_police_on", sent_to_police_on),
        ("sent_to_nec_on", sent_to_nec_on),
    ):
        if value is not None:
            if value > timezone.localdate():
                raise ValidationError({name: _("The date cannot be in the future.")})
            setattr(agreement, name, value)
            fields.append(name)
    if fields:
        agreement.save(update_fields=fields)
        _audit(actor, agreement, fields=fields)
    return agreement


@transaction.atomic
def agreement_revise(*, actor, case: ExitCase) -> Agreement:
    """A new draft version from the latest signed one, with its measures (and their
    status); the signed version stays as it was."""
    if case.status not in (Status.AGREEMENT, Status.ACTIVE):
        raise ValidationError(_("The agreement can be changed while the case runs."))
    if Agreement.objects.filter(case=case, status=AgreementStatus.DRAFT).exists():
        raise ValidationError(_("A draft version already exists."))
    latest = (
        Agreement.objects.filter(case=case, status=AgreementStatus.SIGNED)
        .order_by("-version")
        .first()
    )
    if latest is None:
        raise ValidationError(_("There is no signed agreement to change."))
    draft = Agreement.objects.create(
        case=case,
        person=case.person,
        version=latest.version + 1,
        parties=latest.parties,
        consequences=latest.consequences,
        created_by=actor,
    )
    _audit(actor, draft, Action.CREATE, criterion=f"version of {latest.pk}")
    _grant_exit_unit(actor, draft, case, actions=[VIEW, CHANGE, EXPORT])
    for measure in latest.measures.all():
        copy = AgreementMeasure.objects.create(
            agreement=draft,
            case=case,
            person=case.person,
            kind=measure.kind,
            description=measure.description,
            responsible_agency_id=measure.responsible_agency_id,
            contact=measure.contact,
            starts_on=measure.starts_on,
            ends_on=measure.ends_on,
            status=measure.status,
            status_on=measure.status_on,
        )
        _grant_exit_unit(actor, copy, case, actions=[VIEW, CHANGE])
    return draft


@transaction.atomic
def measure_set_status(
    *, actor, measure: AgreementMeasure, status: str, status_on: date
) -> AgreementMeasure:
    """The responsible authority (or the exit unit) sets a measure's status; the
    caller fetched it for CHANGE. Also after the case ended: the measure stays
    open until its authority closes it."""
    if status not in MeasureStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if measure.agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(
            _("Only the measures of the signed agreement are followed.")
        )
    if status_on > timezone.localdate():
        raise ValidationError({"status_on": _("The date cannot be in the future.")})
    measure.status = status
    measure.status_on = status_on
    measure.save(update_fields=["status", "status_on"])
    _audit(actor, measure, fields=["status", "status_on"])
    return measure


# --- Follow-up while active -----------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def weekly_report_open(*, case: ExitCase, actor=None, day: date | None = None):
    """The report of `day`'s week for an active case: created once, seen by the
    district police agency (whose liaison officers report), with a reminder to the
    police exit contact on the next working day after the week if still missing."""
    day = day or timezone.localdate()
    if case.status != Status.ACTIVE:
        return None
    start = week_start(day)
    report, created = WeeklyReport.objects.get_or_create(
        case=case, week_start=start, defaults={"person": case.person}
    )
    if created:
        grant_actor = actor or case.coordinator
        _grant_exit_unit(grant_actor, report, case, actions=[VIEW], police=(VIEW,))
        access_grant(
            actor=grant_actor,
            obj=report,
            agency=case.police_agency,
            actions=[VIEW, CHANGE],
            legal_basis=LegalBasis.CONSENT,
            reason="weekly police report",
        )
        friday = start + timedelta(days=4)
        reminder_schedule(
            key=f"exit-weekly-report:{report.pk}",
            kind="exitprogram.weekly_report_missing",
            recipient=case.police_contact,
            due_at=morning_of(next_working_day(friday)),
            url="",
            params={"week": start.isoformat()},
            source=report,
        )
    return report


def weekly_reports_open_all(day: date | None = None) -> int:
    """The daily task: this week's report row for every active case."""
    day = day or timezone.localdate()
    this_week = WeeklyReport.objects.filter(week_start=week_start(day))
    before = this_week.count()
    for case in ExitCase.objects.filter(status=Status.ACTIVE).select_related(
        "person", "agency", "police_agency", "police_contact", "coordinator"
    ):
        weekly_report_open(case=case, day=day)
    return this_week.count() - before


@transaction.atomic
def weekly_report_record(
    *, actor, report: WeeklyReport, encountered: bool, description: str = ""
) -> WeeklyReport:
    """Police report the week (the caller fetched it for CHANGE): encountered in an
    incident of criminal nature, yes or no, with a description when yes."""
    if encountered and not description.strip():
        raise ValidationError({"description": _("Describe the incident.")})
    if report.week_start > timezone.localdate():
        raise ValidationError(_("The week has not begun."))
    report.encountered = encountered
    report.description = description.strip() if encountered else ""
    report.reported_by = actor
    report.reported_at = timezone.now()
    report.save(
        update_fields=["encountered", "description", "reported_by", "reported_at"]
    )
    _audit(actor, report, fields=["encountered", "description"])
    reminder_cancel(key=f"exit-weekly-report:{report.pk}")
    return report


def _require_running(case: ExitCase) -> None:
    if case.status not in (Status.AGREEMENT, Status.ACTIVE):
        raise ValidationError(_("This is recorded while the programme runs."))


@transaction.atomic
def follow_up_meeting_add(
    *,
    actor,
    case: ExitCase,
    kind: str,
    held_on: date,
    attendees: str,
    notes: str,
    mentor_present: bool = False,
) -> FollowUpMeeting:
    _require_running(case)
    errors = {}
    if not attendees.strip():
        errors["attendees"] = _("Write who attended.")
    if not notes.strip():
        errors["notes"] = _("Write the notes.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("The meeting cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    meeting = FollowUpMeeting(
        case=case,
        person=case.person,
        kind=kind,
        held_on=held_on,
        attendees=attendees.strip(),
        notes=notes.strip(),
        mentor_present=mentor_present,
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    _audit(actor, meeting, Action.CREATE)
    return meeting


@transaction.atomic
def mentor_assign(
    *, actor, case: ExitCase, mentor_name: str, from_date: date, contact: str = ""
) -> MentorAssignment:
    """A new mentor; the current one's assignment ends the day before."""
    _require_running(case)
    if not mentor_name.strip():
        raise ValidationError({"mentor_name": _("Write the mentor's name.")})
    current = MentorAssignment.objects.filter(case=case, to_date__isnull=True)
    for assignment in current:
        if from_date <= assignment.from_date:
            raise ValidationError(
                {"from_date": _("The new mentor starts after the current one.")}
            )
        assignment.to_date = from_date - timedelta(days=1)
        assignment.save(update_fields=["to_date"])
    assignment = MentorAssignment.objects.create(
        case=case,
        person=case.person,
        mentor_name=mentor_name.strip(),
        mentor_contact=contact.strip(),
        from_date=from_date,
    )
    _audit(actor, assignment, Action.CREATE)
    return assignment


@transaction.atomic
def mentor_session_add(
    *,
    actor,
    assignment: MentorAssignment,
    held_on: date,
    check_in: str,
    summary: str,
    agenda: str,
    wrap_up: str,
    next_meeting_on: date | None = None,
) -> MentorSession:
    case = assignment.case
    _require_running(case)
    errors = {}
    for name, value in (
        ("check_in", check_in),
        ("summary", summary),
        ("agenda", agenda),
        ("wrap_up", wrap_up),
    ):
        if not value.strip():
            errors[name] = _("This field is required.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("The session cannot be in the future.")
    if next_meeting_on is not None and next_meeting_on < held_on:
        errors["next_meeting_on"] = _("The next meeting comes after this one.")
    if errors:
        raise ValidationError(errors)
    session = MentorSession.objects.create(
        assignment=assignment,
        case=case,
        person=case.person,
        held_on=held_on,
        check_in=check_in.strip(),
        summary=summary.strip(),
        agenda=agenda.strip(),
        wrap_up=wrap_up.strip(),
        next_meeting_on=next_meeting_on,
        recorded_by=actor,
    )
    _audit(actor, session, Action.CREATE)
    return session


@transaction.atomic
def nec_notify(
    *, actor, case: ExitCase, kind: str, sent_on: date, note: str = ""
) -> NecNotification:
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    notification = NecNotification(
        case=case, kind=kind, sent_on=sent_on, note=note.strip(), recorded_by=actor
    )
    notification.full_clean()
    notification.save()
    _audit(actor, case, criterion=f"NEC {kind} {sent_on}")
    return notification


# --- End and outcome ------------------------------------------------------------------


@transaction.atomic
def exit_end(
    *,
    actor,
    case: ExitCase,
    ended_on: date,
    reason: str,
    breached_term: str = "",
    note: str = "",
) -> ExitCase:
    """The programme ends. Only the coordination ends: the measures of other
    authorities stay open until their authority closes them. The coordinator is
    reminded to record the outcome two years later."""
    target_of(case.status, Event.END)
    errors = {}
    if reason not in EndReason.values:
        errors["end_reason"] = _("Choose a reason from the list.")
    if reason == EndReason.BREACH and not breached_term.strip():
        errors["breached_term"] = _("Write which term of the agreement was breached.")
    if ended_on > timezone.localdate():
        errors["ended_on"] = _("The end cannot be in the future.")
    elif case.started_on and ended_on < case.started_on:
        errors["ended_on"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)
    case = _move(
        actor,
        case,
        Event.END,
        ended_on=ended_on,
        end_reason=reason,
        breached_term=breached_term.strip(),
        end_note=note.strip(),
    )
    for report in WeeklyReport.objects.filter(case=case, reported_at__isnull=True):
        reminder_cancel(key=f"exit-weekly-report:{report.pk}")
    reminder_schedule(
        key=f"exit-outcome:{case.pk}",
        kind="exitprogram.outcome_due",
        recipient=case.coordinator,
        due_at=morning_of(years_after(ended_on, OUTCOME_YEARS)),
        url=case_url(case),
        source=case,
    )
    return case


def outcome_due_on(case: ExitCase) -> date | None:
    return years_after(case.ended_on, OUTCOME_YEARS) if case.ended_on else None


@transaction.atomic
def outcome_record(*, actor, case: ExitCase, outcome: str) -> ExitCase:
    """Convicted of violent crime (violence, robbery, assault, weapons) within two
    years after the end? "Not convicted" and "not known" only once the two years
    have passed; "convicted" as soon as it is known."""
    target_of(case.status, Event.RECORD_OUTCOME)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    due = outcome_due_on(case)
    if outcome != Outcome.CONVICTED and due is not None and due > timezone.localdate():
        raise ValidationError(
            {"outcome": _("The two years after the end have not passed.")}
        )
    case = _move(
        actor,
        case,
        Event.RECORD_OUTCOME,
        outcome=outcome,
        outcome_recorded_on=timezone.localdate(),
    )
    reminders_cancel_for(source=case)
    return case
