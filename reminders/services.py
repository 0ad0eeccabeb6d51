"""Reminders: scheduling, cancelling and delivering. The one mechanism every app uses.

Scheduling writes a row in the caller's transaction and never touches the broker:
a reminder exists exactly when the record it is about does, and a lost or flushed
broker loses nothing. Delivery is the sweep (`reminders_sweep`), run by beat every
REMINDERS_SWEEP_SECONDS: each due reminder is delivered in its own transaction that
claims the row, writes the Notification and sends the e-mail, so a reminder is
delivered exactly once however many sweeps run and wherever one dies
(docs/reminders.md).

Nothing here is audited: reminders and notifications hold no personal data.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from datetime import date, datetime, time
from email.utils import parseaddr
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Notification, Reminder, ReminderStatus
from .registry import kind_of

logger = logging.getLogger(__name__)

PENDING = ReminderStatus.PENDING
# The language of notifications as stored and e-mailed: Danish first.
DELIVERY_LANGUAGE = "da"


# Reminders of a day go out in its morning.
REMINDER_HOUR = time(8, 0)


def morning_of(day: date) -> datetime:
    """The moment a reminder for `day` is due: eight in the morning, local time."""
    return timezone.make_aware(datetime.combine(day, REMINDER_HOUR))


def _source_of(source: models.Model | None) -> tuple[str, str]:
    if source is None:
        return "", ""
    if source.pk is None or source._state.adding:
        raise ValueError("A reminder's source must be saved first.")
    return source._meta.label_lower, str(source.pk)


@transaction.atomic
def reminder_schedule(
    *,
    key: str,
    kind: str,
    recipient,
    due_at: datetime,
    url: str = "",
    params: dict | None = None,
    source: models.Model | None = None,
) -> Reminder:
    """Schedule the reminder named `key`, or move it. Idempotent on `key`:

    * no reminder with that key: one is created;
    * a pending one: its recipient, due time, link and parameters are updated
      (kind and source stay as they were);
    * a sent or cancelled one: left as it is and returned, so scheduling a key
      again never sends twice. A caller that wants a new reminder after a change
      names the change in the key (e.g. the new date).

    Called inside the caller's transaction. Raises LookupError for an unregistered
    kind, ValueError for a key reused with another kind, ValidationError for a naive
    `due_at` or a link outside the app (`url` is a path such as "/persons/<id>/").
    """
    kind_of(kind)  # an unregistered kind is a programming error, not data
    params = params or {}
    # Locked: a concurrent sweep delivering this row finishes first, and then we
    # see it sent (and leave it) rather than move a reminder already delivered.
    reminder = Reminder.objects.select_for_update().filter(key=key).first()
    if reminder is None:
        source_type, source_id = _source_of(source)
        reminder = Reminder(
            key=key,
            kind=kind,
            recipient=recipient,
            due_at=due_at,
            url=url,
            params=params,
            source_type=source_type,
            source_id=source_id,
        )
        _validate(reminder)
        try:
            with transaction.atomic():
                reminder.save(force_insert=True)
            return reminder
        except IntegrityError:
            # The same key scheduled concurrently: the first one counts.
            reminder = Reminder.objects.select_for_update().filter(key=key).first()
            if reminder is None:
                raise
    if reminder.kind != kind:
        raise ValueError(
            f"Reminder {key!r} is of kind {reminder.kind!r}, not {kind!r}."
        )
    if reminder.status != PENDING:
        return reminder
    changed = [
        field
        for field, now, wanted in [
            ("recipient", reminder.recipient_id, recipient.pk),
            ("due_at", reminder.due_at, due_at),
            ("url", reminder.url, url),
            ("params", reminder.params, params),
        ]
        if now != wanted
    ]
    if changed:
        reminder.recipient = recipient
        reminder.due_at, reminder.url, reminder.params = due_at, url, params
        _validate(reminder)
        reminder.save(update_fields=changed)
    return reminder


def _validate(reminder: Reminder) -> None:
    # The recipient is an instance the caller holds; uniqueness and the status
    # constraint are the database's to enforce. Both would cost a query each.
    reminder.full_clean(
        exclude=["recipient"], validate_unique=False, validate_constraints=False
    )


@transaction.atomic
def reminder_cancel(*, key: str) -> int:
    """Cancel the reminder named `key` if it is still pending. Returns 1 or 0: a sent
    or cancelled reminder stays as it is."""
    return _cancel(Reminder.objects.filter(key=key))


@transaction.atomic
def reminders_cancel_for(*, source: models.Model, keep: str = "") -> int:
    """Cancel every pending reminder about `source` (a conversation closed, a
    measure done), except the one named `keep` (the reminder just scheduled, when
    a date moves). Returns how many were cancelled."""
    source_type, source_id = _source_of(source)
    return _cancel(
        Reminder.objects.filter(source_type=source_type, source_id=source_id).exclude(
            key=keep
        )
    )


def _cancel(reminders: models.QuerySet[Reminder]) -> int:
    # Conditional: a reminder a sweep is delivering is locked; this waits, then
    # finds it no longer pending and leaves it.
    return reminders.filter(status=PENDING).update(status=ReminderStatus.CANCELLED)


# --- Delivery ---------------------------------------------------------------------


def reminders_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Deliver the reminders due at `now` (default: the current time), oldest first,
    at most `limit` of them. Returns how many were sent.

    Each reminder is delivered in its own transaction: the due row is locked with
    SKIP LOCKED (concurrent sweeps share the work, never a row), claimed with a
    conditional UPDATE pending -> sent, its Notification written (unique per
    reminder), and its e-mail sent last, to the recipient's address, in Danish,
    with a Message-ID derived from the key. A sweep that dies before the commit
    leaves the reminder pending for the next one; the one window for a duplicate,
    a commit that fails after the e-mail left, repeats the same Message-ID.

    An active recipient without an e-mail address is notified in the app only; an
    inactive recipient's reminder is cancelled (nobody can read it). An e-mail that
    the mail server refuses for good (5xx) leaves the notification in the app only;
    any other mail or database failure rolls the reminder back and ends the sweep
    with the exception, for the next sweep to retry. The number of queries is a
    constant per due reminder plus one, whatever else the tables hold.
    """
    now = now or timezone.now()
    mailer = _Mailer()
    sent = 0
    try:
        for _ in range(limit):
            delivered = _deliver_next(now=now, mailer=mailer)
            if delivered is None:
                break
            sent += delivered
    finally:
        mailer.close()
    if sent:
        logger.info("Reminders sweep: %d sent", sent)
    return sent


def _deliver_next(*, now: datetime, mailer: _Mailer) -> bool | None:
    """Deliver the oldest due reminder no other sweep holds: True if sent, False if
    not (cancelled, or lost to another sweep), None when nothing is left."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(status=PENDING, due_at__lte=now)
            .order_by("due_at", "id")
            .first()
        )
        if reminder is None:
            return None
        recipient = reminder.recipient
        if not recipient.is_active:
            _cancel(Reminder.objects.filter(pk=reminder.pk))
            logger.info("Reminder %s cancelled: its recipient is inactive", reminder.pk)
            return False
        delivered_at = timezone.now()
        claimed = (
            Reminder.objects.filter(pk=reminder.pk, status=PENDING).update(
                status=ReminderStatus.SENT, sent_at=delivered_at
            )
            == 1
        )
        if not claimed:  # another sweep got there first (SQLite has no row locks)
            return False
        with translation.override(DELIVERY_LANGUAGE):
            title, body = _texts(reminder)
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        recipient=recipient,
                        reminder=reminder,
                        title=title,
                        body=body,
                        url=reminder.url,
                        created_at=delivered_at,
                        emailed_at=delivered_at if recipient.email else None,
                    )
            except IntegrityError:
                # The database's guarantee: one notification per reminder.
                logger.error("Reminder %s already has a notification", reminder.pk)
                return False
            if recipient.email and not mailer.send(_email(reminder, notification)):
                Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        return True


def _texts(reminder: Reminder) -> tuple[str, str]:
    """The kind's title and body for this reminder. A kind that is no longer
    registered, or whose text fails, must not stop everyone else's reminders: the
    notification then gets a general title, and the failure is logged."""
    try:
        kind = kind_of(reminder.kind)
        title = " ".join(kind.render_title(reminder.params).split())
        body = kind.render_body(reminder.params)
    except Exception:
        logger.exception("Reminder %s: its kind's text failed", reminder.pk)
        title, body = gettext("You have a reminder in Tværs"), ""
    return title[:300] or gettext("You have a reminder in Tværs"), body


def message_id_for(key: str) -> str:
    """The e-mail's Message-ID: the same for every attempt at one reminder, so mail
    systems (and people) can recognise a duplicate. Hashed: the key stays inside."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return f"<reminder.{digest}@{domain or 'tvaers.invalid'}>"


def _email(reminder: Reminder, notification: Notification) -> EmailMessage:
    path = notification.url or reverse("reminders:notification_list")
    context = {
        "title": notification.title,
        "body": notification.body,
        "link": urljoin(settings.REMINDERS_SITE_URL, path),
    }
    return EmailMessage(
        subject=gettext("Tværs: %(title)s") % {"title": notification.title},
        body=render_to_string("reminders/email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.recipient.email],
        headers={"Message-ID": message_id_for(reminder.key)},
    )


class _Mailer:
    """One mail connection for a whole sweep, opened when the first e-mail is due
    (a sweep with nothing to send does not call the mail server)."""

    def __init__(self) -> None:
        self._connection = None

    def send(self, message: EmailMessage) -> bool:
        """Send, or answer False when the server refuses this message for good."""
        if self._connection is None:
            self._connection = get_connection(
                timeout=settings.EMAIL_TIMEOUT or settings.REMINDERS_EMAIL_TIMEOUT
            )
            self._connection.open()
        message.connection = self._connection
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused:
            logger.warning("Notification e-mail refused for its recipient")
            return False
        except smtplib.SMTPDataError as exc:
            if not 500 <= exc.smtp_code < 600:
                raise
            logger.warning("Notification e-mail refused (%s)", exc.smtp_code)
            return False
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# --- Reading notifications -----------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> bool:
    """Mark one of `user`'s notifications read. Returns False if it already was.
    Callers fetch it with selectors.notification_of (a 404 for anyone else's)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is not None:
        return False
    now = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, recipient=user, read_at__isnull=True
    ).update(read_at=now)
    if updated:
        notification.read_at = now
    return bool(updated)


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark all of `user`'s unread notifications read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
