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


class AdministratorPermissions:
    """For ModelAdmins of the data administrators keep (organisations, users,
    catalogues): administrators hold no model permissions (their role is not a
    group, so that administering is not reading case data: access.permissions), and
    the site admits only administrators; this lets them edit what it shows."""

    def has_module_permission(self, request) -> bool:
        from access.permissions import is_administrator

        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)
