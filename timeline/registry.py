"""The kinds of timeline entry, registered by the apps that record them.

An app registers its kinds once (in its AppConfig.ready) and records entries with
timeline.services.timeline_record; the timeline page never changes when a new app
starts recording. A kind knows its translated label and how to describe an entry
from the entry's parameters, so that entries read in the viewer's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class EntryKind:
    key: str
    label: Promise | str
    describe: Callable[[dict], str] | None = None


_KINDS: dict[str, EntryKind] = {}


def register_kind(key: str, *, label, describe=None) -> EntryKind:
    if key in _KINDS and _KINDS[key].label != label:
        raise ValueError(f"Timeline kind {key!r} is registered twice")
    kind = EntryKind(key=key, label=label, describe=describe)
    _KINDS[key] = kind
    return kind


def kind_of(key: str) -> EntryKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Timeline kind {key!r} is not registered") from None


def registered_kinds() -> list[EntryKind]:
    return list(_KINDS.values())
