"""Sign-in: password, then a TOTP code; sign-out; personal API tokens."""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from audit.models import Action
from audit.services import audit_record

from . import services
from .forms import ReauthenticateForm, TokenForm
from .fresh import mark_fresh


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return settings.LOGIN_REDIRECT_URL


@login_not_required
@require_http_methods(["GET", "POST"])
def login(request):
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        if settings.TVAERS_2FA_REQUIRED:
            return redirect("accounts:otp_verify")
        mark_fresh(request)
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "two_factor_required": settings.TVAERS_2FA_REQUIRED,
            "expired": "expired" in request.GET,
            "next": request.GET.get("next", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if services.totp_confirmed_device(user=request.user) is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.totp_match(
            user=request.user, token=form.cleaned_data["token"]
        )
        if device is not None:
            otp_login(request, device)
            mark_fresh(request)
            return redirect(_next_url(request))
        audit_record(user=request.user, action=Action.LOGIN_FAILED, criterion="totp")
        form.add_error("token", _invalid_code())
    return render(request, "accounts/otp_verify.html", {"form": form})


def _invalid_code() -> str:
    from django.utils.translation import gettext

    return gettext("The code is wrong or has expired. Try the next code.")


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    if services.totp_confirmed_device(user=request.user) is not None:
        return redirect("accounts:otp_verify")
    device = services.totp_device_for_setup(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            mark_fresh(request)
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("token", _invalid_code())
    svg = BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(
        svg
    )
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": svg.getvalue().decode(), "secret": _base32(device)},
    )


def _base32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """Prove again who you are before a sensitive operation (accounts.fresh)."""
    device = services.totp_confirmed_device(user=request.user)
    form = ReauthenticateForm(request.POST or None, user=request.user, device=device)
    if request.method == "POST":
        if form.is_valid():
            mark_fresh(request)
            audit_record(
                user=request.user, action=Action.LOGIN, criterion="reauthenticated"
            )
            return redirect(_next_url(request))
        audit_record(
            user=request.user, action=Action.LOGIN_FAILED, criterion="reauthenticate"
        )
    return render(
        request,
        "accounts/reauthenticate.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@require_POST
def logout(request):
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def api_token(request):
    """A personal API token, issued only inside a session that passed 2FA."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.api_token_revoke(user=request.user)
        else:
            new_key = services.api_token_rotate(user=request.user).key
    has_token = new_key is not None or Token.objects.filter(user=request.user).exists()
    return render(
        request, "accounts/api_token.html", {"new_key": new_key, "has_token": has_token}
    )


@require_POST
def switch_agency(request):
    """Act through another of one's memberships; the audit log records its agency."""
    from organisations.selectors import SESSION_AGENCY_KEY, membership_list

    chosen = request.POST.get("membership", "")
    if any(str(m.pk) == chosen for m in membership_list(user=request.user)):
        request.session[SESSION_AGENCY_KEY] = chosen
    return redirect(_next_url(request))
