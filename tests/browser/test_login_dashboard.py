"""Headless Chromium (Debian's, driven by Playwright) logs in with password and a
real TOTP code, sees the dashboard, and axe-core finds no serious accessibility
violation on either page (foundation issue, points 3, 8 and 9)."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import serious_violations as _serious_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_with_two_factor_reaches_the_dashboard(
    live_server, personas, browser_page
):
    device = TOTPDevice.objects.create(user=personas.ssp, name="phone", confirmed=True)
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "Log ind i Tværs"
    assert _serious_violations(page) == []

    page.get_by_label("Brugernavn").fill("ssp")
    page.get_by_label("Adgangskode").fill("x-Secret-pass-1")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/login/code/")

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Kode fra din godkendelsesapp").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url(f"{live_server.url}/")

    assert page.locator("h1").inner_text() == "Overblik"
    assert page.get_by_role("heading", name="Unge").is_visible()
    assert _serious_violations(page) == []

    # A form answered with errors is accessible too: summary, labels, messages.
    page.goto(f"{live_server.url}/persons/new/")
    page.get_by_role("button", name="Gem").click()
    assert page.get_by_role("alert").is_visible()
    assert "Dette felt er påkrævet." in page.locator(".field-errors").first.inner_text()
    assert _serious_violations(page) == []

    # The keyboard reaches the main navigation from the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
