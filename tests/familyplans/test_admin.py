"""The assessment catalogue in the admin (issue 7, point 1): administrators edit the
life domains and factors, nobody else reaches them, and a rated factor is retired,
not deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from families import plans
from families.plan_models import AssessmentDomain, AssessmentFactor
from tests.familyplans.conftest import today

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_factor(personas, client_for):
    domain = AssessmentDomain.objects.get(code="school")
    client = client_for(personas.admin)
    assert (
        client.get(reverse("admin:families_assessmentdomain_changelist")).status_code
        == 200
    )
    response = client.post(
        reverse("admin:families_assessmentfactor_add"),
        {
            "domain": domain.pk,
            "kind": "risk",
            "name_da": "Mobning",
            "name_en": "Bullying",
            "position": 9,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AssessmentFactor.objects.filter(domain=domain, name_da="Mobning").exists()


def test_a_case_worker_does_not_reach_the_catalogue(personas, client_for):
    url = reverse("admin:families_assessmentfactor_changelist")
    response = client_for(personas.social).get(url)
    assert response.status_code == 302  # to the admin login: not an administrator
    assert "login" in response["Location"]


def test_a_rated_factor_is_retired_not_deleted(personas, client_for, plan_world, world):
    assessment = plans.assessment_create(
        actor=personas.social,
        agency=world.social_ishoej,
        family=plan_world.family,
        assessed_on=today() - timedelta(days=1),
    )
    factor = AssessmentFactor.objects.filter(domain__code="crime").first()
    plans.rating_record(
        actor=personas.social,
        agency=world.social_ishoej,
        assessment=assessment,
        factor=factor,
        level=2,
        justification="Sigtet for tyveri.",
        rated_on=today(),
    )
    client = client_for(personas.admin)
    delete = reverse("admin:families_assessmentfactor_delete", args=[factor.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:families_assessmentfactor_changelist"),
        {"action": "retire", "_selected_action": [factor.pk]},
    )
    assert response.status_code == 302
    factor.refresh_from_db()
    assert not factor.active
