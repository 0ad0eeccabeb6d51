"""A sibling in an active Exit programme (issue 3, point 5; issue 6): the sibling
alert and the family page's case column, seen only by those who may see both the
sibling and the exit case (R-EXIT-3: the exit case is the exit unit's)."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import VIEW, can
from access.services import access_grant
from exitprogram import services
from exitprogram.models import EndReason, Status
from families.alerts import persons_with_sibling_alert, sibling_alerts
from families.member_cases import cases_of
from families.models import MemberRole
from families.services import family_add_member, family_add_new_person, family_create

from .conftest import born_years_ago, today

EXIT_ALERT = "A sibling takes part in the Exit programme"


@pytest.fixture
def family(exit_world, personas, world):
    """Ishøj SSP records a household with a 14-year-old and adds the exit case's
    person (recorded by the exit unit) as the older child: siblings."""
    household = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Familien Exitsen",
    )
    younger = family_add_new_person(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=household,
        role=MemberRole.CHILD,
        given_name="Lillebror",
        family_name="Exitsen",
        date_of_birth=born_years_ago(14),
    ).person
    family_add_member(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=household,
        person=exit_world.person,
        role=MemberRole.CHILD,
    )
    return household, younger


def let_the_exit_unit_see(sibling, exit_world, personas):
    access_grant(
        actor=personas.ssp,
        obj=sibling,
        agency=exit_world.exit_unit,
        actions=[VIEW],
        legal_basis=LegalBasis.CONSENT,
        reason="exit unit",
    )


def exit_reasons(alerts) -> list[str]:
    return [
        str(reason)
        for alert in alerts
        for reason in alert.reasons
        if str(reason) == _(EXIT_ALERT)
    ]


def test_the_exit_coordinator_sees_the_alert_on_the_sibling(
    family, make_case, exit_world, personas
):
    _household, younger = family
    coordinator = exit_world.coordinator
    case = make_case(Status.ACTIVE)
    # Not without seeing the sibling.
    assert not can(coordinator, younger)
    assert younger not in persons_with_sibling_alert(user=coordinator)
    let_the_exit_unit_see(younger, exit_world, personas)
    alerts = sibling_alerts(user=coordinator, person=younger)
    assert [alert.sibling for alert in alerts] == [exit_world.person]
    assert exit_reasons(alerts) == [_(EXIT_ALERT)]
    assert younger in persons_with_sibling_alert(user=coordinator)
    # The alert is about the sibling in the programme, not the other way round.
    assert sibling_alerts(user=coordinator, person=exit_world.person) == []
    # It disappears when the programme ends.
    services.exit_end(
        actor=coordinator, case=case, ended_on=today(), reason=EndReason.COMPLETED
    )
    assert sibling_alerts(user=coordinator, person=younger) == []
    assert younger not in persons_with_sibling_alert(user=coordinator)


@pytest.mark.parametrize("status", [Status.REFERRED, Status.AGREEMENT])
def test_no_alert_before_the_programme_is_active(
    family, make_case, exit_world, personas, status
):
    _household, younger = family
    make_case(status)
    let_the_exit_unit_see(younger, exit_world, personas)
    assert sibling_alerts(user=exit_world.coordinator, person=younger) == []


def test_an_agency_that_may_not_see_the_exit_case_gets_no_exit_alert(
    family, make_case, exit_world, personas, world
):
    _household, younger = family
    make_case(Status.ACTIVE)
    # The SSP unit sees the sibling, and even the person in the programme, but not
    # the exit case: no word of the programme.
    access_grant(
        actor=exit_world.coordinator,
        obj=exit_world.person,
        agency=world.ssp_ishoej,
        actions=[VIEW],
        legal_basis=LegalBasis.CONSENT,
        reason="family work",
    )
    assert can(personas.ssp, younger) and can(personas.ssp, exit_world.person)
    assert exit_reasons(sibling_alerts(user=personas.ssp, person=younger)) == []
    assert younger not in persons_with_sibling_alert(user=personas.ssp)
    # Nor does anyone else outside the exit unit and the police contact.
    for user in (personas.social, personas.manager, exit_world.job_worker):
        assert exit_reasons(sibling_alerts(user=user, person=younger)) == []
        assert younger not in persons_with_sibling_alert(user=user)


def test_the_family_page_shows_the_exit_programme_only_to_the_exit_unit(
    family, make_case, exit_world, personas
):
    _household, younger = family
    case = make_case(Status.ACTIVE)
    ids = [exit_world.person.pk, younger.pk]
    label = _("Exit programme")
    shown = cases_of(user=exit_world.coordinator, person_ids=ids)
    assert [str(x) for x in shown[exit_world.person.pk]] == [label]
    assert shown[younger.pk] == []
    for user in (personas.ssp, personas.social, exit_world.job_worker):
        shown = cases_of(user=user, person_ids=ids)
        assert label not in [str(x) for x in shown[exit_world.person.pk]]
    # An ended case is still open (awaiting its outcome); the outcome closes it.
    services.exit_end(
        actor=exit_world.coordinator,
        case=case,
        ended_on=today(),
        reason=EndReason.COMPLETED,
    )
    shown = cases_of(user=exit_world.coordinator, person_ids=ids)
    assert [str(x) for x in shown[exit_world.person.pk]] == [label]
    services.outcome_record(
        actor=exit_world.coordinator, case=case, outcome="convicted"
    )
    shown = cases_of(user=exit_world.coordinator, person_ids=ids)
    assert label not in [str(x) for x in shown[exit_world.person.pk]]
