"""The admin site administers organisations and users, never case data: no model
holding a person's data is registered here."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class TvaersAdminSite(admin.AdminSite):
    site_header = _("Tværs administration")
    site_title = _("Tværs administration")
    index_title = _("Organisations and users")

    def has_permission(self, request) -> bool:
        from access.permissions import is_administrator

        user = request.user
        if settings.TVAERS_2FA_REQUIRED and not user.is_verified():
            return False
        return bool(user.is_active and user.is_staff and is_administrator(user))


class TvaersAdminConfig(AdminConfig):
    """Django admin with TvaersAdminSite as its site."""

    default_site = "core.admin_site.TvaersAdminSite"
