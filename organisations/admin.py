"""Administration of organisations and users (administrators only: core.admin_site)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin_site import AdministratorPermissions

from .models import Agency, Membership, Municipality, PoliceDistrict, User


class MembershipInline(AdministratorPermissions, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(PoliceDistrict)
class PoliceDistrictAdmin(AdministratorPermissions, admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(AdministratorPermissions, admin.ModelAdmin):
    list_display = ["name", "code", "police_district"]
    list_select_related = ["police_district"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(AdministratorPermissions, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "police_district"]
    list_filter = ["kind", "police_district", "municipality"]
    list_select_related = ["municipality", "police_district"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(AdministratorPermissions, BaseUserAdmin):
    inlines = [MembershipInline]
    # Groups and permissions are derived from memberships; they are not edited here.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal details"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Status"),
            {"fields": ["is_active", "is_staff", "last_login", "date_joined"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__role"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Staff with history are deactivated, never deleted (the audit log
        # refers to them).
        return False
