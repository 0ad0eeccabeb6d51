"""Sign-in, two-factor, lockout, session lifetime and response headers
(foundation issue, point 8)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LAST_SEEN, LOGGED_IN_AT

PASSWORD = "x-Secret-pass-1"


def totp_token(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def test_password_alone_opens_only_the_code_page(personas, client):
    TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    response = client.post(
        reverse("accounts:login"), {"username": "ssp", "password": PASSWORD}
    )
    assert response.url == reverse("accounts:otp_verify")
    assert client.get(reverse("core:dashboard")).url == reverse("accounts:otp_verify")
    assert client.get(reverse("cases:person_list")).status_code == 302
    assert client.get("/api/v1/persons/").status_code == 403


def test_correct_code_opens_the_dashboard(personas, client):
    device = TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "ssp", "password": PASSWORD})
    response = client.post(
        reverse("accounts:otp_verify"), {"token": totp_token(device)}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_wrong_code_is_refused_with_a_message(personas, client):
    TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "ssp", "password": PASSWORD})
    response = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    bad = client.post(reverse("accounts:otp_verify"), {"token": "abcdef"})
    with override("da"):
        assert bad.context["form"].errors["token"] == [
            gettext("The code consists of digits only.")
        ]


@pytest.mark.parametrize("which", ["first", "second"])
def test_a_code_from_any_of_the_users_devices_opens_the_dashboard(
    personas, client, which
):
    """An administrator may give a user a second device: a code from either counts,
    whichever was added first, and a code from neither is refused."""
    first = TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    second = TOTPDevice.objects.create(user=personas.ssp, name="spare", confirmed=True)
    device = first if which == "first" else second
    client.post(reverse("accounts:login"), {"username": "ssp", "password": PASSWORD})
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["token"]
    for each in (first, second):
        each.refresh_from_db()
        each.throttle_reset()  # the wrong code throttled both (django-otp)
    response = client.post(
        reverse("accounts:otp_verify"), {"token": totp_token(device)}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


def test_the_code_page_keeps_its_autofocus_after_a_reauthentication(personas):
    from accounts.forms import ReauthenticateForm, TokenForm

    ReauthenticateForm(user=personas.ssp, device=object())
    assert TokenForm()["token"].field.widget.attrs.get("autofocus") is True


def test_first_login_enrols_a_device(personas, client):
    client.post(reverse("accounts:login"), {"username": "ssp", "password": PASSWORD})
    response = client.get(reverse("accounts:otp_verify"))
    assert response.url == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup"))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=personas.ssp, confirmed=False)
    client.post(reverse("accounts:otp_setup"), {"token": totp_token(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_two_factor_can_be_turned_off(personas, client, settings):
    settings.TVAERS_2FA_REQUIRED = False
    page = client.get(reverse("accounts:login"))
    assert (
        "two_factor_required" in page.context
        and not page.context["two_factor_required"]
    )
    client.post(reverse("accounts:login"), {"username": "ssp", "password": PASSWORD})
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_lockout_after_repeated_failures(personas, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "ssp", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "ssp", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_form_errors_are_in_danish(personas, client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.context["form"].errors["username"]


def test_idle_session_expires(personas, client_for, settings):
    client = client_for(personas.ssp)
    assert client.get(reverse("core:dashboard")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT.total_seconds() - 1
    session.save()
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and "expired=1" in response.url
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_session_ends_after_the_absolute_limit(personas, client_for, settings):
    client = client_for(personas.ssp)
    client.get(reverse("core:dashboard"))
    session = client.session
    session[LOGGED_IN_AT] = (
        time.time() - settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() - 1
    )
    session.save()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_logout_is_post_only(personas, client_for):
    client = client_for(personas.ssp)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_authenticated_responses_are_not_stored_and_carry_a_strict_csp(
    personas, client_for
):
    response = client_for(personas.ssp).get(reverse("core:dashboard"))
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    for directive in (
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_pages_have_no_inline_script(personas, client_for, ishoej_person):
    import re

    client = client_for(personas.ssp)
    for url in (
        reverse("core:dashboard"),
        reverse("cases:person_list"),
        reverse("cases:person_detail", args=[ishoej_person.pk]),
    ):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_session_cookie_flags(settings):
    from config.settings import base

    assert base.SESSION_COOKIE_HTTPONLY and base.CSRF_COOKIE_HTTPONLY
    assert base.SESSION_COOKIE_SAMESITE == "Lax"
    import config.settings.production as production  # noqa: F401 - needs SECRET_KEY set

    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE


# --- Administration -------------------------------------------------------------------


@pytest.mark.parametrize("who,status", [("admin", 200), ("ssp", 302), ("manager", 302)])
def test_admin_is_for_administrators(who, status, personas, client_for):
    assert client_for(getattr(personas, who)).get("/admin/").status_code == status


def test_unverified_administrator_cannot_administer(personas):
    client = Client()
    client.force_login(personas.admin)
    assert client.get("/admin/").status_code == 302


# --- API tokens ----------------------------------------------------------------------


def test_token_is_issued_in_a_verified_session_and_works(
    personas, client_for, ishoej_person
):
    client = client_for(personas.ssp)
    response = client.post(reverse("accounts:api_token"), {"action": "rotate"})
    key = response.context["new_key"]
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/persons/").json()["count"] == 1
    client.post(reverse("accounts:api_token"), {"action": "revoke"})
    assert api.get("/api/v1/persons/").status_code in (401, 403)


def test_switching_agency_changes_the_agency_in_the_log(personas, world, client_for):
    from audit.models import AuditEntry
    from organisations.models import Membership, Role

    second = Membership.objects.create(
        user=personas.ssp, agency=world.social_ishoej, role=Role.SOCIAL_WORKER
    )
    client = client_for(personas.ssp)
    client.post(reverse("accounts:switch_agency"), {"membership": str(second.pk)})
    client.post(reverse("cases:person_list"), {"q": "x"})
    assert AuditEntry.objects.get(action="search").agency == world.social_ishoej
    # Someone else's membership is ignored.
    foreign = personas.police.memberships.get()
    client.post(reverse("accounts:switch_agency"), {"membership": str(foreign.pk)})
    assert client.session["tvaers_agency_id"] == str(second.pk)
