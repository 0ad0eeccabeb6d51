"""Fresh authentication for sensitive operations (STYLE.md §4): revealing a CPR
number and exporting a person's data ask the user to have proved who they are
within the last FRESH_AUTH_MAX_AGE (default 10 minutes), not only at login.

A browser session is fresh after the login (password, then the two-factor code) or
after the re-authentication page. An API client without a session (a personal
token) proves it per request with the current code from its authenticator app in
the `X-Tvaers-OTP` header.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

FRESH_AUTH_AT = "tvaers_fresh_auth_at"
OTP_HEADER = "X-Tvaers-OTP"


class FreshAuthenticationRequired(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "fresh_authentication_required"
    default_detail = _(
        "This needs fresh authentication: sign in again, or send the current code "
        "from your authenticator app in the X-Tvaers-OTP header."
    )


def mark_fresh(request) -> None:
    """Record that the user has just proved who they are."""
    request.session[FRESH_AUTH_AT] = timezone.now().timestamp()


def is_fresh(request) -> bool:
    session = getattr(request, "session", None)
    proved_at = session.get(FRESH_AUTH_AT) if session is not None else None
    age = settings.FRESH_AUTH_MAX_AGE.total_seconds()
    if proved_at is not None and timezone.now().timestamp() - proved_at <= age:
        return True
    code = request.headers.get(OTP_HEADER, "").strip()
    if code.isdigit():
        from .services import totp_match

        return totp_match(user=request.user, token=code) is not None
    return False


def require_fresh_authentication(request) -> None:
    """For API views: raise a 403 that says what to do."""
    if not is_fresh(request):
        raise FreshAuthenticationRequired


def _return_to(request) -> str:
    """Where to come back after re-authenticating: the page for a GET, the page
    the form was on for a POST (a POST is never replayed)."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return settings.LOGIN_REDIRECT_URL


def fresh_authentication_required(view):
    """For page views: send a user whose authentication is not fresh to the
    re-authentication page first (htmx follows with HX-Redirect)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_fresh(request):
            return view(request, *args, **kwargs)
        url = (
            f"{reverse('accounts:reauthenticate')}?"
            f"{urlencode({'next': _return_to(request)})}"
        )
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    return wrapped
