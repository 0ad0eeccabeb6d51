"""Where the request that caused an audit entry came from.

Bound by audit.middleware for web and API requests, and by tasks for work done on
a user's behalf; read by audit.services when an entry is written.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class AuditContext:
    ip: str | None = None
    session: object | None = None
    purpose: str = ""
    # Acting agency per user id, resolved once per request.
    agencies: dict = field(default_factory=dict)
    # Entries that must outlive the request's transaction (refusals), written by
    # audit.middleware once the response is made; None outside a request.
    deferred: list | None = None
    # Read entries of the request, written together by audit.middleware before the
    # response leaves (two INSERTs instead of two per audited read); None outside
    # a request, where each read is written at once.
    reads: list | None = None


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    return _current.get() or AuditContext()


def bind(ctx: AuditContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
