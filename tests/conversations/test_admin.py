"""The method catalogue, the measure types and the municipalities' letter text in
the admin (issue 4, point 3): administrators edit them, nobody else reaches them,
and what records refer to is retired, not deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.models import (
    ConversationSettings,
    MeasureType,
    Method,
    MethodQuestion,
    Status,
)


def method_form_data(method: Method, new_question: dict | None = None) -> dict:
    """The change form as the browser posts it: the method and its questions."""
    questions = list(method.questions.all())
    data = {
        "name_da": method.name_da,
        "name_en": method.name_en,
        "description_da": method.description_da,
        "description_en": method.description_en,
        "active": "on" if method.active else "",
        "position": method.position,
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for index, question in enumerate(questions):
        data.update(
            {
                f"questions-{index}-id": question.pk,
                f"questions-{index}-method": method.pk,
                f"questions-{index}-position": question.position,
                f"questions-{index}-phase": question.phase,
                f"questions-{index}-text_da": question.text_da,
                f"questions-{index}-text_en": question.text_en,
            }
        )
    total = len(questions)
    if new_question:
        data.update(
            {
                f"questions-{total}-method": method.pk,
                **{f"questions-{total}-{k}": v for k, v in new_question.items()},
            }
        )
        total += 1
    data["questions-TOTAL_FORMS"] = total
    return data


def test_an_administrator_adds_a_question_to_a_method(personas, client_for):
    method = Method.objects.first()
    before = method.questions.count()
    client = client_for(personas.admin)
    url = reverse("admin:conversations_method_change", args=[method.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        method_form_data(
            method,
            {
                "position": 99,
                "phase": "measures",
                "text_da": "Hvad vil du gerne have hjælp til?",
                "text_en": "What would you like help with?",
            },
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    assert method.questions.count() == before + 1
    assert MethodQuestion.objects.filter(
        method=method, text_da="Hvad vil du gerne have hjælp til?", phase="measures"
    ).exists()


def test_an_administrator_changes_a_municipality_s_letter(personas, world, client_for):
    client = client_for(personas.admin)
    url = reverse("admin:conversations_conversationsettings_add")
    page = client.get(url)
    assert page.status_code == 200
    assert "Kære forældre til $barn" in page.content.decode()  # the standard text
    response = client.post(
        url,
        {
            "municipality": world.ishoej.pk,
            "follow_up_days": 60,
            "letter_subject": "Invitation til $barn",
            "letter_body": "Kære familie\n\nVi ses $dato kl. $tidspunkt.",
        },
    )
    assert response.status_code == 302
    settings = ConversationSettings.objects.get(municipality=world.ishoej)
    assert settings.letter_body == "Kære familie\n\nVi ses $dato kl. $tidspunkt."
    assert settings.follow_up_days == 60

    change = reverse(
        "admin:conversations_conversationsettings_change", args=[settings.pk]
    )
    response = client.post(
        change,
        {
            "municipality": world.ishoej.pk,
            "follow_up_days": 60,
            "letter_subject": "",
            "letter_body": "Hej $barn, vi ses på $adresse.",
        },
    )
    assert response.status_code == 200
    assert "letter_body" in response.context["adminform"].form.errors
    assert "$adresse" in str(response.context["adminform"].form.errors)
    settings.refresh_from_db()
    assert "$adresse" not in settings.letter_body


def test_what_conversations_use_is_retired_not_deleted(
    make_conversation, personas, client_for, measure_type, world
):
    from datetime import timedelta

    from django.utils import timezone

    from conversations import services

    used, unused = Method.objects.all()[:2]
    conversation = make_conversation(Status.PLANNED)
    services.conversation_hold(
        actor=personas.police,
        conversation=conversation,
        held_on=timezone.localdate() - timedelta(days=1),
        mapping_note="Kortlægning.",
        accountability_note="Ansvar.",
        measures_note="Tiltag.",
        attended=[],
        method=used,
        measures=[
            {
                "measure_type": measure_type,
                "description": "Fritidsjob i Brugsen.",
                "responsible_agency": world.ssp_ishoej,
                "due_on": timezone.localdate() + timedelta(days=30),
            }
        ],
    )
    client = client_for(personas.admin)

    def delete_url(model, obj):
        return reverse(f"admin:conversations_{model}_delete", args=[obj.pk])

    assert client.get(delete_url("method", used)).status_code == 403
    assert client.get(delete_url("measuretype", measure_type)).status_code == 403
    assert client.get(delete_url("method", unused)).status_code == 200

    response = client.post(
        reverse("admin:conversations_method_changelist"),
        {"action": "retire", "_selected_action": [used.pk]},
    )
    assert response.status_code == 302
    used.refresh_from_db()
    assert not used.active
    assert Method.objects.filter(pk=used.pk).exists()


def test_the_catalogues_are_listed_for_the_administrator(personas, client_for):
    client = client_for(personas.admin)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:conversations_method_changelist") in index
    measure_types = client.get(reverse("admin:conversations_measuretype_changelist"))
    assert measure_types.status_code == 200
    assert MeasureType.objects.first().name_da in measure_types.content.decode()
    methods = client.get(reverse("admin:conversations_method_changelist"))
    assert methods.status_code == 200
    assert Method.objects.first().name_da in methods.content.decode()


@pytest.mark.parametrize("who", ["ssp", "manager", "police", "auditor"])
@pytest.mark.parametrize(
    "name",
    [
        "admin:conversations_method_changelist",
        "admin:conversations_measuretype_changelist",
        "admin:conversations_conversationsettings_changelist",
        "admin:conversations_conversationsettings_add",
    ],
)
def test_others_cannot_reach_the_catalogue_admin(personas, client_for, who, name):
    response = client_for(getattr(personas, who)).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_others_cannot_change_a_method_by_posting(personas, client_for):
    method = Method.objects.first()
    url = reverse("admin:conversations_method_change", args=[method.pk])
    data = method_form_data(method)
    data["name_da"] = "Overtaget"
    response = client_for(personas.ssp).post(url, data)
    assert response.status_code == 302
    method.refresh_from_db()
    assert method.name_da != "Overtaget"


def test_no_case_data_is_registered_in_the_admin():
    from django.contrib import admin

    from conversations import models

    for model in (
        models.ConcernConversation,
        models.Participant,
        models.Measure,
        models.FollowUp,
    ):
        assert not admin.site.is_registered(model)
