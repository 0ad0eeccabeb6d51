"""Keep agency groups in step with memberships, whichever path changed them
(the admin's inline forms, seed_demo, a service)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership
from .selectors import forget_memberships
from .services import membership_sync_groups


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    forget_memberships(user=instance.user)
    membership_sync_groups(user=instance.user)
