"""Danish CPR numbers: parsing, the century rule, masking. No Django here.

Validation follows the issue: ten digits with an optional hyphen after the sixth, a
real date, and the century from the seventh digit by the CPR Office's rule. There is
no modulus-11 check: numbers issued since 2007 need not satisfy it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_SHAPE = re.compile(r"^(\d{6})-?(\d{4})$")


class CprError(ValueError):
    """Why a text is not a CPR number; `code` is one of "format" or "date"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Cpr:
    digits: str  # ten digits, no hyphen

    @property
    def birth_date(self) -> date:
        return birth_date_of(self.digits)

    @property
    def masked(self) -> str:
        return f"{self.digits[:6]}-xxxx"

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"


def century(year2: int, seventh: int) -> int:
    """The century of a CPR birth year from its seventh digit (the CPR Office's
    table): 0–3 → 1900s; 4 and 9 → 2000s up to 36, else 1900s; 5–8 → 2000s up to
    57, else 1800s."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800


def birth_date_of(digits: str) -> date:
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    try:
        return date(century(year2, int(digits[6])) + year2, month, day)
    except ValueError as exc:
        raise CprError("date") from exc


def parse_cpr(text: str) -> Cpr:
    match = _SHAPE.match(text.strip())
    if not match:
        raise CprError("format")
    cpr = Cpr(match.group(1) + match.group(2))
    cpr.birth_date  # noqa: B018 - raises CprError("date") for an impossible date
    return cpr


def looks_like_cpr(text: str) -> bool:
    return bool(_SHAPE.match(text.strip()))
