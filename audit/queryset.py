"""A queryset that writes an audit entry when its rows are fetched.

The permission core (access.permissions) returns these for every model that holds a
person's data, so that the same call that decides what a user may see also records
what was shown: a view, endpoint, export or task cannot forget to log a read. Outside
a request the entry is written at once and, if it cannot be, the exception propagates
and no rows are returned; inside a request the request's reads are written together
by audit.middleware before the response leaves, and if that fails the client gets an
error instead of the response.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ReadAudit:
    user: object
    action: str
    criterion: str = ""


class AuditedQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._read_audit: ReadAudit | None = None

    def _clone(self):
        clone = super()._clone()
        clone._read_audit = self._read_audit
        return clone

    def audited(self, *, user, action: str, criterion: str = "") -> AuditedQuerySet:
        clone = self._chain()
        clone._read_audit = ReadAudit(user=user, action=action, criterion=criterion)
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._read_audit is not None:
            # A search is logged with its criterion even when it found no one.
            if self._result_cache or self._read_audit.action == "search":
                self._record_read(self._result_cache)

    def iterator(self, chunk_size=None):
        if self._read_audit is not None:
            raise TypeError("An audited queryset is read whole, never streamed.")
        return super().iterator(chunk_size=chunk_size)

    def _record_read(self, rows: list) -> None:
        from .services import audit_record_read, subjects_of

        if rows and not isinstance(rows[0], models.Model):
            # values()/values_list() would read personal data without naming whose.
            raise TypeError("An audited queryset yields model instances only.")
        audit = self._read_audit
        single = audit.action == "view" and len(rows) == 1
        audit_record_read(
            user=audit.user,
            action=audit.action,
            object_type=self.model._meta.label_lower,
            object_id=str(rows[0].pk) if single else "",
            subjects=subjects_of(rows),
            criterion=audit.criterion,
        )
