"""What the inbox keeps of its own: nothing of the work itself (that stays in the
apps' records, inbox.registry), only each user's view of it: which items they
put aside until a later day, and when they last opened the inbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Snooze(models.Model):
    """Udsæt: the user hides one item of the inbox until `until` (a date). The
    record the item stands for is not changed, and a colleague's inbox still
    shows it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.UUIDField()
    until = models.DateField(_("until"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("snoozed task")
        verbose_name_plural = _("snoozed tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id"], name="inbox_snooze_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} until {self.until:%Y-%m-%d}"


class Seen(models.Model):
    """When the user last opened the inbox: items that came after are new (the
    header's count)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("inbox last opened")
        verbose_name_plural = _("inbox last opened")

    def __str__(self) -> str:
        return f"{self.seen_at:%Y-%m-%d %H:%M}"
