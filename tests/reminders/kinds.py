"""Reminder kinds for the tests, known to the test process (conftest) and to the
worker processes it starts (worker_settings). Plain strings: tests/ holds no
catalogue text."""

from __future__ import annotations

from reminders.registry import format_date, register_reminder_kind

FOLLOW_UP = "tests.follow_up"
PLAIN = "tests.plain"


def follow_up_title(params: dict) -> str:
    return (
        f"Opfølgning på en bekymringssamtale forfalder {format_date(params['due_on'])}"
    )


def follow_up_body(params: dict) -> str:
    return "Se samtalen i Tværs."


register_reminder_kind(FOLLOW_UP, title=follow_up_title, body=follow_up_body)
register_reminder_kind(PLAIN, title="A test reminder")
