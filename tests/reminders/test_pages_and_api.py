"""The notifications page, the header's count and /api/v1/notifications/: a user
sees and marks their own notifications, never anyone else's (404), anonymous
callers are refused, and the queries do not grow with the list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reminders.models import Notification
from reminders.services import reminders_sweep

LIST = reverse("reminders:notification_list")
READ_ALL = reverse("reminders:notification_read_all")


def read_url(notification) -> str:
    return reverse("reminders:notification_read", args=[notification.pk])


def in_english(client: Client) -> Client:
    """Texts checked in English: the Danish catalogue is the translators'."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def delivered(schedule, alice, bob):
    """Two notifications for alice (the second newer) and one for bob."""
    schedule("alice:1", due_in=timedelta(minutes=-2))
    reminders_sweep()
    schedule("alice:2", params={"due_on": "2026-12-24"})
    schedule("bob:1", recipient=bob)
    reminders_sweep()
    return (
        Notification.objects.get(reminder__key="alice:1"),
        Notification.objects.get(reminder__key="alice:2"),
        Notification.objects.get(reminder__key="bob:1"),
    )


# --- The page -------------------------------------------------------------------


def test_the_page_lists_own_notifications_newest_first(delivered, alice, client_for):
    first, second, bobs = delivered
    response = in_english(client_for(alice)).get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [second, first]
    html = response.content.decode()
    assert html.count('<span class="tag">Unread</span>') == 2
    assert 'href="/persons/"' in html
    assert str(bobs.pk) not in html


def test_the_page_words_notifications_in_the_readers_language(
    delivered, alice, client_for
):
    client = client_for(alice)
    danish = client.get(LIST).content.decode()
    assert "forfalder 24. december 2026" in danish
    english = in_english(client).get(LIST).content.decode()
    assert "forfalder Dec. 24, 2026" in english  # the kind's text, the date in English


def test_the_page_is_paginated(schedule, alice, client_for):
    for i in range(30):
        schedule(f"k{i}")
    reminders_sweep()
    client = client_for(alice)
    assert len(client.get(LIST).context["page"].object_list) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5


def test_mark_as_read(delivered, alice, client_for):
    first, second, _ = delivered
    client = client_for(alice)
    response = client.post(read_url(first), {"page": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    # Twice is harmless.
    assert client.post(read_url(first)).status_code == 302


def test_mark_as_read_with_htmx_answers_the_row_and_the_header(
    delivered, alice, client_for
):
    first, *_ = delivered
    client = in_english(client_for(alice))
    response = client.post(read_url(first), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html
    assert "Unread" not in html  # the row, now read
    assert 'hx-swap-oob="true"' in html
    assert ">Notifications (1 unread)</a>" in html
    assert "<html" not in html


def test_mark_all_as_read(delivered, alice, client_for):
    _, _, bobs = delivered
    response = client_for(alice).post(READ_ALL)
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at=None).exists()
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_another_users_notification_is_a_404_and_stays_unread(
    delivered, alice, client_for
):
    _, _, bobs = delivered
    client = client_for(alice)
    assert client.post(read_url(bobs)).status_code == 404
    assert client.post(read_url(bobs), HTTP_HX_REQUEST="true").status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_wrong_methods_are_refused(delivered, alice, client_for):
    first, *_ = delivered
    client = client_for(alice)
    assert client.get(read_url(first)).status_code == 405
    assert client.get(READ_ALL).status_code == 405
    assert client.post(LIST).status_code == 405


def test_anonymous_is_sent_to_the_login(delivered):
    first, *_ = delivered
    for response in (Client().get(LIST), Client().post(read_url(first))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    first.refresh_from_db()
    assert first.read_at is None


# --- The header -----------------------------------------------------------------


def test_the_header_shows_the_unread_count_in_words(delivered, alice, client_for):
    client = in_english(client_for(alice))
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="notifications-link"' in html
    assert ">Notifications (2 unread)</a>" in html
    assert 'aria-label="Notifications, 2 unread"' in html
    client.post(READ_ALL)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert ">Notifications (0 unread)</a>" in html


def test_the_header_count_is_one_query(delivered, alice, client_for):
    client = client_for(alice)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:dashboard"))
    counting = [q for q in queries if "reminders_notification" in q["sql"]]
    assert len(counting) == 1


def test_no_count_before_the_second_factor(delivered, alice, settings):
    settings.TVAERS_2FA_REQUIRED = True
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("accounts:otp_setup"), follow=True)
    assert b"notifications-link" not in response.content


def test_the_page_costs_the_same_queries_for_3_or_30_notifications(
    schedule, alice, client_for
):
    client = client_for(alice)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    for i in range(3):
        schedule(f"a{i}")
    reminders_sweep()
    few = queries_for_page()
    for i in range(27):
        schedule(f"b{i}")
    reminders_sweep()
    assert queries_for_page() == few


# --- The API --------------------------------------------------------------------


def test_the_api_lists_own_notifications_paginated(delivered, alice, client_for):
    first, second, bobs = delivered
    response = client_for(alice).get("/api/v1/notifications/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == [str(second.pk), str(first.pk)]
    assert body["results"][0]["unread"] is True
    assert body["results"][0]["url"] == "/persons/"
    assert set(body["results"][0]) == {
        "id",
        "title",
        "body",
        "url",
        "created_at",
        "read_at",
        "unread",
    }


def test_the_api_marks_read(delivered, alice, client_for):
    first, *_ = delivered
    client = client_for(alice)
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] is False
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_the_api_answers_404_for_another_users_notification(
    delivered, alice, client_for
):
    _, _, bobs = delivered
    response = client_for(alice).post(f"/api/v1/notifications/{bobs.pk}/read/")
    assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_the_api_refuses_anonymous_callers_and_wrong_methods(
    delivered, alice, client_for
):
    first, *_ = delivered
    anonymous = Client()
    assert anonymous.get("/api/v1/notifications/").status_code in (401, 403)
    assert anonymous.post(f"/api/v1/notifications/{first.pk}/read/").status_code in (
        401,
        403,
    )
    client = client_for(alice)
    assert client.get(f"/api/v1/notifications/{first.pk}/read/").status_code == 405
    assert client.delete(f"/api/v1/notifications/{first.pk}/").status_code in (
        404,
        405,
    )


def test_the_api_refuses_a_session_without_the_second_factor(delivered, alice):
    client = Client()
    client.force_login(alice)
    assert client.get("/api/v1/notifications/").status_code == 403


def test_the_api_list_query_count_does_not_grow(schedule, alice, client_for):
    client = client_for(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/notifications/").status_code == 200
        return len(captured)

    schedule("a")
    reminders_sweep()
    one = queries()
    for i in range(20):
        schedule(f"b{i}")
    reminders_sweep()
    assert queries() == one


def test_the_schema_documents_the_endpoints(alice, client_for):
    schema = client_for(alice).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = schema.json()["paths"]
    assert "/api/v1/notifications/" in paths
    assert "/api/v1/notifications/{id}/read/" in paths
    assert "/api/v1/notifications/read-all/" in paths
