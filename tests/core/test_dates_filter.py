"""core/templatetags/dates.py: the fast `date` filter gives Django's output."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import translation

from core.templatetags.dates import date as fast_date

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
VALUES = [
    datetime.date(2026, 1, 5),
    datetime.date(1999, 12, 31),
    datetime.datetime(2026, 11, 23, 7, 5, 9),  # noqa: DTZ001 - naive, as a template may pass
    datetime.datetime(2026, 3, 29, 23, 59, tzinfo=COPENHAGEN),
    None,
    "",
    "not a date",
]
FORMATS = [
    None,
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "d.m.Y H:i",
    "d.m.y",
    "H:i:s",
    "j. F Y",
    r"\U\g\e W",
    "100% d",
]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("arg", FORMATS)
@pytest.mark.parametrize("value", VALUES)
def test_the_fast_filter_gives_django_s_output(language, arg, value):
    with translation.override(language):
        try:
            expected = django_date(value, arg)
        except TypeError as exc:  # a time format for a date: Django refuses
            with pytest.raises(TypeError, match=str(exc)[:30]):
                fast_date(value, arg)
            return
        assert fast_date(value, arg) == expected


def test_templates_use_the_fast_filter_without_loading_it():
    engine = engines["django"].engine
    assert engine.template_builtins[-1].filters["date"] is fast_date
    template = engines["django"].from_string('{{ day|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("da"):
        assert template.render({"day": datetime.date(2026, 2, 3)}) == "03.02.2026"


def test_an_overridden_format_setting_is_followed(settings):
    day = datetime.date(2026, 2, 3)
    # No active language: the format comes from the settings, which a test may
    # change (Django's own format cache is reset then, and so is the filter's).
    with translation.override(None):
        before = fast_date(day, "SHORT_DATE_FORMAT")
        settings.SHORT_DATE_FORMAT = "Y-m-d"
        assert django_date(day, "SHORT_DATE_FORMAT") == "2026-02-03" != before
        assert fast_date(day, "SHORT_DATE_FORMAT") == "2026-02-03"
