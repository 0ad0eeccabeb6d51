"""Reading notifications: a user sees their own, and nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification


def notifications_for(*, user) -> QuerySet[Notification]:
    """`user`'s notifications, newest first, with the reminder each came from (for
    its wording in the reader's language). Nobody else's, and none for anonymous."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("reminder")
        .order_by("-created_at", "-id")
    )


def notification_of(*, user, notification_id) -> Notification:
    """One of `user`'s notifications; 404 for anyone else's, whether or not it
    exists (no enumeration)."""
    return get_object_or_404(notifications_for(user=user), pk=notification_id)


def unread_count(*, user) -> int:
    """How many of `user`'s notifications are unread: one query."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
