"""The invitation letter is an export of names: it needs a recent sign-in
(STYLE.md §4, accounts.fresh), on the page and in the API."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.fresh import FRESH_AUTH_AT
from audit.models import Action, AuditEntry
from conversations.models import Status


def _stale(client):
    session = client.session
    session[FRESH_AUTH_AT] = (timezone.now() - timedelta(hours=1)).timestamp()
    session.save()


def test_a_stale_session_confirms_before_the_letter(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.PLANNED)
    client = client_for(personas.police)
    _stale(client)
    page = client.get(reverse("conversations:letter", args=[conversation.pk]))
    assert page.status_code == 302
    assert page.url.startswith(reverse("accounts:reauthenticate"))
    api = client.get(f"/api/v1/conversations/{conversation.pk}/letter/")
    assert api.status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_a_fresh_session_gets_the_letter(make_conversation, personas, client_for):
    conversation = make_conversation(Status.PLANNED)
    client = client_for(personas.police)
    response = client.get(reverse("conversations:letter", args=[conversation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
