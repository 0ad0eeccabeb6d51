"""Session lifetime and two-factor enforcement for browser sessions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

LAST_SEEN = "tvaers_last_seen"
LOGGED_IN_AT = "tvaers_logged_in_at"
# The idle clock is kept to the minute: writing the session on every request
# would cost every page three statements for no gain in safety.
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Log out after SESSION_IDLE_TIMEOUT of inactivity (default 15 minutes) and
    SESSION_ABSOLUTE_TIMEOUT after login (default 12 hours)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN, now)
            logged_in_at = request.session.setdefault(LOGGED_IN_AT, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
                or now - logged_in_at
                > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('accounts:login')}?expired=1")
            if now - request.session.get(LAST_SEEN, 0) >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A password alone opens only the two-factor pages: every other page needs a
    verified TOTP device when TVAERS_2FA_REQUIRED is on (the default)."""

    ALLOWED = (
        "accounts:otp_verify",
        "accounts:otp_setup",
        "accounts:logout",
        "set_language",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TVAERS_2FA_REQUIRED
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(("/api/", "/static/", "/healthz"))
        ):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed:
                return redirect("accounts:otp_verify")
        return self.get_response(request)
