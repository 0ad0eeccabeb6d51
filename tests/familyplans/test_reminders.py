"""Reminders of a plan in force: one per open action at its deadline, one for the
review date; cancelled when done, revised or closed; delivered without personal
data."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core import mail
from django.utils import timezone

from families import plans
from families.plan_models import Action, ActionStatus, PlanStatus
from reminders.models import Notification, Reminder, ReminderStatus
from reminders.services import reminders_sweep
from tests.familyplans.conftest import today

ACTION_DUE, REVIEW_DUE = "families.plan_action_due", "families.plan_review_due"


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8, 0)))


def _of(obj):
    return Reminder.objects.filter(
        source_type=obj._meta.label_lower, source_id=str(obj.pk)
    )


def _pending(plan) -> int:
    actions = Action.objects.filter(plan=plan).values_list("pk", flat=True)
    return Reminder.objects.filter(
        status=ReminderStatus.PENDING,
        source_id__in=[str(plan.pk), *map(str, actions)],
    ).count()


def test_nothing_is_scheduled_before_the_plan_is_in_force(make_plan):
    make_plan(PlanStatus.APPROVED)
    assert not Reminder.objects.exists()


def test_putting_in_force_schedules_the_deadlines_and_the_review(make_plan, personas):
    plan = make_plan(PlanStatus.IN_FORCE)
    actions = list(Action.objects.filter(plan=plan))
    assert len(actions) == 2
    for action in actions:
        [reminder] = _of(action)
        assert reminder.kind == ACTION_DUE
        assert reminder.recipient == action.responsible
        assert reminder.due_at == _at(action.deadline)
        assert reminder.status == ReminderStatus.PENDING
    [review] = _of(plan)
    assert review.kind == REVIEW_DUE
    assert review.recipient == plan.created_by == personas.social
    assert review.due_at == _at(plan.review_on)
    assert Reminder.objects.count() == 3


def test_an_action_already_done_gets_no_reminder(make_plan, plan_world, personas):
    plan = make_plan(PlanStatus.DRAFT)
    school_action = Action.objects.get(plan=plan, agency=plan_world.school)
    plans.action_update(
        actor=plan_world.teacher,
        actor_agency=plan_world.school,
        action=school_action,
        status=ActionStatus.DONE,
    )
    plans.plan_approve(actor=personas.manager, plan=plan)
    plans.plan_put_in_force(actor=personas.social, plan=plan)
    assert not _of(school_action).exists()
    assert Reminder.objects.filter(kind=ACTION_DUE).count() == 1


def test_marking_an_action_done_cancels_its_reminder(make_plan, plan_world):
    plan = make_plan(PlanStatus.IN_FORCE)
    school_action = Action.objects.get(plan=plan, agency=plan_world.school)
    plans.action_update(
        actor=plan_world.teacher,
        actor_agency=plan_world.school,
        action=school_action,
        status=ActionStatus.STARTED,
    )
    assert _of(school_action).get().status == ReminderStatus.PENDING
    plans.action_update(
        actor=plan_world.teacher,
        actor_agency=plan_world.school,
        action=school_action,
        status=ActionStatus.DONE,
    )
    assert _of(school_action).get().status == ReminderStatus.CANCELLED
    assert _pending(plan) == 2


def test_reopening_an_action_reminds_of_its_deadline_again(make_plan, plan_world):
    """Done, then found not done after all: the deadline's reminder is scheduled
    again, once; done again cancels it."""
    plan = make_plan(PlanStatus.IN_FORCE)
    school_action = Action.objects.get(plan=plan, agency=plan_world.school)

    def set_status(status):
        plans.action_update(
            actor=plan_world.teacher,
            actor_agency=plan_world.school,
            action=school_action,
            status=status,
        )

    def pending():
        return _of(school_action).filter(status=ReminderStatus.PENDING)

    set_status(ActionStatus.DONE)
    set_status(ActionStatus.STARTED)
    [reminder] = pending()
    assert reminder.due_at == _at(school_action.deadline)
    assert reminder.recipient == school_action.responsible
    assert _pending(plan) == 3
    set_status(ActionStatus.NOT_STARTED)  # open to open: nothing new
    assert pending().count() == 1
    set_status(ActionStatus.STOPPED)
    assert not pending().exists()
    set_status(ActionStatus.STARTED)
    assert pending().count() == 1 and _of(school_action).count() == 3


def test_revising_cancels_the_plans_reminders(make_plan, personas):
    plan = make_plan(PlanStatus.IN_FORCE)
    draft = plans.plan_revise(actor=personas.social, plan=plan)
    assert _pending(plan) == 0
    assert Reminder.objects.filter(status=ReminderStatus.CANCELLED).count() == 3
    # The new version schedules its own once it is in force.
    plans.plan_approve(actor=personas.manager, plan=draft)
    plans.plan_put_in_force(actor=personas.social, plan=draft)
    assert _pending(draft) == 3


def test_closing_cancels_the_plans_reminders(make_plan):
    plan = make_plan(PlanStatus.CLOSED)
    assert _pending(plan) == 0
    assert Reminder.objects.filter(status=ReminderStatus.CANCELLED).count() == 3


def test_the_sweep_delivers_without_personal_data(make_plan, plan_world, personas):
    for user in (personas.social, plan_world.teacher):
        user.email = f"{user.username}@ishoej.example"
        user.save(update_fields=["email"])
    plan = make_plan(PlanStatus.IN_FORCE)
    assert reminders_sweep(now=_at(today() + timedelta(days=1))) == 0
    assert reminders_sweep(now=_at(plan.review_on) + timedelta(minutes=1)) == 3
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 3

    notifications = list(Notification.objects.all())
    assert {n.recipient for n in notifications} == {
        personas.social,
        plan_world.teacher,
    }
    personal = [
        plan_world.family.name,
        "Planlægsen",
        "Maria",
        "Karim",
        "Lina",
        "Familiebehandling",
        "fremmøde",
        plan.wishes[:20],
        plan_world.school.name,
    ]
    texts = [n.title + "\n" + n.body for n in notifications]
    texts += [m.subject + "\n" + m.body for m in mail.outbox]
    assert len(mail.outbox) == 3
    for text in texts:
        for word in personal:
            assert word.lower() not in text.lower(), (word, text)
    # Sweeping again sends nothing twice.
    assert reminders_sweep(now=_at(plan.review_on) + timedelta(days=1)) == 0
