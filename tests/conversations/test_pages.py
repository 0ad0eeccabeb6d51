"""Concern conversation pages (issue 4, points 1, 4, 5 and 8): the police liaison's
flow through the client, htmx fragments, field errors with nothing saved, the
persona matrix (outsiders 404 and absent from lists, the SSP unit's summary, the
social worker who reads but may not write) and query bounds that do not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.legal import LegalBasis
from audit.models import Action, AuditEntry
from conversations import services
from conversations.models import (
    ConcernConversation,
    ConcernKind,
    Measure,
    MeasureStatus,
    Method,
    Outcome,
    Participant,
    ParticipantRole,
    RequestSource,
    Status,
)
from conversations.views import DASHBOARD_SHOWN
from families.member_cases import _KINDS as CASE_KINDS
from families.models import MemberRole
from families.services import family_add_new_person, family_create
from tests.seams import figures_on, rows_behind

from .conftest import local

HX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate
NAME = "Samtalesen"  # the family name of the young person and the mother


def url(name, *args):
    return reverse(f"conversations:{name}", args=args)


def html(response) -> str:
    return response.content.decode()


def _hold_data(conversation, **overrides) -> dict:
    data = {
        "held_on": (TODAY() - timedelta(days=1)).isoformat(),
        "method": "",
        "mapping_note": "Skolefravær og sene aftener.",
        "accountability_note": "Konsekvenserne er gjort klart.",
        "measures_note": "Fritidsjob og mentor.",
        "attended": [str(p.pk) for p in conversation.participants.all()],
        "follow_up_on": "",
    }
    data.update(overrides)
    return data


def _hold(conversation, actor, *, held_on, follow_up_on):
    services.conversation_hold(
        actor=actor,
        conversation=conversation,
        held_on=held_on,
        mapping_note="Kortlægning.",
        accountability_note="Ansvar.",
        measures_note="Tiltag.",
        attended=[],
        follow_up_on=follow_up_on,
    )
    conversation.refresh_from_db()
    return conversation


@pytest.fixture
def with_social(make_conversation, world):
    """Held with Ishøj's children & family services taking part: they see it in
    full, Ishøj SSP sees the summary only."""
    return make_conversation(Status.HELD, municipal_agency=world.social_ishoej)


# --- Request ----------------------------------------------------------------------


def test_police_requests_a_conversation_from_the_persons_page(
    personas, world, youth, client_for
):
    client = client_for(personas.police)
    person_page = client.get(reverse("cases:person_detail", args=[youth.person.pk]))
    assert person_page.context["can_request_conversation"]
    assert url("request", youth.person.pk) in html(person_page)

    form_page = client.get(url("request", youth.person.pk))
    assert form_page.status_code == 200
    form = form_page.context["form"]
    assert form["municipal_agency"].value() == world.ssp_ishoej.pk
    assert form["legal_basis"].value() == LegalBasis.RPL115_1_1_SSP
    # Municipal agencies of the person's municipality only: no police, no others.
    assert set(form.fields["municipal_agency"].queryset) == {
        world.ssp_ishoej,
        world.social_ishoej,
    }

    created = client.post(
        url("request", youth.person.pk),
        {
            "kind": ConcernKind.INCIDENT,
            "source": RequestSource.SCHOOL,
            "requested_by": "Skolelederen, Vejleå Skole",
            "requested_on": TODAY().isoformat(),
            "reason": "Butikstyveri sammen med ældre drenge.",
            "municipal_agency": world.ssp_ishoej.pk,
            "legal_basis": LegalBasis.RPL115_1_1_SSP,
        },
    )
    conversation = ConcernConversation.objects.get()
    assert created.status_code == 302
    assert created["Location"] == url("detail", conversation.pk)
    assert conversation.agency == world.police_vestegn
    assert conversation.owner == personas.police
    assert conversation.status == Status.REQUESTED

    # The person's page lists it with its state.
    person_page = client.get(reverse("cases:person_detail", args=[youth.person.pk]))
    assert list(person_page.context["conversations"]) == [conversation]
    assert url("detail", conversation.pk) in html(person_page)


def test_request_with_bad_input_shows_field_errors_and_saves_nothing(
    personas, world, youth, client_for
):
    client = client_for(personas.police)
    response = client.post(
        url("request", youth.person.pk),
        {
            "kind": ConcernKind.GENERAL,
            "source": RequestSource.AD_HOC,
            "requested_by": "SSP",
            "requested_on": (TODAY() + timedelta(days=3)).isoformat(),
            "reason": "",
            "municipal_agency": world.ssp_ishoej.pk,
            "legal_basis": LegalBasis.RPL115_1_1_SSP,
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reason"}
    response = client.post(
        url("request", youth.person.pk),
        {
            "kind": ConcernKind.GENERAL,
            "source": RequestSource.AD_HOC,
            "requested_by": "SSP",
            "requested_on": (TODAY() + timedelta(days=3)).isoformat(),
            "reason": "Bekymring",
            "municipal_agency": world.ssp_ishoej.pk,
            "legal_basis": LegalBasis.RPL115_1_1_SSP,
        },
    )
    # The service's own message, on the field.
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"requested_on"}
    assert not ConcernConversation.objects.exists()


def test_only_a_police_liaison_may_request(personas, youth, client_for):
    ssp = client_for(personas.ssp)
    assert ssp.get(url("request", youth.person.pk)).status_code == 403
    page = ssp.get(reverse("cases:person_detail", args=[youth.person.pk]))
    assert not page.context["can_request_conversation"]
    assert url("request", youth.person.pk) not in html(page)
    for outsider in (personas.ssp_albertslund, personas.police_other_district):
        response = client_for(outsider).get(url("request", youth.person.pk))
        assert response.status_code == 404


# --- Plan, hold, follow up, close --------------------------------------------------


def test_plan_hold_follow_up_and_close_through_the_pages(
    make_conversation, personas, youth, client_for
):
    client = client_for(personas.police)
    conversation = make_conversation(Status.REQUESTED)
    page = client.get(url("detail", conversation.pk))
    assert page.status_code == 200
    assert page.context["plan_form"] is not None
    assert "hold_form" not in page.context

    planned = client.post(
        url("plan", conversation.pk),
        {
            "planned_at": local(-2, 16).strftime("%Y-%m-%dT%H:%M"),
            "place": "Hjemme hos familien",
        },
    )
    assert planned.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED
    assert conversation.planned_at == local(-2, 16)

    page = client.get(url("detail", conversation.pk))
    assert "Hjemme hos familien" in html(page)
    assert page.context["hold_form"] is not None
    assert url("letter", conversation.pk) in html(page)
    # The follow-up date is prefilled with the municipality's period.
    assert page.context["hold_form"]["follow_up_on"].value() == (
        services.default_follow_up_on(conversation, TODAY())
    )

    held_on = TODAY() - timedelta(days=1)
    method = Method.objects.filter(active=True).first()
    held = client.post(
        url("hold", conversation.pk),
        _hold_data(
            conversation,
            held_on=held_on.isoformat(),
            method=method.pk,
            attended=[str(conversation.participants.get(role="youth").pk)],
        ),
    )
    assert held.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD
    assert conversation.method == method
    assert conversation.follow_up_on == services.default_follow_up_on(
        conversation, held_on
    )
    attended = dict(conversation.participants.values_list("role", "attended"))
    assert attended == {"youth": True, "police": False}

    page = client.get(url("detail", conversation.pk))
    assert "Skolefravær og sene aftener." in html(page)
    assert page.context["follow_up_form"] is not None

    followed = client.post(
        url("follow_up", conversation.pk),
        {
            "followed_up_on": TODAY().isoformat(),
            "note": "Går i skole igen.",
            "concern_continues": "yes",
            "next_follow_up_on": (TODAY() + timedelta(days=30)).isoformat(),
        },
    )
    assert followed.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Status.FOLLOW_UP
    assert conversation.follow_up_on == TODAY() + timedelta(days=30)
    assert "Går i skole igen." in html(client.get(url("detail", conversation.pk)))

    closed = client.post(
        url("close", conversation.pk),
        {"close-outcome": Outcome.NO_FURTHER_CONCERN, "close-reason": "Alt vel."},
    )
    assert closed.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Status.CLOSED
    page = client.get(url("detail", conversation.pk))
    # A closed conversation offers no actions.
    assert page.context["events"] == []
    assert "plan_form" not in page.context and "close_form" not in page.context


def test_held_without_a_phase_note_shows_it_on_the_field_and_saves_nothing(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.PLANNED)
    response = client_for(personas.police).post(
        url("hold", conversation.pk),
        _hold_data(conversation, accountability_note="  "),
    )
    assert response.status_code == 400
    assert set(response.context["hold_form"].errors) == {"accountability_note"}
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED
    assert conversation.mapping_note == ""
    assert not conversation.participants.filter(attended__isnull=False).exists()


def test_follow_up_date_before_the_conversation_is_refused_on_the_field(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.PLANNED)
    response = client_for(personas.police).post(
        url("hold", conversation.pk),
        _hold_data(
            conversation,
            held_on=(TODAY() - timedelta(days=2)).isoformat(),
            follow_up_on=(TODAY() - timedelta(days=5)).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert set(response.context["hold_form"].errors) == {"follow_up_on"}
    conversation.refresh_from_db()
    assert conversation.status == Status.PLANNED
    assert conversation.held_on is None


def test_a_follow_up_before_the_conversation_is_refused_on_the_field(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.HELD)
    response = client_for(personas.police).post(
        url("follow_up", conversation.pk),
        {
            "followed_up_on": (conversation.held_on - timedelta(days=1)).isoformat(),
            "note": "Set i byen.",
            "concern_continues": "no",
        },
    )
    assert response.status_code == 400
    assert set(response.context["follow_up_form"].errors) == {"followed_up_on"}
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD
    assert not conversation.follow_ups.exists()


def test_follow_up_that_continues_needs_the_next_date(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.HELD)
    response = client_for(personas.police).post(
        url("follow_up", conversation.pk),
        {
            "followed_up_on": TODAY(),
            "note": "Stadig fravær.",
            "concern_continues": "yes",
        },
    )
    assert response.status_code == 400
    assert set(response.context["follow_up_form"].errors) == {"next_follow_up_on"}


@pytest.mark.parametrize(
    "start,name,status",
    [
        (Status.REQUESTED, "cancel", Status.CANCELLED),
        (Status.PLANNED, "cancel", Status.CANCELLED),
        (Status.PLANNED, "not_attended", Status.NOT_ATTENDED),
    ],
)
def test_cancel_and_not_attended_need_a_reason(
    make_conversation, personas, client_for, start, name, status
):
    client = client_for(personas.police)
    conversation = make_conversation(start)
    refused = client.post(url(name, conversation.pk), {f"{name}-reason": " "})
    assert refused.status_code == 400
    assert set(refused.context[f"{name}_form"].errors) == {"reason"}
    conversation.refresh_from_db()
    assert conversation.status == start
    done = client.post(url(name, conversation.pk), {f"{name}-reason": "Flyttet."})
    assert done.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == status


def test_close_needs_a_reason(make_conversation, personas, client_for):
    conversation = make_conversation(Status.HELD)
    response = client_for(personas.police).post(
        url("close", conversation.pk),
        {"close-outcome": Outcome.REFERRED_SSP, "close-reason": ""},
    )
    assert response.status_code == 400
    assert set(response.context["close_form"].errors) == {"reason"}


def test_an_action_the_state_does_not_allow_is_refused(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.REQUESTED)
    response = client_for(personas.police).post(
        url("hold", conversation.pk), _hold_data(conversation)
    )
    assert response.status_code == 400
    assert response.context["hold_form"].non_field_errors()
    conversation.refresh_from_db()
    assert conversation.status == Status.REQUESTED


# --- The method's example questions ------------------------------------------------


def test_hold_form_offers_every_methods_questions_and_htmx_swaps_to_one(
    make_conversation, personas, client_for
):
    client = client_for(personas.police)
    conversation = make_conversation(Status.PLANNED)
    page = html(client.get(url("detail", conversation.pk)))
    methods = list(Method.objects.filter(active=True).prefetch_related("questions"))
    for method in methods:
        for question in method.questions.all():
            assert question.text in page
    assert 'hx-get="{}"'.format(url("hold", conversation.pk)) in page

    chosen = methods[1]
    fragment = client.get(url("hold", conversation.pk), {"method": chosen.pk}, **HX)
    assert fragment.status_code == 200
    text = html(fragment)
    assert "<html" not in text
    assert text.count('hx-swap-oob="innerHTML"') == 3
    for question in chosen.questions.all():
        assert question.text in text
    other = methods[0].questions.first()
    assert other.text not in text
    # Without htmx, back to the form on the page.
    assert client.get(url("hold", conversation.pk)).status_code == 302


def test_a_question_for_any_phase_is_offered_with_each_phase(
    make_conversation, personas, client_for
):
    conversation = make_conversation(Status.PLANNED)
    method = Method.objects.filter(questions__phase="").first()
    anywhere = method.questions.get(phase="")
    fragment = client_for(personas.police).get(
        url("hold", conversation.pk), {"method": method.pk}, **HX
    )
    assert html(fragment).count(anywhere.text) == 3


# --- Participants (htmx) -----------------------------------------------------------


def test_add_the_mother_and_an_interpreter_through_the_fragment(
    make_conversation, personas, youth, client_for
):
    client = client_for(personas.police)
    conversation = make_conversation(Status.PLANNED)
    fragment = client.get(url("participants", conversation.pk), **HX)
    assert fragment.status_code == 200
    assert "<html" not in html(fragment)
    guardians = fragment.context["participant_form"].guardians
    assert list(guardians.values()) == [youth.mother]

    added = client.post(
        url("participants", conversation.pk),
        {
            "participant-role": ParticipantRole.GUARDIAN,
            "participant-guardian": youth.mother.pk,
        },
        **HX,
    )
    assert added.status_code == 200
    assert "<html" not in html(added)
    assert "Mona Samtalesen" in html(added)
    # The hold form's "who attended", out of band, now offers her (ticked).
    oob = html(added).split('id="attended" hx-swap-oob="true"')[1]
    assert "Mona Samtalesen" in oob
    assert conversation.participants.filter(person=youth.mother).exists()

    # Without htmx the same form posts and comes back to the page.
    plain = client.post(
        url("participants", conversation.pk),
        {"participant-role": ParticipantRole.INTERPRETER, "participant-name": "Tolk A"},
    )
    assert plain.status_code == 302
    assert plain["Location"] == url("detail", conversation.pk)
    interpreter = conversation.participants.get(name="Tolk A")

    removed = client.post(
        url("participant_remove", conversation.pk, interpreter.pk), **HX
    )
    assert removed.status_code == 200
    assert "Tolk A" not in html(removed)
    assert not Participant.objects.filter(pk=interpreter.pk).exists()


def test_add_a_member_of_staff(make_conversation, personas, client_for):
    client = client_for(personas.police)
    conversation = make_conversation(Status.REQUESTED)
    response = client.post(
        url("participants", conversation.pk),
        {
            "participant-role": ParticipantRole.MUNICIPAL,
            "participant-user": personas.ssp.pk,
        },
        **HX,
    )
    assert response.status_code == 200
    participant = conversation.participants.get(user=personas.ssp)
    assert participant.agency is None or participant.agency.municipality_id
    # Staff of another municipality are not offered.
    choices = dict(response.context["participant_form"].fields["user"].choices)
    assert str(personas.ssp_albertslund.pk) not in choices
    assert str(personas.police_other_district.pk) not in choices


def test_participant_errors_stay_on_the_fields(
    make_conversation, personas, world, client_for
):
    client = client_for(personas.police)
    conversation = make_conversation(Status.PLANNED)
    other_family = family_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        name="Familien Andersen",
    )
    stranger = family_add_new_person(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        family=other_family,
        role=MemberRole.MOTHER,
        given_name="Anna",
        family_name="Andersen",
    ).person
    before = conversation.participants.count()
    # A guardian not offered (another family) is refused by the form's choices.
    response = client.post(
        url("participants", conversation.pk),
        {
            "participant-role": ParticipantRole.GUARDIAN,
            "participant-guardian": stranger.pk,
        },
        **HX,
    )
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert set(response.context["participant_form"].errors) == {"guardian"}
    # No guardian chosen: the service's message, on the guardian field.
    response = client.post(
        url("participants", conversation.pk),
        {"participant-role": ParticipantRole.GUARDIAN},
    )
    assert response.status_code == 400
    assert set(response.context["participant_form"].errors) == {"guardian"}
    response = client.post(
        url("participants", conversation.pk),
        {"participant-role": ParticipantRole.OTHER, "participant-name": ""},
    )
    assert set(response.context["participant_form"].errors) == {"name"}
    assert conversation.participants.count() == before


def test_the_responsible_officer_cannot_be_removed(
    make_conversation, personas, client_for
):
    client = client_for(personas.police)
    conversation = make_conversation(Status.PLANNED)
    owner = conversation.participants.get(user=personas.police)
    response = client.post(url("participant_remove", conversation.pk, owner.pk), **HX)
    assert response.status_code == 200
    assert response.context["participant_error"]
    assert Participant.objects.filter(pk=owner.pk).exists()
    plain = client.post(url("participant_remove", conversation.pk, owner.pk))
    assert plain.status_code == 302


# --- Measures and the worklist -----------------------------------------------------


def _measure_data(world, measure_type, **overrides) -> dict:
    data = {
        "measure-measure_type": measure_type.pk,
        "measure-description": "Fritidsjob i Brugsen",
        "measure-responsible_agency": world.ssp_ishoej.pk,
        "measure-responsible_user": "",
        "measure-due_on": (TODAY() + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_agree_a_measure_and_follow_it_on_the_worklist(
    make_conversation, personas, world, measure_type, client_for
):
    police = client_for(personas.police)
    conversation = make_conversation(Status.HELD)
    fragment = police.get(url("measures", conversation.pk), **HX)
    assert fragment.status_code == 200
    assert "<html" not in html(fragment)

    added = police.post(
        url("measures", conversation.pk),
        _measure_data(
            world, measure_type, **{"measure-responsible_user": personas.ssp.pk}
        ),
        **HX,
    )
    assert added.status_code == 200
    assert "<html" not in html(added)
    assert "Fritidsjob i Brugsen" in html(added)
    measure = Measure.objects.get()
    assert measure.responsible_user == personas.ssp

    plain = police.post(
        url("measures", conversation.pk),
        _measure_data(world, measure_type, **{"measure-description": "Mentor"}),
    )
    assert plain.status_code == 302

    # Ishøj SSP answers for it: on its worklist, with the young person's name.
    ssp = client_for(personas.ssp)
    worklist = ssp.get(url("worklist"))
    assert worklist.status_code == 200
    assert {m.pk for m in worklist.context["page"]} == set(
        Measure.objects.values_list("pk", flat=True)
    )
    assert "Sami Samtalesen" in html(worklist)

    row = ssp.post(
        url("measure_status", measure.pk),
        {"status": MeasureStatus.IN_PROGRESS, "next": "worklist"},
        **HX,
    )
    assert row.status_code == 200
    assert html(row).lstrip().startswith("<tr")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    done = ssp.post(
        url("measure_status", measure.pk), {"status": "done", "next": "worklist"}
    )
    assert done.status_code == 302
    assert done["Location"] == url("worklist")
    assert measure.pk not in {m.pk for m in ssp.get(url("worklist")).context["page"]}

    # The police set it from the conversation page and come back there.
    back = police.post(url("measure_status", measure.pk), {"status": "dropped"})
    assert back["Location"] == url("detail", conversation.pk)


def test_overdue_measure_says_so_in_text(
    make_conversation, personas, world, measure_type, client_for
):
    conversation = make_conversation(Status.PLANNED)
    services.measure_add(
        actor=personas.police,
        conversation=conversation,
        measure_type=measure_type,
        description="Skolestøtte",
        responsible_agency=world.ssp_ishoej,
        due_on=TODAY() - timedelta(days=1),
    )
    response = client_for(personas.ssp).get(url("worklist"))
    row = html(response).split("Skolestøtte")[1]
    assert 'class="overdue"' in row.split("</tr>")[0]


def test_measure_with_bad_input_is_refused_on_the_field(
    make_conversation, personas, world, measure_type, client_for
):
    client = client_for(personas.police)
    conversation = make_conversation(Status.HELD)
    response = client.post(
        url("measures", conversation.pk),
        _measure_data(
            world,
            measure_type,
            **{
                "measure-due_on": (conversation.held_on - timedelta(days=1)).isoformat()
            },
        ),
        **HX,
    )
    assert response.status_code == 200
    assert set(response.context["measure_form"].errors) == {"due_on"}
    response = client.post(
        url("measures", conversation.pk),
        _measure_data(
            world,
            measure_type,
            **{"measure-responsible_user": personas.social.pk},
        ),
    )
    assert response.status_code == 400
    assert set(response.context["measure_form"].errors) == {"responsible_user"}
    assert not Measure.objects.exists()


def test_measure_status_for_a_reader_and_an_outsider(
    with_social, personas, world, measure_type, client_for
):
    measure = services.measure_add(
        actor=personas.police,
        conversation=with_social,
        measure_type=measure_type,
        description="Mentor",
        responsible_agency=world.police_vestegn,
        due_on=TODAY() + timedelta(days=10),
    )
    # On the police's own worklist: the police answer for it.
    police_worklist = client_for(personas.police).get(url("worklist"))
    assert [m.pk for m in police_worklist.context["page"]] == [measure.pk]
    # The municipal agency taking part sees the measure but does not answer for it.
    reader = client_for(personas.social)
    assert (
        reader.post(url("measure_status", measure.pk), {"status": "done"}).status_code
        == 403
    )
    for outsider in (
        personas.ssp_albertslund,
        personas.police_other_district,
        personas.ssp,
    ):
        response = client_for(outsider).post(
            url("measure_status", measure.pk), {"status": "done"}
        )
        assert response.status_code == 404
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.AGREED


# --- The dashboard and the list ----------------------------------------------------


def test_dashboard_sections(make_conversation, personas, client_for):
    overdue = _hold(
        make_conversation(Status.PLANNED),
        personas.police,
        held_on=TODAY() - timedelta(days=10),
        follow_up_on=TODAY() - timedelta(days=1),
    )
    due = _hold(
        make_conversation(Status.PLANNED),
        personas.police,
        held_on=TODAY() - timedelta(days=10),
        follow_up_on=TODAY() + timedelta(days=5),
    )
    later = make_conversation(Status.HELD)  # follow-up in about 80 days
    planned = make_conversation(Status.PLANNED)
    requested = make_conversation(Status.REQUESTED)
    make_conversation(Status.CLOSED)

    for persona in ("police", "ssp"):
        response = client_for(getattr(personas, persona)).get(url("dashboard"))
        assert response.status_code == 200
        shown = {
            s["key"]: [c.pk for c in s["rows"]] for s in response.context["sections"]
        }
        assert shown == {
            "overdue": [overdue.pk],
            "due": [due.pk],
            "planned": [planned.pk],
            "requested": [requested.pk],
        }
        assert later.pk not in {pk for pks in shown.values() for pk in pks}


def test_a_full_dashboard_section_shows_the_first_and_links_to_them_all(
    make_conversation, personas, client_for
):
    """A section shows its DASHBOARD_SHOWN most urgent and links to the list of
    the section's state."""
    planned = [make_conversation(Status.PLANNED) for _ in range(DASHBOARD_SHOWN + 1)]
    response = client_for(personas.police).get(url("dashboard"))
    section = next(s for s in response.context["sections"] if s["key"] == "planned")
    assert len(section["rows"]) == DASHBOARD_SHOWN and section["more"]
    assert {c.pk for c in section["rows"]} < {c.pk for c in planned}
    body = response.content.decode()
    assert f"({DASHBOARD_SHOWN}+)" in body
    assert f'href="{url("list")}?status={Status.PLANNED}"' in body
    listed = client_for(personas.police).get(url("list"), {"status": Status.PLANNED})
    assert listed.context["page"].paginator.count == DASHBOARD_SHOWN + 1


def test_list_filters(make_conversation, personas, client_for):
    requested = make_conversation(Status.REQUESTED, kind=ConcernKind.GANG)
    held = make_conversation(Status.HELD)
    closed = make_conversation(Status.CLOSED)
    client = client_for(personas.police)

    def listed(**params):
        response = client.get(url("list"), params)
        assert response.status_code == 200
        return {c.pk for c in response.context["page"]}

    assert listed() == {requested.pk, held.pk, closed.pk}
    assert listed(status="open") == {requested.pk, held.pk}
    assert listed(status="closed") == {closed.pk}
    assert listed(kind=ConcernKind.GANG) == {requested.pk}
    assert listed(mine="on") == {requested.pk, held.pk, closed.pk}
    assert listed(mine="on", status="bogus") == {requested.pk, held.pk, closed.pk}
    assert (
        client_for(personas.ssp)
        .get(url("list"), {"mine": "on"})
        .context["page"]
        .paginator.count
        == 0
    )


def test_list_is_paginated(make_conversation, personas, client_for):
    for _ in range(27):
        make_conversation(Status.REQUESTED)
    client = client_for(personas.police)
    first = client.get(url("list"), {"status": "open"})
    assert len(first.context["page"].object_list) == 25
    second = client.get(url("list"), {"status": "open", "page": 2})
    assert len(second.context["page"].object_list) == 2
    assert "status=open&amp;page=2" in html(first)


def test_table_rows_link_and_label_each_conversation(
    make_conversation, personas, client_for
):
    planned = make_conversation(Status.PLANNED, kind=ConcernKind.GANG)
    client = client_for(personas.police)
    for page in (client.get(url("dashboard")), client.get(url("list"))):
        assert page.status_code == 200
        shown = html(page)
        link = f'<a href="{url("detail", planned.pk)}">{planned.person.full_name}<'
        assert link in shown
        assert f"<td>{planned.get_kind_display()}</td>" in shown
        assert f"<td>{planned.get_status_display()}</td>" in shown


# --- Who sees what -----------------------------------------------------------------


def test_ssp_unit_sees_the_state_and_follow_up_date_but_not_the_notes(
    with_social, personas, client_for
):
    client = client_for(personas.ssp)
    response = client.get(url("detail", with_social.pk))
    assert response.status_code == 200
    page = html(response)
    assert not response.context["may_view"]
    assert with_social.get_status_display() in page
    assert (
        f"{with_social.follow_up_on:%d}" in page
        and response.context["conversation"].follow_up_on == with_social.follow_up_on
    )
    for secret in (
        "Kortlægning: skolefravær.",
        "Meget fravær og sene aftener",
        "Ishøj Politistation",
        url("letter", with_social.pk),
    ):
        assert secret not in page
    assert "participants" not in response.context
    # The fragments are content: refused.
    assert client.get(url("participants", with_social.pk), **HX).status_code == 403
    assert client.get(url("measures", with_social.pk), **HX).status_code == 403


def test_social_worker_taking_part_reads_the_notes(with_social, personas, client_for):
    response = client_for(personas.social).get(url("detail", with_social.pk))
    assert response.status_code == 200
    assert response.context["may_view"] and not response.context["may_change"]
    assert "Kortlægning: skolefravær." in html(response)
    assert "hold_form" not in response.context
    assert "<form" not in html(response).split('id="main"')[1]


def _post_targets(conversation, participant, measure):
    return [
        url("plan", conversation.pk),
        url("hold", conversation.pk),
        url("follow_up", conversation.pk),
        url("close", conversation.pk),
        url("cancel", conversation.pk),
        url("not_attended", conversation.pk),
        url("participants", conversation.pk),
        url("participant_remove", conversation.pk, participant.pk),
        url("measures", conversation.pk),
    ]


@pytest.mark.parametrize("persona,expected", [("ssp", 403), ("social", 403)])
def test_readers_may_not_write(
    with_social, personas, measure_type, world, client_for, persona, expected
):
    participant = with_social.participants.first()
    measure = services.measure_add(
        actor=personas.police,
        conversation=with_social,
        measure_type=measure_type,
        description="Mentor",
        responsible_agency=world.police_vestegn,
        due_on=TODAY() + timedelta(days=10),
    )
    client = client_for(getattr(personas, persona))
    for target in _post_targets(with_social, participant, measure):
        assert client.post(target, {}).status_code == expected, target
        assert client.post(target, {}, **HX).status_code == expected, target
    assert client.get(url("hold", with_social.pk), **HX).status_code == expected
    with_social.refresh_from_db()
    assert with_social.status == Status.HELD


@pytest.mark.parametrize("persona", ["ssp_albertslund", "police_other_district"])
def test_outsiders_get_404_and_see_nothing_listed(
    with_social, personas, measure_type, world, client_for, persona
):
    participant = with_social.participants.first()
    services.measure_add(
        actor=personas.police,
        conversation=with_social,
        measure_type=measure_type,
        description="Mentor",
        responsible_agency=world.ssp_ishoej,
        due_on=TODAY() + timedelta(days=10),
    )
    measure = Measure.objects.get()
    client = client_for(getattr(personas, persona))
    for target in [
        url("detail", with_social.pk),
        url("participants", with_social.pk),
        url("measures", with_social.pk),
        url("hold", with_social.pk),
    ]:
        assert client.get(target, **HX).status_code == 404, target
    assert client.get(url("detail", with_social.pk)).status_code == 404
    for target in _post_targets(with_social, participant, measure):
        assert client.post(target, {}).status_code == 404, target
    assert client.post(url("measure_status", measure.pk), {}).status_code == 404
    for listing in ("dashboard", "list", "worklist"):
        response = client.get(url(listing))
        assert response.status_code == 200
        assert NAME not in html(response)
    # Not even a random id tells apart "exists" from "does not".
    import uuid

    assert client.get(url("detail", uuid.uuid4())).status_code == 404


def test_detail_is_audited_as_a_view(with_social, personas, client_for):
    client_for(personas.police).get(url("detail", with_social.pk))
    assert AuditEntry.objects.filter(
        action=Action.VIEW,
        object_id=str(with_social.pk),
        user=personas.police,
    ).exists()


@pytest.mark.parametrize(
    "method,name,args",
    [
        ("post", "dashboard", ()),
        ("post", "list", ()),
        ("post", "worklist", ()),
        ("put", "request", ("person",)),
        ("post", "detail", ("conversation",)),
        ("get", "plan", ("conversation",)),
        ("put", "hold", ("conversation",)),
        ("get", "follow_up", ("conversation",)),
        ("get", "close", ("conversation",)),
        ("get", "cancel", ("conversation",)),
        ("get", "not_attended", ("conversation",)),
        ("delete", "participants", ("conversation",)),
        ("get", "participant_remove", ("conversation", "participant")),
        ("put", "measures", ("conversation",)),
        ("get", "measure_status", ("measure",)),
    ],
)
def test_wrong_method_is_405(
    make_conversation, personas, world, measure_type, client_for, method, name, args
):
    conversation = make_conversation(Status.PLANNED)
    objects = {
        "person": conversation.person,
        "conversation": conversation,
        "participant": conversation.participants.first(),
        "measure": services.measure_add(
            actor=personas.police,
            conversation=conversation,
            measure_type=measure_type,
            description="Mentor",
            responsible_agency=world.ssp_ishoej,
            due_on=TODAY() + timedelta(days=3),
        ),
    }
    target = url(name, *[objects[a].pk for a in args])
    response = getattr(client_for(personas.police), method)(target)
    assert response.status_code == 405


# --- Navigation, the person's and the family's pages --------------------------------


def test_navigation_offers_the_dashboard_and_the_worklist(personas, client_for):
    for persona in ("police", "ssp", "social", "manager"):
        nav = [
            u
            for _, u in client_for(getattr(personas, persona))
            .get("/")
            .context["nav_items"]
        ]
        assert url("dashboard") in nav, persona
    for persona in ("police", "ssp", "social"):
        nav = [
            u
            for _, u in client_for(getattr(personas, persona))
            .get("/")
            .context["nav_items"]
        ]
        assert url("worklist") in nav, persona
    admin_nav = [u for _, u in client_for(personas.admin).get("/").context["nav_items"]]
    assert url("dashboard") not in admin_nav and url("worklist") not in admin_nav


def test_person_page_lists_the_conversation_for_the_ssp_unit(
    with_social, personas, youth, client_for
):
    response = client_for(personas.ssp).get(
        reverse("cases:person_detail", args=[youth.person.pk])
    )
    assert list(response.context["conversations"]) == [with_social]
    section = (
        html(response).split('id="conversations-heading"')[1].split("</section>")[0]
    )
    assert url("detail", with_social.pk) in section
    assert with_social.get_status_display() in section
    assert "Kortlægning" not in section


def test_family_page_shows_the_open_conversation(
    with_social, personas, youth, client_for
):
    response = client_for(personas.ssp).get(
        reverse("families:family_detail", args=[youth.family.pk])
    )
    assert response.status_code == 200
    cases = {m.person_id: m.cases for m in response.context["members"]}
    assert CASE_KINDS["conversations.open"].label in cases[youth.person.pk]
    assert cases[youth.mother.pk] == []


# --- Query bounds ------------------------------------------------------------------

LIST_BOUND = 20
PAGE_BOUND = 32


def _count(client, target, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target, **headers)
    assert response.status_code == 200
    return len(queries)


def _overdue_and_due(make_conversation, personas):
    for days in (-1, 5):
        _hold(
            make_conversation(Status.PLANNED),
            personas.police,
            held_on=TODAY() - timedelta(days=10),
            follow_up_on=TODAY() + timedelta(days=days),
        )


@pytest.mark.parametrize("persona", ["police", "ssp"])
def test_dashboard_and_list_queries_do_not_grow(
    make_conversation, personas, client_for, persona
):
    client = client_for(getattr(personas, persona))
    _overdue_and_due(make_conversation, personas)
    make_conversation(Status.PLANNED)
    make_conversation(Status.REQUESTED)
    client.get(url("dashboard"))  # warm the session
    small = [_count(client, url("dashboard")), _count(client, url("list"))]
    _overdue_and_due(make_conversation, personas)
    for _ in range(13):
        make_conversation(Status.PLANNED)
        make_conversation(Status.REQUESTED)
    large = [_count(client, url("dashboard")), _count(client, url("list"))]
    assert ConcernConversation.objects.count() == 32
    assert large == small
    assert max(large) <= LIST_BOUND


def test_worklist_queries_do_not_grow(
    make_conversation, personas, world, measure_type, client_for
):
    conversation = make_conversation(Status.HELD)

    def add(n):
        for i in range(n):
            services.measure_add(
                actor=personas.police,
                conversation=conversation,
                measure_type=measure_type,
                description=f"Tiltag {i}",
                responsible_agency=world.ssp_ishoej,
                due_on=TODAY() + timedelta(days=i),
            )

    client = client_for(personas.ssp)
    add(3)
    client.get(url("worklist"))
    small = _count(client, url("worklist"))
    add(27)
    large = _count(client, url("worklist"))
    assert large == small <= LIST_BOUND


def test_detail_queries_do_not_grow(
    make_conversation, personas, world, measure_type, client_for
):
    client = client_for(personas.police)
    conversation = make_conversation(Status.PLANNED)

    def add(n, start):
        for i in range(start, start + n):
            services.participant_add(
                actor=personas.police,
                conversation=conversation,
                role=ParticipantRole.OTHER,
                name=f"Deltager {i}",
            )
            services.measure_add(
                actor=personas.police,
                conversation=conversation,
                measure_type=measure_type,
                description=f"Tiltag {i}",
                responsible_agency=world.ssp_ishoej,
                due_on=TODAY() + timedelta(days=i),
            )

    add(2, 0)
    client.get(url("detail", conversation.pk))
    small = [
        _count(client, url("detail", conversation.pk)),
        _count(client, url("participants", conversation.pk), **HX),
        _count(client, url("measures", conversation.pk), **HX),
    ]
    add(20, 2)
    large = [
        _count(client, url("detail", conversation.pk)),
        _count(client, url("participants", conversation.pk), **HX),
        _count(client, url("measures", conversation.pk), **HX),
    ]
    assert large == small
    assert small[0] <= PAGE_BOUND

    # Held and followed up: the notes and the follow-ups, bounded as well.
    held = make_conversation(Status.FOLLOW_UP)
    client.get(url("detail", held.pk))
    first = _count(client, url("detail", held.pk))
    for _ in range(10):
        services.conversation_follow_up(
            actor=personas.police,
            agency=world.police_vestegn,
            conversation=held,
            followed_up_on=TODAY(),
            note="Igen.",
            concern_continues=True,
            next_follow_up_on=TODAY() + timedelta(days=30),
        )
    assert _count(client, url("detail", held.pk)) == first <= PAGE_BOUND


def test_the_overview_counts_due_and_overdue_follow_ups(
    make_conversation, personas, client_for
):
    overdue = make_conversation(Status.PLANNED)
    services.conversation_hold(
        actor=personas.police,
        conversation=overdue,
        held_on=timezone.localdate() - timedelta(days=20),
        follow_up_on=timezone.localdate() - timedelta(days=2),
        mapping_note="K",
        accountability_note="A",
        measures_note="T",
        attended=[],
    )
    police = client_for(personas.police)
    figures = {f.key: f for f in figures_on(police)}
    assert figures["conversations.overdue"].count == 1
    assert figures["conversations.due"].count == 0
    # The figure links to the list of exactly that conversation.
    assert rows_behind(police, figures["conversations.overdue"].url) == 1
    outsider = client_for(personas.police_other_district)
    figures = {f.key: f for f in figures_on(outsider)}
    assert figures["conversations.overdue"].count == 0
    assert rows_behind(outsider, "/conversations/all/?follow_up=overdue") == 0
