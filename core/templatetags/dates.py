"""The `date` template filter, fast for the formats our pages use.

Django's `date` filter parses its format string on every call (about 30 µs here);
a list of 200 rows with four dates spent 25 ms on it (docs/performance.md). This
filter resolves the format name as Django does (`get_format`, per language), turns
a format made only of the specifiers below into a `strftime` pattern once, and
otherwise hands the value to Django's filter, so the output is Django's in every
case (tests/core/test_dates_filter.py compares them).

It is installed as a template builtin (config/settings/base.py), so it replaces
Django's `date` everywhere without a `{% load %}`.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as django_date
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()

# Django format character -> strftime directive; numbers only (names of months and
# days are translated by Django, so they take the slow path).
_DATE_PARTS = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y"}
_TIME_PARTS = {"H": "%H", "i": "%M", "s": "%S"}


@lru_cache(maxsize=256)
def _strftime_pattern(arg: str, language: str | None) -> tuple[str, bool] | None:
    """The strftime pattern of a format (name) in a language, and whether it shows
    a time; None when the format uses anything else (escapes, names of months or
    days, the 12-hour clock). Format names resolve per language and never change
    while the process runs (settings are read once)."""
    pattern, has_time = [], False
    for char in get_format(arg):
        if char in _DATE_PARTS:
            pattern.append(_DATE_PARTS[char])
        elif char in _TIME_PARTS:
            pattern.append(_TIME_PARTS[char])
            has_time = True
        elif char.isalpha() or char == "\\":
            return None
        else:
            pattern.append(char.replace("%", "%%"))
    return "".join(pattern), has_time


@receiver(setting_changed)
def _formats_changed(*, setting, **kwargs) -> None:
    # As Django's own format cache: a test that overrides a format setting
    # must not get the pattern of the old one.
    if setting.endswith("FORMAT") or setting in {"FORMAT_MODULE_PATH", "LANGUAGES"}:
        _strftime_pattern.cache_clear()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if isinstance(value, datetime.date):
        compiled = _strftime_pattern(arg or "DATE_FORMAT", get_language())
        if compiled is not None:
            pattern, has_time = compiled
            if isinstance(value, datetime.datetime) or not has_time:
                return value.strftime(pattern)
    return django_date(value, arg)
