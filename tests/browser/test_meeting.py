"""In the browser: the demo SSP coordinator imports the police list of
docs/demo/politiliste-ishoej.csv for the demo SSP forum's next meeting (a dry run
first, then the same file again), confirms a proposed new person, builds and sends
the agenda, runs the meeting (the item's panel through htmx: a decision and an
action item for a participating agency due in a week), ends it and downloads the
minutes as PDF (issue 5, point 9). No serious accessibility violations.

The forum decides under §115 stk. 1 nr. 1 (R-115-1); the minutes are an audited
export that needs a recent sign-in (R-115-9, STYLE.md §4).

Elements are found by id and URL rather than by their wording: the page is in
Danish and its new texts may not be translated yet."""

from __future__ import annotations

import io
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import Action, AuditEntry
from cases.models import Person
from meetings.agenda import outside_age_group
from meetings.models import (
    ActionItem,
    Forum,
    Meeting,
    MeetingStatus,
    PoliceList,
    PoliceListRow,
    RowFate,
)
from organisations.demo import DEMO_PASSWORD, agency_of
from organisations.models import AgencyKind, User
from tests.browser.conftest import log_in, serious_violations

POLICE_LIST = Path(settings.BASE_DIR) / "docs" / "demo" / "politiliste-ishoej.csv"
DECISION = "Skolen og SSP inviterer Sara og forældrene til en samtale om fritiden."
ACTION = "Tilbyd Sara en plads i klubbens aftenhold."


def _catalogues() -> None:
    """The catalogues the migrations put in (forum kinds, factors, the family
    assessment's domains and factors, conversation methods and measure types), back
    after an earlier transactional test flushed them; the demo needs them."""
    from django.apps import apps

    for app, migration in [
        ("meetings", "0003_forum_kinds"),
        ("cases", "0006_factor_catalogue"),
        ("families", "0003_assessment_catalogue"),
    ]:  # all idempotent
        import_module(f"{app}.migrations.{migration}").seed(apps, None)
    if not apps.get_model("conversations", "MeasureType").objects.exists():
        import_module("conversations.migrations.0002_catalogues").seed(apps, None)


def _seed_demo(settings) -> None:
    """The demo world, as `manage.py seed_demo` makes it (it runs only with DEBUG
    on, which the live server does not need)."""
    _catalogues()
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def _submit(page, action_url: str) -> None:
    page.locator(f"form[action='{action_url}'] button[type=submit]").click()
    page.wait_for_load_state()


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ssp_coordinator_imports_a_police_list_and_runs_the_meeting(
    live_server, settings, browser_page
):
    from playwright.sync_api import expect

    page = browser_page
    _seed_demo(settings)
    coordinator = User.objects.get(username="ssp")
    forum = Forum.objects.get(
        name="SSP Ishøj", agency=agency_of(AgencyKind.SSP_UNIT, "Ishøj")
    )
    police = agency_of(AgencyKind.POLICE, None)
    social = agency_of(AgencyKind.CHILDREN_FAMILY, "Ishøj")
    meeting = (
        forum.meetings.filter(status=MeetingStatus.PLANNED)
        .order_by("starts_at")
        .first()
    )
    sara = Person.objects.get(given_name="Sara", family_name="Eksempel")
    log_in(page, live_server, coordinator, password=DEMO_PASSWORD)

    # The forum page offers the import.
    forum_url = reverse("meetings:forum", args=[forum.pk])
    import_url = reverse("meetings:list_import", args=[forum.pk])
    page.goto(f"{live_server.url}{forum_url}")
    assert serious_violations(page) == []
    page.locator(f"a[href='{import_url}']").click()
    page.wait_for_url(f"**{import_url}")
    assert serious_violations(page) == []

    # Dry run: every row's fate, nothing saved.
    page.locator("#id_meeting").select_option(str(meeting.pk))
    page.locator("#id_police_agency").select_option(str(police.pk))
    page.locator("#id_file").set_input_files(POLICE_LIST)
    page.locator("button[name=action][value=check]").click()
    page.wait_for_load_state()
    report = page.locator("table.import-report tbody tr")
    expect(report).to_have_count(9)
    assert page.locator("tr.fate-rejected").count() == 1
    assert page.locator("tr.fate-matched").count() == 1
    assert page.locator("tr.fate-proposed").count() == 7
    assert "Sara Eksempel" in page.locator("tr.fate-matched").inner_text()
    # The rejected row says which field is wrong.
    assert page.locator("tr.fate-rejected li[data-field]").count() >= 1
    assert not PoliceList.objects.exists()
    assert serious_violations(page) == []

    # Import: the user chooses the same file again (it is not kept in between).
    page.locator("#id_file").set_input_files(POLICE_LIST)
    page.locator("button[name=action][value=import]").click()
    page.wait_for_load_state()
    police_list = PoliceList.objects.get(forum=forum)
    assert police_list.meeting == meeting
    assert police_list.police_agency == police
    assert police_list.rejected_rows == 1
    assert police_list.rows.count() == 8  # the rejected row is not kept
    assert police_list.rows.get(fate=RowFate.MATCHED).person == sara
    assert police_list.rows.filter(fate=RowFate.PROPOSED).count() == 7
    assert page.locator("button[name=action][value=import]").count() == 0

    # On the list page, confirm one proposed person (htmx swaps the row).
    list_url = reverse("meetings:list", args=[police_list.pk])
    page.locator(f"a[href='{list_url}']").click()
    page.wait_for_url(f"**{list_url}")
    assert serious_violations(page) == []
    testa = police_list.rows.get(given_name="Testa")
    page.locator(
        f"form[action='{reverse('meetings:row_decide', args=[testa.pk, 'confirm'])}']"
        " button[type=submit]"
    ).click()
    expect(page.locator(f"#row-{testa.pk}")).to_have_class("fate-confirmed")
    testa.refresh_from_db()
    assert testa.fate == RowFate.CONFIRMED
    assert testa.person is not None

    # The meeting: build the agenda; both imported persons are on it.
    meeting_url = reverse("meetings:meeting", args=[meeting.pk])
    page.goto(f"{live_server.url}{meeting_url}")
    _submit(page, reverse("meetings:agenda_build", args=[meeting.pk]))
    # The import put the matched row on the agenda; the build adds the confirmed.
    sara_item = police_list.rows.get(fate=RowFate.MATCHED).item
    testa_item = PoliceListRow.objects.get(pk=testa.pk).item
    assert sara_item.person == sara
    assert sara_item.meeting == testa_item.meeting == meeting
    assert testa_item.person == testa.person
    assert not sara_item.removed and not testa_item.removed
    expect(page.locator(f"#agenda-item-{sara_item.pk}")).to_contain_text("Sara")
    expect(page.locator(f"#agenda-item-{testa_item.pk}")).to_contain_text("Testa")
    # Checked with the page's confirmation message showing.
    assert serious_violations(page) == []

    # An item about someone outside the target age group (the demo has one) is
    # sent only with the reason why the forum discusses them (R-115-9).
    outside = [
        i
        for i in meeting.items.filter(removed=False).select_related("person")
        if outside_age_group(i)
    ]
    for item in outside:
        page.locator(f"#id_item{item.pk}_age_override_reason").fill(
            "Den unge er netop fyldt 18 og var på listen inden."
        )
        _submit(page, reverse("meetings:item_edit", args=[item.pk]))
        item.refresh_from_db()
        assert item.age_override_reason

    # Send the agenda, then start the meeting.
    _submit(page, reverse("meetings:agenda_send", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_SENT, page.locator(
        ".error-summary"
    ).all_inner_texts()
    _submit(page, reverse("meetings:start", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS

    # Sara's item in the panel, through htmx, without reloading the page.
    page.evaluate("window.notReloaded = true")
    item_url = reverse("meetings:item", args=[sara_item.pk])
    page.locator(f"a[hx-get='{item_url}']").click()
    panel = page.locator("#item-panel")
    # Only the fragment htmx fetches focuses its heading.
    expect(panel.locator("#item-panel-heading[autofocus]")).to_contain_text("Sara")
    page.locator("#id_decision-decision").fill(DECISION)
    decision_url = reverse("meetings:item_decision", args=[sara_item.pk])
    panel.locator(f"form[action='{decision_url}'] button[type=submit]").click()
    expect(panel).to_contain_text(DECISION)

    # An action item for children and family services, due in a week.
    due_on = timezone.localdate() + timedelta(days=7)
    panel.locator(f"#actions-{sara_item.pk} summary").click()
    page.locator("#id_action-description").fill(ACTION)
    page.locator("#id_action-responsible_agency").select_option(str(social.pk))
    page.locator("#id_action-due_on").fill(f"{due_on:%Y-%m-%d}")
    actions_url = reverse("meetings:item_actions", args=[sara_item.pk])
    page.locator(f"form[action='{actions_url}'] button[type=submit]").click()
    expect(page.locator(f"#actions-{sara_item.pk} table")).to_contain_text(ACTION)
    assert page.evaluate("window.notReloaded") is True
    assert serious_violations(page) == []

    sara_item.refresh_from_db()
    assert sara_item.decision == DECISION
    action = ActionItem.objects.get(item=sara_item)
    assert (action.description, action.responsible_agency, action.due_on) == (
        ACTION,
        social,
        due_on,
    )

    # End the meeting; the minutes section offers the PDF.
    _submit(page, reverse("meetings:end", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert serious_violations(page) == []
    minutes_url = reverse("meetings:minutes", args=[meeting.pk])
    with page.expect_download() as download_info:
        page.locator(f"a[href='{minutes_url}']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = _pdf_text(Path(download.path()).read_bytes())
    assert DECISION in text
    assert ACTION in text
    assert AuditEntry.objects.filter(
        user=coordinator,
        action=Action.EXPORT,
        object_type="meetings.meeting",
        object_id=str(meeting.pk),
    ).exists()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
