"""The family assessment's catalogue, edited by administrators (issue 7, point 1;
core.admin_site admits administrators only): the life domains and their risk
factors and needs, seeded by families/migrations/0003.

No assessment, rating, plan, goal, action or progress update is registered: they
hold the family's data, which the admin never shows. A domain or factor that
ratings refer to is retired ("in use" off), not deleted: it then leaves the
assessment form but stays on the ratings that used it.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_site import AdministratorPermissions

from .plan_models import AssessmentDomain, AssessmentFactor, Rating


class _Retire:
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


class AssessmentFactorInline(AdministratorPermissions, admin.TabularInline):
    model = AssessmentFactor
    extra = 1
    fields = ["kind", "name_da", "name_en", "position", "active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # obj is the domain here: a domain with rated factors keeps them all.
        if obj is not None and Rating.objects.filter(factor__domain=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AssessmentDomain)
class AssessmentDomainAdmin(_Retire, AdministratorPermissions, admin.ModelAdmin):
    list_display = ["name_da", "name_en", "code", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["active"]
    search_fields = ["name_da", "name_en", "code"]
    inlines = [AssessmentFactorInline]
    fields = ["code", "name_da", "name_en", "position", "active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and (
            Rating.objects.filter(factor__domain=obj).exists() or obj.factors.exists()
        ):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AssessmentFactor)
class AssessmentFactorAdmin(_Retire, AdministratorPermissions, admin.ModelAdmin):
    list_display = ["name_da", "name_en", "domain", "kind", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["domain", "kind", "active"]
    list_select_related = ["domain"]
    search_fields = ["name_da", "name_en"]
    fields = ["domain", "kind", "name_da", "name_en", "position", "active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and Rating.objects.filter(factor=obj).exists():
            return False
        return super().has_delete_permission(request, obj)
