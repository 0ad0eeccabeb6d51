"""The load test's users: real volume users by role, with a known password and a
confirmed TOTP device, written to a JSON file that the locustfile reads.

The users are chosen as benchmarks/scenarios.py chooses its own: volume users
(`volume.…`) of the role, in username order, here only those whose agency has
something to show (person grants; for social workers, open measures on the
worklist), so that every page the workload asks for has rows. The data set is
fictitious: this sets the password of those users, never run it on real data.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import PersonGroupObjectPermission
from conversations.models import Measure
from organisations.models import Membership, Role

from ..volume import USERNAME_PREFIX

DEVICE_NAME = "load test"
# The locustfile's user classes and the role whose members each logs in as.
ROLES = {
    "ssp": Role.SSP_COORDINATOR,
    "police": Role.POLICE_LIAISON,
    "social": Role.SOCIAL_WORKER,
}


def _members(role: str, limit: int) -> list:
    memberships = Membership.objects.filter(
        role=role, user__username__startswith=USERNAME_PREFIX, user__is_active=True
    ).annotate(
        sees=Exists(
            PersonGroupObjectPermission.objects.filter(
                group_id=OuterRef("agency__group_id")
            )
        )
    )
    memberships = memberships.filter(sees=True)
    if role == Role.SOCIAL_WORKER:
        memberships = memberships.filter(
            Exists(
                Measure.objects.filter(
                    responsible_agency=OuterRef("agency"),
                    status__in=["agreed", "in_progress"],
                )
            )
        )
    users, seen = [], set()
    for membership in memberships.select_related("user").order_by("user__username"):
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            users.append(membership.user)
        if len(users) >= limit:
            break
    return users


@transaction.atomic
def load_users_prepare(*, password: str, per_role: int) -> dict:
    """Up to `per_role` users of each role: set `password` for them, give each a
    fresh confirmed TOTP device (so no code of an earlier run counts as replayed),
    and return what the locustfile needs: username and device parameters per role
    (not the password: the runner hands it to locust in the environment)."""
    hashed = make_password(password)  # one hash for all: PBKDF2 is slow on purpose
    result: dict[str, list[dict]] = {}
    for key, role in ROLES.items():
        users = _members(role, per_role)
        if not users:
            raise LookupError(f"No volume user with role {role}: run seed_volume.")
        rows = []
        for user in users:
            user.password = hashed
            user.save(update_fields=["password"])
            # Every device of these fictitious users: the login checks the user's
            # first confirmed device, which for the page benchmark's users was its
            # own (benchmarks.scenarios.verified_client), so their codes failed.
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(
                user=user,
                name=DEVICE_NAME,
                confirmed=True,
                key=secrets.token_hex(20),
            )
            rows.append(
                {
                    "username": user.username,
                    "key": device.key,
                    "step": device.step,
                    "t0": device.t0,
                    "digits": device.digits,
                }
            )
        result[key] = rows
    return {"users": result}
