"""Forum kinds in the admin (issue 5, point 1): an administrator corrects a kind's
legal bases from the closed list; §115 stk. 5 outside SSP is refused (R-115-6);
forums and members are shown read only; nobody else reaches them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from access.legal import LegalBasis
from meetings.models import ForumKind


def kind_form(kind: ForumKind, **changes) -> dict:
    data = {
        "name_da": kind.name_da,
        "name_en": kind.name_en,
        "cooperation": kind.cooperation,
        "legal_bases": list(kind.legal_bases),
        "age_min": kind.age_min if kind.age_min is not None else "",
        "age_max": kind.age_max if kind.age_max is not None else "",
    }
    data.update(changes)
    return data


def change_url(kind: ForumKind) -> str:
    return reverse("admin:meetings_forumkind_change", args=[kind.pk])


def test_an_administrator_edits_the_legal_bases_of_a_kind(personas, client_for):
    kind = ForumKind.objects.get(code="psp")
    client = client_for(personas.admin)
    page = client.get(change_url(kind))
    assert page.status_code == 200
    assert b'type="checkbox"' in page.content
    bases = [*kind.legal_bases, LegalBasis.RPL115A_RELATIVES_18PLUS]
    response = client.post(change_url(kind), kind_form(kind, legal_bases=bases))
    assert response.status_code == 302, response.context["errors"]
    kind.refresh_from_db()
    assert kind.legal_bases == bases


def test_gang_information_on_a_psp_kind_is_refused(personas, client_for):
    """R-115-6: §115 stk. 5 is police disclosure in the SSP cooperation only."""
    kind = ForumKind.objects.get(code="psp")
    before = list(kind.legal_bases)
    response = client_for(personas.admin).post(
        change_url(kind),
        kind_form(kind, legal_bases=[*before, LegalBasis.RPL115_5_GANG]),
    )
    assert response.status_code == 200
    assert "legal_bases" in response.context["adminform"].form.errors
    kind.refresh_from_db()
    assert kind.legal_bases == before


def test_a_basis_outside_the_closed_list_is_refused(personas, client_for):
    kind = ForumKind.objects.get(code="ssp")
    response = client_for(personas.admin).post(
        change_url(kind), kind_form(kind, legal_bases=["INVESTIGATION"])
    )
    assert response.status_code == 200
    assert "legal_bases" in response.context["adminform"].form.errors


def test_an_upper_age_below_the_lower_is_refused(personas, client_for):
    kind = ForumKind.objects.get(code="ssp_plus")
    response = client_for(personas.admin).post(
        change_url(kind), kind_form(kind, age_min=25, age_max=18)
    )
    assert response.status_code == 200
    assert "age_max" in response.context["adminform"].form.errors


def test_forums_are_shown_read_only_without_calendar_tokens(
    personas, client_for, ssp_forum
):
    client = client_for(personas.admin)
    forum = ssp_forum.forum
    page = client.get(reverse("admin:meetings_forum_change", args=[forum.pk]))
    assert page.status_code == 200
    for member in forum.members.all():
        assert member.calendar_token.encode() not in page.content
    assert client.get(reverse("admin:meetings_forum_add")).status_code == 403
    assert (
        client.get(reverse("admin:meetings_forum_delete", args=[forum.pk])).status_code
        == 403
    )
    listing = client.get(reverse("admin:meetings_forummember_changelist"))
    assert listing.status_code == 200
    for member in forum.members.all():
        assert member.calendar_token.encode() not in listing.content


@pytest.mark.parametrize("who", ["ssp", "manager", "auditor"])
def test_nobody_else_reaches_the_forum_kinds(personas, client_for, who):
    kind = ForumKind.objects.get(code="ssp")
    response = client_for(getattr(personas, who)).get(change_url(kind))
    assert response.status_code == 302
    assert "/login/" in response.url
