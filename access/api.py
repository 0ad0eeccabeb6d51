"""DRF policy classes. The default (settings.REST_FRAMEWORK) is IsVerifiedMember:
an authenticated, active user who passed two-factor authentication when it is
required. Object rules are never decided here, only in access.permissions."""

from __future__ import annotations

from django.conf import settings
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission

from . import permissions


def _verified(request) -> bool:
    user = request.user
    if not (user and user.is_authenticated and user.is_active):
        return False
    # A token is issued only to a user who had passed two-factor authentication.
    if isinstance(request.successful_authenticator, TokenAuthentication):
        return True
    if not settings.TVAERS_2FA_REQUIRED:
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


class IsVerifiedMember(BasePermission):
    def has_permission(self, request, view) -> bool:
        return _verified(request)


class CanReadAuditLog(BasePermission):
    def has_permission(self, request, view) -> bool:
        return _verified(request) and permissions.can_read_audit_log(request.user)
