"""/api/v1/conversations/ and its neighbours (issue 4, point 8): each endpoint's
happy path as the police liaison, the outsiders (404, absent from the list), the
SSP unit that knows only that it exists (summary, 403 on actions), the municipal
agency taking part (in full, 403 on actions), field errors, illegal transitions,
query bounds and the OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import Action, AuditEntry
from cases.services import person_create
from conversations import services
from conversations.models import (
    ConcernConversation,
    ConcernKind,
    Measure,
    MeasureStatus,
    Method,
    Participant,
    ParticipantRole,
    Status,
)
from organisations.models import Role
from tests.conftest import make_user

from .conftest import local

API = "/api/v1/conversations/"
TODAY = timezone.localdate

SUMMARY_KEYS = {
    "id",
    "person",
    "kind",
    "status",
    "requested_on",
    "planned_at",
    "held_on",
    "follow_up_on",
    "agency",
    "municipal_agency",
    "owner",
}
CONTENT_KEYS = {
    "reason",
    "mapping_note",
    "accountability_note",
    "measures_note",
    "participants",
    "measures",
    "follow_ups",
}


def _post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def _hold_input(conversation, **overrides) -> dict:
    return {
        "held_on": str(TODAY() - timedelta(days=1)),
        "mapping_note": "Kortlægning: skolefravær.",
        "accountability_note": "Konsekvenser gjort klart.",
        "measures_note": "Fritidsjob.",
        "attended": [str(p.pk) for p in conversation.participants.all()],
        **overrides,
    }


def _measure_input(measure_type, agency, **overrides) -> dict:
    return {
        "measure_type": measure_type.pk,
        "description": "Fritidsjob i Brugsen",
        "responsible_agency": str(agency.pk),
        "due_on": str(TODAY() + timedelta(days=30)),
        **overrides,
    }


def _add_measure(conversation, personas, world, measure_type, **fields):
    return services.measure_add(
        actor=personas.police,
        conversation=conversation,
        measure_type=measure_type,
        description=fields.pop("description", "Lektiecafé"),
        responsible_agency=fields.pop("responsible_agency", world.social_ishoej),
        due_on=fields.pop("due_on", TODAY() + timedelta(days=14)),
        **fields,
    )


@pytest.fixture
def police(personas, client_for):
    return client_for(personas.police)


@pytest.fixture
def with_social(make_conversation, world):
    """Held with Ishøj children & family services taking part: they see it in
    full, Ishøj SSP only that it exists (the summary)."""
    return make_conversation(Status.HELD, municipal_agency=world.social_ishoej)


# --- Requesting -------------------------------------------------------------------


def test_police_requests_a_conversation_and_server_fields_are_not_writable(
    police, personas, world, youth
):
    response = _post(
        police,
        API,
        {
            "person": str(youth.person.pk),
            "kind": ConcernKind.INCIDENT,
            "source": "school",
            "requested_by": "Skoleleder, Vejleå Skole",
            "requested_on": str(TODAY()),
            "reason": "Slagsmål i frikvarteret.",
            "municipal_agency": str(world.ssp_ishoej.pk),
            # Set by the server, whatever the caller sends:
            "agency": str(world.police_nordsjaelland.pk),
            "owner": str(personas.police_other_district.pk),
            "created_by": str(personas.ssp.pk),
            "status": Status.CLOSED,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    conversation = ConcernConversation.objects.get(pk=body["id"])
    assert conversation.agency == world.police_vestegn
    assert conversation.owner == personas.police
    assert conversation.created_by == personas.police
    assert conversation.status == Status.REQUESTED
    assert body["person"] == {"id": str(youth.person.pk), "name": "Sami Samtalesen"}
    assert body["reason"] == "Slagsmål i frikvarteret."
    assert {p["role"] for p in body["participants"]} == {
        ParticipantRole.POLICE,
        ParticipantRole.YOUTH,
    }


def test_request_about_a_person_the_police_may_not_see_is_404(police, personas, world):
    hidden = person_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        given_name="Skjult",
        family_name="Persen",
    )
    response = _post(
        police,
        API,
        {
            "person": str(hidden.pk),
            "kind": ConcernKind.GENERAL,
            "source": "ad_hoc",
            "requested_by": "Skolen",
            "requested_on": str(TODAY()),
            "reason": "Bekymring",
            "municipal_agency": str(world.ssp_ishoej.pk),
        },
    )
    assert response.status_code == 404
    assert not ConcernConversation.objects.exists()


@pytest.mark.parametrize("who", ["ssp", "social", "admin", "superuser"])
def test_only_a_police_liaison_requests(who, personas, world, youth, client_for):
    response = _post(
        client_for(getattr(personas, who)),
        API,
        {
            "person": str(youth.person.pk),
            "kind": ConcernKind.GENERAL,
            "source": "ad_hoc",
            "requested_by": "Skolen",
            "requested_on": str(TODAY()),
            "reason": "Bekymring",
            "municipal_agency": str(world.ssp_ishoej.pk),
        },
    )
    assert response.status_code == 403
    assert not ConcernConversation.objects.exists()


def test_request_bad_input_gets_field_errors_and_saves_nothing(police, world, youth):
    missing = _post(police, API, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) >= {
        "person",
        "kind",
        "source",
        "requested_by",
        "requested_on",
        "reason",
        "municipal_agency",
    }
    wrong_agency = _post(
        police,
        API,
        {
            "person": str(youth.person.pk),
            "kind": ConcernKind.GENERAL,
            "source": "ad_hoc",
            "requested_by": "Skolen",
            "requested_on": str(TODAY() + timedelta(days=1)),
            "reason": "Bekymring",
            "municipal_agency": str(world.ssp_albertslund.pk),
        },
    )
    assert wrong_agency.status_code == 400
    assert set(wrong_agency.json()["errors"]) == {"municipal_agency", "requested_on"}
    assert not ConcernConversation.objects.exists()


# --- Reading ----------------------------------------------------------------------


def test_list_shows_summaries_and_filters(
    police, personas, world, make_conversation, client_for
):
    requested = make_conversation(Status.REQUESTED, kind=ConcernKind.GANG)
    planned = make_conversation(Status.PLANNED)
    body = police.get(API).json()
    assert body["count"] == 2
    assert {c["id"] for c in body["results"]} == {str(requested.pk), str(planned.pk)}
    assert all(set(c) == SUMMARY_KEYS for c in body["results"])

    def ids(query):
        return [c["id"] for c in police.get(API, query).json()["results"]]

    assert ids({"status": "planned"}) == [str(planned.pk)]
    assert set(ids({"status": "open"})) == {str(requested.pk), str(planned.pk)}
    assert ids({"kind": ConcernKind.GANG}) == [str(requested.pk)]
    assert len(ids({"mine": "true"})) == 2
    # Another liaison of the same police agency is not their owner.
    colleague = make_user("colleague", (world.police_vestegn, Role.POLICE_LIAISON))
    assert client_for(colleague).get(API, {"mine": "true"}).json()["count"] == 0
    bad = police.get(API, {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_detail_in_full_for_the_police_and_audited(police, make_conversation):
    conversation = make_conversation(Status.HELD)
    response = police.get(f"{API}{conversation.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= SUMMARY_KEYS | CONTENT_KEYS
    assert body["mapping_note"] == "Kortlægning: skolefravær."
    assert len(body["participants"]) == 2
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_id=str(conversation.pk)
    ).exists()


def test_wrong_methods_are_refused(police, make_conversation):
    conversation = make_conversation(Status.PLANNED)
    assert police.get(f"{API}{conversation.pk}/plan/").status_code == 405
    assert police.put(f"{API}{conversation.pk}/").status_code == 405
    assert police.delete(f"{API}{conversation.pk}/").status_code == 405


def test_anonymous_is_refused(client, make_conversation):
    conversation = make_conversation(Status.PLANNED)
    assert client.get(API).status_code in (401, 403)
    assert client.get(f"{API}{conversation.pk}/").status_code in (401, 403)


# --- Transitions ------------------------------------------------------------------


def test_plan(police, make_conversation):
    conversation = make_conversation(Status.REQUESTED)
    response = _post(
        police,
        f"{API}{conversation.pk}/plan/",
        {
            "planned_at": local(2).isoformat(),
            "place": "Ishøj Rådhus",
            "interpreter_needed": True,
            "interpreter_language": "Arabisk",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.PLANNED
    conversation.refresh_from_db()
    assert conversation.place == "Ishøj Rådhus"
    assert conversation.interpreter_language == "Arabisk"


def test_hold_with_a_measure(police, make_conversation, world, measure_type):
    conversation = make_conversation(Status.PLANNED)
    method = Method.objects.filter(active=True).first()
    follow_up_on = TODAY() + timedelta(days=60)
    response = _post(
        police,
        f"{API}{conversation.pk}/hold/",
        _hold_input(
            conversation,
            follow_up_on=str(follow_up_on),
            method=method.pk,
            measures=[_measure_input(measure_type, world.ssp_ishoej)],
        ),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.HELD
    assert body["follow_up_on"] == str(follow_up_on)
    assert body["method"]["id"] == method.pk
    assert [m["description"] for m in body["measures"]] == ["Fritidsjob i Brugsen"]
    assert all(p["attended"] for p in body["participants"])


def test_hold_without_a_phase_note_is_a_field_error(police, make_conversation):
    conversation = make_conversation(Status.PLANNED)
    response = _post(
        police,
        f"{API}{conversation.pk}/hold/",
        _hold_input(conversation, mapping_note="  "),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "mapping_note": ["Write a note for this phase."]
    }
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED


def test_hold_with_follow_up_before_the_conversation_is_a_field_error(
    police, make_conversation
):
    conversation = make_conversation(Status.PLANNED)
    response = _post(
        police,
        f"{API}{conversation.pk}/hold/",
        _hold_input(conversation, follow_up_on=str(TODAY() - timedelta(days=5))),
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"follow_up_on"}
    conversation.refresh_from_db()
    assert conversation.held_on is None


def test_hold_with_an_invalid_measure_saves_nothing(
    police, make_conversation, world, measure_type
):
    conversation = make_conversation(Status.PLANNED)
    response = _post(
        police,
        f"{API}{conversation.pk}/hold/",
        _hold_input(
            conversation,
            measures=[
                _measure_input(measure_type, world.ssp_ishoej),
                _measure_input(measure_type, world.ssp_helsingoer),
            ],
        ),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]["measures"]
    assert list(errors) == ["1"] and set(errors["1"]) == {"responsible_agency"}
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED
    assert not Measure.objects.exists()
    # Bad input in the measure itself is answered in the same shape.
    malformed = _post(
        police,
        f"{API}{conversation.pk}/hold/",
        _hold_input(conversation, measures=[{"description": "x"}]),
    )
    assert malformed.status_code == 400
    assert set(malformed.json()["errors"]["measures"]["0"]) >= {
        "measure_type",
        "responsible_agency",
        "due_on",
    }


def test_follow_up(police, make_conversation):
    conversation = make_conversation(Status.HELD)
    response = _post(
        police,
        f"{API}{conversation.pk}/follow-up/",
        {
            "followed_up_on": str(TODAY()),
            "note": "Går i skole igen.",
            "concern_continues": False,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.FOLLOW_UP
    assert body["follow_up_on"] is None
    assert [f["note"] for f in body["follow_ups"]] == ["Går i skole igen."]


def test_follow_up_before_the_conversation_is_a_field_error(police, make_conversation):
    conversation = make_conversation(Status.HELD)
    response = _post(
        police,
        f"{API}{conversation.pk}/follow-up/",
        {
            "followed_up_on": str(conversation.held_on - timedelta(days=1)),
            "note": "For tidligt.",
            "concern_continues": True,
        },
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"followed_up_on", "next_follow_up_on"}
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD
    assert not conversation.follow_ups.exists()


def test_close(police, make_conversation):
    conversation = make_conversation(Status.HELD)
    response = _post(
        police,
        f"{API}{conversation.pk}/close/",
        {"outcome": "no_further_concern", "reason": "Det går godt."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.CLOSED
    assert response.json()["closed_on"] == str(TODAY())


def test_cancel_and_not_attended(police, make_conversation):
    requested = make_conversation(Status.REQUESTED)
    response = _post(
        police, f"{API}{requested.pk}/cancel/", {"reason": "Familien flyttede."}
    )
    assert response.status_code == 200
    assert response.json()["status"] == Status.CANCELLED
    planned = make_conversation(Status.PLANNED)
    response = _post(
        police, f"{API}{planned.pk}/not-attended/", {"reason": "Ingen mødte op."}
    )
    assert response.status_code == 200
    assert response.json()["status"] == Status.NOT_ATTENDED
    empty = _post(police, f"{API}{planned.pk}/close/", {"outcome": "other"})
    assert empty.status_code == 400 and set(empty.json()["errors"]) == {"reason"}


def test_an_illegal_transition_is_400_with_the_message(police, make_conversation):
    conversation = make_conversation(Status.HELD)
    response = _post(
        police,
        f"{API}{conversation.pk}/cancel/",
        {"reason": "For sent."},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["This conversation is “held”, so it cannot be cancelled."]
    }
    # The same shape when the service refuses a hold that is not allowed.
    hold = _post(
        police,
        f"{API}{conversation.pk}/hold/",
        _hold_input(conversation),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert hold.status_code == 400
    assert list(hold.json()["errors"]) == ["non_field_errors"]
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD


# --- Participants and measures ----------------------------------------------------


def test_participants_list_add_and_remove(police, make_conversation, youth):
    conversation = make_conversation(Status.PLANNED)
    url = f"{API}{conversation.pk}/participants/"
    added = _post(
        police, url, {"role": ParticipantRole.GUARDIAN, "person": str(youth.mother.pk)}
    )
    assert added.status_code == 201, added.content
    assert added.json()["name"] == "Mona Samtalesen"
    interpreter = _post(police, url, {"role": "interpreter", "name": "Tolk A"})
    assert interpreter.status_code == 201
    listed = police.get(url).json()
    assert listed["count"] == 4
    removed = police.delete(f"{url}{interpreter.json()['id']}/")
    assert removed.status_code == 204
    assert police.get(url).json()["count"] == 3
    # The responsible officer stays; an unknown participant is 404.
    owner = conversation.participants.get(user=conversation.owner)
    assert police.delete(f"{url}{owner.pk}/").status_code == 400
    other = make_conversation(Status.PLANNED)
    stranger = other.participants.first()
    assert police.delete(f"{url}{stranger.pk}/").status_code == 404
    assert Participant.objects.filter(pk=stranger.pk).exists()


def test_participant_bad_input_gets_field_errors(
    police, make_conversation, personas, world
):
    conversation = make_conversation(Status.PLANNED)
    url = f"{API}{conversation.pk}/participants/"
    hidden = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Skjult",
        family_name="Persen",
    )
    invisible = _post(police, url, {"role": "guardian", "person": str(hidden.pk)})
    assert invisible.status_code == 400
    assert set(invisible.json()["errors"]) == {"person"}
    staff = _post(
        police, url, {"role": "municipal", "user": str(personas.ssp_albertslund.pk)}
    )
    assert staff.status_code == 400 and set(staff.json()["errors"]) == {"user"}
    nameless = _post(police, url, {"role": "other"})
    assert nameless.status_code == 400 and set(nameless.json()["errors"]) == {"name"}
    assert conversation.participants.count() == 2


def test_measures_list_and_add(police, make_conversation, world, measure_type):
    conversation = make_conversation(Status.HELD)
    url = f"{API}{conversation.pk}/measures/"
    added = _post(police, url, _measure_input(measure_type, world.social_ishoej))
    assert added.status_code == 201, added.content
    assert added.json()["responsible_agency"]["id"] == str(world.social_ishoej.pk)
    assert police.get(url).json()["count"] == 1
    late = _post(
        police,
        url,
        _measure_input(
            measure_type,
            world.social_ishoej,
            due_on=str(conversation.held_on - timedelta(days=1)),
        ),
    )
    assert late.status_code == 400 and set(late.json()["errors"]) == {"due_on"}


def test_measure_status_by_the_police_and_the_responsible_agency(
    police, make_conversation, personas, world, measure_type, client_for
):
    conversation = make_conversation(Status.HELD)
    measure = _add_measure(conversation, personas, world, measure_type)
    url = f"/api/v1/conversation-measures/{measure.pk}/status/"
    response = _post(police, url, {"status": MeasureStatus.IN_PROGRESS})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == MeasureStatus.IN_PROGRESS
    response = _post(client_for(personas.social), url, {"status": MeasureStatus.DONE})
    assert response.status_code == 200
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE
    bad = _post(police, url, {"status": "finished"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"status"}
    # Ishøj SSP, the municipal agency, sees the measure but does not change it.
    assert _post(client_for(personas.ssp), url, {"status": "agreed"}).status_code == (
        403
    )
    for outsider in (personas.ssp_albertslund, personas.police_other_district):
        assert _post(client_for(outsider), url, {"status": "agreed"}).status_code == (
            404
        )


def test_worklist_is_the_acting_agencys_open_measures(
    make_conversation, personas, world, measure_type, client_for
):
    conversation = make_conversation(Status.HELD)
    open_measure = _add_measure(
        conversation, personas, world, measure_type, responsible_user=personas.social
    )
    done = _add_measure(conversation, personas, world, measure_type)
    services.measure_set_status(
        actor=personas.police, measure=done, status=MeasureStatus.DONE
    )
    police_own = _add_measure(
        conversation,
        personas,
        world,
        measure_type,
        responsible_agency=world.police_vestegn,
    )
    url = "/api/v1/conversation-measures/worklist/"
    social = client_for(personas.social).get(url).json()
    assert [m["id"] for m in social["results"]] == [str(open_measure.pk)]
    assert social["results"][0]["person"]["name"] == "Sami Samtalesen"
    assert "mapping_note" not in social["results"][0]
    police = client_for(personas.police).get(url).json()
    assert [m["id"] for m in police["results"]] == [str(police_own.pk)]
    assert client_for(personas.ssp_albertslund).get(url).json()["count"] == 0
    assert client_for(personas.superuser).get(url).status_code == 403


def test_catalogues(police):
    methods = police.get("/api/v1/conversation-methods/", HTTP_ACCEPT_LANGUAGE="en")
    assert methods.status_code == 200
    first = methods.json()["results"][0]
    assert set(first["questions"]) == {"mapping", "accountability", "measures", "any"}
    assert any(first["questions"].values())
    types = police.get("/api/v1/measure-types/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Leisure job" in {t["name"] for t in types["results"]}
    danish = police.get("/api/v1/measure-types/", HTTP_ACCEPT_LANGUAGE="da").json()
    assert "Fritidsjob" in {t["name"] for t in danish["results"]}


# --- Who may do what --------------------------------------------------------------


def _every_action(conversation, participant, measure_type, world):
    """(method, url, body) for every endpoint of one conversation."""
    base = f"{API}{conversation.pk}/"
    return [
        ("get", base, None),
        ("post", f"{base}plan/", {"planned_at": local(2).isoformat(), "place": "X"}),
        ("post", f"{base}hold/", _hold_input(conversation)),
        (
            "post",
            f"{base}follow-up/",
            {"followed_up_on": str(TODAY()), "note": "x", "concern_continues": False},
        ),
        ("post", f"{base}close/", {"outcome": "other", "reason": "x"}),
        ("post", f"{base}cancel/", {"reason": "x"}),
        ("post", f"{base}not-attended/", {"reason": "x"}),
        ("get", f"{base}participants/", None),
        ("post", f"{base}participants/", {"role": "other", "name": "Tolk"}),
        ("delete", f"{base}participants/{participant.pk}/", None),
        ("get", f"{base}measures/", None),
        ("post", f"{base}measures/", _measure_input(measure_type, world.ssp_ishoej)),
    ]


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return _post(client, url, body)


@pytest.mark.parametrize("who", ["ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_everywhere_and_do_not_see_it_listed(
    who, with_social, personas, world, measure_type, client_for
):
    client = client_for(getattr(personas, who))
    participant = with_social.participants.exclude(user=with_social.owner).first()
    for method, url, body in _every_action(
        with_social, participant, measure_type, world
    ):
        response = _call(client, method, url, body)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "Samtalesen" not in response.content.decode()
    listed = client.get(API).json()
    assert listed["count"] == 0 and listed["results"] == []
    with_social.refresh_from_db()
    assert with_social.status == Status.HELD


def test_the_ssp_unit_sees_the_summary_only_and_may_not_act(
    with_social, personas, world, measure_type, client_for
):
    client = client_for(personas.ssp)
    detail = client.get(f"{API}{with_social.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert set(body) == SUMMARY_KEYS
    assert body["status"] == Status.HELD
    assert body["follow_up_on"] == str(with_social.follow_up_on)
    assert "Kortlægning" not in detail.content.decode()
    assert [c["id"] for c in client.get(API).json()["results"]] == [str(with_social.pk)]
    participant = with_social.participants.exclude(user=with_social.owner).first()
    for method, url, body in _every_action(
        with_social, participant, measure_type, world
    )[1:]:
        response = _call(client, method, url, body)
        assert response.status_code == 403, (method, url, response.status_code)
        assert "Kortlægning" not in response.content.decode()
    assert AuditEntry.objects.filter(
        action=Action.PERMISSION_DENIED, object_id=str(with_social.pk)
    ).exists()
    with_social.refresh_from_db()
    assert with_social.status == Status.HELD


def test_the_municipal_agency_taking_part_sees_it_in_full_but_may_not_act(
    with_social, personas, world, measure_type, client_for
):
    client = client_for(personas.social)
    body = client.get(f"{API}{with_social.pk}/").json()
    assert set(body) >= SUMMARY_KEYS | CONTENT_KEYS
    assert body["mapping_note"] == "Kortlægning: skolefravær."
    assert client.get(f"{API}{with_social.pk}/participants/").json()["count"] == 2
    participant = with_social.participants.exclude(user=with_social.owner).first()
    actions = _every_action(with_social, participant, measure_type, world)
    for method, url, body in actions:
        if method == "get":
            continue
        response = _call(client, method, url, body)
        assert response.status_code == 403, (method, url, response.status_code)
    with_social.refresh_from_db()
    assert with_social.status == Status.HELD


# --- Query bounds -----------------------------------------------------------------


def test_list_query_count_does_not_grow(
    police, make_conversation, personas, world, django_assert_max_num_queries
):
    def about_a_new_person(index: int, status: str) -> None:
        person = person_create(
            actor=personas.police,
            agency=world.police_vestegn,
            municipality=world.ishoej,
            given_name=f"Ung{index}",
            family_name="Persen",
        )
        make_conversation(status, person=person)

    for index in range(2):
        about_a_new_person(index, Status.REQUESTED)
    with django_assert_max_num_queries(14):
        small = police.get(API)
    for index in range(2, 10):
        about_a_new_person(index, Status.PLANNED)
    with django_assert_max_num_queries(14):
        large = police.get(API)
    assert small.json()["count"] == 2 and large.json()["count"] == 10


def test_detail_query_count_does_not_grow_with_measures(
    police,
    make_conversation,
    personas,
    world,
    measure_type,
    django_assert_max_num_queries,
):
    conversation = make_conversation(Status.HELD)
    _add_measure(conversation, personas, world, measure_type)
    with django_assert_max_num_queries(20):
        police.get(f"{API}{conversation.pk}/")
    for _ in range(5):
        _add_measure(
            conversation,
            personas,
            world,
            measure_type,
            responsible_user=personas.social,
        )
    with django_assert_max_num_queries(20):
        response = police.get(f"{API}{conversation.pk}/")
    assert len(response.json()["measures"]) == 6


# --- Schema -----------------------------------------------------------------------


def test_the_schema_documents_the_endpoints_without_warnings(personas, client_for):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    schema = client_for(personas.police).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/conversations/",
        "/api/v1/conversations/{id}/",
        "/api/v1/conversations/{id}/plan/",
        "/api/v1/conversations/{id}/hold/",
        "/api/v1/conversations/{id}/follow-up/",
        "/api/v1/conversations/{id}/close/",
        "/api/v1/conversations/{id}/cancel/",
        "/api/v1/conversations/{id}/not-attended/",
        "/api/v1/conversations/{id}/participants/",
        "/api/v1/conversations/{id}/participants/{participant_id}/",
        "/api/v1/conversations/{id}/measures/",
        "/api/v1/conversation-measures/{id}/status/",
        "/api/v1/conversation-measures/worklist/",
        "/api/v1/conversation-methods/",
        "/api/v1/measure-types/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/conversations/"]) == {"get", "post"}
    components = schema.json()["components"]["schemas"]
    summary = components["ConversationSummaryOutput"]["properties"]
    assert "reason" not in summary and "mapping_note" not in summary

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(
        warnings=dict(GENERATOR_STATS._warn_cache),
        errors=dict(GENERATOR_STATS._error_cache),
    )
