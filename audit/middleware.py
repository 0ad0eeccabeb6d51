"""Binds the request's origin (client address, session) for the audit layer."""

from __future__ import annotations

from . import context
from .models import Action
from .services import audit_flush_reads, audit_record


def _client_ip(request) -> str | None:
    # Behind the proxy of docker-compose the first X-Forwarded-For hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = (
        forwarded.split(",")[0].strip()
        if forwarded
        else request.META.get("REMOTE_ADDR")
    )
    return ip or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.AuditContext(
            ip=_client_ip(request),
            session=getattr(request, "session", None),
            deferred=[],
            reads=[],
        )
        token = context.bind(ctx)
        try:
            response = self.get_response(request)
            # The reads are logged before the response leaves: if this raises, the
            # client gets an error, not the rows (audit.queryset's promise).
            audit_flush_reads(ctx.reads)
            # Outside ATOMIC_REQUESTS: these survive the view's rolled-back transaction.
            for kwargs in ctx.deferred:
                audit_record(action=Action.PERMISSION_DENIED, **kwargs)
            return response
        finally:
            context.reset(token)
