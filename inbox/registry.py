"""The kinds of work in the inbox ("Mine opgaver"), registered by the apps that own
the work (issue 18, point 2).

The inbox keeps no copy of the work: each kind is a query over its own app's
records, asked through that app's selector (so through the permission core), that
yields the inbox's common columns (`InboxContext.columns`). The inbox unites the
kinds in one SQL statement, so its cost does not grow with the number of items or
of kinds, and an item leaves the inbox the moment its record says it is done. The
inbox imports no domain app; an app registers its kinds in its registrations
module, as it does its timeline and reminder kinds.

A kind says:

* `label` — what the work is, plural, for the filter ("Action items from meetings");
* `rows(ctx)` — its open items for `ctx.user` and `ctx.agency` as a queryset passed
  through `ctx.columns(...)`, or None when the user's roles never have this work
  (no query is made);
* `link` — the page where the work is done: a view name whose last argument is
  the row's `link` column (core.links.link_to);
* `done` — optional: `done(actor, object_id) -> str`, completing the work through
  the object's own service and returning the success message; it raises
  ValidationError, PermissionDenied or Http404 as the service does;
* `snooze` — whether the user may hide the item until a later day (kept by the
  inbox per user; the record is not changed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class InboxKind:
    key: str
    label: Promise | str
    rows: Callable
    link: str
    done: Callable | None = None
    done_label: Promise | str | None = None
    snooze: bool = True
    order: int = 100


_KINDS: dict[str, InboxKind] = {}


def register_inbox_kind(
    key: str,
    *,
    label,
    rows: Callable,
    link: str,
    done: Callable | None = None,
    done_label=None,
    snooze: bool = True,
    order: int = 100,
) -> InboxKind:
    """Register a kind of work (see the module's docstring). Registering one key
    twice from different code is a programming error (ValueError)."""
    known = _KINDS.get(key)
    if known and (known.rows.__module__, known.rows.__qualname__) != (
        rows.__module__,
        rows.__qualname__,
    ):
        raise ValueError(f"Inbox kind {key!r} is registered twice")
    if len(key) > 60:
        raise ValueError(f"Inbox kind {key!r} is longer than 60 characters")
    kind = InboxKind(
        key=key,
        label=label,
        rows=rows,
        link=link,
        done=done,
        done_label=done_label,
        snooze=snooze,
        order=order,
    )
    _KINDS[key] = kind
    return kind


def kind_of(key: str) -> InboxKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Inbox kind {key!r} is not registered") from None


def registered_kinds() -> list[InboxKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))
