"""Concern conversations remind through the one reminder mechanism (issue 4, points
5 and 6): the follow-up date to the responsible officer, a measure's due date to
its responsible person; moved dates move the reminder, closing cancels it, and the
notification names no one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core import mail
from django.utils import timezone

from conversations import services
from conversations.models import Outcome, Status
from reminders.models import Notification, Reminder
from reminders.services import reminders_sweep

TODAY = timezone.localdate


def _pending(source_id):
    return list(
        Reminder.objects.filter(source_id=str(source_id), status="pending").values_list(
            "key", "due_at", "recipient"
        )
    )


def test_holding_schedules_the_follow_up_for_the_officer(make_conversation, personas):
    conversation = make_conversation(Status.HELD)
    [(key, due_at, recipient)] = _pending(conversation.pk)
    assert recipient == personas.police.pk
    assert timezone.localtime(due_at) == timezone.make_aware(
        datetime.combine(conversation.follow_up_on, time(8, 0))
    )


def test_a_new_date_replaces_the_reminder_and_the_same_date_keeps_it(
    make_conversation, personas, world
):
    conversation = make_conversation(Status.HELD)
    [(first, _, _)] = _pending(conversation.pk)
    later = TODAY() + timedelta(days=40)
    for _ in range(2):  # the second follow-up names the same date again
        services.conversation_follow_up(
            actor=personas.police,
            agency=world.police_vestegn,
            conversation=conversation,
            followed_up_on=TODAY(),
            note="Stadig bekymring.",
            concern_continues=True,
            next_follow_up_on=later,
        )
        [(key, _, _)] = _pending(conversation.pk)
        assert key != first and key.endswith(later.isoformat())
    assert Reminder.objects.get(key=first).status == "cancelled"


def test_closing_cancels_the_reminder(make_conversation, personas):
    conversation = make_conversation(Status.HELD)
    services.conversation_close(
        actor=personas.police,
        conversation=conversation,
        outcome=Outcome.NO_FURTHER_CONCERN,
        reason="Ingen fortsat bekymring.",
    )
    assert _pending(conversation.pk) == []


def test_a_measure_reminds_its_responsible_person_until_done(
    make_conversation, personas, world, measure_type
):
    conversation = make_conversation(Status.HELD)
    measure = services.measure_add(
        actor=personas.police,
        conversation=conversation,
        measure_type=measure_type,
        description="Fritidsjob",
        responsible_agency=world.social_ishoej,
        responsible_user=personas.social,
        due_on=TODAY() + timedelta(days=7),
    )
    [(_, _, recipient)] = _pending(measure.pk)
    assert recipient == personas.social.pk
    services.measure_set_status(actor=personas.police, measure=measure, status="done")
    assert _pending(measure.pk) == []


def test_the_due_follow_up_is_delivered_once_and_names_no_one(
    make_conversation, personas, youth
):
    personas.police.email = "betjent@politi.invalid"
    personas.police.save(update_fields=["email"])
    conversation = make_conversation(Status.HELD)
    due = timezone.make_aware(datetime.combine(conversation.follow_up_on, time(9)))
    assert reminders_sweep(now=due) == 1
    assert reminders_sweep(now=due) == 0
    notification = Notification.objects.get(recipient=personas.police)
    assert notification.url.endswith(f"/conversations/{conversation.pk}/")
    texts = [notification.title, notification.body, mail.outbox[0].subject]
    texts.append(mail.outbox[0].body)
    for text in texts:
        assert "Sami" not in text and "Samtalesen" not in text and "150310" not in text


def test_the_sweep_does_not_grow_with_the_number_of_persons(
    make_conversation, personas, world
):
    """Issue 4, point 6: the sweep's queries grow with the due reminders only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Person

    def persons(n, tag):
        Person.objects.bulk_create(
            Person(
                given_name=f"{tag}{i}",
                family_name="Mængde",
                municipality=world.ishoej,
                recorded_by=world.ssp_ishoej,
                legal_basis="OWN_TASK",
                created_by=personas.ssp,
            )
            for i in range(n)
        )

    def sweep_queries() -> int:
        conversation = make_conversation(Status.HELD)
        due = timezone.make_aware(datetime.combine(conversation.follow_up_on, time(9)))
        with CaptureQueriesContext(connection) as queries:
            assert reminders_sweep(now=due) == 1
        return len(queries)

    persons(5, "Få")
    few = sweep_queries()
    persons(300, "Mange")
    assert sweep_queries() == few
