"""Sensitive operations ask for fresh authentication (STYLE.md §4; issue 3): revealing
a CPR number needs a sign-in within FRESH_AUTH_MAX_AGE, in the browser and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.fresh import FRESH_AUTH_AT
from audit.models import Action, AuditEntry

from .test_login import PASSWORD, totp_token


@pytest.fixture
def with_cpr(record_in_ishoej):
    return record_in_ishoej(
        given_name="Frida", family_name="Friskesen", cpr="150310-4234"
    )


def _stale(client, minutes: int = 11):
    session = client.session
    session[FRESH_AUTH_AT] = (timezone.now() - timedelta(minutes=minutes)).timestamp()
    session.save()


def test_a_stale_session_is_asked_to_confirm_before_a_reveal(
    with_cpr, personas, client_for
):
    client = client_for(personas.ssp)
    _stale(client)
    page = reverse("cases:person_detail", args=[with_cpr.pk])
    response = client.post(
        reverse("cases:person_reveal_cpr", args=[with_cpr.pk]),
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert "4234" not in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


def test_htmx_is_sent_to_the_confirmation_page(with_cpr, personas, client_for):
    client = client_for(personas.ssp)
    _stale(client)
    response = client.post(
        reverse("cases:person_reveal_cpr", args=[with_cpr.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:reauthenticate"))


def test_confirming_makes_the_session_fresh_again(with_cpr, personas, client_for):
    client = client_for(personas.ssp)
    device = TOTPDevice.objects.get(user=personas.ssp)
    _stale(client)
    page = reverse("cases:person_detail", args=[with_cpr.pk])
    url = reverse("accounts:reauthenticate")
    wrong = client.post(url, {"password": "nope", "token": "000000", "next": page})
    assert wrong.status_code == 400
    assert AuditEntry.objects.filter(
        action=Action.LOGIN_FAILED, criterion="reauthenticate"
    ).exists()
    # A wrong code throttles the device (django-otp); the next try waits it out.
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(
        url, {"password": PASSWORD, "token": totp_token(device), "next": page}
    )
    assert right.status_code == 302 and right.url == page
    revealed = client.post(reverse("cases:person_reveal_cpr", args=[with_cpr.pk]))
    assert revealed.status_code == 200
    assert "150310-4234" in revealed.content.decode()


def test_the_password_alone_is_not_enough_with_a_device(personas, client_for):
    client = client_for(personas.ssp)
    _stale(client)
    response = client.post(
        reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 400
    assert "token" in response.context["form"].errors


def test_the_api_refuses_a_stale_session_with_a_reason(with_cpr, personas, client_for):
    client = client_for(personas.ssp)
    _stale(client)
    response = client.post(f"/api/v1/persons/{with_cpr.pk}/reveal-cpr/")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("This needs fresh authentication") or (
        "X-Tvaers-OTP" in response.json()["detail"]
    )
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


def test_a_token_client_proves_it_with_the_current_code(with_cpr, personas):
    device = TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    token = Token.objects.create(user=personas.ssp)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = f"/api/v1/persons/{with_cpr.pk}/reveal-cpr/"
    assert api.post(url).status_code == 403
    response = api.post(url, HTTP_X_TVAERS_OTP=totp_token(device))
    assert response.status_code == 200
    assert response.json() == {"cpr": "150310-4234"}


def test_a_code_from_a_second_device_confirms_too(with_cpr, personas, client_for):
    """Reauthentication accepts a code from any of the user's confirmed devices, as
    the login does."""
    TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    spare = TOTPDevice.objects.create(user=personas.ssp, name="spare", confirmed=True)
    client = client_for(personas.ssp)
    _stale(client)
    page = reverse("cases:person_detail", args=[with_cpr.pk])
    right = client.post(
        reverse("accounts:reauthenticate"),
        {"password": PASSWORD, "token": totp_token(spare), "next": page},
    )
    assert right.status_code == 302 and right.url == page


def test_a_token_client_may_use_its_second_device(with_cpr, personas):
    TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    spare = TOTPDevice.objects.create(user=personas.ssp, name="spare", confirmed=True)
    token = Token.objects.create(user=personas.ssp)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = f"/api/v1/persons/{with_cpr.pk}/reveal-cpr/"
    response = api.post(url, HTTP_X_TVAERS_OTP=totp_token(spare))
    assert response.status_code == 200
    # django-otp refuses the same code twice (replay).
    assert api.post(url, HTTP_X_TVAERS_OTP=totp_token(spare)).status_code == 403


def test_a_fresh_login_needs_no_confirmation(with_cpr, personas, client):
    device = TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "ssp", "password": PASSWORD})
    client.post(reverse("accounts:otp_verify"), {"token": totp_token(device)})
    response = client.post(reverse("cases:person_reveal_cpr", args=[with_cpr.pk]))
    assert response.status_code == 200
