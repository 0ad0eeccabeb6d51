"""Binds the request's origin (client address, session) for the audit layer."""

from __future__ import annotations

from . import context


def _client_ip(request) -> str | None:
    # Behind the proxy of docker-compose the first X-Forwarded-For hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.bind(
            context.AuditContext(
                ip=_client_ip(request), session=getattr(request, "session", None)
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
