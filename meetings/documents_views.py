"""Documents of §115/SSP meetings: the minutes as PDF (per reader) and a forum's
iCalendar feed for its members' calendars (issue 5, points 2 and 6)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from access.permissions import EXPORT
from access.purposes import purpose_check
from accounts.fresh import fresh_authentication_required
from audit import context as audit_context
from audit.services import audit_record_refusal

from . import calendar, selectors
from .agenda import meeting_url
from .minutes import minutes_filename, minutes_render_pdf


def _refused(request, meeting, errors: list[str], status: int) -> HttpResponse:
    return render(
        request,
        "meetings/minutes_refused.html",
        {"meeting": meeting, "errors": errors},
        status=status,
    )


@require_GET
@fresh_authentication_required
def minutes_pdf(request, pk):
    """The minutes as the signed-in user may see them (issue 5, point 6).

    404 for anyone not taking part in the meeting; 400 (audited as a refusal) for
    a declared purpose of investigation (R-115-3); 409 with the reason before the
    meeting is held. An export of names: it needs a recent sign-in
    (accounts.fresh), like the conversation letter, and is audited as an export.
    """
    meeting = selectors.meeting_for(user=request.user, pk=pk, action=EXPORT)
    try:
        purpose = purpose_check(request.GET.get("purpose"))
    except ValidationError as exc:
        audit_record_refusal(
            user=request.user,
            obj=meeting,
            subjects=[],
            criterion=f"minutes purpose: {request.GET.get('purpose', '')[:40]}",
        )
        return _refused(request, meeting, exc.messages, status=400)
    audit_context.current().purpose = purpose
    try:
        content = minutes_render_pdf(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        return _refused(request, meeting, exc.messages, status=409)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{minutes_filename(meeting)}"'
    )
    # The minutes name young people: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store, private"
    return response


@login_not_required
@require_GET
def calendar_feed(request, pk, token):
    """A forum's meetings for a member's calendar program, which cannot sign in:
    the secret is the member's calendar token. 404 alike for an unknown forum, a
    wrong token and a token of a member who has left. No personal data."""
    member = calendar.member_by_token(forum_pk=pk, token=token)
    if member is None:
        raise Http404
    forum = member.forum
    calendar.audit_feed_read(member=member)
    text = calendar.calendar_text(
        forum=forum,
        meetings=calendar.feed_meetings(forum=forum),
        url_of=lambda meeting: request.build_absolute_uri(meeting_url(meeting)),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tvaers-moeder.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
