"""The holistic family assessment: numbering, each agency's own ratings, refusals,
the change between assessments, and who sees the ratings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from families import plan_selectors, plans
from families.plan_models import (
    Assessment,
    AssessmentDomain,
    AssessmentFactor,
    AssessmentFactorKind,
    Level,
    Rating,
)
from tests.familyplans.conftest import today

DOMAINS = {
    "school",
    "health",
    "substances",
    "family",
    "leisure",
    "peers",
    "crime",
    "economy",
    "housing",
}


@pytest.fixture
def assess(plan_world, world, personas):
    def make(**extra) -> Assessment:
        return plans.assessment_create(
            actor=personas.social,
            agency=world.social_ishoej,
            family=plan_world.family,
            assessed_on=extra.pop("assessed_on", today()),
            **extra,
        )

    return make


@pytest.fixture
def rate(world, personas):
    """`rate(assessment, factor, level)` as the social worker unless told."""

    def make(assessment, factor, level, *, by=None, agency=None, **extra):
        values = {
            "person": None,
            "justification": "Set i samtale med familien",
            "rated_on": today(),
        } | extra
        return plans.rating_record(
            actor=by or personas.social,
            agency=agency or world.social_ishoej,
            assessment=assessment,
            factor=factor,
            level=level,
            **values,
        )

    return make


@pytest.fixture
def factors(db):
    return list(AssessmentFactor.objects.filter(active=True)[:2])


def test_the_catalogue_is_seeded(db):
    assert set(AssessmentDomain.objects.values_list("code", flat=True)) == DOMAINS
    for domain in AssessmentDomain.objects.all():
        assert domain.name_da and domain.name_en
        kinds = set(domain.factors.values_list("kind", flat=True))
        assert kinds <= set(AssessmentFactorKind.values)
        assert kinds, domain.code
    assert AssessmentFactor.objects.filter(kind=AssessmentFactorKind.RISK).exists()
    assert AssessmentFactor.objects.filter(kind=AssessmentFactorKind.NEED).exists()


def test_a_new_assessment_is_numbered_and_keeps_the_last(
    assess, rate, factors, plan_world
):
    first = assess(summary="  Første vurdering ")
    rating = rate(first, factors[0], Level.HIGH, person=plan_world.child)
    second = assess(summary="Anden vurdering")
    rate(second, factors[0], Level.LOW, person=plan_world.child)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.summary == "Første vurdering"
    rating.refresh_from_db()
    assert (rating.assessment, rating.level) == (first, Level.HIGH)
    assert Rating.objects.count() == 2


def test_an_assessment_in_the_future_or_for_another_agency_is_refused(
    assess, plan_world, world, personas
):
    with pytest.raises(ValidationError) as caught:
        assess(assessed_on=today() + timedelta(days=1))
    assert set(caught.value.message_dict) == {"assessed_on"}
    with pytest.raises(ValidationError) as caught:
        plans.assessment_create(
            actor=personas.social,
            agency=world.ssp_ishoej,
            family=plan_world.family,
            assessed_on=today(),
        )
    assert set(caught.value.message_dict) == {"agency"}
    assert not Assessment.objects.exists()


def test_each_agencys_rating_is_its_own(
    assess, rate, factors, plan_world, world, personas
):
    assessment = assess()
    social = rate(assessment, factors[0], Level.LOW, person=plan_world.child)
    ssp = rate(
        assessment,
        factors[0],
        Level.HIGH,
        person=plan_world.child,
        by=personas.ssp,
        agency=world.ssp_ishoej,
    )
    assert social.pk != ssp.pk
    # The same agency again replaces only its own rating.
    again = rate(
        assessment,
        factors[0],
        Level.MEDIUM,
        person=plan_world.child,
        justification="Ny viden",
    )
    assert again.pk == social.pk
    levels = {
        r.agency_id: (r.level, r.justification)
        for r in Rating.objects.filter(assessment=assessment)
    }
    assert levels == {
        world.social_ishoej.pk: (Level.MEDIUM, "Ny viden"),
        world.ssp_ishoej.pk: (Level.HIGH, "Set i samtale med familien"),
    }
    # The family's own rating (no member) is apart from the member's, also replaced.
    rate(assessment, factors[0], Level.NONE)
    rate(assessment, factors[0], Level.LOW)
    assert Rating.objects.filter(assessment=assessment).count() == 3
    assert Rating.objects.get(assessment=assessment, person=None).level == Level.LOW


def test_a_member_outside_the_family_is_refused(assess, rate, factors, ishoej_person):
    with pytest.raises(ValidationError) as caught:
        rate(assess(), factors[0], Level.LOW, person=ishoej_person)
    assert set(caught.value.message_dict) == {"person"}
    assert not Rating.objects.exists()


def test_a_justification_is_required(assess, rate, factors):
    with pytest.raises(ValidationError) as caught:
        rate(assess(), factors[0], Level.LOW, justification="   ")
    assert set(caught.value.message_dict) == {"justification"}
    assert not Rating.objects.exists()


def test_a_rating_in_the_future_is_refused(assess, rate, factors):
    with pytest.raises(ValidationError) as caught:
        rate(assess(), factors[0], Level.LOW, rated_on=today() + timedelta(days=1))
    assert set(caught.value.message_dict) == {"rated_on"}
    assert not Rating.objects.exists()


def test_an_inactive_factor_is_refused(assess, rate, factors):
    factor = factors[0]
    factor.active = False
    factor.save(update_fields=["active"])
    with pytest.raises(ValidationError) as caught:
        rate(assess(), factor, Level.LOW)
    assert set(caught.value.message_dict) == {"factor"}
    assert not Rating.objects.exists()


def test_a_level_outside_the_scale_is_refused(assess, rate, factors):
    with pytest.raises(ValidationError) as caught:
        rate(assess(), factors[0], 7)
    assert "level" in caught.value.message_dict
    assert not Rating.objects.exists()


def test_the_change_between_the_last_two_assessments(
    assess, rate, factors, plan_world, world, personas
):
    family = plan_world.family
    first = assess()
    rate(first, factors[0], Level.HIGH, person=plan_world.child)
    rate(first, factors[1], Level.MEDIUM)
    rate(first, factors[1], Level.LOW, person=plan_world.mother)
    assert plan_selectors.assessment_changes(user=personas.social, family=family) == []

    second = assess()
    rate(second, factors[0], Level.LOW, person=plan_world.child)
    rate(second, factors[1], Level.MEDIUM)  # unchanged: not shown
    rate(second, factors[0], Level.MEDIUM, person=plan_world.sibling)  # new
    # Another agency rates higher: the highest rating counts.
    rate(
        second,
        factors[1],
        Level.HIGH,
        person=plan_world.mother,
        by=personas.ssp,
        agency=world.ssp_ishoej,
    )
    changes = plan_selectors.assessment_changes(user=personas.social, family=family)
    found = {(c["person"], c["factor"]): (c["before"], c["after"]) for c in changes}
    assert found == {
        (plan_world.child, factors[0]): (Level.HIGH, Level.LOW),
        (plan_world.sibling, factors[0]): (None, Level.MEDIUM),
        (plan_world.mother, factors[1]): (Level.LOW, Level.HIGH),
    }

    # Only the last two count.
    third = assess()
    rate(third, factors[0], Level.LOW, person=plan_world.child)
    changes = plan_selectors.assessment_changes(user=personas.social, family=family)
    found = {(c["person"], c["factor"]): (c["before"], c["after"]) for c in changes}
    assert found == {
        (plan_world.sibling, factors[0]): (Level.MEDIUM, None),
        (None, factors[1]): (Level.MEDIUM, None),
        (plan_world.mother, factors[1]): (Level.HIGH, None),
    }


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("ssp", True),  # recorded the family
        ("social", True),  # the family's case worker
        ("manager", True),  # a member of Ishøj SSP
        ("teacher", False),  # the school does not see the family
        ("ssp_albertslund", False),
        ("police_other_district", False),
    ],
)
def test_ratings_are_seen_with_the_family(
    name, sees, assess, rate, factors, plan_world, personas
):
    user = plan_world.teacher if name == "teacher" else getattr(personas, name)
    first = assess()
    rate(first, factors[0], Level.HIGH, person=plan_world.child)
    second = assess()
    rate(second, factors[0], Level.LOW, person=plan_world.child)
    family = plan_world.family

    assert plan_selectors.assessments_of(user=user, family=family).count() == (
        2 if sees else 0
    )
    assert plan_selectors.ratings_of(user=user, assessment=second).count() == (
        1 if sees else 0
    )
    changes = plan_selectors.assessment_changes(user=user, family=family)
    assert len(changes) == (1 if sees else 0)
    if sees:
        assert plan_selectors.assessment_for(user=user, pk=second.pk) == second
    else:
        with pytest.raises(Http404):
            plan_selectors.assessment_for(user=user, pk=second.pk)
