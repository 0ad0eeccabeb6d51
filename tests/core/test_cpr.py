"""CPR validation: shape, real dates and the century rule (issue 3, point 2)."""

from __future__ import annotations

from datetime import date

import pytest

from core.cpr import CprError, century, parse_cpr


@pytest.mark.parametrize(
    "text,born",
    [
        ("010203-1234", date(1903, 2, 1)),  # 7th digit 1 → 1900s
        ("0102031234", date(1903, 2, 1)),  # without hyphen
        ("311299-3999", date(1999, 12, 31)),
        ("150536-4111", date(2036, 5, 15)),  # 4, year ≤ 36 → 2000s
        ("150537-4111", date(1937, 5, 15)),  # 4, year > 36 → 1900s
        ("010157-5000", date(2057, 1, 1)),  # 5–8, year ≤ 57 → 2000s
        ("010158-8000", date(1858, 1, 1)),  # 5–8, year > 57 → 1800s
        ("290212-9876", date(2012, 2, 29)),  # 9, leap day in 2012
        ("010190-9876", date(1990, 1, 1)),  # 9, year > 36 → 1900s
        (" 100610-1235 ", date(1910, 6, 10)),  # surrounding spaces; no modulus 11
    ],
)
def test_valid_numbers_and_their_birth_dates(text, born):
    assert parse_cpr(text).birth_date == born


@pytest.mark.parametrize(
    "text,code",
    [
        ("01020312345", "format"),  # eleven digits
        ("010203123", "format"),  # nine digits
        ("0102-031234", "format"),  # hyphen in the wrong place
        ("01020a1234", "format"),
        ("", "format"),
        ("320103-1234", "date"),  # no 32nd
        ("011303-1234", "date"),  # no 13th month
        ("290213-4321", "date"),  # 2013 is not a leap year (4 → 2000s)
        ("290200-1234", "date"),  # 1900 was not a leap year (1 → 1900s)
    ],
)
def test_invalid_numbers(text, code):
    with pytest.raises(CprError) as exc:
        parse_cpr(text)
    assert exc.value.code == code


def test_century_table():
    assert [century(0, d) for d in range(10)] == [1900] * 4 + [2000] * 6
    assert [century(99, d) for d in range(10)] == [1900] * 5 + [1800] * 4 + [1900]


def test_masked_and_formatted():
    cpr = parse_cpr("0102031234")
    assert cpr.masked == "010203-xxxx"
    assert cpr.formatted == "010203-1234"
