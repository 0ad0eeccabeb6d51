"""Reminders in the admin, to look at and to cancel: they hold no personal data
(core.admin_site). Nothing is added or edited here; a reminder is scheduled by the
app it belongs to. Notifications are their recipients' own and are not shown."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Reminder, ReminderStatus


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_at", "status", "sent_at", "source_type"]
    list_filter = ["status", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["key", "recipient__username"]
    date_hierarchy = "due_at"
    ordering = ["-due_at"]
    actions = ["cancel_selected"]
    readonly_fields = [
        "id",
        "key",
        "kind",
        "recipient",
        "due_at",
        "url",
        "params",
        "source_type",
        "source_id",
        "status",
        "sent_at",
        "created_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(
        description=_("Cancel the selected pending reminders"), permissions=["view"]
    )
    def cancel_selected(self, request, queryset):
        from .services import reminder_cancel

        cancelled = sum(
            reminder_cancel(key=key)
            for key in queryset.filter(status=ReminderStatus.PENDING).values_list(
                "key", flat=True
            )
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d reminder cancelled.",
                "%(count)d reminders cancelled.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )
