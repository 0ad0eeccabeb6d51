"""Response headers every page carries."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequired
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response, and `Cache-Control: no-store` on
    every response to a logged-in user, so that no case data stays in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", settings.CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            "/api/"
        ):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class LoginRequiredMiddleware(_LoginRequired):
    """Django's deny-by-default for pages. The API (/api/) authenticates in DRF,
    whose default permission (access.api.IsVerifiedMember) denies by default too."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Danish unless the user chose English with the language switch
    (the language cookie); the browser's Accept-Language does not decide. The API
    answers in the language the client asks for."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Writes whose own page says what happened, or that are not a change of case data.
_NO_CONFIRMATION = ("/login/", "/logout/", "/i18n/", "/account/", "/api/", "/admin/")


class WriteConfirmationMiddleware:
    """Issue 18, point 5: every write ends with a message the user sees and a
    screen reader announces (templates/partials/_messages.html).

    * A form POSTed and answered by a redirect (the write succeeded: a refused
      form is drawn again, not redirected) gets "Saved." when its view said
      nothing itself; the views say what they did where it matters.
    * An htmx request's messages travel out of band with the fragment, into the
      page's message region, so a partial update is confirmed like a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        storage = getattr(request, "_messages", None)
        if storage is None or request.path.startswith(_NO_CONFIRMATION):
            return response
        if (
            request.method == "POST"
            and response.status_code in (302, 303)
            and not storage.added_new
            and not request.headers.get("HX-Request")
        ):
            messages.success(request, translation.gettext("Saved."))
        elif request.headers.get("HX-Request") and _html_fragment(response):
            if storage.added_new:
                _append_messages(request, response)
        return response


def _html_fragment(response) -> bool:
    return (
        response.status_code < 300
        and not getattr(response, "streaming", False)
        and response.get("Content-Type", "").startswith("text/html")
        and "HX-Redirect" not in response
    )


def _append_messages(request, response) -> None:
    html = render_to_string("partials/_messages.html", {"oob": True}, request=request)
    response.content += html.encode(response.charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
