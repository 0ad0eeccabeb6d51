"""Which cases each family member has: registered by the apps that hold cases
(concern conversations, Exit, family plans), read by the family page.

A provider answers, for the user and a list of person ids, which of them have an
open case of its kind that the user may see, in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseKind:
    key: str
    label: object
    open_for: Callable[[object, list], Iterable]


_KINDS: dict[str, CaseKind] = {}


def register_case_kind(key: str, *, label, open_for) -> None:
    _KINDS[key] = CaseKind(key, label, open_for)


def unregister_case_kind(key: str) -> None:
    _KINDS.pop(key, None)


def cases_of(*, user, person_ids: list) -> dict:
    """{person id: [labels of the open cases the user may see]}: one query a kind."""
    found: dict = {pk: [] for pk in person_ids}
    for kind in _KINDS.values():
        for pk in kind.open_for(user, person_ids):
            found.setdefault(pk, []).append(kind.label)
    return found
