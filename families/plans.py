"""Writes on family assessments and joint family action plans (issue 7). Each is
one transaction with its audit entry; a plan's transitions are allowed only by
`families.plan_states`.

Callers fetch the family, assessment, plan or action through
families.plan_selectors; the services check the domain: the state, the dates,
whose agency a rating or action is (each agency records and changes only its
own), and that the approver is a manager of the family's municipality.

Grants, each an explicit recorded act (R-115-5):
* an assessment and its ratings are seen with the family (no grants of their own);
* a plan: the coordinating agency (view, change, export), the agencies that may see
  the family when the plan is made (the family's case workers: view), each agency
  with an action (view), the approving manager (view, export);
* an action: its own agency and the coordinating agency (view, change), the
  approving manager (view). Another agency in the plan sees the goals, not it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.utils import get_group_obj_perms_model

from access.legal import LegalBasis
from access.permissions import CHANGE, EXPORT, VIEW, can_approve_plans, codename
from access.services import access_grant, access_revoke
from audit.models import Action as AuditAction
from audit.services import audit_record
from organisations.models import Agency, Membership
from reminders.services import morning_of, reminder_schedule, reminders_cancel_for

from .models import Family, FamilyMember
from .plan_models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentFactor,
    Goal,
    Plan,
    PlanStatus,
    Progress,
    Rating,
)
from .plan_states import Event, target_of

OPEN = (PlanStatus.DRAFT, PlanStatus.APPROVED, PlanStatus.IN_FORCE)


def _members(family: Family) -> list:
    return list(
        FamilyMember.objects.filter(family=family).values_list("person", flat=True)
    )


def _audit(
    actor, obj, action=AuditAction.CHANGE, *, family: Family, fields=(), criterion=""
):
    audit_record(
        user=actor,
        action=action,
        obj=obj,
        subjects=_members(family),
        changed_fields=list(fields),
        criterion=criterion,
    )


def _works_in(actor, agency: Agency) -> bool:
    return Membership.objects.filter(user=actor, agency=agency).exists()


# An action with one of these has no deadline to remind of.
_FINISHED = (ActionStatus.DONE, ActionStatus.STOPPED)


def plan_url(plan: Plan) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("families:plan", args=[plan.pk])
    except NoReverseMatch:  # the plan pages arrive with the rest of issue 7
        return ""


# --- Assessment -----------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *, actor, agency: Agency, family: Family, assessed_on: date, summary: str = ""
) -> Assessment:
    """A new assessment of the family (the caller fetched the family for VIEW). The
    earlier ones stay as they were."""
    if not _works_in(actor, agency):
        raise ValidationError({"agency": _("You do not work in this agency.")})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    number = (family.assessments.aggregate(n=Max("number"))["n"] or 0) + 1
    assessment = Assessment.objects.create(
        family=family,
        number=number,
        assessed_on=assessed_on,
        summary=summary.strip(),
        agency=agency,
        created_by=actor,
    )
    _audit(actor, assessment, AuditAction.CREATE, family=family)
    return assessment


@transaction.atomic
def assessment_summarise(*, actor, assessment: Assessment, summary: str) -> Assessment:
    assessment.summary = summary.strip()
    assessment.save(update_fields=["summary"])
    _audit(actor, assessment, family=assessment.family, fields=["summary"])
    return assessment


@transaction.atomic
def rating_record(
    *,
    actor,
    agency: Agency,
    assessment: Assessment,
    factor: AssessmentFactor,
    level: int,
    justification: str,
    rated_on: date,
    person=None,
) -> Rating:
    """The actor's agency rates a factor for the family or one member. An agency's
    rating is its own: recording again replaces that agency's rating only."""
    errors = {}
    if not _works_in(actor, agency):
        raise ValidationError({"agency": _("You do not work in this agency.")})
    if person is not None and person.pk not in _members(assessment.family):
        errors["person"] = _("The person is not a member of the family.")
    if not justification.strip():
        errors["justification"] = _("Write a short justification.")
    if rated_on > timezone.localdate():
        errors["rated_on"] = _("The date cannot be in the future.")
    if not factor.active:
        errors["factor"] = _("This factor is no longer in use.")
    if errors:
        raise ValidationError(errors)
    rating, created = Rating.objects.update_or_create(
        assessment=assessment,
        person=person,
        factor=factor,
        agency=agency,
        defaults={
            "level": level,
            "justification": justification.strip(),
            "rated_on": rated_on,
            "rated_by": actor,
        },
    )
    rating.full_clean()
    _audit(
        actor,
        rating,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        family=assessment.family,
    )
    return rating


# --- Plan -----------------------------------------------------------------------------


def _case_worker_agencies(family: Family) -> list[Agency]:
    """The agencies that may see the family (its case workers), one query."""
    grants = get_group_obj_perms_model(Family).objects.filter(
        content_object=family, permission__codename=codename(Family, VIEW)
    )
    return list(Agency.objects.filter(group__in=grants.values("group")))


def _grant(actor, obj, *, agency=None, user=None, actions, reason) -> None:
    access_grant(
        actor=actor,
        obj=obj,
        agency=agency,
        user=user,
        actions=actions,
        legal_basis=LegalBasis.OWN_TASK,
        reason=reason,
    )


@transaction.atomic
def plan_create(
    *, actor, agency: Agency, family: Family, wishes: str, review_on: date
) -> Plan:
    """The first version of the family's plan, a draft coordinated by `agency`."""
    errors = {}
    if not _works_in(actor, agency):
        raise ValidationError({"agency": _("You do not work in this agency.")})
    if Plan.objects.filter(family=family, status__in=OPEN).exists():
        raise ValidationError(_("The family already has a plan that is not closed."))
    if not wishes.strip():
        errors["wishes"] = _("Write the family's own wishes, in their words.")
    if review_on <= timezone.localdate():
        errors["review_on"] = _("The review date must be in the future.")
    if errors:
        raise ValidationError(errors)
    # After a closed plan the family's next plan takes the next number: versions
    # are unique per family.
    version = (family.plans.aggregate(v=Max("version"))["v"] or 0) + 1
    plan = Plan.objects.create(
        family=family,
        version=version,
        wishes=wishes.strip(),
        review_on=review_on,
        agency=agency,
        created_by=actor,
    )
    _audit(actor, plan, AuditAction.CREATE, family=family)
    _grant(
        actor,
        plan,
        agency=agency,
        actions=[VIEW, CHANGE, EXPORT],
        reason="coordinating agency",
    )
    for other in _case_worker_agencies(family):
        if other.pk != agency.pk:
            _grant(
                actor,
                plan,
                agency=other,
                actions=[VIEW],
                reason="the family's case worker",
            )
    return plan


def _require_draft(plan: Plan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("Only a draft is changed. Revise the plan to make a new version.")
        )


@transaction.atomic
def plan_update(*, actor, plan: Plan, wishes: str, review_on: date) -> Plan:
    _require_draft(plan)
    errors = {}
    if not wishes.strip():
        errors["wishes"] = _("Write the family's own wishes, in their words.")
    if review_on <= timezone.localdate():
        errors["review_on"] = _("The review date must be in the future.")
    if errors:
        raise ValidationError(errors)
    plan.wishes = wishes.strip()
    plan.review_on = review_on
    plan.save(update_fields=["wishes", "review_on"])
    _audit(actor, plan, family=plan.family, fields=["wishes", "review_on"])
    return plan


@transaction.atomic
def goal_add(*, actor, plan: Plan, title: str, person=None) -> Goal:
    _require_draft(plan)
    if not title.strip():
        raise ValidationError({"title": _("Write the goal.")})
    if person is not None and person.pk not in _members(plan.family):
        raise ValidationError(
            {"person": _("The person is not a member of the family.")}
        )
    position = (plan.goals.aggregate(p=Max("position"))["p"] or 0) + 1
    goal = Goal.objects.create(
        plan=plan, person=person, title=title.strip(), position=position
    )
    _audit(actor, plan, family=plan.family, criterion=f"goal+ {goal.pk}")
    return goal


ACTION_FIELDS = ("what", "measure", "actors", "deadline", "sector_law", "linked_plans")


def _check_action(errors, *, what, measure, deadline, agency, responsible) -> None:
    if not what.strip():
        errors["what"] = _("Write what we will do.")
    if not measure.strip():
        errors["measure"] = _("Write how we will measure it.")
    if deadline < timezone.localdate():
        errors["deadline"] = _("The deadline cannot be in the past.")
    if not Membership.objects.filter(user=responsible, agency=agency).exists():
        errors["responsible"] = _("The responsible person must work in the agency.")


@transaction.atomic
def action_add(
    *,
    actor,
    actor_agency: Agency,
    goal: Goal,
    agency: Agency,
    what: str,
    measure: str,
    responsible,
    deadline: date,
    sector_law: str,
    actors: str = "",
    linked_plans: str = "",
) -> Action:
    """An action for a goal of a draft: by its own agency, or by the coordinating
    agency on its behalf. The agency then sees the plan and its own action."""
    plan = goal.plan
    _require_draft(plan)
    if not _works_in(actor, actor_agency) or actor_agency.pk not in (
        agency.pk,
        plan.agency_id,
    ):
        raise ValidationError(
            _("An agency adds its own actions; the coordinating agency adds any.")
        )
    errors = {}
    _check_action(
        errors,
        what=what,
        measure=measure,
        deadline=deadline,
        agency=agency,
        responsible=responsible,
    )
    if errors:
        raise ValidationError(errors)
    action = Action(
        goal=goal,
        plan=plan,
        what=what.strip(),
        measure=measure.strip(),
        actors=actors.strip(),
        agency=agency,
        responsible=responsible,
        deadline=deadline,
        sector_law=sector_law,
        linked_plans=linked_plans.strip(),
    )
    action.full_clean()
    action.save()
    _audit(actor, plan, family=plan.family, criterion=f"action+ {action.pk}")
    _grant_action(actor, action)
    return action


def _grant_action(actor, action: Action) -> None:
    plan = action.plan
    for agency, reason in (
        (action.agency, "agency of the action"),
        (plan.agency, "coordinating agency"),
    ):
        _grant(actor, action, agency=agency, actions=[VIEW, CHANGE], reason=reason)
    _grant(
        actor,
        plan,
        agency=action.agency,
        actions=[VIEW],
        reason="agency with an action",
    )
    if plan.approved_by_id:
        _grant(
            actor,
            action,
            user=plan.approved_by,
            actions=[VIEW],
            reason="approving manager",
        )


@transaction.atomic
def action_update(*, actor, actor_agency: Agency, action: Action, **changes) -> Action:
    """Only the action's own agency changes it; the coordinating agency too while
    the plan is a draft. In force, only the status changes (the caller fetched the
    action for CHANGE)."""
    unknown = set(changes) - set(ACTION_FIELDS) - {"status", "responsible"}
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    plan = action.plan
    own = _works_in(actor, action.agency) and actor_agency.pk == action.agency_id
    coordinating = actor_agency.pk == plan.agency_id and _works_in(actor, actor_agency)
    if not (own or (coordinating and plan.is_editable)):
        raise ValidationError(_("Only the agency of an action changes it."))
    if plan.status == PlanStatus.IN_FORCE:
        if set(changes) - {"status"}:
            raise ValidationError(
                _(
                    "In force, only an action's status changes. "
                    "Revise the plan to change more."
                )
            )
    elif not plan.is_editable:
        raise ValidationError(_("This version of the plan can no longer be changed."))
    if "status" in changes and changes["status"] not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    was_finished = action.status in _FINISHED
    for name, value in changes.items():
        setattr(
            action,
            name,
            value.strip() if isinstance(value, str) and name != "status" else value,
        )
    errors = {}
    if set(changes) & {"what", "measure", "deadline", "responsible"}:
        _check_action(
            errors,
            what=action.what,
            measure=action.measure,
            deadline=action.deadline,
            agency=action.agency,
            responsible=action.responsible,
        )
    if errors:
        raise ValidationError(errors)
    action.full_clean()
    action.save()
    _audit(
        actor,
        plan,
        family=plan.family,
        fields=sorted(changes),
        criterion=f"action {action.pk}",
    )
    if plan.status == PlanStatus.IN_FORCE:
        if action.status in _FINISHED:
            reminders_cancel_for(source=action)
        elif was_finished:
            _schedule_deadline(action, plan_url(plan), reopened=True)
    return action


@transaction.atomic
def action_remove(*, actor, actor_agency: Agency, action: Action) -> None:
    plan = action.plan
    _require_draft(plan)
    if actor_agency.pk not in (action.agency_id, plan.agency_id) or not _works_in(
        actor, actor_agency
    ):
        raise ValidationError(_("Only the agency of an action changes it."))
    _audit(actor, plan, family=plan.family, criterion=f"action- {action.pk}")
    agency = action.agency
    action.delete()
    # The plan is seen by the agencies with an action in it: the agency's last
    # action gone, so is its view (unless it coordinates or is a case worker).
    if (
        agency.pk != plan.agency_id
        and not Action.objects.filter(plan=plan, agency=agency).exists()
        and agency not in _case_worker_agencies(plan.family)
    ):
        access_revoke(actor=actor, obj=plan, agency=agency, actions=[VIEW])


def _move(actor, plan: Plan, event: str, **fields) -> Plan:
    plan.status = target_of(plan.status, event)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save(update_fields=["status", *fields])
    _audit(actor, plan, family=plan.family, fields=["status", *fields])
    return plan


@transaction.atomic
def plan_approve(*, actor, plan: Plan) -> Plan:
    """A manager of the family's municipality approves the draft; the manager then
    sees the whole plan (every action) and may export it."""
    target_of(plan.status, Event.APPROVE)
    if not can_approve_plans(actor, plan.family.municipality):
        raise ValidationError(
            _("A manager of the family's municipality approves the plan.")
        )
    actions = list(Action.objects.filter(plan=plan))
    if not actions:
        raise ValidationError(_("Add the goals and their actions before approval."))
    plan = _move(
        actor, plan, Event.APPROVE, approved_by=actor, approved_at=timezone.now()
    )
    _grant(actor, plan, user=actor, actions=[VIEW, EXPORT], reason="approving manager")
    for action in actions:
        _grant(actor, action, user=actor, actions=[VIEW], reason="approving manager")
    return plan


@transaction.atomic
def plan_put_in_force(*, actor, plan: Plan, from_date: date | None = None) -> Plan:
    """In force: reminders for each action's deadline (to its responsible person)
    and for the review date (to whoever made the plan)."""
    from_date = from_date or timezone.localdate()
    plan = _move(actor, plan, Event.PUT_IN_FORCE, in_force_from=from_date)
    url = plan_url(plan)
    for action in Action.objects.filter(plan=plan).exclude(status__in=_FINISHED):
        _schedule_deadline(action, url)
    reminder_schedule(
        key=f"plan-review:{plan.pk}:{plan.review_on}",
        kind="families.plan_review_due",
        recipient=plan.created_by,
        due_at=morning_of(plan.review_on),
        url=url,
        params={"due_on": plan.review_on.isoformat()},
        source=plan,
    )
    return plan


def _schedule_deadline(action: Action, url: str, reopened: bool = False) -> None:
    """The reminder of an open action's deadline, to its responsible person. A
    reopened action's earlier reminder was cancelled (and a cancelled key stays
    cancelled, reminder_schedule), so its new one names the reopening."""
    key = f"plan-action:{action.pk}:{action.deadline}"
    if reopened:
        key += f":reopened:{timezone.now():%Y%m%dT%H%M%S%f}"
    reminder_schedule(
        key=key,
        kind="families.plan_action_due",
        recipient=action.responsible,
        due_at=morning_of(action.deadline),
        url=url,
        params={"due_on": action.deadline.isoformat()},
        source=action,
    )


def _cancel_reminders(plan: Plan) -> None:
    reminders_cancel_for(source=plan)
    for action in Action.objects.filter(plan=plan):
        reminders_cancel_for(source=action)


@transaction.atomic
def plan_revise(*, actor, plan: Plan) -> Plan:
    """The plan in force becomes "revised" (kept, viewable) and a new draft version
    copies its wishes, goals (with progress) and actions, with the same grants."""
    plan = _move(actor, plan, Event.REVISE)
    _cancel_reminders(plan)
    draft = Plan.objects.create(
        family=plan.family,
        version=plan.version + 1,
        previous=plan,
        wishes=plan.wishes,
        review_on=plan.review_on,
        agency=plan.agency,
        created_by=actor,
    )
    _audit(
        actor,
        draft,
        AuditAction.CREATE,
        family=plan.family,
        criterion=f"version of {plan.pk}",
    )
    _grant(
        actor,
        draft,
        agency=plan.agency,
        actions=[VIEW, CHANGE, EXPORT],
        reason="coordinating agency",
    )
    for other in _case_worker_agencies(plan.family):
        if other.pk != plan.agency_id:
            _grant(
                actor,
                draft,
                agency=other,
                actions=[VIEW],
                reason="the family's case worker",
            )
    for goal in plan.goals.prefetch_related("actions"):
        copy = Goal.objects.create(
            plan=draft,
            person_id=goal.person_id,
            title=goal.title,
            position=goal.position,
            progress=goal.progress,
        )
        for action in goal.actions.all():
            new = Action.objects.create(
                goal=copy,
                plan=draft,
                what=action.what,
                measure=action.measure,
                actors=action.actors,
                agency_id=action.agency_id,
                responsible_id=action.responsible_id,
                deadline=action.deadline,
                status=action.status,
                sector_law=action.sector_law,
                linked_plans=action.linked_plans,
            )
            _grant_action(actor, new)
    return draft


@transaction.atomic
def plan_close(*, actor, plan: Plan, closed_on: date, reason: str) -> Plan:
    if not reason.strip():
        raise ValidationError({"close_reason": _("Write the reason.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})
    plan = _move(
        actor, plan, Event.CLOSE, closed_on=closed_on, close_reason=reason.strip()
    )
    _cancel_reminders(plan)
    return plan


@transaction.atomic
def progress_record(
    *,
    actor,
    actor_agency: Agency,
    goal: Goal,
    percent: int,
    note: str,
    recorded_on: date,
) -> Progress:
    """A dated progress update of a goal in force: by the coordinating agency or an
    agency with an action for the goal."""
    plan = goal.plan
    errors = {}
    if plan.status != PlanStatus.IN_FORCE:
        raise ValidationError(_("Progress is recorded while the plan is in force."))
    if not _works_in(actor, actor_agency) or (
        actor_agency.pk != plan.agency_id
        and not goal.actions.filter(agency=actor_agency).exists()
    ):
        raise ValidationError(
            _("The coordinating agency or an agency with an action records progress.")
        )
    if not 0 <= percent <= 100:
        errors["percent"] = _("Give a percentage from 0 to 100.")
    if not note.strip():
        errors["note"] = _("Write a short note.")
    if recorded_on > timezone.localdate():
        errors["recorded_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    update = Progress.objects.create(
        goal=goal,
        percent=percent,
        note=note.strip(),
        recorded_on=recorded_on,
        agency=actor_agency,
        recorded_by=actor,
    )
    # The goal shows the latest update by date: a back-dated note is kept in the
    # history but does not replace a later one's percentage.
    if not goal.updates.filter(recorded_on__gt=recorded_on).exists():
        goal.progress = percent
        goal.save(update_fields=["progress"])
    _audit(actor, plan, family=plan.family, criterion=f"progress {goal.pk} {percent}")
    return update
