"""API conventions shared by every endpoint: JSON errors with field-level messages
in the caller's language, and no hint of whether a refused object exists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Shape: {"detail": "...", "errors": {"field": ["message", ...]}}.

    A service's django ValidationError becomes a 400 with the same field messages
    a form would show.
    """
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, serializers.ValidationError):
        errors = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        response.data = {"detail": _("Invalid input."), "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


def validated(serializer_class, data) -> dict:
    """The input's validated data, or a 400 with its field errors."""
    found = serializer_class(data=data)
    found.is_valid(raise_exception=True)
    return dict(found.validated_data)


def field_lookup(name: str, fetch):
    """Fetch what a field of the input names through its access function; what
    the caller may not see is "Not found." under that field, the same answer as
    for what does not exist."""
    try:
        return fetch()
    except Http404:
        raise serializers.ValidationError({name: [_("Not found.")]}) from None
