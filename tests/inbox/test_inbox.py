"""The inbox, "Mine opgaver" (issue 18, point 2), through one kind (the meetings'
action items): what is mine and my agency's, overdue first, done through the
record's own service, put aside and brought back, new since the last visit,
refused to outsiders, audited, and a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from inbox.models import Snooze
from inbox.selectors import MINE, inbox_context, inbox_counts, inbox_items
from meetings import services
from meetings.models import ActionItem, ActionStatus
from tests.meetings.conftest import running, ssp_forum, ssp_kind  # noqa: F401

INBOX = "/inbox/"
KIND = "meetings.action_item"


@pytest.fixture
def add_action(running, personas, world):  # noqa: F811
    def add(description="Ring til skolen", *, user=None, due_in=7, agency=None):
        return services.action_item_add(
            actor=personas.ssp,
            item=running.item,
            description=description,
            responsible_agency=agency or world.social_ishoej,
            responsible_user=user,
            due_on=timezone.localdate() + timedelta(days=due_in),
        )

    return add


def _items(user, **kwargs):
    return inbox_items(inbox_context(user=user, **kwargs))


def _overdue(action, days=3):
    # Time passes: the due date is now behind us (the service refuses a past date).
    ActionItem.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - timedelta(days=days)
    )


def test_the_responsible_person_and_agency_see_the_action(add_action, personas):
    action = add_action(user=personas.social)
    (item,) = _items(personas.social)
    assert item.kind.key == KIND and item.object_id == action.pk
    assert item.mine and item.text == "Ring til skolen"
    assert item.person_name == "Mødet Dagsordensen"
    assert item.url == reverse("meetings:item", args=[action.item_id])
    assert [i.object_id for i in _items(personas.social, scope=MINE)] == [action.pk]


def test_an_agencys_action_is_not_anyones_own(add_action, personas):
    add_action()
    (item,) = _items(personas.social)
    assert not item.mine
    assert _items(personas.social, scope=MINE) == []
    assert len(_items(personas.social, scope="agency")) == 1


@pytest.mark.parametrize(
    "who", ["ssp_albertslund", "police_other_district", "auditor", "superuser"]
)
def test_others_have_nothing_in_their_inbox(add_action, personas, who):
    add_action(user=personas.social)
    user = getattr(personas, who)
    assert _items(user) == []
    assert inbox_counts(inbox_context(user=user)).total == 0


def test_visible_is_not_assigned(add_action, personas):
    """The coordinator who ran the meeting sees the action item, but it is the
    children & family services' work, not hers."""
    add_action(user=personas.social)
    assert _items(personas.ssp) == []


def test_overdue_first_then_by_due_date(add_action, personas):
    later = add_action("Senere", due_in=20)
    sooner = add_action("Snart", due_in=2)
    late = add_action("For sent", due_in=5)
    _overdue(late)
    items = _items(personas.social)
    assert [i.object_id for i in items] == [late.pk, sooner.pk, later.pk]
    assert [i.overdue for i in items] == [True, False, False]
    counts = inbox_counts(inbox_context(user=personas.social))
    assert (counts.total, counts.overdue) == (3, 1)
    overdue_only = _items(personas.social, overdue=True)
    assert [i.object_id for i in overdue_only] == [late.pk]


def test_done_from_the_inbox_goes_through_the_action_items_service(
    add_action, personas, client_for
):
    action = add_action(user=personas.social)
    client = client_for(personas.social)
    response = client.post(
        reverse("inbox:done"), {"kind": KIND, "object_id": action.pk}, follow=True
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_on == timezone.localdate()
    assert AuditEntry.objects.filter(
        action=Action.CHANGE, object_id=str(action.pk), user=personas.social
    ).exists()
    html = response.content.decode()
    assert 'id="messages"' in html and "udført" in html
    assert _items(personas.social) == []


def test_an_item_that_is_not_in_my_inbox_is_a_404(add_action, personas, client_for):
    action = add_action(user=personas.social)
    for who in ("ssp_albertslund", "ssp"):
        client = client_for(getattr(personas, who))
        for url, data in (
            (reverse("inbox:done"), {"kind": KIND, "object_id": action.pk}),
            (
                reverse("inbox:snooze"),
                {"kind": KIND, "object_id": action.pk, "later": "week"},
            ),
            ("/api/v1/inbox/done/", {"kind": KIND, "object_id": action.pk}),
        ):
            assert client.post(url, data).status_code == 404, (who, url)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert not Snooze.objects.exists()


def test_put_aside_and_brought_back(add_action, personas, client_for):
    action = add_action(user=personas.social)
    client = client_for(personas.social)
    response = client.post(
        reverse("inbox:snooze"),
        {"kind": KIND, "object_id": action.pk, "later": "week"},
    )
    assert response.status_code == 302
    assert _items(personas.social) == []
    (aside,) = _items(personas.social, snoozed=True)
    assert aside.object_id == action.pk
    page = client.get(INBOX).content.decode()
    assert "1 opgave lagt til side" in page
    # A colleague of the same agency still sees it.
    assert Snooze.objects.get().until == timezone.localdate() + timedelta(days=7)
    client.post(reverse("inbox:wake"), {"kind": KIND, "object_id": action.pk})
    assert [i.object_id for i in _items(personas.social)] == [action.pk]


def test_a_snooze_cannot_hide_work_for_long(add_action, personas):
    from django.core.exceptions import ValidationError

    from inbox.services import inbox_snooze

    action = add_action(user=personas.social)
    ctx = inbox_context(user=personas.social)
    for until in (ctx.today, ctx.today + timedelta(days=91)):
        with pytest.raises(ValidationError):
            inbox_snooze(ctx=ctx, kind=KIND, object_id=action.pk, until=until)


def test_new_until_the_inbox_is_opened(add_action, personas, client_for):
    add_action(user=personas.social)
    client = client_for(personas.social)
    badge = client.get(reverse("inbox:badge")).content.decode()
    assert "1 ny" in badge
    page = client.get(INBOX)
    assert page.status_code == 200 and "Ny" in page.content.decode()
    assert "ny" not in client.get(reverse("inbox:badge")).content.decode()
    add_action("Endnu en", user=personas.social)
    assert "1 ny" in client.get(reverse("inbox:badge")).content.decode()


def test_the_page_names_the_persons_it_shows_in_the_audit_log(
    add_action,
    personas,
    client_for,
    running,  # noqa: F811
):
    add_action(user=personas.social)
    client_for(personas.social).get(INBOX)
    entry = AuditEntry.objects.filter(
        user=personas.social, object_type="inbox.item"
    ).get()
    assert entry.action == Action.LIST
    assert list(entry.subjects.values_list("person_id", flat=True)) == [
        running.person.pk
    ]


def test_the_header_links_the_inbox_and_fetches_its_count_after_the_page(
    personas, client_for
):
    html = client_for(personas.social).get("/").content.decode()
    assert f'href="{INBOX}"' in html
    assert 'hx-get="/inbox/badge/"' in html


def test_the_inbox_query_count_does_not_grow_with_its_items(
    add_action, personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.social)
    add_action(user=personas.social)
    with django_assert_max_num_queries(13):
        assert client.get(INBOX).status_code == 200
    for number in range(30):
        add_action(f"Opgave {number}", user=personas.social, due_in=number % 9 + 1)
    with django_assert_max_num_queries(13):
        response = client.get(INBOX)
    assert response.content.decode().count("data-row") == 31


def test_the_api_lists_and_completes(add_action, personas, client_for):
    action = add_action(user=personas.social)
    client = client_for(personas.social)
    body = client.get("/api/v1/inbox/").json()
    assert body["count"] == 1 and body["kinds"][0]["kind"] == KIND
    (item,) = body["results"]
    assert item["object_id"] == str(action.pk) and item["can_complete"]
    assert item["assigned_to_me"] is True
    assert client.get("/api/v1/inbox/?scope=nobody").status_code == 400
    done = client.post("/api/v1/inbox/done/", {"kind": KIND, "object_id": action.pk})
    assert done.status_code == 200
    assert client.get("/api/v1/inbox/").json()["count"] == 0


def test_bad_input_is_refused_not_a_500(add_action, personas, client_for):
    add_action(user=personas.social)
    client = client_for(personas.social)
    for data in (
        {"kind": "nothing", "object_id": "x"},
        {"kind": KIND, "object_id": "not-a-uuid"},
        {"kind": KIND, "object_id": "00000000-0000-0000-0000-000000000000\x00"},
        {},
    ):
        response = client.post(reverse("inbox:done"), data)
        assert response.status_code == 302, data
        assert client.post("/api/v1/inbox/done/", data).status_code == 400, data
    assert client.get(f"{INBOX}?kind=%00&scope=x&page=-1").status_code == 200
