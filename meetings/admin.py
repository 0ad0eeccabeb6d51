"""The forum kinds, edited by administrators when the law or local practice changes
(issue 5, point 1), and the forums and their members, shown for support (read
only but for switching a forum off). core.admin_site admits administrators only.

No meeting, agenda item, shared information, consent or action item is registered:
they hold a person's data, which the admin never shows. A forum's members'
calendar tokens are secrets and are not shown either.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from access.legal import LegalBasis
from core.admin_site import AdministratorPermissions

from .models import Forum, ForumKind, ForumMember


class ForumKindForm(forms.ModelForm):
    """The legal bases as a multiple choice of the closed list (R-115-1); the
    model's clean() (run by the form) refuses §115 stk. 5 outside SSP (R-115-6)
    and an upper age below the lower."""

    legal_bases = forms.MultipleChoiceField(
        label=_("legal bases"),
        choices=LegalBasis.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The legal bases information may be shared under in this forum."),
    )

    class Meta:
        model = ForumKind
        fields = [
            "code",
            "name_da",
            "name_en",
            "cooperation",
            "legal_bases",
            "age_min",
            "age_max",
        ]


@admin.register(ForumKind)
class ForumKindAdmin(AdministratorPermissions, admin.ModelAdmin):
    form = ForumKindForm
    list_display = ["name_da", "code", "cooperation", "age_min", "age_max"]
    list_filter = ["cooperation"]
    search_fields = ["name_da", "name_en", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Code refers to the kind from forums and the migrations: fixed once made.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and Forum.objects.filter(kind=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


class ReadOnly:
    """Forums and members are changed through the pages (the services grant and
    revoke access and audit); here they are only shown."""

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ForumMemberInline(ReadOnly, AdministratorPermissions, admin.TabularInline):
    model = ForumMember
    fields = ["agency", "user", "joined_on", "left_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Forum)
class ForumAdmin(ReadOnly, AdministratorPermissions, admin.ModelAdmin):
    list_display = ["name", "kind", "agency", "chair", "cadence_days", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["kind", "agency", "chair"]
    search_fields = ["name", "agency__name"]
    inlines = [ForumMemberInline]
    fields = [
        "name",
        "kind",
        "agency",
        "chair",
        "police_district",
        "municipalities",
        "cadence_days",
        "first_meeting_at",
        "duration_minutes",
        "place",
        "agenda_notice_days",
        "active",
    ]
    readonly_fields = [f for f in fields if f != "active"]


@admin.register(ForumMember)
class ForumMemberAdmin(ReadOnly, AdministratorPermissions, admin.ModelAdmin):
    list_display = ["forum", "agency", "user", "joined_on", "left_on"]
    list_filter = ["left_on"]
    list_select_related = ["forum", "agency", "user"]
    search_fields = ["forum__name", "agency__name", "user__username"]
    fields = ["forum", "agency", "user", "joined_on", "left_on"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False
