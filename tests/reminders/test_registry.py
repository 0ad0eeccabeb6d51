"""The reminder kinds' registry: register once, look up, word in the language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from reminders.registry import format_date, kind_of, register_reminder_kind

from . import kinds


def test_an_unregistered_kind_is_a_lookup_error():
    with pytest.raises(LookupError):
        kind_of("tests.nobody_registered_this")


def test_registering_a_key_again_with_other_texts_is_refused():
    with pytest.raises(ValueError):
        register_reminder_kind(kinds.PLAIN, title="Another text")


def test_registering_the_same_texts_again_is_harmless():
    assert register_reminder_kind(kinds.PLAIN, title="A test reminder").key == (
        kinds.PLAIN
    )
    again = register_reminder_kind(
        kinds.FOLLOW_UP, title=kinds.follow_up_title, body=kinds.follow_up_body
    )
    assert kind_of(kinds.FOLLOW_UP) is again


def test_titles_are_strings_or_callables_of_the_params():
    assert kind_of(kinds.PLAIN).render_title({}) == "A test reminder"
    assert kind_of(kinds.PLAIN).render_body({}) == ""
    with translation.override("da"):
        title = kind_of(kinds.FOLLOW_UP).render_title({"due_on": "2026-12-03"})
    assert title == "Opfølgning på en bekymringssamtale forfalder 3. december 2026"


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 12, 3),
        "2026-12-03",
        datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")),
        "2026-12-02T23:30:00+00:00",  # 00:30 in Copenhagen: the local date counts
    ],
)
def test_format_date_in_danish_and_english(value):
    with translation.override("da"):
        assert format_date(value) == "3. december 2026"
    with translation.override("en"):
        assert format_date(value) == "Dec. 3, 2026"


def test_format_date_of_nothing_is_empty():
    assert format_date(None) == ""
    assert format_date("") == ""
