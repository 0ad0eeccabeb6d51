"""The header's "Notifications (N unread)" link."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import cached_property

from .selectors import unread_count


class _Notifications:
    """Counted on first use, once: a page that does not show the header (an htmx
    fragment) costs no query."""

    def __init__(self, user) -> None:
        self._user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(user=self._user)


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Before the second factor, a password alone shows nothing of the account.
    if settings.TVAERS_2FA_REQUIRED and not getattr(user, "is_verified", bool)():
        return {}
    return {"notifications": _Notifications(user)}
