"""In the browser: the police liaison requests a concern conversation from the
young person's page, plans it, invites the mother from the family record through
the htmx participants fragment (no page reload), records it as held with the
method's example questions beside the notes, and finds the follow-up due on the
dashboard (issue 4, points 1, 5 and 8). No serious accessibility violations.

Elements are found by id and URL rather than by their wording: the page is in
Danish and its new texts may not be translated yet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from conversations.models import ConcernConversation, Method, MethodQuestion, Status
from tests.browser.conftest import log_in, serious_violations
from tests.conversations.conftest import youth  # noqa: F401 - the fixture


def _method_with_a_mapping_question() -> tuple[Method, str]:
    """A method of the catalogue with a question for the mapping phase (the seed's,
    unless an earlier transactional test flushed it)."""
    question = (
        MethodQuestion.objects.filter(method__active=True, phase="mapping")
        .select_related("method")
        .first()
    )
    if question is None:
        method = Method.objects.create(
            name_da="Bekymringssamtale (grundform)",
            name_en="Concern conversation (basic form)",
        )
        question = MethodQuestion.objects.create(
            method=method,
            phase="mapping",
            text_da="Hvordan oplever du de andre i klassen?",
            text_en="How do you experience the others in your class?",
        )
    return question.method, question.text_da


def _submit(page, action_suffix: str) -> None:
    page.locator(f"form[action$='{action_suffix}'] button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_police_requests_plans_and_holds_a_concern_conversation(
    live_server,
    personas,
    youth,  # noqa: F811 - the fixture imported above
    browser_page,
):
    from playwright.sync_api import expect

    page = browser_page
    method, question = _method_with_a_mapping_question()
    today = timezone.localdate()
    follow_up_on = today + timedelta(days=7)
    log_in(page, live_server, personas.police)

    # The young person's page offers the request.
    page.goto(
        f"{live_server.url}{reverse('cases:person_detail', args=[youth.person.pk])}"
    )
    request_url = reverse("conversations:request", args=[youth.person.pk])
    page.locator(f"a[href='{request_url}']").click()
    page.wait_for_url(f"**{request_url}")
    assert serious_violations(page) == []
    page.locator("#id_kind").select_option("general")
    page.locator("#id_source").select_option("ssp_meeting")
    page.locator("#id_requested_by").fill("SSP-mødet i Ishøj")
    page.locator("#id_reason").fill("Meget fravær og sene aftener på gaden.")
    _submit(page, request_url)
    conversation = ConcernConversation.objects.get()
    detail_url = reverse("conversations:detail", args=[conversation.pk])
    page.wait_for_url(f"**{detail_url}")

    # Plan it: today, at the police station.
    page.locator("#id_planned_at").fill(f"{today:%Y-%m-%d}T08:00")
    page.locator("#id_place").fill("Ishøj Politistation")
    _submit(page, "/plan/")
    assert "Ishøj Politistation" in page.locator("main").inner_text()
    assert serious_violations(page) == []

    # Invite the mother from the family record, through the fragment.
    page.evaluate("window.notReloaded = true")
    participants = page.locator("#participants")
    participants.locator("summary").click()
    page.locator("#id_participant-role").select_option("guardian")
    page.locator("#id_participant-guardian").select_option(label="Mona Samtalesen")
    participants.locator("button[type=submit]").last.click()
    expect(participants).to_contain_text("Mona Samtalesen")
    assert page.evaluate("window.notReloaded") is True
    # The hold form's "who attended" now offers her too, ticked.
    assert (
        page.locator("#attended")
        .get_by_label("Mona Samtalesen", exact=False)
        .is_checked()
    )
    assert serious_violations(page) == []

    # Hold it: the method's example questions stand beside the notes.
    page.locator("#id_method").select_option(str(method.pk))
    # Offered for every method in folded <details> at first; the chosen
    # method's questions are swapped in by htmx and shown unfolded.
    expect(page.locator("#prompts-mapping").get_by_text(question)).to_be_visible()
    assert page.locator("#prompts-mapping details").count() == 0
    page.locator("#id_held_on").fill(f"{today:%Y-%m-%d}")
    page.locator("#id_mapping_note").fill("Skolefravær, ældre venner.")
    page.locator("#id_accountability_note").fill("Konsekvenserne gjort klart.")
    page.locator("#id_measures_note").fill("Fritidsjob og mentor.")
    page.locator("#id_follow_up_on").fill(f"{follow_up_on:%Y-%m-%d}")
    assert serious_violations(page) == []
    _submit(page, "/hold/")

    conversation.refresh_from_db()
    assert conversation.status == Status.HELD
    assert conversation.follow_up_on == follow_up_on
    assert conversation.participants.get(person=youth.mother).attended is True
    with_date = page.locator("main").inner_text()
    # The page is Danish whatever language this test thread last used.
    with translation.override("da"):
        assert date_format(follow_up_on, "DATE_FORMAT") in with_date

    # On the dashboard: follow-up due within 14 days.
    page.goto(f"{live_server.url}{reverse('conversations:dashboard')}")
    due = page.locator("section[aria-labelledby='section-due']")
    assert "Sami Samtalesen" in due.inner_text()
    assert serious_violations(page) == []
