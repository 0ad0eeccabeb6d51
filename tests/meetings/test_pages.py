"""The §115/SSP meeting pages: the main flows through the browser pages, field
errors, refused transitions, and the permission matrix (STYLE.md §16).

Rules cited: R-115-1/-2 (basis and necessity on each share), R-115-4 (only the
meeting's participants), R-115-5 (seen by those taking part, nobody else),
R-115-6 (§115 stk. 5 banner), R-115-9 (age group is a warning with a reason),
R-CONF-2 (consent recorded and withdrawn)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.legal import LegalBasis
from cases.services import person_create
from meetings import services, sharing
from meetings.models import (
    ActionItem,
    AgendaItem,
    Consent,
    Forum,
    MeetingStatus,
    SharedInformation,
)
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user

from .conftest import born_years_ago

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


@pytest.fixture
def school_user(world):
    """A school in the forum's municipality that takes no part in the forum."""
    school = Agency.objects.create(
        name="Ishøj Skole", kind=AgencyKind.SCHOOL, municipality=world.ishoej
    )
    return make_user("teacher", (school, Role.SOCIAL_WORKER))


# --- Forums ---------------------------------------------------------------------------


def test_coordinator_creates_a_forum(personas, world, client_for, ssp_kind):
    client = client_for(personas.ssp)
    assert client.get(url("forum_new")).status_code == 200
    day = timezone.localdate() + timedelta(days=10)
    response = client.post(
        url("forum_new"),
        {
            "kind": ssp_kind.pk,
            "name": "SSP Ishøj og Albertslund",
            "municipalities": [world.ishoej.pk, world.albertslund.pk],
            "chair": personas.ssp.pk,
            "first_date": day.isoformat(),
            "first_time": "14:00",
            "cadence_days": 14,
            "duration_minutes": 120,
            "place": "Rådhuset",
            "agenda_notice_days": 3,
        },
    )
    forum = Forum.objects.get(name="SSP Ishøj og Albertslund")
    assert response.status_code == 302
    assert response.url == url("forum", forum.pk)
    assert forum.meetings.exists()
    page = client.get(url("forum", forum.pk))
    assert page.status_code == 200
    # The chair is a named member: its own calendar feed is linked.
    member = forum.members.get(user=personas.ssp)
    assert url("calendar", forum.pk, member.calendar_token) in page.content.decode()
    assert url("list_import", forum.pk) in page.content.decode()


def test_forum_form_shows_field_errors(personas, world, client_for, ssp_kind):
    response = client_for(personas.ssp).post(
        url("forum_new"),
        {"kind": ssp_kind.pk, "name": "Uden kommune", "chair": personas.ssp.pk},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"municipalities", "first_date", "first_time"} <= set(form.errors)
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Forum.objects.filter(name="Uden kommune").exists()


def test_only_a_coordinator_creates_forums(personas, client_for):
    assert client_for(personas.social).get(url("forum_new")).status_code == 403
    assert client_for(personas.police).get(url("forum_new")).status_code == 403


def test_forum_page_counts_attendance_and_adds_members(
    personas, world, client_for, running, school_user
):
    client = client_for(personas.ssp)
    services.meeting_end(actor=personas.ssp, meeting=running.meeting)
    page = client.get(url("forum", running.forum.pk))
    members = {(m.agency_id, m.user_id): m for m in page.context["members"]}
    social = members[(world.social_ishoej.pk, None)]
    assert (social.attended_count, social.held_count) == (0, 1)
    school = Agency.objects.get(name="Ishøj Skole")
    response = client.post(
        url("forum_members", running.forum.pk), {"member-agency": school.pk}
    )
    assert response.status_code == 302
    assert running.forum.members.filter(agency=school, left_on__isnull=True).exists()
    # A private organisation is refused on the field (R-115-4): not even offered.
    private = Agency.objects.create(
        name="Boligforeningen", kind=AgencyKind.PRIVATE, municipality=world.ishoej
    )
    refused = client.post(
        url("forum_members", running.forum.pk), {"member-agency": private.pk}
    )
    assert refused.status_code == 400
    assert "agency" in refused.context["member_form"].errors


def test_member_leaves_and_loses_future_meetings(personas, client_for, ssp_forum):
    member = ssp_forum.forum.members.get(user=personas.police)
    client = client_for(personas.police)
    # Another member's row is the running agency's to change.
    social_row = ssp_forum.forum.members.get(
        user__isnull=True, agency__kind="children_family"
    )
    assert (
        client.post(
            url("forum_member_leave", ssp_forum.forum.pk, social_row.pk)
        ).status_code
        == 403
    )
    response = client.post(url("forum_member_leave", ssp_forum.forum.pk, member.pk))
    assert response.status_code == 302
    assert client.get(url("meeting", ssp_forum.meeting.pk)).status_code == 404


def test_forum_member_changes_are_refused_to_members(
    personas, world, client_for, ssp_forum
):
    response = client_for(personas.social).post(
        url("forum_members", ssp_forum.forum.pk),
        {"member-agency": world.social_ishoej.pk},
    )
    assert response.status_code == 403


# --- The agenda -----------------------------------------------------------------------


def test_agenda_add_reorder_remove_and_build(personas, world, client_for, ssp_forum):
    client = client_for(personas.ssp)
    meeting = ssp_forum.meeting
    other = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Anden",
        family_name="Ungesen",
        date_of_birth=born_years_ago(16),
    )
    response = client.post(
        url("agenda_add", meeting.pk),
        {"add-title": "Nyt punkt", "add-person": str(other.pk), "add-reason": "Skolen"},
    )
    assert response.status_code == 302
    added = AgendaItem.objects.get(meeting=meeting, title="Nyt punkt")
    assert added.person == other
    first = ssp_forum.item
    response = client.post(
        url("agenda_order", meeting.pk), {"item": str(first.pk), "direction": "down"}
    )
    assert response.status_code == 302
    titles = [i.title for i in meeting.items.filter(removed=False).order_by("position")]
    assert titles == ["Nyt punkt", first.title]
    assert client.post(url("item_remove", added.pk)).status_code == 302
    added.refresh_from_db()
    assert added.removed
    assert client.post(url("agenda_build", meeting.pk)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_built_at is not None
    page = client.get(url("meeting", meeting.pk))
    assert page.status_code == 200
    assert [i.pk for i in page.context["items"]] == [first.pk]


def test_agenda_add_outside_the_age_group_needs_a_reason(
    personas, world, client_for, ssp_forum
):
    """R-115-9: a warning with a reason, not a block."""
    adult = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Voksen",
        family_name="Ældresen",
        date_of_birth=born_years_ago(25),
    )
    client = client_for(personas.ssp)
    data = {"add-title": "Storebror", "add-person": str(adult.pk)}
    response = client.post(url("agenda_add", ssp_forum.meeting.pk), data)
    assert response.status_code == 400
    assert "age_override_reason" in response.context["add_form"].errors
    assert 'id="id_add-age_override_reason_error"' in response.content.decode()
    data["add-age_override_reason"] = "Storebror til to af de unge på listen"
    assert client.post(url("agenda_add", ssp_forum.meeting.pk), data).status_code == 302
    item = AgendaItem.objects.get(title="Storebror")
    page = client.get(url("meeting", ssp_forum.meeting.pk))
    shown = {i.pk: i for i in page.context["items"]}
    assert shown[item.pk].outside
    # The reason can be edited on the item.
    response = client.post(
        url("item_edit", item.pk), {"age_override_reason": "Ny begrundelse"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.age_override_reason == "Ny begrundelse"
    assert client.post(url("item_edit", item.pk), {}).status_code == 400


def test_agenda_add_by_cpr_finds_only_visible_persons(
    personas, world, client_for, ssp_forum
):
    client = client_for(personas.ssp)
    response = client.post(
        url("agenda_add", ssp_forum.meeting.pk),
        {"add-title": "Ukendt", "add-cpr": "010203-1234"},
    )
    assert response.status_code == 400
    assert "cpr" in response.context["add_form"].errors


def test_send_start_end_approve(personas, client_for, ssp_forum):
    client = client_for(personas.ssp)
    meeting = ssp_forum.meeting
    for name, status in [
        ("agenda_send", MeetingStatus.AGENDA_SENT),
        ("start", MeetingStatus.IN_PROGRESS),
        ("end", MeetingStatus.HELD),
        ("approve", MeetingStatus.APPROVED),
    ]:
        response = client.post(url(name, meeting.pk))
        assert response.status_code == 302, name
        meeting.refresh_from_db()
        assert meeting.status == status
    page = client.get(url("meeting", meeting.pk))
    assert url("minutes", meeting.pk) in page.content.decode()


def test_an_illegal_transition_changes_nothing(personas, client_for, ssp_forum):
    client = client_for(personas.ssp)
    response = client.post(url("end", ssp_forum.meeting.pk))
    assert response.status_code == 400
    assert response.context["page_errors"]
    ssp_forum.meeting.refresh_from_db()
    assert ssp_forum.meeting.status == MeetingStatus.PLANNED


def test_cancel_needs_a_reason(personas, client_for, ssp_forum):
    client = client_for(personas.ssp)
    response = client.post(
        url("cancel", ssp_forum.meeting.pk), {"cancel-cancel_reason": ""}
    )
    assert response.status_code == 400
    assert "cancel_reason" in response.context["cancel_form"].errors
    response = client.post(
        url("cancel", ssp_forum.meeting.pk), {"cancel-cancel_reason": "Helligdag"}
    )
    assert response.status_code == 302
    ssp_forum.meeting.refresh_from_db()
    assert ssp_forum.meeting.status == MeetingStatus.CANCELLED


def test_pages_refuse_the_wrong_method(personas, client_for, ssp_forum):
    client = client_for(personas.ssp)
    assert client.get(url("start", ssp_forum.meeting.pk)).status_code == 405
    assert client.post(url("meeting", ssp_forum.meeting.pk)).status_code == 405
    assert client.post(url("index")).status_code == 405


# --- The live meeting -----------------------------------------------------------------


def test_live_panel_is_a_fragment_that_takes_focus(personas, client_for, running):
    client = client_for(personas.ssp)
    page = client.get(url("meeting", running.meeting.pk))
    assert page.context["current"] == running.item
    fragment = client.get(url("item", running.item.pk), **HTMX)
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert body.startswith('<section id="item-panel"') and "autofocus" in body
    assert "<html" not in body
    # Without htmx the item opens on the meeting page.
    response = client.get(url("item", running.item.pk))
    assert response.status_code == 302
    assert f"item={running.item.pk}" in response.url


def test_share_shows_field_errors_and_then_shares(personas, world, client_for, running):
    """R-115-1/-2: a basis from the forum and a necessity on every share."""
    client = client_for(personas.police)
    target = url("item_share", running.item.pk)
    data = {"share-text": "Set med kendte personer", "share-legal_basis": ""}
    response = client.post(target, data)
    assert response.status_code == 400
    errors = response.context["share_form"].errors
    assert {"legal_basis", "necessity"} <= set(errors)
    fragment = client.post(target, data, **HTMX)
    assert fragment.status_code == 200
    assert "share-necessity_error" in fragment.content.decode()
    # The police's basis chosen by a social worker is refused on the field.
    social = client_for(personas.social).post(
        target,
        {
            "share-text": "Fravær",
            "share-legal_basis": LegalBasis.RPL115_1_1_SSP,
            "share-necessity": "Nødvendigt",
        },
    )
    assert social.status_code == 400
    assert "legal_basis" in social.context["share_form"].errors
    data.update(
        {
            "share-legal_basis": LegalBasis.RPL115_1_1_SSP,
            "share-necessity": "Skolen skal kunne handle",
        }
    )
    assert client.post(target, data).status_code == 302
    shared = SharedInformation.objects.get(item=running.item)
    assert (shared.agency, shared.legal_basis) == (
        world.police_vestegn,
        LegalBasis.RPL115_1_1_SSP,
    )
    page = client_for(personas.social).get(url("meeting", running.meeting.pk))
    assert shared in page.context["shared"]
    assert shared.necessity in page.content.decode()


def test_gang_fields_show_only_for_the_gang_basis(personas, client_for, running):
    client = client_for(personas.police)
    plain = client.get(
        url("item_share", running.item.pk),
        {"share-legal_basis": LegalBasis.RPL115_1_1_SSP},
        **HTMX,
    )
    assert "share-gang_kind" not in plain.content.decode()
    gang = client.get(
        url("item_share", running.item.pk),
        {"share-legal_basis": LegalBasis.RPL115_5_GANG},
        **HTMX,
    )
    assert 'name="share-gang_kind"' in gang.content.decode()


def test_gang_information_carries_the_banner_for_its_recipients(
    personas, world, client_for, running
):
    """R-115-6: only the named recipients see it, under the confidentiality banner."""
    response = client_for(personas.police).post(
        url("item_share", running.item.pk),
        {
            "share-text": "Tilknyttet et bandemiljø",
            "share-legal_basis": LegalBasis.RPL115_5_GANG,
            "share-necessity": "Forebyggelse",
            "share-gang_kind": "associated",
            "share-recipients": [str(personas.ssp.pk)],
        },
    )
    assert response.status_code == 302
    banner = str(SharedInformation.CONFIDENTIALITY_BANNER)
    ssp_page = client_for(personas.ssp).get(url("meeting", running.meeting.pk))
    assert banner in ssp_page.content.decode()
    social_page = client_for(personas.social).get(url("meeting", running.meeting.pk))
    assert not social_page.context["shared"]
    assert "Tilknyttet et bandemiljø" not in social_page.content.decode()


def test_decision_requests_a_concern_conversation(personas, client_for, running):
    from conversations.selectors import conversations_visible_to

    response = client_for(personas.ssp).post(
        url("item_decision", running.item.pk),
        {
            "decision-decision": "Politiet holder en bekymringssamtale",
            "decision-request_conversation": "on",
        },
        **HTMX,
    )
    assert response.status_code == 200
    running.item.refresh_from_db()
    assert running.item.decision.startswith("Politiet")
    conversation = running.item.conversation
    assert conversation is not None and conversation.owner == personas.police
    assert conversation in conversations_visible_to(user=personas.police, audit=None)


def test_decision_needs_text(personas, client_for, running):
    response = client_for(personas.ssp).post(
        url("item_decision", running.item.pk), {"decision-decision": ""}
    )
    assert response.status_code == 400
    assert "decision" in response.context["decision_form"].errors


def test_action_item_appears_on_the_responsible_worklist(
    personas, world, client_for, running
):
    client = client_for(personas.ssp)
    due = timezone.localdate() + timedelta(days=7)
    response = client.post(
        url("item_actions", running.item.pk),
        {
            "action-description": "Kontakt forældrene",
            "action-responsible_agency": str(world.social_ishoej.pk),
            "action-responsible_user": str(personas.social.pk),
            "action-due_on": due.isoformat(),
        },
        **HTMX,
    )
    assert response.status_code == 200
    action = ActionItem.objects.get(item=running.item)
    worklist = client_for(personas.social).get(url("worklist"))
    assert action in worklist.context["mine"]
    assert "Kontakt forældrene" in worklist.content.decode()
    index = client_for(personas.social).get(url("index"))
    assert action in index.context["actions"]
    # The responsible person marks it done from the worklist.
    done = client_for(personas.social).post(
        url("action_status", action.pk), {"status": "done"}, **HTMX
    )
    assert done.status_code == 200
    action.refresh_from_db()
    assert action.status == "done"


def test_action_item_field_errors(personas, world, client_for, running):
    response = client_for(personas.ssp).post(
        url("item_actions", running.item.pk),
        {
            "action-description": "",
            "action-responsible_agency": str(world.social_ishoej.pk),
            "action-due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert {"description"} <= set(response.context["action_form"].errors)
    assert not ActionItem.objects.exists()


def test_manager_sees_the_agency_action_items(personas, world, client_for, running):
    action = services.action_item_add(
        actor=personas.ssp,
        item=running.item,
        description="Indkald til møde",
        responsible_agency=world.ssp_ishoej,
        due_on=timezone.localdate(),
    )
    # Time passes: the due date is yesterday (the service refuses a past date).
    ActionItem.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    # Overdue is said in words, not only shown in colour.
    page = client_for(personas.manager).get(url("worklist"))
    assert action in page.context["agency_actions"]
    assert 'class="overdue"' in page.content.decode()


def test_attendance_is_toggled_while_running(personas, world, client_for, running):
    participant = running.meeting.participants.get(agency=world.social_ishoej)
    response = client_for(personas.ssp).post(
        url("attendance", running.meeting.pk, participant.pk),
        {"attended": "yes"},
        **HTMX,
    )
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.attended is True


def test_reshare_offers_only_the_same_persons_information_from_other_forums(
    personas, world, client_for, running
):
    sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text="Oplysning i dette møde",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity="Forebyggelse",
    )
    client = client_for(personas.police)
    fragment = client.get(url("item_form", running.item.pk, "reshare"))
    # Information of this forum is not offered for a re-share into it.
    assert fragment.context["reshare_form"].sources == {}
    # Nothing to pass on: no form, a sentence saying so.
    body = fragment.content.decode()
    assert "<form" not in body and 'class="empty"' in body


# --- The panel's collapsed forms (meetings.views.LAZY_FORMS) --------------------------


def test_the_panels_collapsed_forms_are_fetched_when_opened(
    personas, client_for, running
):
    """The share, pass-on and action-item forms are not built with the page: each
    `<details>` fetches its form when opened, and without JavaScript its link
    reloads the page with the form open."""
    client = client_for(personas.ssp)
    item = running.item
    page = client.get(url("meeting", running.meeting.pk))
    body = page.content.decode()
    assert page.context["share_form"] is None
    assert page.context["reshare_form"] is None
    assert page.context["action_form"] is None
    assert 'name="share-text"' not in body and 'name="action-description"' not in body
    for name in ("share", "reshare", "action"):
        assert f'hx-get="{url("item_form", item.pk, name)}"' in body
        assert f"?item={item.pk}&amp;form={name}#item-panel" in body

    fragment = client.get(url("item_form", item.pk, "share"))
    assert fragment.status_code == 200
    assert 'name="share-text"' in fragment.content.decode()
    fragment = client.get(url("item_form", item.pk, "action"))
    assert 'name="action-description"' in fragment.content.decode()

    # Without JavaScript: the page with the chosen form open, the others not.
    opened = client.get(url("meeting", running.meeting.pk), {"form": "action"})
    body = opened.content.decode()
    assert 'name="action-description"' in body and 'name="share-text"' not in body
    assert opened.context["action_form"] is not None


def test_a_form_the_panel_does_not_offer_is_not_answered(
    personas, client_for, running, ssp_forum
):
    client = client_for(personas.ssp)
    item = running.item
    assert client.get(url("item_form", item.pk, "decision")).status_code == 404
    assert client.post(url("item_form", item.pk, "share")).status_code == 405
    # A participant that may not change the meeting gets no action item form.
    social = client_for(personas.social)
    assert social.get(url("item_form", item.pk, "share")).status_code == 200
    assert social.get(url("item_form", item.pk, "action")).status_code == 403
    # After the meeting nothing more is shared or added.
    services.meeting_end(actor=personas.ssp, meeting=running.meeting)
    for name in ("share", "reshare", "action"):
        assert client.get(url("item_form", item.pk, name)).status_code == 404, name


# --- Consents -------------------------------------------------------------------------


def test_consent_is_recorded_and_withdrawn(personas, world, client_for, ssp_forum):
    """R-CONF-2."""
    client = client_for(personas.ssp)
    target = url("consents", ssp_forum.person.pk)
    assert client.get(target).status_code == 200
    refused = client.post(target, {"given_by": "", "scope": ""})
    assert refused.status_code == 400
    assert {"given_by", "scope", "agencies", "given_on"} <= set(
        refused.context["form"].errors
    )
    today = timezone.localdate()
    response = client.post(
        target,
        {
            "given_by": "Mor",
            "scope": "Skolens oplysninger om fravær",
            "agencies": [world.social_ishoej.pk, world.police_vestegn.pk],
            "given_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=ssp_forum.person)
    response = client.post(
        url("consent_withdraw", consent.pk), {"withdrawn_on": today.isoformat()}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == today


def test_consents_of_an_unseen_person_are_404(personas, client_for, ssp_forum):
    for user in (personas.ssp_albertslund, personas.police_other_district):
        client = client_for(user)
        assert client.get(url("consents", ssp_forum.person.pk)).status_code == 404


# --- Permission matrix ----------------------------------------------------------------


def _change_posts(meeting, item):
    return [
        url("agenda_build", meeting.pk),
        url("agenda_add", meeting.pk),
        url("agenda_order", meeting.pk),
        url("agenda_send", meeting.pk),
        url("start", meeting.pk),
        url("end", meeting.pk),
        url("approve", meeting.pk),
        url("cancel", meeting.pk),
        url("item_edit", item.pk),
        url("item_remove", item.pk),
        url("item_decision", item.pk),
        url("item_actions", item.pk),
    ]


def test_participant_agency_sees_but_may_not_change(personas, client_for, ssp_forum):
    client = client_for(personas.social)
    meeting, item = ssp_forum.meeting, ssp_forum.item
    assert client.get(url("meeting", meeting.pk)).status_code == 200
    assert client.get(url("forum", ssp_forum.forum.pk)).status_code == 200
    assert meeting in client.get(url("index")).context["meetings"]
    for target in _change_posts(meeting, item):
        assert client.post(target).status_code == 403, target
    participant = meeting.participants.first()
    assert client.post(url("attendance", meeting.pk, participant.pk)).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


@pytest.mark.parametrize("who", ["school", "ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_and_see_nothing(
    who, personas, client_for, running, school_user
):
    user = school_user if who == "school" else getattr(personas, who)
    client = client_for(user)
    meeting, item = running.meeting, running.item
    action = services.action_item_add(
        actor=personas.ssp,
        item=item,
        description="Hemmeligt handlepunkt",
        responsible_agency=running.forum.agency,
        due_on=timezone.localdate(),
    )
    for target in [
        url("meeting", meeting.pk),
        url("forum", running.forum.pk),
        url("item", item.pk),
        url("item_actions", item.pk),
        *(url("item_form", item.pk, name) for name in ("share", "reshare", "action")),
    ]:
        assert client.get(target).status_code == 404, target
    for target in [
        *_change_posts(meeting, item),
        url("item_share", item.pk),
        url("item_reshare", item.pk),
        url("forum_members", running.forum.pk),
        url("action_status", action.pk),
    ]:
        assert client.post(target).status_code == 404, target
    index = client.get(url("index"))
    assert not index.context["meetings"] and not index.context["forums"]
    assert not index.context["actions"]
    body = index.content.decode() + client.get(url("worklist")).content.decode()
    assert running.forum.name not in body and "Hemmeligt" not in body


def test_after_the_meeting_the_minutes_show_on_screen(
    personas, world, client_for, running
):
    sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text="Oplysning til referatet",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity="Forebyggelse",
    )
    services.decision_record(
        actor=personas.ssp, item=running.item, decision="Vi følger op"
    )
    services.meeting_end(actor=personas.ssp, meeting=running.meeting)
    page = client_for(personas.social).get(url("meeting", running.meeting.pk))
    body = page.content.decode()
    assert "Vi følger op" in body and "Oplysning til referatet" in body
    assert str(LegalBasis.RPL115_1_1_SSP.label) in body
    # Only the chair is offered the approval; the participant may not approve.
    assert url("approve", running.meeting.pk) not in body
    assert (
        client_for(personas.social).post(url("approve", running.meeting.pk)).status_code
        == 403
    )
