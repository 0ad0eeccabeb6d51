"""Administration of organisations and users (administrators only: core.admin_site)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin_site import AdministratorPermissions

from .models import (
    IDENTITY_FIELDS,
    Agency,
    Membership,
    Municipality,
    PoliceDistrict,
    Role,
    User,
)

# Issue 18, point 4: staff with a case role sign letters, minutes and agreements and
# are named to other agencies; an active one needs a name, a title, a phone number
# and a work e-mail address.
_IDENTITY_REQUIRED = _(
    "An active user with a case role needs this: it is how other agencies see and "
    "reach them."
)


def _identity_errors(user: User) -> dict[str, str]:
    return {field: _IDENTITY_REQUIRED for field in user.identity_missing()}


class StaffChangeForm(UserChangeForm):
    """Refuses to keep or make active a user who holds a case role without a full
    identity (the memberships being added are checked by MembershipFormSet)."""

    def clean(self):
        cleaned = super().clean()
        user = self.instance
        if not cleaned.get("is_active") or user._state.adding:
            return cleaned
        holds_case_role = Membership.objects.filter(
            user=user, role__in=Role.case_roles()
        ).exists()
        if holds_case_role:
            candidate = User(**{f: cleaned.get(f, "") for f in IDENTITY_FIELDS})
            for field, message in _identity_errors(candidate).items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        user = self.instance
        if not user.is_active:
            return
        gives_case_role = any(
            form.cleaned_data.get("role") in Role.case_roles()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        missing = user.identity_missing()
        if gives_case_role and missing:
            labels = ", ".join(
                str(User._meta.get_field(field).verbose_name) for field in missing
            )
            raise ValidationError(
                _(
                    "An active user with a case role needs a full name, job title, "
                    "work phone and work e-mail. Missing: %(fields)s."
                )
                % {"fields": labels}
            )


class MembershipInline(AdministratorPermissions, admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["agency"]


class IdentityCompleteFilter(admin.SimpleListFilter):
    """The administrator's overview links here: active staff with a case role whose
    identity is incomplete (core overview, organisations.registrations)."""

    title = _("identity")
    parameter_name = "identity"

    def lookups(self, request, model_admin):
        return [("incomplete", _("Incomplete (active, with a case role)"))]

    def queryset(self, request, queryset):
        if self.value() == "incomplete":
            from .selectors import staff_with_incomplete_identity

            return queryset.filter(pk__in=staff_with_incomplete_identity().values("pk"))
        return queryset


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
    form = StaffChangeForm
    inlines = [MembershipInline]
    # Groups and permissions are derived from memberships; they are not edited here.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Identity"),
            {"fields": ["first_name", "last_name", "title", "phone", "email"]},
        ),
        (
            _("Status"),
            {"fields": ["is_active", "is_staff", "last_login", "date_joined"]},
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2"],
            },
        ),
        (
            _("Identity"),
            {"fields": ["first_name", "last_name", "title", "phone", "email"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "title",
        "is_active",
        "is_staff",
    ]
    list_filter = [IdentityCompleteFilter, "is_active", "is_staff", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email", "title"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Staff with history are deactivated, never deleted (the audit log
        # refers to them).
        return False
