"""In the browser: register a family with two siblings, make one red, and see the
sibling alert on the other's page (issue 3 points 5 and 10)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, serious_violations


def _add_child(page, given: str) -> None:
    page.get_by_text("Registrér en ny person i familien").click()
    form = page.locator("form[action$='/members/new/']")
    form.get_by_label("Rolle i familien").select_option("child")
    form.get_by_label("Fornavn").fill(given)
    form.get_by_label("Efternavn").fill("Browsersen")
    form.get_by_role("button", name="Tilføj til familien").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_family_with_two_siblings_shows_the_sibling_alert(
    live_server, personas, browser_page
):
    page = browser_page
    log_in(page, live_server, personas.ssp)

    page.get_by_role("link", name="Familier").first.click()
    page.get_by_role("link", name="Registrér en familie").click()
    page.get_by_label("Navn").fill("Familien Browsersen")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Familien Browsersen"

    _add_child(page, "Storebror")
    _add_child(page, "Lillesøster")
    members = page.locator("table").inner_text()
    assert "Storebror Browsersen" in members and "Lillesøster Browsersen" in members
    assert serious_violations(page) == []

    # The older brother's concern level turns red.
    page.get_by_role("link", name="Storebror Browsersen").click()
    page.locator("#id_level").select_option("red")
    page.get_by_label("Hvorfor").fill("Gentagne tyverier i området.")
    page.get_by_role("button", name="Sæt bekymringsniveau").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("heading", name="Opmærksomhed på hele familien").count() == 0
    )

    # His sister's page now asks for attention to the whole family.
    page.get_by_role("link", name="Lillesøster Browsersen").first.click()
    page.wait_for_load_state()
    alert = page.get_by_role("note")
    assert alert.get_by_role(
        "heading", name="Opmærksomhed på hele familien"
    ).is_visible()
    assert "Storebror Browsersen" in alert.inner_text()
    assert "rødt" in alert.inner_text()
    assert serious_violations(page) == []
