"""Acting on the inbox: done through the work's own service, snooze and the last
visit kept by the inbox."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Seen, Snooze
from .registry import kind_of
from .selectors import InboxContext, inbox_item

# How far ahead an item may be put aside: a snooze is for days, not for hiding
# work (an item due before then still shows as overdue when it comes back).
SNOOZE_MAX_DAYS = 90


def _object_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def _kind(key: str):
    try:
        return kind_of(str(key))
    except LookupError:
        raise Http404 from None


def _in_inbox(ctx: InboxContext, kind, object_id) -> None:
    # 404, not 403, for an item that is not in the user's inbox: whether it exists
    # elsewhere is not the user's to learn.
    if not inbox_item(ctx, kind=kind.key, object_id=object_id):
        raise Http404


def inbox_done(*, ctx: InboxContext, kind: str, object_id) -> str:
    """Complete an item through its own service (the kind's `done`), which checks
    the user's right to do it, audits and saves. Returns the success message.
    ValidationError when the record cannot be completed now; Http404 when the
    item is not in the user's inbox or its kind has no completion here."""
    inbox_kind = _kind(kind)
    pk = _object_id(object_id)
    if inbox_kind.done is None:
        raise Http404
    _in_inbox(ctx, inbox_kind, pk)
    return inbox_kind.done(ctx.user, pk)


@transaction.atomic
def inbox_snooze(
    *, ctx: InboxContext, kind: str, object_id, until: datetime.date
) -> Snooze:
    """Hide an item from the user's inbox until `until` (after today, at most
    SNOOZE_MAX_DAYS ahead). Snoozing it again moves the date. Only the user's
    view changes: the record and colleagues' inboxes do not."""
    inbox_kind = _kind(kind)
    pk = _object_id(object_id)
    if not inbox_kind.snooze:
        raise ValidationError(_("This task cannot be put aside."))
    if not isinstance(until, datetime.date) or until <= ctx.today:
        raise ValidationError({"until": _("Choose a day after today.")})
    if until > ctx.today + datetime.timedelta(days=SNOOZE_MAX_DAYS):
        raise ValidationError(
            {
                "until": _("A task can be put aside for at most %(days)d days.")
                % {"days": SNOOZE_MAX_DAYS}
            }
        )
    _in_inbox(ctx, inbox_kind, pk)
    try:
        with transaction.atomic():
            snooze, _created = Snooze.objects.update_or_create(
                user=ctx.user,
                kind=inbox_kind.key,
                object_id=pk,
                defaults={"until": until},
            )
    except IntegrityError:
        # The same item snoozed at once in another tab: the first one counts,
        # then this one's date.
        snooze = Snooze.objects.get(user=ctx.user, kind=inbox_kind.key, object_id=pk)
        snooze.until = until
        snooze.save(update_fields=["until"])
    return snooze


def inbox_wake(*, user, kind: str, object_id) -> int:
    """Bring a snoozed item back now. Returns how many were woken (0 or 1)."""
    deleted, _rows = Snooze.objects.filter(
        user=user, kind=str(kind)[:60], object_id=_object_id(object_id)
    ).delete()
    return deleted


def inbox_mark_seen(*, user, at: datetime.datetime | None = None) -> None:
    """The user has opened the inbox: what came before is no longer new. One
    statement (an upsert), whether or not the user had opened it before."""
    Seen.objects.bulk_create(
        [Seen(user=user, seen_at=at or timezone.now())],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["seen_at"],
    )
