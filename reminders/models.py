"""Reminders (påmindelser) and the notifications they become.

A `Reminder` is a promise to tell one user about something at a time: scheduled by
the app that owns the something (reminders.services.reminder_schedule), delivered by
the sweep (reminders.services.reminders_sweep) as exactly one `Notification` and at
most one e-mail. The row is the truth; the broker only carries the sweep.

Neither holds personal data (docs/reminders.md): the texts come from the kind and the
link leads into the app, where the permission core decides what the reader sees.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import kind_of


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


# The state machine, in one place: a pending reminder is sent or cancelled, and that
# is final. The services move a reminder only with a conditional UPDATE from a state
# in this table, so two movers cannot both win.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReminderStatus.PENDING: frozenset({ReminderStatus.SENT, ReminderStatus.CANCELLED}),
    ReminderStatus.SENT: frozenset(),
    ReminderStatus.CANCELLED: frozenset(),
}


def validate_app_path(value: str) -> None:
    """A link into this app: an absolute path, never another site."""
    if value and (not value.startswith("/") or value.startswith("//") or "\\" in value):
        raise ValidationError(
            _("Enter a path within Tværs, starting with a single slash."),
            code="invalid_path",
        )


class Reminder(models.Model):
    """Påmindelse: tell `recipient` about something of `kind` at `due_at`.

    `key` names the reminder for its scheduler and makes scheduling idempotent
    (services.reminder_schedule). `source_type`/`source_id` name the record it is
    about, as timeline.TimelineEntry does, so that the record's app can cancel all
    of its reminders at once (services.reminders_cancel_for).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    due_at = models.DateTimeField(_("due at"))
    url = models.CharField(
        _("link"), max_length=500, blank=True, validators=[validate_app_path]
    )
    params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReminderStatus.choices,
        default=ReminderStatus.PENDING,
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [
            # The sweep: due pending reminders, oldest first.
            models.Index(fields=["status", "due_at"], name="reminders_status_due"),
            models.Index(fields=["source_type", "source_id"], name="reminders_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReminderStatus.SENT, sent_at__isnull=False)
                | (~Q(status=ReminderStatus.SENT) & Q(sent_at__isnull=True)),
                name="reminders_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.due_at:%Y-%m-%d %H:%M}, {self.status})"

    def clean(self) -> None:
        try:
            kind_of(self.kind)
        except LookupError:
            raise ValidationError(
                {"kind": _("This kind of reminder is not registered.")}
            ) from None
        if self.due_at is not None and timezone.is_naive(self.due_at):
            raise ValidationError({"due_at": _("The time must include a time zone.")})


class Notification(models.Model):
    """Besked: a delivered reminder, shown on the recipient's notifications page.

    `reminder` is unique: the database itself refuses a second notification for one
    reminder, whatever the sweep does. `title` and `body` are the texts as sent (in
    Danish, the language of the e-mail); pages show them re-worded in the reader's
    language while the kind is registered (`heading`, `text`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    reminder = models.OneToOneField(
        Reminder,
        on_delete=models.CASCADE,
        related_name="notification",
        verbose_name=_("reminder"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(
        _("link"), max_length=500, blank=True, validators=[validate_app_path]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notifications_list"
            ),
            # The header's unread count, on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def heading(self) -> str:
        return self._reworded("render_title") or self.title

    @property
    def text(self) -> str:
        return self._reworded("render_body") or self.body

    def _kind(self):
        try:
            return kind_of(self.reminder.kind)
        except LookupError:
            return None

    def _reworded(self, method: str) -> str:
        kind = self._kind()
        if kind is None:
            return ""
        try:
            return getattr(kind, method)(self.reminder.params)
        except Exception:  # a kind's text must never break the page
            return ""
