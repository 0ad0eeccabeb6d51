"""Two-factor devices and API tokens."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from audit.models import Action
from audit.services import audit_record


def totp_device_for_setup(*, user) -> TOTPDevice:
    """The user's unconfirmed device, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Tværs", confirmed=False)
    return device


def _confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def totp_confirmed_device(*, user) -> TOTPDevice | None:
    """The user's first confirmed device (the oldest): whether the user has one."""
    return _confirmed_devices(user).first()


def totp_match(*, user, token: str) -> TOTPDevice | None:
    """The confirmed device whose current code `token` is, or None. A user may hold
    more than one (an administrator can add a second in the admin): a code from
    any of them counts, whichever was added first."""
    for device in _confirmed_devices(user):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        audit_record(user=device.user, action=Action.LOGIN_FAILED, criterion="totp")
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def api_token_rotate(*, user) -> Token:
    """Replace the user's API token; the key is shown to the user once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user) -> None:
    Token.objects.filter(user=user).delete()
