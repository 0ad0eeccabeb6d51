"""A forum's iCalendar feed (issue 5, point 2): valid RFC 5545 text for a current
member's token, cancelled meetings marked, no personal data, one audit entry per
fetch, and 404 alike for an unknown forum, a wrong token and a left member."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from meetings import forums, services
from meetings.calendar import calendar_text, escape_text, fold
from meetings.models import ForumMember, MeetingStatus


def feed_url(forum, token: str) -> str:
    return reverse("meetings:calendar", args=[forum.pk, token])


def member(forum, **filters) -> ForumMember:
    return forum.members.get(left_on__isnull=True, **filters)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


@pytest.fixture
def feed(ssp_forum, world):
    token = member(ssp_forum.forum, agency=world.social_ishoej).calendar_token
    response = Client().get(feed_url(ssp_forum.forum, token))
    assert response.status_code == 200
    return response


def test_a_member_s_token_gives_a_valid_calendar_without_a_login(ssp_forum, feed):
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    text = feed.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    for raw in text.split("\r\n"):
        assert len(raw.encode()) <= 75
    lines = unfold(text)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    meetings = list(ssp_forum.forum.meetings.all())
    assert lines.count("BEGIN:VEVENT") == len(meetings)
    first = meetings[0]
    assert f"UID:{first.pk}@tvaers" in lines
    start = first.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert "SUMMARY:SSP Ishøj" in lines
    assert "LOCATION:Ishøj Rådhus\\, mødelokale 2" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert any(
        line.startswith("URL:http") and line.endswith(f"/meetings/{first.pk}/")
        for line in lines
    )


def test_the_feed_holds_no_personal_data(ssp_forum, personas, feed):
    text = feed.content.decode()
    for private in (
        ssp_forum.person.given_name,
        ssp_forum.person.family_name,
        ssp_forum.item.title,
        personas.ssp.username,
        personas.police.username,
    ):
        assert private not in text


def test_a_cancelled_meeting_is_marked_cancelled(ssp_forum, personas, world):
    meeting = ssp_forum.meeting
    services.meeting_cancel(actor=personas.ssp, meeting=meeting, reason="Ferie")
    token = member(ssp_forum.forum, user=personas.police).calendar_token
    lines = unfold(Client().get(feed_url(ssp_forum.forum, token)).content.decode())
    event = lines[lines.index(f"UID:{meeting.pk}@tvaers") :]
    event = event[: event.index("END:VEVENT")]
    assert "STATUS:CANCELLED" in event
    assert "Ferie" not in "".join(lines)
    assert lines.count("STATUS:CONFIRMED") == (
        ssp_forum.forum.meetings.exclude(status=MeetingStatus.CANCELLED).count()
    )


def test_each_fetch_is_audited_without_subjects(ssp_forum, personas):
    police = member(ssp_forum.forum, user=personas.police)
    Client().get(feed_url(ssp_forum.forum, police.calendar_token))
    entry = AuditEntry.objects.filter(criterion__startswith="calendar feed").get()
    assert entry.action == Action.VIEW
    assert entry.user == personas.police
    assert entry.object_id == str(ssp_forum.forum.pk)
    assert not entry.subjects.exists()


def test_an_agency_member_s_fetch_is_audited_anonymously(ssp_forum, world, feed):
    entry = AuditEntry.objects.filter(criterion__startswith="calendar feed").get()
    assert entry.user is None
    assert str(member(ssp_forum.forum, agency=world.social_ishoej).pk) in (
        entry.criterion
    )


def test_a_member_who_left_loses_the_feed(ssp_forum, personas):
    police = member(ssp_forum.forum, user=personas.police)
    url = feed_url(ssp_forum.forum, police.calendar_token)
    assert Client().get(url).status_code == 200
    forums.forum_member_leave(
        actor=personas.ssp, member=police, left_on=timezone.localdate()
    )
    assert Client().get(url).status_code == 404


def test_unknown_forum_and_wrong_token_get_the_same_404(ssp_forum, world):
    token = member(ssp_forum.forum, agency=world.social_ishoej).calendar_token
    wrong_token = Client().get(feed_url(ssp_forum.forum, "x" * 32))
    wrong_forum = Client().get(reverse("meetings:calendar", args=[uuid.uuid4(), token]))
    assert wrong_token.status_code == wrong_forum.status_code == 404
    assert b"SSP Ish" not in wrong_token.content
    assert not AuditEntry.objects.filter(criterion__startswith="calendar").exists()


def test_another_forum_s_token_does_not_open_this_forum(
    ssp_forum, personas, world, ssp_kind
):
    other = forums.forum_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        kind=ssp_kind,
        name="Andet forum",
        municipalities=[world.ishoej],
        chair=personas.ssp,
        first_meeting_at=ssp_forum.meeting.starts_at + timedelta(hours=3),
    )
    token = member(other, agency=world.ssp_ishoej, user__isnull=True).calendar_token
    assert Client().get(feed_url(ssp_forum.forum, token)).status_code == 404


def test_the_feed_answers_get_only(ssp_forum, world):
    token = member(ssp_forum.forum, agency=world.social_ishoej).calendar_token
    assert Client().post(feed_url(ssp_forum.forum, token)).status_code == 405


def test_text_is_escaped_and_long_lines_fold_between_characters():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "æøå" * 40
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_an_empty_forum_is_still_a_calendar(ssp_forum):
    text = calendar_text(forum=ssp_forum.forum, meetings=[], url_of=str)
    assert unfold(text)[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert "BEGIN:VEVENT" not in text
