"""The idle clock is kept to the minute, so that a page does not write the session
on every request (issue 8: three statements a page) and still logs out on time."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import LAST_SEEN, LAST_SEEN_RESOLUTION


def _session_writes(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in queries)


def test_a_second_request_within_the_minute_writes_no_session(personas, client_for):
    client = client_for(personas.ssp)
    client.get(reverse("core:dashboard"))
    assert _session_writes(client) == 0


def test_the_clock_moves_after_a_minute(personas, client_for):
    client = client_for(personas.ssp)
    client.get(reverse("core:dashboard"))
    session = client.session
    session[LAST_SEEN] -= LAST_SEEN_RESOLUTION + 1
    session.save()
    assert _session_writes(client) == 1
