"""Response headers every page carries."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequired
from django.middleware.locale import LocaleMiddleware
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
