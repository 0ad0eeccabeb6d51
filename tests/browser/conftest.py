"""Headless Chromium (Debian's), driven by Playwright, and axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import require_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page():
    require_service(Path(CHROMIUM).exists(), f"needs Chromium at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # itself makes are plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(locale="da-DK")
        try:
            yield page
        finally:
            browser.close()


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


TEST_PASSWORD = "x-Secret-pass-1"  # noqa: S105 - tests.conftest.make_user's


def log_in(page, live_server, user, password: str = TEST_PASSWORD) -> None:
    """Password and a real TOTP code, as a user does it."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/login/code/")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Kode fra din godkendelsesapp").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url(f"{live_server.url}/")
