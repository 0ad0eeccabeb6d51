"""Navigation by role, for the base layout."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access import permissions
from organisations.models import Role
from organisations.selectors import acting_membership, membership_list

# Who works with concern conversations: the police liaison holds them; the SSP
# coordinator, the social worker and the manager follow them.
CONVERSATION_ROLES = {
    Role.POLICE_LIAISON,
    Role.SSP_COORDINATOR,
    Role.SOCIAL_WORKER,
    Role.MANAGER,
}

# Who takes part in §115/SSP meetings: the coordinator runs them, the police
# liaison, the social worker and the manager take part or follow action items.
MEETING_ROLES = {
    Role.SSP_COORDINATOR,
    Role.POLICE_LIAISON,
    Role.SOCIAL_WORKER,
    Role.MANAGER,
}

# The same roles as access.permissions.figures_scope (without its query).
FIGURES_ROLES = {Role.MANAGER, Role.SSP_COORDINATOR}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = membership_list(user=user)
    roles = {m.role for m in memberships}
    items = [(_("Overview"), reverse("core:dashboard"))]
    inbox_link = ""
    verified = not settings.TVAERS_2FA_REQUIRED or user.is_verified()
    if roles & Role.case_roles() and verified:
        # Everything assigned to the user and the acting agency (inbox); its
        # count of new and overdue tasks is fetched after the page (base.html).
        inbox_link = reverse("inbox:inbox")
        items.append((_("My tasks"), inbox_link))
    if roles & Role.case_roles():
        items.append((_("Young people"), reverse("cases:person_list")))
        items.append((_("Families"), reverse("families:family_list")))
    if roles & CONVERSATION_ROLES:
        items.append((_("Concern conversations"), reverse("conversations:dashboard")))
    if roles & MEETING_ROLES:
        items.append((_("Meetings"), reverse("meetings:index")))
    if roles & Role.case_roles():
        # The open measures the acting agency answers for (concern conversations).
        items.append((_("Worklist"), reverse("conversations:worklist")))
    if Role.EXIT_COORDINATOR in roles:
        items.append((_("Exit programme"), reverse("exitprogram:dashboard")))
    elif Role.MANAGER in roles:
        # Managers see the programme's figures (access.permissions.exit_figures_scope).
        items.append((_("Exit figures"), reverse("exitprogram:figures")))
    if Role.MANAGER in roles:
        # Managers export the family action plans in force (families.bulk_export).
        items.append((_("Plan exports"), reverse("families:bulk_export_list")))
    if Role.POLICE_LIAISON in roles:
        items.append((_("Weekly reports"), reverse("exitprogram:reports")))
    if roles & FIGURES_ROLES:
        items.append((_("Figures"), reverse("conversations:figures")))
    if roles & {Role.MANAGER, Role.AUDITOR}:
        items.append((_("Audit log"), reverse("audit:entry_list")))
    if user.is_staff and (Role.ADMINISTRATOR in roles or user.is_superuser):
        items.append((_("Administration"), reverse("admin:index")))
    return {
        "nav_items": items,
        "inbox_link": inbox_link,
        "nav_memberships": memberships,
        "acting_membership": acting_membership(user=user, session=request.session)
        if memberships
        else None,
        "can_read_audit_log": permissions.can_read_audit_log(user),
    }
