"""/api/v1/ for §115/SSP meetings (issue 5, points 5 and 8): each endpoint's happy
path as the SSP coordinator running the forum; field-level 400s for the law's
refusals (R-115-1, -2, -6, -8, R-CONF-2); the permission matrix (the participant
agency reads and shares but may not run the meeting: 403; a non-participant agency
of the same municipality, another municipality and police of another district:
404 and absent from lists); the legal basis on every shared-information and
minutes representation; query bounds; and the OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.legal import LegalBasis
from audit.models import Action, AuditEntry
from cases.services import person_create
from meetings import agenda, forums, services, sharing
from meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Consent,
    Forum,
    ForumKind,
    ForumMember,
    GangInformationKind,
    MeetingStatus,
    SharedInformation,
)
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user

from .conftest import born_years_ago, local, share_person_with

V1 = "/api/v1/"
TODAY = timezone.localdate
NEED = "Skolen og forvaltningen skal kunne handle nu"


def _post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def _errors(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    return response.json()["errors"]


@pytest.fixture
def coordinator(personas, client_for):
    return client_for(personas.ssp)


@pytest.fixture
def social(personas, client_for):
    return client_for(personas.social)


@pytest.fixture
def police(personas, client_for):
    return client_for(personas.police)


@pytest.fixture
def teacher(world):
    """A school in Ishøj: the same municipality, but takes no part in the forum."""
    school = Agency.objects.create(
        name="Ishøj Skole", kind=AgencyKind.SCHOOL, municipality=world.ishoej
    )
    return make_user("laerer", (school, Role.SOCIAL_WORKER))


@pytest.fixture
def shared(personas, world, running) -> SharedInformation:
    return sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text="Set sammen med kendte personer fra et bandemiljø",
        legal_basis=LegalBasis.RPL115_1_1_SSP,
        necessity=NEED,
    )


@pytest.fixture
def action_item(personas, world, running) -> ActionItem:
    return services.action_item_add(
        actor=personas.ssp,
        item=running.item,
        description="Kontakt forældrene",
        responsible_agency=world.social_ishoej,
        responsible_user=personas.social,
        due_on=TODAY() + timedelta(days=7),
    )


@pytest.fixture
def consent(personas, world, running) -> Consent:
    return sharing.consent_record(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=running.person,
        given_by="Mor (forældremyndighed)",
        scope="Skolegang og fritid, til SSP-mødet",
        given_on=TODAY() - timedelta(days=3),
        agencies=[world.social_ishoej, world.ssp_ishoej],
    )


def _share_input(item, **overrides) -> dict:
    return {
        "item": str(item.pk),
        "text": "Har ikke været i skole i tre uger",
        "legal_basis": LegalBasis.RPL115_2,
        "necessity": NEED,
        **overrides,
    }


# --- Forums ---------------------------------------------------------------------------


def test_coordinator_creates_a_forum_and_server_fields_are_not_writable(
    coordinator, personas, world
):
    response = _post(
        coordinator,
        f"{V1}forums/",
        {
            "kind": "ssp",
            "name": "SSP Ishøj Syd",
            "municipalities": [str(world.ishoej.pk)],
            "chair": str(personas.ssp.pk),
            "first_meeting_at": local(days=10).isoformat(),
            "place": "Rådhuset",
            # Set by the server, whatever the caller sends:
            "agency": str(world.ssp_albertslund.pk),
            "created_by": str(personas.police.pk),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    forum = Forum.objects.get(pk=body["id"])
    assert forum.agency == world.ssp_ishoej and forum.created_by == personas.ssp
    assert body["agency"]["id"] == str(world.ssp_ishoej.pk)
    assert body["municipalities"] == [str(world.ishoej.pk)]
    assert {b["value"] for b in body["kind"]["legal_bases"]} >= {
        LegalBasis.RPL115_1_1_SSP,
        LegalBasis.RPL115_2,
    }
    assert all(b["label"] for b in body["kind"]["legal_bases"])
    assert len(body["members"]) == 2
    assert forum.meetings.exists()


@pytest.mark.parametrize("who", ["social", "police", "admin"])
def test_only_an_ssp_coordinator_creates_a_forum(who, personas, world, client_for):
    response = _post(
        client_for(getattr(personas, who)),
        f"{V1}forums/",
        {
            "kind": "ssp",
            "name": "Uofficielt forum",
            "municipalities": [str(world.ishoej.pk)],
            "chair": str(personas.ssp.pk),
            "first_meeting_at": local(days=10).isoformat(),
        },
    )
    assert response.status_code == 403
    assert not Forum.objects.filter(name="Uofficielt forum").exists()


def test_forum_bad_input_gets_field_errors(coordinator, personas, world):
    errors = _errors(_post(coordinator, f"{V1}forums/", {}))
    assert {"kind", "name", "municipalities", "chair", "first_meeting_at"} <= set(
        errors
    )
    errors = _errors(
        _post(
            coordinator,
            f"{V1}forums/",
            {
                "kind": "ssp",
                "name": "Tværkommunalt",
                "municipalities": [str(world.helsingoer.pk)],
                "chair": str(personas.social.pk),
                "first_meeting_at": local(days=10).isoformat(),
                "cadence_days": 400,
            },
        )
    )
    assert {"municipalities", "chair", "cadence_days"} <= set(errors)


def test_forum_list_detail_and_members(coordinator, social, ssp_forum, world):
    listed = coordinator.get(f"{V1}forums/").json()
    assert [f["id"] for f in listed["results"]] == [str(ssp_forum.forum.pk)]
    detail = social.get(f"{V1}forums/{ssp_forum.forum.pk}/")
    assert detail.status_code == 200
    assert {m["agency"]["id"] for m in detail.json()["members"]} == {
        str(world.ssp_ishoej.pk),
        str(world.social_ishoej.pk),
        str(world.police_vestegn.pk),
    }
    members = social.get(f"{V1}forums/{ssp_forum.forum.pk}/members/").json()
    assert members["count"] == 4


def test_coordinator_adds_a_member_and_records_it_leaving(
    coordinator, teacher, ssp_forum
):
    school = teacher.memberships.get().agency
    url = f"{V1}forums/{ssp_forum.forum.pk}/members/"
    added = _post(coordinator, url, {"agency": str(school.pk)})
    assert added.status_code == 201, added.content
    assert ssp_forum.meeting.participants.filter(agency=school).exists()
    member_id = added.json()["id"]
    left = _post(coordinator, f"{url}{member_id}/leave/", {})
    assert left.status_code == 200, left.content
    assert ForumMember.objects.get(pk=member_id).left_on == TODAY()
    assert not ssp_forum.meeting.participants.filter(agency=school).exists()


def test_a_private_organisation_is_refused_as_member(coordinator, world, ssp_forum):
    """R-115-4: never a private organisation."""
    housing = Agency.objects.create(
        name="Boligselskabet", kind=AgencyKind.PRIVATE, municipality=world.ishoej
    )
    errors = _errors(
        _post(
            coordinator,
            f"{V1}forums/{ssp_forum.forum.pk}/members/",
            {"agency": str(housing.pk)},
        )
    )
    assert "agency" in errors


# --- Meetings -------------------------------------------------------------------------


def test_meeting_list_filters_and_detail_with_participants(
    coordinator, social, ssp_forum, world
):
    meeting = ssp_forum.meeting
    listed = coordinator.get(
        f"{V1}meetings/",
        {"forum": str(ssp_forum.forum.pk), "from": str(meeting.starts_at.date())},
    ).json()
    assert listed["results"][0]["id"] == str(meeting.pk)
    assert all(m["forum"]["id"] == str(ssp_forum.forum.pk) for m in listed["results"])
    before = coordinator.get(
        f"{V1}meetings/", {"to": str(meeting.starts_at.date() - timedelta(days=1))}
    ).json()
    assert before["count"] == 0
    detail = social.get(f"{V1}meetings/{meeting.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["status"] == MeetingStatus.PLANNED
    assert {p["agency"]["id"] for p in body["participants"]} == {
        str(world.ssp_ishoej.pk),
        str(world.social_ishoej.pk),
        str(world.police_vestegn.pk),
    }
    assert LegalBasis.RPL115_2 in {b["value"] for b in body["legal_bases"]}
    bad = _errors(coordinator.get(f"{V1}meetings/", {"from": "i morgen"}))
    assert "from" in bad


def test_meeting_runs_from_agenda_to_approved_minutes(
    coordinator, personas, ssp_forum, world
):
    meeting = ssp_forum.meeting
    url = f"{V1}meetings/{meeting.pk}/"
    built = _post(coordinator, f"{url}build-agenda/")
    assert built.status_code == 200, built.content
    assert [i["id"] for i in built.json()] == [str(ssp_forum.item.pk)]
    sent = _post(coordinator, f"{url}send-agenda/")
    assert (
        sent.status_code == 200 and sent.json()["status"] == MeetingStatus.AGENDA_SENT
    )
    assert _post(coordinator, f"{url}start/").json()["status"] == (
        MeetingStatus.IN_PROGRESS
    )
    participant = meeting.participants.get(agency=world.social_ishoej)
    marked = _post(
        coordinator,
        f"{url}attendance/",
        {"participant": str(participant.pk), "attended": True},
    )
    assert marked.status_code == 200 and marked.json()["attended"] is True
    assert _post(coordinator, f"{url}end/").json()["status"] == MeetingStatus.HELD
    approved = _post(coordinator, f"{url}approve/")
    assert approved.json()["status"] == MeetingStatus.APPROVED
    assert approved.json()["minutes_approved_at"]


def test_an_illegal_transition_is_400_with_the_message(coordinator, ssp_forum):
    response = _post(coordinator, f"{V1}meetings/{ssp_forum.meeting.pk}/end/")
    assert _errors(response)["non_field_errors"]


def test_cancel_needs_a_reason(coordinator, ssp_forum):
    url = f"{V1}meetings/{ssp_forum.meeting.pk}/cancel/"
    assert "reason" in _errors(_post(coordinator, url, {}))
    cancelled = _post(coordinator, url, {"reason": "Vinterferie"})
    assert cancelled.json()["status"] == MeetingStatus.CANCELLED
    assert cancelled.json()["cancel_reason"] == "Vinterferie"


def test_attendance_of_someone_not_taking_part_is_a_field_error(
    coordinator, running, shared
):
    errors = _errors(
        _post(
            coordinator,
            f"{V1}meetings/{running.meeting.pk}/attendance/",
            {"participant": str(shared.pk), "attended": True},
        )
    )
    assert "participant" in errors


# --- Agenda items ---------------------------------------------------------------------


def test_agenda_items_list_add_update_reorder_and_remove(
    coordinator, personas, world, ssp_forum
):
    meeting = ssp_forum.meeting
    assert "meeting" in _errors(coordinator.get(f"{V1}agenda-items/"))
    listed = coordinator.get(f"{V1}agenda-items/", {"meeting": str(meeting.pk)}).json()
    assert [i["id"] for i in listed["results"]] == [str(ssp_forum.item.pk)]
    first = listed["results"][0]
    assert first["legal_basis"] and first["legal_basis_label"]
    assert first["person"]["id"] == str(ssp_forum.person.pk)

    added = _post(
        coordinator,
        f"{V1}agenda-items/",
        {"meeting": str(meeting.pk), "title": "Uro ved stationen"},
    )
    assert added.status_code == 201, added.content
    new_id = added.json()["id"]
    assert added.json()["legal_basis_label"]

    changed = _patch(
        coordinator,
        f"{V1}agenda-items/{new_id}/",
        {"title": "Uro ved Ishøj Station", "consent_status": "not_obtained"},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Uro ved Ishøj Station"
    assert changed.json()["consent_status"] == "not_obtained"

    reordered = _post(
        coordinator, f"{V1}meetings/{meeting.pk}/reorder/", {"order": [new_id]}
    )
    assert [i["id"] for i in reordered.json()] == [new_id, str(ssp_forum.item.pk)]
    bad = _post(
        coordinator, f"{V1}meetings/{meeting.pk}/reorder/", {"order": [str(meeting.pk)]}
    )
    assert "order" in _errors(bad)

    removed = coordinator.delete(f"{V1}agenda-items/{new_id}/")
    assert removed.status_code == 204
    assert AgendaItem.objects.get(pk=new_id).removed
    assert coordinator.get(f"{V1}agenda-items/{new_id}/").status_code == 404


def test_agenda_item_outside_the_age_group_needs_a_reason(
    coordinator, personas, world, ssp_forum
):
    """R-115-9: a warning answered with a reason, not a block."""
    adult = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Voksen",
        family_name="Ishøjsen",
        date_of_birth=born_years_ago(22),
    )
    data = {
        "meeting": str(ssp_forum.meeting.pk),
        "title": "Storebror",
        "person": str(adult.pk),
    }
    assert "age_override_reason" in _errors(
        _post(coordinator, f"{V1}agenda-items/", data)
    )
    added = _post(
        coordinator,
        f"{V1}agenda-items/",
        {**data, "age_override_reason": "Påvirker sin lillebror"},
    )
    assert added.status_code == 201 and added.json()["outside_age_group"] is True


def test_agenda_item_about_a_person_the_caller_may_not_see_is_a_field_error(
    coordinator, personas, world, ssp_forum
):
    hidden = person_create(
        actor=personas.social,
        agency=world.social_ishoej,
        municipality=world.ishoej,
        given_name="Skjult",
        family_name="Persen",
    )
    response = _post(
        coordinator,
        f"{V1}agenda-items/",
        {"meeting": str(ssp_forum.meeting.pk), "title": "X", "person": str(hidden.pk)},
    )
    assert "person" in _errors(response)
    assert "Skjult" not in response.content.decode()


def test_decision_may_request_a_concern_conversation(coordinator, personas, running):
    response = _post(
        coordinator,
        f"{V1}agenda-items/{running.item.pk}/decision/",
        {
            "decision": "Politiet holder en bekymringssamtale",
            "request_conversation": True,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["discussed"] is True and body["conversation"]
    assert body["legal_basis"] and body["legal_basis_label"]
    running.item.refresh_from_db()
    assert running.item.conversation.owner == personas.police
    assert "decision" in _errors(
        _post(coordinator, f"{V1}agenda-items/{running.item.pk}/decision/", {})
    )


# --- Shared information ---------------------------------------------------------------


def test_participant_shares_with_basis_and_necessity(social, personas, world, running):
    response = _post(social, f"{V1}shared-information/", _share_input(running.item))
    assert response.status_code == 201, response.content
    body = response.json()
    shared = SharedInformation.objects.get(pk=body["id"])
    # The sharer and its agency are the caller's, whatever it sends.
    assert shared.agency == world.social_ishoej and shared.shared_by == personas.social
    assert body["agency"]["id"] == str(world.social_ishoej.pk)
    assert body["legal_basis"] == LegalBasis.RPL115_2
    assert body["legal_basis_label"] == str(LegalBasis.RPL115_2.label)
    assert body["necessity"] == NEED
    assert body["confidentiality"] is None and body["restricted"] is False


def test_shared_information_list_and_detail_carry_the_basis(
    coordinator, social, running, shared, world
):
    for client in (coordinator, social):
        listed = client.get(
            f"{V1}shared-information/", {"meeting": str(running.meeting.pk)}
        ).json()
        assert [s["id"] for s in listed["results"]] == [str(shared.pk)]
        row = listed["results"][0]
        assert row["legal_basis"] == LegalBasis.RPL115_1_1_SSP
        assert row["legal_basis_label"]
        assert row["agency"]["id"] == str(world.police_vestegn.pk)
        detail = client.get(f"{V1}shared-information/{shared.pk}/").json()
        assert detail["text"] == shared.text
        assert detail["legal_basis_label"]
    assert "meeting" in _errors(coordinator.get(f"{V1}shared-information/"))


def test_the_list_shows_the_gang_kind_without_a_query_a_row(
    coordinator, personas, world, running, shared
):
    """The list joins the gang information for its kind (meetings.api; the pages,
    which do not show it, do not join it): a §115 stk. 5 row costs no query more."""
    url = f"{V1}shared-information/?meeting={running.meeting.pk}"
    coordinator.get(url)
    with CaptureQueriesContext(connection) as before:
        assert coordinator.get(url).status_code == 200
    sharing.information_share(
        actor=personas.police,
        agency=world.police_vestegn,
        item=running.item,
        text="Tilknyttet et bandemiljø",
        legal_basis=LegalBasis.RPL115_5_GANG,
        necessity=NEED,
        gang_kind=GangInformationKind.ASSOCIATED,
        recipients=[personas.ssp],
    )
    with CaptureQueriesContext(connection) as after:
        rows = coordinator.get(url).json()["results"]
    assert [row["gang_kind"] for row in rows] == [None, GangInformationKind.ASSOCIATED]
    assert len(after) == len(before)


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("legal_basis", {"legal_basis": None}),
        ("legal_basis", {"legal_basis": LegalBasis.RPL115_1_2_PSP}),
        ("legal_basis", {"legal_basis": LegalBasis.RPL115_1_1_SSP}),
        ("necessity", {"necessity": "  "}),
        ("necessity", {"necessity": None}),
        ("text", {"text": ""}),
    ],
    ids=[
        "missing-basis",
        "basis-not-of-the-forum",
        "police-basis-for-social",
        "blank-necessity",
        "missing-necessity",
        "no-text",
    ],
)
def test_share_refusals_are_field_errors(social, running, field, overrides):
    """R-115-1 (a basis from the forum's list), R-115-2 (necessity)."""
    data = _share_input(running.item, **overrides)
    data = {k: v for k, v in data.items() if v is not None}
    assert field in _errors(_post(social, f"{V1}shared-information/", data))
    assert not SharedInformation.objects.exists()


def test_share_on_a_withdrawn_consent_is_a_field_error(
    social, coordinator, consent, personas, world, running
):
    """R-CONF-2: a withdrawn consent stops further sharing on it."""
    share_person_with(personas.ssp, running.person, world.social_ishoej)
    data = _share_input(
        running.item, legal_basis=LegalBasis.CONSENT, consent=str(consent.pk)
    )
    first = _post(social, f"{V1}shared-information/", data)
    assert first.status_code == 201, first.content
    assert first.json()["consent"] == str(consent.pk)
    withdrawn = _post(coordinator, f"{V1}consents/{consent.pk}/withdraw/", {})
    assert withdrawn.status_code == 200 and withdrawn.json()["valid_today"] is False
    assert "consent" in _errors(_post(social, f"{V1}shared-information/", data))
    assert SharedInformation.objects.count() == 1


def test_gang_information_by_a_non_police_user_is_a_field_error(
    social, personas, running
):
    """R-115-6: only police share under §115 stk. 5."""
    data = _share_input(
        running.item,
        legal_basis=LegalBasis.RPL115_5_GANG,
        gang_kind=GangInformationKind.ASSOCIATED,
        recipients=[str(personas.ssp.pk)],
    )
    assert "legal_basis" in _errors(_post(social, f"{V1}shared-information/", data))
    assert not SharedInformation.objects.exists()


def test_gang_information_is_listed_without_content_and_read_singly_with_the_banner(
    police, coordinator, social, personas, running
):
    """R-115-6: only the named recipients and the police agency see it, with the
    confidentiality banner; a list never carries its content."""
    response = _post(
        police,
        f"{V1}shared-information/",
        _share_input(
            running.item,
            text="Tilknyttet et bandemiljø",
            legal_basis=LegalBasis.RPL115_5_GANG,
            gang_kind=GangInformationKind.ASSOCIATED,
            recipients=[str(personas.ssp.pk)],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    banner = str(SharedInformation.CONFIDENTIALITY_BANNER)
    assert body["restricted"] is True and body["confidentiality"] == banner
    assert body["gang_kind"] == GangInformationKind.ASSOCIATED
    url = f"{V1}shared-information/"
    listed = coordinator.get(url, {"meeting": str(running.meeting.pk)})
    row = listed.json()["results"][0]
    assert row["confidentiality"] == banner
    assert row["legal_basis"] == LegalBasis.RPL115_5_GANG and row["legal_basis_label"]
    assert row["text"] is None and row["necessity"] is None
    assert "bandemiljø" not in listed.content.decode()
    single = coordinator.get(f"{url}{body['id']}/")
    assert single.json()["text"] == "Tilknyttet et bandemiljø"
    assert single.json()["confidentiality"] == banner
    # Another participant of the same meeting, not a recipient: nothing.
    assert social.get(url, {"meeting": str(running.meeting.pk)}).json()["count"] == 0
    assert social.get(f"{url}{body['id']}/").status_code == 404


def _second_meeting_item(personas, world, person):
    forum = forums.forum_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        kind=ForumKind.objects.get(code="ssp"),
        name="SSP Ishøj Nord",
        municipalities=[world.ishoej],
        chair=personas.ssp,
        first_meeting_at=local(days=9, hour=13),
    )
    forums.forum_member_add(actor=personas.ssp, forum=forum, agency=world.social_ishoej)
    meeting = forum.meetings.order_by("starts_at").first()
    item = agenda.agenda_item_add(
        actor=personas.ssp, meeting=meeting, person=person, title="Drøftelse"
    )
    agenda.agenda_send(actor=personas.ssp, meeting=meeting)
    return item


def test_reshare_needs_a_new_basis_and_keeps_the_source(
    social, personas, world, running, shared
):
    """R-115-8: passed on only with a basis of the receiver's own."""
    item = _second_meeting_item(personas, world, running.person)
    url = f"{V1}shared-information/reshare/"
    data = {"reshared_from": str(shared.pk), "item": str(item.pk), "necessity": NEED}
    assert "legal_basis" in _errors(_post(social, url, data))
    assert SharedInformation.objects.count() == 1
    response = _post(social, url, {**data, "legal_basis": LegalBasis.RPL115_2})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["agency"]["id"] == str(world.social_ishoej.pk)
    assert body["legal_basis"] == LegalBasis.RPL115_2 and body["legal_basis_label"]
    assert body["reshared_from"]["id"] == str(shared.pk)
    assert body["reshared_from"]["legal_basis"] == LegalBasis.RPL115_1_1_SSP
    assert body["reshared_from"]["agency"]["id"] == str(world.police_vestegn.pk)


def test_reshare_of_what_the_caller_has_not_received_is_a_field_error(
    teacher, client_for, running, shared
):
    response = _post(
        client_for(teacher),
        f"{V1}shared-information/reshare/",
        {
            "reshared_from": str(shared.pk),
            "item": str(running.item.pk),
            "legal_basis": LegalBasis.RPL115_2,
            "necessity": NEED,
        },
    )
    assert "reshared_from" in _errors(response)
    assert shared.text not in response.content.decode()


# --- Action items ---------------------------------------------------------------------


def test_action_items_add_list_and_status(
    coordinator, social, personas, world, running
):
    response = _post(
        coordinator,
        f"{V1}action-items/",
        {
            "item": str(running.item.pk),
            "description": "Kontakt forældrene",
            "responsible_agency": str(world.social_ishoej.pk),
            "responsible_user": str(personas.social.pk),
            "due_on": str(TODAY() + timedelta(days=7)),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["legal_basis"] == running.item.legal_basis and body["legal_basis_label"]
    assert body["overdue"] is False
    action_id = body["id"]
    for client, params in (
        (coordinator, {"meeting": str(running.meeting.pk)}),
        (social, {"meeting": str(running.meeting.pk)}),
        (social, {"mine": "1"}),
    ):
        listed = client.get(f"{V1}action-items/", params).json()
        assert [a["id"] for a in listed["results"]] == [action_id], params
    assert "meeting" in _errors(social.get(f"{V1}action-items/"))
    done = _post(social, f"{V1}action-items/{action_id}/status/", {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == ActionStatus.DONE
    assert done.json()["completed_on"] == str(TODAY())
    assert "status" in _errors(
        _post(social, f"{V1}action-items/{action_id}/status/", {"status": "maybe"})
    )


def test_action_item_bad_input_gets_field_errors(coordinator, world, running, teacher):
    school = teacher.memberships.get().agency
    data = {
        "item": str(running.item.pk),
        "description": " ",
        "responsible_agency": str(school.pk),
        "due_on": str(TODAY() - timedelta(days=1)),
    }
    url = f"{V1}action-items/"
    assert "description" in _errors(_post(coordinator, url, data))
    data["description"] = "Skolen følger op"
    assert {"responsible_agency", "due_on"} <= set(
        _errors(_post(coordinator, url, data))
    )
    assert not ActionItem.objects.exists()


def test_agency_action_items_for_the_agency_lead(world, client_for, action_item):
    lead = make_user("leder", (world.social_ishoej, Role.MANAGER))
    listed = client_for(lead).get(f"{V1}action-items/", {"agency": "1"}).json()
    assert [a["id"] for a in listed["results"]] == [str(action_item.pk)]


# --- Consents -------------------------------------------------------------------------


def test_consents_record_list_and_withdraw(coordinator, personas, world, running):
    url = f"{V1}consents/"
    assert "person" in _errors(coordinator.get(url))
    response = _post(
        coordinator,
        url,
        {
            "person": str(running.person.pk),
            "given_by": "Far (forældremyndighed)",
            "scope": "Skolegang",
            "agencies": [str(world.social_ishoej.pk)],
            "given_on": str(TODAY()),
            "agency": str(world.ssp_albertslund.pk),  # set by the server
        },
    )
    assert response.status_code == 201, response.content
    consent = Consent.objects.get(pk=response.json()["id"])
    assert consent.agency == world.ssp_ishoej and consent.recorded_by == personas.ssp
    listed = coordinator.get(url, {"person": str(running.person.pk)}).json()
    assert [c["id"] for c in listed["results"]] == [str(consent.pk)]
    assert listed["results"][0]["valid_today"] is True
    withdrawn = _post(coordinator, f"{url}{consent.pk}/withdraw/", {})
    assert withdrawn.json()["withdrawn_on"] == str(TODAY())
    again = _post(coordinator, f"{url}{consent.pk}/withdraw/", {})
    assert _errors(again)["non_field_errors"]


def test_consent_bad_input_gets_field_errors(coordinator, world, running):
    url = f"{V1}consents/"
    data = {
        "person": str(running.person.pk),
        "given_by": " ",
        "scope": " ",
        "agencies": [],
        "given_on": str(TODAY()),
    }
    assert {"given_by", "scope", "agencies"} <= set(
        _errors(_post(coordinator, url, data))
    )
    data.update(
        given_by="Mor",
        scope="Skolegang",
        agencies=[str(world.social_ishoej.pk)],
        given_on=str(TODAY() + timedelta(days=2)),
        expires_on=str(TODAY()),
    )
    assert {"given_on", "expires_on"} <= set(_errors(_post(coordinator, url, data)))
    assert not Consent.objects.exists()


# --- The permission matrix ------------------------------------------------------------


def _every_write(running, shared, action_item, world) -> list[tuple[str, str, dict]]:
    """Every write a participant may not make (the running agency's)."""
    meeting, item = running.meeting, running.item
    forum = meeting.forum
    member = forum.members.filter(agency=world.social_ishoej).first()
    participant = meeting.participants.first()
    return [
        (
            "post",
            f"{V1}forums/{forum.pk}/members/",
            {"agency": str(world.ssp_ishoej.pk)},
        ),
        ("post", f"{V1}forums/{forum.pk}/members/{member.pk}/leave/", {}),
        ("post", f"{V1}meetings/{meeting.pk}/build-agenda/", {}),
        ("post", f"{V1}meetings/{meeting.pk}/reorder/", {"order": [str(item.pk)]}),
        ("post", f"{V1}meetings/{meeting.pk}/send-agenda/", {}),
        ("post", f"{V1}meetings/{meeting.pk}/start/", {}),
        ("post", f"{V1}meetings/{meeting.pk}/end/", {}),
        ("post", f"{V1}meetings/{meeting.pk}/approve/", {}),
        ("post", f"{V1}meetings/{meeting.pk}/cancel/", {"reason": "Nej"}),
        (
            "post",
            f"{V1}meetings/{meeting.pk}/attendance/",
            {"participant": str(participant.pk), "attended": False},
        ),
        (
            "post",
            f"{V1}agenda-items/",
            {"meeting": str(meeting.pk), "title": "Ny sag"},
        ),
        ("patch", f"{V1}agenda-items/{item.pk}/", {"title": "Ændret"}),
        ("delete", f"{V1}agenda-items/{item.pk}/", {}),
        ("post", f"{V1}agenda-items/{item.pk}/decision/", {"decision": "Ingen"}),
        (
            "post",
            f"{V1}action-items/",
            {
                "item": str(item.pk),
                "description": "Noget",
                "responsible_agency": str(world.social_ishoej.pk),
                "due_on": str(TODAY() + timedelta(days=3)),
            },
        ),
    ]


def _every_read(running, shared, action_item) -> list[str]:
    meeting = running.meeting
    return [
        f"{V1}forums/{meeting.forum.pk}/",
        f"{V1}forums/{meeting.forum.pk}/members/",
        f"{V1}meetings/{meeting.pk}/",
        f"{V1}agenda-items/?meeting={meeting.pk}",
        f"{V1}agenda-items/{running.item.pk}/",
        f"{V1}shared-information/?meeting={meeting.pk}",
        f"{V1}shared-information/{shared.pk}/",
        f"{V1}action-items/?meeting={meeting.pk}",
        f"{V1}action-items/{action_item.pk}/",
    ]


def _call(client, method, url, body):
    if method == "delete":
        return client.delete(url)
    if method == "patch":
        return _patch(client, url, body)
    return _post(client, url, body)


def test_the_participant_agency_reads_but_may_not_run_the_meeting(
    running, shared, action_item, world, personas, client_for
):
    client = client_for(personas.social)
    for url in _every_read(running, shared, action_item):
        assert client.get(url).status_code == 200, url
    for method, url, body in _every_write(running, shared, action_item, world):
        response = _call(client, method, url, body)
        assert response.status_code == 403, (method, url, response.status_code)
    assert AuditEntry.objects.filter(
        action=Action.PERMISSION_DENIED, object_id=str(running.meeting.pk)
    ).exists()
    running.meeting.refresh_from_db()
    assert running.meeting.status == MeetingStatus.IN_PROGRESS
    assert AgendaItem.objects.filter(removed=False).count() == 1
    assert ActionItem.objects.count() == 1


def test_only_the_responsible_and_running_agencies_set_the_status(
    running, action_item, world, personas, client_for
):
    """The police liaison takes part in the meeting and sees the action item in
    the meeting's list, but does not answer for it: the status is not its to set.
    (action_for reads the action item's own grants, so the answer is 404.)"""
    police = client_for(personas.police)
    listed = police.get(f"{V1}action-items/", {"meeting": str(running.meeting.pk)})
    assert [a["id"] for a in listed.json()["results"]] == [str(action_item.pk)]
    url = f"{V1}action-items/{action_item.pk}/status/"
    assert _post(police, url, {"status": "done"}).status_code in (403, 404)
    action_item.refresh_from_db()
    assert action_item.status == ActionStatus.OPEN
    for who in (personas.ssp, personas.social):
        response = _post(client_for(who), url, {"status": "open"})
        assert response.status_code == 200, response.content
    action_item.refresh_from_db()
    assert action_item.status == ActionStatus.OPEN


@pytest.mark.parametrize("who", ["teacher", "ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_everywhere_and_see_nothing_listed(
    who, teacher, running, shared, action_item, consent, world, personas, client_for
):
    """A non-participant agency of the same municipality, another municipality and
    police of another district: 404 whether or not it exists, absent from lists."""
    user = teacher if who == "teacher" else getattr(personas, who)
    client = client_for(user)
    for url in _every_read(running, shared, action_item):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert "Dagsordensen" not in response.content.decode()
    for method, url, body in _every_write(running, shared, action_item, world):
        response = _call(client, method, url, body)
        assert response.status_code == 404, (method, url, response.status_code)
    for url in (
        f"{V1}shared-information/",
        f"{V1}action-items/{action_item.pk}/status/",
        f"{V1}consents/{consent.pk}/withdraw/",
    ):
        body = _share_input(running.item) if "shared" in url else {"status": "done"}
        assert _call(client, "post", url, body).status_code == 404, url
    assert client.get(f"{V1}consents/{consent.pk}/").status_code == 404
    assert client.get(f"{V1}consents/?person={running.person.pk}").status_code == 404
    for url in (f"{V1}forums/", f"{V1}meetings/"):
        listed = client.get(url).json()
        assert listed["count"] == 0 and listed["results"] == [], url
    for params in ({"mine": "1"}, {"agency": "1"}):
        assert client.get(f"{V1}action-items/", params).json()["count"] == 0
    assert SharedInformation.objects.count() == 1
    running.meeting.refresh_from_db()
    assert running.meeting.status == MeetingStatus.IN_PROGRESS


def test_lists_never_contain_another_forums_records(
    personas, world, running, shared, client_for
):
    """Albertslund's forum and its records stay out of Ishøj's lists, and the
    other way round."""
    forum = forums.forum_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        kind=ForumKind.objects.get(code="ssp"),
        name="SSP Albertslund",
        municipalities=[world.albertslund],
        chair=personas.ssp_albertslund,
        first_meeting_at=local(days=8),
    )
    albertslund = client_for(personas.ssp_albertslund)
    ishoej = client_for(personas.ssp)
    theirs = {str(m.pk) for m in forum.meetings.all()}
    ours = {str(m.pk) for m in running.meeting.forum.meetings.all()}
    assert {m["id"] for m in _all(ishoej, f"{V1}meetings/")} == ours
    assert {m["id"] for m in _all(albertslund, f"{V1}meetings/")} == theirs
    assert [f["id"] for f in _all(albertslund, f"{V1}forums/")] == [str(forum.pk)]
    # Asking for another forum's meeting's records is 404, not an empty list.
    other_meeting = forum.meetings.first()
    for url in (f"{V1}agenda-items/", f"{V1}shared-information/", f"{V1}action-items/"):
        assert ishoej.get(url, {"meeting": str(other_meeting.pk)}).status_code == 404
        assert (
            albertslund.get(url, {"meeting": str(running.meeting.pk)}).status_code
            == 404
        )
    # Filtering by another forum finds nothing.
    assert ishoej.get(f"{V1}meetings/", {"forum": str(forum.pk)}).json()["count"] == 0


def _all(client, url) -> list:
    body = client.get(url, {"page_size": 500}).json()
    results = body["results"]
    while body.get("next"):
        body = client.get(body["next"]).json()
        results += body["results"]
    return results


# --- Query bounds ---------------------------------------------------------------------


def test_list_query_counts_do_not_grow(
    coordinator, personas, world, running, django_assert_max_num_queries
):
    meeting = running.meeting

    def share_more(count: int) -> None:
        for _ in range(count):
            sharing.information_share(
                actor=personas.social,
                agency=world.social_ishoej,
                item=running.item,
                text="Fravær",
                legal_basis=LegalBasis.RPL115_2,
                necessity=NEED,
            )
            services.action_item_add(
                actor=personas.ssp,
                item=running.item,
                description="Opfølgning",
                responsible_agency=world.social_ishoej,
                due_on=TODAY() + timedelta(days=3),
            )

    urls = [
        f"{V1}meetings/",
        f"{V1}forums/",
        f"{V1}agenda-items/?meeting={meeting.pk}",
        f"{V1}shared-information/?meeting={meeting.pk}",
        f"{V1}action-items/?meeting={meeting.pk}",
    ]
    share_more(1)
    for url in urls:
        with django_assert_max_num_queries(16):
            assert coordinator.get(url).status_code == 200, url
    share_more(8)
    for url in urls:
        with django_assert_max_num_queries(16):
            assert coordinator.get(url).status_code == 200, url


# --- Schema ---------------------------------------------------------------------------


def test_the_schema_documents_the_endpoints_without_warnings(personas, client_for):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    schema = client_for(personas.ssp).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/forums/",
        "/api/v1/forums/{id}/",
        "/api/v1/forums/{id}/members/",
        "/api/v1/forums/{id}/members/{member_id}/leave/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/meetings/{id}/build-agenda/",
        "/api/v1/meetings/{id}/send-agenda/",
        "/api/v1/meetings/{id}/reorder/",
        "/api/v1/meetings/{id}/start/",
        "/api/v1/meetings/{id}/end/",
        "/api/v1/meetings/{id}/approve/",
        "/api/v1/meetings/{id}/cancel/",
        "/api/v1/meetings/{id}/attendance/",
        "/api/v1/agenda-items/",
        "/api/v1/agenda-items/{id}/",
        "/api/v1/agenda-items/{id}/decision/",
        "/api/v1/shared-information/",
        "/api/v1/shared-information/{id}/",
        "/api/v1/shared-information/reshare/",
        "/api/v1/action-items/",
        "/api/v1/action-items/{id}/",
        "/api/v1/action-items/{id}/status/",
        "/api/v1/consents/",
        "/api/v1/consents/{id}/",
        "/api/v1/consents/{id}/withdraw/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/agenda-items/{id}/"]) == {"get", "patch", "delete"}
    meeting_params = {
        p["name"] for p in paths["/api/v1/meetings/"]["get"]["parameters"]
    }
    assert {"forum", "from", "to"} <= meeting_params
    components = schema.json()["components"]["schemas"]
    for name in (
        "SharedInformationOutput",
        "SharedInformationListOutput",
        "AgendaItemOutput",
        "ActionItemOutput",
    ):
        assert {"legal_basis", "legal_basis_label"} <= set(
            components[name]["properties"]
        ), name
    assert "confidentiality" in components["SharedInformationOutput"]["properties"]
    input_fields = components["SharedInformationInput"]["properties"]
    assert "agency" not in input_fields and "restricted" not in input_fields

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(
        warnings=dict(GENERATOR_STATS._warn_cache),
        errors=dict(GENERATOR_STATS._error_cache),
    )
