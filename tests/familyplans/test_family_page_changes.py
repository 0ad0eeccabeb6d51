"""Issue 7, point 1: "the family page shows the change between assessments"."""

from __future__ import annotations

from django.urls import reverse

from families import plans
from families.plan_models import AssessmentFactor, Level

from .conftest import today


def test_the_family_page_shows_the_change_between_the_last_two_assessments(
    plan_world, world, personas, client_for
):
    factor = AssessmentFactor.objects.filter(domain__code="school").first()
    for level in (Level.LOW, Level.HIGH):
        assessment = plans.assessment_create(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            family=plan_world.family,
            assessed_on=today(),
        )
        plans.rating_record(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            assessment=assessment,
            factor=factor,
            level=level,
            justification="Fravær",
            rated_on=today(),
            person=plan_world.child,
        )
    page = client_for(personas.ssp).get(
        reverse("families:family_detail", args=[plan_world.family.pk])
    )
    assert page.status_code == 200
    [change] = page.context["changes"]
    assert (change["before"], change["after"]) == (Level.LOW, Level.HIGH)
    assert factor.name_da in page.content.decode()
    # Another municipality sees neither the family nor its assessments.
    other = client_for(personas.ssp_albertslund).get(
        reverse("families:family_detail", args=[plan_world.family.pk])
    )
    assert other.status_code == 404
