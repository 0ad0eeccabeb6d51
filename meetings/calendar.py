"""A forum's meetings as an iCalendar feed (RFC 5545) for its members' calendars
(issue 5, point 2).

A calendar program cannot sign in, so the feed is reached by a secret: the
`calendar_token` of a current member of the forum. A member who leaves loses its
feed with the forum (the token of a left member finds nothing). The feed holds no
personal data: the forum's name, the times, the place, whether a meeting is
cancelled, and the address of the meeting page, where the reader signs in as
usual. No agenda, no participant, no chair.

Written by hand (no dependency): text values escaped (RFC 5545 §3.3.11), lines
folded at 75 octets without splitting a UTF-8 character (§3.1), CRLF line ends,
times in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import Action
from audit.services import audit_record_read

from .models import Forum, ForumMember, Meeting, MeetingStatus

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//Tvaers//Moeder//DA"
# How far back the feed reaches: recent meetings stay in the calendar, older ones
# are in Tværs.
PAST_DAYS = 92


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets; each continuation
    starts with a space (which counts). A multi-octet character is never split."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [" "], 1, LINE_OCTETS
        current.append(char)
        size += octets
    parts.append("".join(current))
    return CRLF.join(parts)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _status(meeting: Meeting) -> str:
    return "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"


def calendar_text(
    *,
    forum: Forum,
    meetings: Iterable[Meeting],
    url_of: Callable[[Meeting], str],
    now: datetime | None = None,
) -> str:
    """The VCALENDAR of `meetings`, one VEVENT each. `url_of` gives the absolute
    address of a meeting's page."""
    stamp = utc_stamp(now or timezone.now())
    name = escape_text(forum.name)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{name}",
    ]
    for meeting in meetings:
        place = meeting.place or forum.place
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting.pk}@tvaers",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{utc_stamp(meeting.updated_at)}",
            f"DTSTART:{utc_stamp(meeting.starts_at)}",
            f"DTEND:{utc_stamp(meeting.ends_at)}",
            f"SUMMARY:{name}",
            *([f"LOCATION:{escape_text(place)}"] if place else []),
            f"STATUS:{_status(meeting)}",
            f"URL:{url_of(meeting)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def member_by_token(*, forum_pk, token: str) -> ForumMember | None:
    """The current member of the forum whose calendar token this is, or None
    (an unknown forum, a wrong token and a left member's token alike)."""
    if not token:
        return None
    return (
        ForumMember.objects.filter(
            forum_id=forum_pk, calendar_token=token, left_on__isnull=True
        )
        .select_related("forum", "user")
        .first()
    )


def feed_meetings(*, forum: Forum, now: datetime | None = None) -> QuerySet[Meeting]:
    since = (now or timezone.now()) - timedelta(days=PAST_DAYS)
    return Meeting.objects.filter(forum=forum, starts_at__gte=since).order_by(
        "starts_at"
    )


def audit_feed_read(*, member: ForumMember) -> None:
    """One entry per fetch, without subjects (the feed names no one): by the
    member's user when it is a named person, else anonymous, with the member in
    the criterion so the fetch can be traced to the token used."""
    audit_record_read(
        user=member.user,
        action=Action.VIEW,
        obj=member.forum,
        subjects=[],
        criterion=f"calendar feed, member {member.pk}",
    )
