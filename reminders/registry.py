"""The kinds of reminder, registered by the apps that schedule them.

An app registers its kinds once (in its AppConfig.ready, or a module it imports) and
schedules reminders with reminders.services.reminder_schedule. A kind knows how to
word the notification from the reminder's parameters, so that a notification reads
in the reader's language (Danish in the e-mail).

The texts carry no personal data (docs/reminders.md): a kind says what is due and
when ("A follow-up of a concern conversation is due on 3. december 2026"), never
whom it concerns. The link into the app leads to the page where the permission core
decides what the reader may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise

Text = Promise | str | Callable[[dict], str]


@dataclass(frozen=True)
class ReminderKind:
    key: str
    title: Text
    body: Text | None = None

    def render_title(self, params: dict) -> str:
        return _render(self.title, params)

    def render_body(self, params: dict) -> str:
        return _render(self.body, params) if self.body is not None else ""


def _render(text: Text, params: dict) -> str:
    return str(text(params) if callable(text) else text)


def _same_text(a: Text | None, b: Text | None) -> bool:
    # A module imported twice (a reload in tests) defines new functions with the same
    # name: the same text, not a second registration.
    if callable(a) and callable(b):
        return (a.__module__, a.__qualname__) == (b.__module__, b.__qualname__)
    return a == b


_KINDS: dict[str, ReminderKind] = {}


def register_reminder_kind(key: str, *, title: Text, body: Text | None = None):
    """Register a kind: `title` (and the optional `body`) is a lazy string or a
    callable(params) -> str. Registering one key with other texts is a programming
    error (ValueError)."""
    known = _KINDS.get(key)
    if known and not (_same_text(known.title, title) and _same_text(known.body, body)):
        raise ValueError(f"Reminder kind {key!r} is registered twice")
    kind = ReminderKind(key=key, title=title, body=body)
    _KINDS[key] = kind
    return kind


def kind_of(key: str) -> ReminderKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Reminder kind {key!r} is not registered") from None


def registered_kinds() -> list[ReminderKind]:
    return list(_KINDS.values())


def format_date(value: date | datetime | str | None) -> str:
    """A date from a kind's parameters in the active language's long format
    ("3. december 2026" in Danish): for kinds' title and body callables. Accepts a
    date, an aware datetime or their ISO strings (params are stored as JSON)."""
    if isinstance(value, str):
        value = parse_datetime(value) if "T" in value else parse_date(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return date_format(value, "DATE_FORMAT") if value else ""
