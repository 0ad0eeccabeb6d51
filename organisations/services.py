"""Writes on organisations and memberships."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Membership, Role, User


@transaction.atomic
def membership_sync_groups(*, user: User) -> None:
    """Make the user's auth groups mirror the agencies where it holds a case role.

    Object permissions are granted to agency groups, so this is what lets a member
    see the agency's records, and what takes them away when a membership ends. An
    administrator-only membership gives no group: administering is not reading.
    """
    wanted = set(
        Membership.objects.filter(user=user, role__in=Role.case_roles()).values_list(
            "agency__group_id", flat=True
        )
    )
    current = set(user.groups.filter(agency__isnull=False).values_list("pk", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(pk__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(pk__in=current - wanted))
