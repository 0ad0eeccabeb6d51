"""The catalogues of concern conversations and the municipalities' settings, edited
by administrators (issue 4, point 3; core.admin_site admits administrators only).

No conversation, participant, measure or follow-up is registered: they hold a
person's data, which the admin never shows. A method or measure type that
conversations refer to is retired (`in use` off), not deleted: it then leaves the
choices but stays on the records that used it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_site import AdministratorPermissions

from .letter import DEFAULT_BODY, DEFAULT_SUBJECT, PLACEHOLDERS, unknown_placeholders
from .models import (
    ConcernConversation,
    ConversationSettings,
    Measure,
    MeasureType,
    Method,
    MethodQuestion,
)


class RetireActions:
    actions = ["retire", "bring_back"]

    @admin.action(description=_("Retire the selected (no longer offered)"))
    def retire(self, request, queryset):
        count = queryset.update(active=False)
        self.message_user(
            request,
            ngettext("%(count)d retired.", "%(count)d retired.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Bring the selected back into use"))
    def bring_back(self, request, queryset):
        count = queryset.update(active=True)
        self.message_user(
            request,
            ngettext("%(count)d back in use.", "%(count)d back in use.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class MethodQuestionInline(AdministratorPermissions, admin.TabularInline):
    model = MethodQuestion
    extra = 1
    fields = ["position", "phase", "text_da", "text_en"]


@admin.register(Method)
class MethodAdmin(RetireActions, AdministratorPermissions, admin.ModelAdmin):
    list_display = ["name_da", "name_en", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["active"]
    search_fields = ["name_da", "name_en"]
    inlines = [MethodQuestionInline]
    fields = [
        "name_da",
        "name_en",
        "description_da",
        "description_en",
        "active",
        "position",
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and ConcernConversation.objects.filter(method=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(MeasureType)
class MeasureTypeAdmin(RetireActions, AdministratorPermissions, admin.ModelAdmin):
    list_display = ["name_da", "name_en", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["active"]
    search_fields = ["name_da", "name_en"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and Measure.objects.filter(measure_type=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


class ConversationSettingsForm(forms.ModelForm):
    class Meta:
        model = ConversationSettings
        fields = ["municipality", "follow_up_days", "letter_subject", "letter_body"]
        widgets = {"letter_body": forms.Textarea(attrs={"rows": 24, "cols": 90})}

    def _known_placeholders(self, field: str) -> str:
        text = self.cleaned_data.get(field, "")
        unknown = unknown_placeholders(text)
        if unknown:
            raise forms.ValidationError(
                _(
                    "The letter does not know %(unknown)s. Use only: %(known)s "
                    "(write $$ for a dollar sign)."
                )
                % {
                    "unknown": ", ".join(f"${name}" for name in unknown),
                    "known": ", ".join(f"${name}" for name in PLACEHOLDERS),
                }
            )
        return text

    def clean_letter_subject(self) -> str:
        return self._known_placeholders("letter_subject")

    def clean_letter_body(self) -> str:
        return self._known_placeholders("letter_body")

    def clean_follow_up_days(self) -> int:
        days = self.cleaned_data["follow_up_days"]
        if days < 1:
            raise forms.ValidationError(_("At least one day."))
        return days


@admin.register(ConversationSettings)
class ConversationSettingsAdmin(AdministratorPermissions, admin.ModelAdmin):
    """A municipality's own follow-up period and letter; without a row, or with
    an empty text, the standard applies (shown here to start from)."""

    form = ConversationSettingsForm
    list_display = ["municipality", "follow_up_days", "has_own_letter"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name"]
    readonly_fields = ["standard_letter"]
    fieldsets = [
        (None, {"fields": ["municipality", "follow_up_days"]}),
        (
            _("Invitation letter to the parents"),
            {"fields": ["letter_subject", "letter_body", "standard_letter"]},
        ),
    ]

    @admin.display(boolean=True, description=_("own letter text"))
    def has_own_letter(self, obj) -> bool:
        return bool(obj.letter_body.strip())

    @admin.display(description=_("standard text"))
    def standard_letter(self, obj=None) -> str:
        return format_html(
            "<strong>{}</strong><br><br>{}",
            DEFAULT_SUBJECT,
            linebreaksbr(DEFAULT_BODY),
        )
