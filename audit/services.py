"""Writing audit entries. Every other module records through audit_record."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from . import context
from .models import Action, AuditEntry, AuditSubject


def criterion_without_cpr(text: str) -> str:
    """A search criterion as logged: a CPR number is replaced by a keyed hash, so an
    auditor can match it to a person's number without the log holding it."""
    from core.crypto import keyed_hash
    from core.logging import CPR_PATTERN

    return CPR_PATTERN.sub(
        lambda m: f"[CPR #{keyed_hash(m.group(1) + m.group(2))[:12]}]", text
    )


def _acting_agency_id(user) -> object | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    ctx = context.current()
    if user.pk not in ctx.agencies:
        from organisations.selectors import acting_membership

        membership = acting_membership(user=user, session=ctx.session)
        ctx.agencies[user.pk] = membership.agency_id if membership else None
    return ctx.agencies[user.pk]


def object_type_of(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def _entry(
    *,
    user,
    action,
    obj=None,
    object_type="",
    object_id="",
    criterion="",
    changed_fields=(),
    username="",
) -> AuditEntry:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry(
        user=user if authenticated else None,
        username=username or (user.get_username() if authenticated else ""),
        agency_id=_acting_agency_id(user),
        action=action,
        object_type=object_type,
        object_id=object_id,
        criterion=criterion_without_cpr(criterion)[:255],
        changed_fields=sorted(changed_fields),
        purpose=ctx.purpose,
        ip=ctx.ip,
    )


def _person_ids(subjects: Iterable) -> list:
    return list(dict.fromkeys(s for s in subjects if s is not None))


def audit_record_read(*, subjects: Iterable = (), **fields) -> None:
    """Record a read. Inside a request it joins the request's batch, which
    audit.middleware writes before the response is returned (if that write fails,
    the response is an error and the rows never leave); elsewhere at once."""
    reads = context.current().reads
    if reads is None:
        audit_record(subjects=subjects, **fields)
        return
    reads.append((_entry(**fields), _person_ids(subjects)))


def audit_flush_reads(reads: list) -> None:
    """Write a request's batched reads: the entries and their subjects together or
    not at all. On PostgreSQL in one statement (_flush_in_one_statement); elsewhere
    one INSERT for the entries and one for their subjects, in a transaction."""
    if not reads:
        return
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        _flush_in_one_statement(connection, reads)
        return
    # No savepoint inside an outer transaction.
    with transaction.atomic(savepoint=False):
        entries = AuditEntry.objects.bulk_create([entry for entry, _ in reads])
        AuditSubject.objects.bulk_create(
            AuditSubject(entry=entry, person_id=pid)
            for entry, (_, person_ids) in zip(entries, reads, strict=True)
            for pid in person_ids
        )


def _flush_in_one_statement(connection, reads: list) -> None:
    """The entries and their subjects in one data-modifying WITH statement: one
    round trip instead of four (BEGIN, two INSERTs, COMMIT), on every page that
    reads a person (docs/performance.md), and atomic as every statement is.

    The entries' INSERT is the one bulk_create sends (Django's compiler, so the
    columns and their types follow the model); their ids, given in the order the
    rows are inserted, number them 1..n for the subjects' rows."""
    from django.db.models.sql import InsertQuery

    entry_meta = AuditEntry._meta
    query = InsertQuery(AuditEntry)
    query.insert_values(
        [f for f in entry_meta.concrete_fields if not f.primary_key],
        [entry for entry, _ in reads],
    )
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [entry_meta.pk]
    [(insert_sql, insert_params)] = compiler.as_sql()
    numbers, persons = [], []
    for number, (_, person_ids) in enumerate(reads, start=1):
        numbers += [number] * len(person_ids)
        persons += [str(pid) for pid in person_ids]
    quote = connection.ops.quote_name
    subject = AuditSubject._meta
    sql = (
        f"WITH entry AS ({insert_sql}), "  # noqa: S608 - Django's SQL, our names
        "numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM entry) "
        f"INSERT INTO {quote(subject.db_table)} "
        f"({quote(subject.get_field('entry').column)}, "
        f"{quote(subject.get_field('person_id').column)}) "
        "SELECT numbered.id, subject.person_id FROM numbered "
        "JOIN UNNEST(%s::bigint[], %s::uuid[]) AS subject(n, person_id) "
        "ON subject.n = numbered.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*insert_params, numbers, persons])


def audit_record(
    *,
    user,
    action: Action | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    subjects: Iterable = (),
    criterion: str = "",
    changed_fields: Iterable[str] = (),
    username: str = "",
) -> AuditEntry:
    """Append one entry. Raises if it cannot be written: callers that read personal
    data let the exception propagate, so that nothing is returned unlogged."""
    entry = _entry(
        user=user,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        criterion=criterion,
        changed_fields=changed_fields,
        username=username,
    )
    entry.save()
    person_ids = _person_ids(subjects)
    if person_ids:
        AuditSubject.objects.bulk_create(
            AuditSubject(entry=entry, person_id=pid) for pid in person_ids
        )
    return entry


def audit_record_refusal(**kwargs) -> None:
    """Record a refusal (permission denied). A refusal ends the request with an
    exception, which rolls back the request's transaction, so inside a request the
    entry is written by audit.middleware after the rollback; elsewhere at once."""
    deferred = context.current().deferred
    if deferred is None:
        audit_record(action=Action.PERMISSION_DENIED, **kwargs)
    else:
        deferred.append(kwargs)


def subject_of(obj: models.Model):
    """The person a model instance concerns (its AUDIT_SUBJECT_FIELD), or None."""
    field_name = getattr(obj, "AUDIT_SUBJECT_FIELD", None)
    return getattr(obj, field_name) if field_name else None


def subjects_of(objects: Iterable[models.Model]) -> list:
    return [s for s in map(subject_of, objects) if s is not None]


def audit_purge_expired(*, now=None) -> int:
    """Delete entries older than AUDIT_RETENTION_DAYS (R-LOG-2: kept for a set
    period, then deleted automatically). The only code path allowed to delete: it
    sets the transaction-local flag the PostgreSQL trigger checks. Returns the count."""
    from datetime import timedelta

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    entries = AuditEntry._meta.db_table
    subjects = AuditSubject._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL tvaers.audit_purge = 'on'")
        cursor.execute(
            f"DELETE FROM {subjects} WHERE entry_id IN "  # noqa: S608 - table names are ours
            f"(SELECT id FROM {entries} WHERE at < %s)",
            [cutoff],
        )
        cursor.execute(f"DELETE FROM {entries} WHERE at < %s", [cutoff])  # noqa: S608
        return cursor.rowcount
