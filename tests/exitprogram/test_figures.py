"""The programme's figures (issue 6, point 5): enrolled per year, active, ended by
reason, and the share not convicted of violent crime within two years against
the 65% goal, with the count behind every percentage and "not yet known" kept
apart; for the municipalities the user oversees or coordinates exit cases in;
counts only, no person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIRequestFactory, force_authenticate

from cases.services import person_create
from exitprogram import services
from exitprogram.documents_api import ExitFiguresView
from exitprogram.figures import exit_figures, exit_figures_scope
from exitprogram.models import EndReason, ExitCase, Outcome, Status
from meetings.sharing import consent_record

from .conftest import born_years_ago, today

URL = reverse("exitprogram:figures")

# The issue's fixture: 10 ended cases, 7 not convicted, 2 convicted, 1 not known.
OUTCOMES = [Outcome.NOT_CONVICTED] * 7 + [Outcome.CONVICTED] * 2 + [Outcome.UNKNOWN]
REASONS = [EndReason.COMPLETED] * 6 + [EndReason.BREACH] * 2 + [EndReason.WITHDREW] * 2


def end_in_the_past(
    exit_world, case: ExitCase, *, ended_on, reason=EndReason.COMPLETED
):
    """Sign the draft agreement of a case in the agreement phase with past dates
    and end it on `ended_on` (the services refuse only future dates, and an end
    before the start)."""
    start = ended_on - timedelta(days=200)
    services.agreement_sign(
        actor=exit_world.coordinator,
        agreement=case.agreements.get(status="draft"),
        signed_by_person_on=start,
        signed_by_coordinator_on=start,
    )
    case.refresh_from_db()
    return services.exit_end(
        actor=exit_world.coordinator,
        case=case,
        ended_on=ended_on,
        reason=reason,
        breached_term="Ny voldskriminalitet" if reason == EndReason.BREACH else "",
    )


def three_years_ago():
    return services.years_after(today(), -3)


@pytest.fixture
def ten_outcomes(make_case, exit_world):
    """The issue's fixture, one case after the other for the fixture's person (a
    person has one open exit case at a time)."""
    for outcome, reason in zip(OUTCOMES, REASONS, strict=True):
        case = make_case(Status.AGREEMENT)
        end_in_the_past(exit_world, case, ended_on=three_years_ago(), reason=reason)
        services.outcome_record(
            actor=exit_world.coordinator, case=case, outcome=outcome
        )
    assert ExitCase.objects.filter(status=Status.OUTCOME_RECORDED).count() == 10


@pytest.fixture
def second_person(exit_world, world):
    person = person_create(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        municipality=world.ishoej,
        given_name="Anden",
        family_name="Deltagersen",
        date_of_birth=born_years_ago(25),
    )
    consent_record(
        actor=exit_world.coordinator,
        agency=exit_world.exit_unit,
        person=person,
        given_by="Anden Deltagersen",
        scope="Exitforløbet",
        given_on=three_years_ago() - timedelta(days=300),
        agencies=[exit_world.exit_unit, exit_world.job_centre, world.police_vestegn],
    )
    return person


def test_the_issue_fixture_gives_7_of_9_with_1_unknown_apart(ten_outcomes, world):
    found = exit_figures(municipalities=[world.ishoej]).outcome
    assert (found.not_convicted, found.convicted, found.known) == (7, 2, 9)
    assert found.percent_not_convicted == 77.8
    assert found.not_yet_known == 1
    assert found.recorded_unknown == 1
    assert found.overdue == found.within_two_years == 0
    assert found.target_met is True


def test_enrolled_per_year_active_and_ended_by_reason(
    ten_outcomes, make_case, second_person, world
):
    make_case(Status.ACTIVE, person=second_person)
    found = exit_figures(municipalities=[world.ishoej])
    started = three_years_ago() - timedelta(days=200)
    by_year = {row.key: row.count for row in found.enrolled_by_year}
    assert by_year[started.year] == 10
    assert by_year[today().year] == 1
    assert found.enrolled_total == 11
    assert [row.key for row in found.enrolled_by_year] == list(
        range(started.year, today().year + 1)
    )
    assert found.active == 1
    by_reason = {row.key: row.count for row in found.ended_by_reason}
    assert by_reason == {
        EndReason.COMPLETED: 6,
        EndReason.BREACH: 2,
        EndReason.MOVED: 0,
        EndReason.WITHDREW: 2,
        EndReason.OTHER: 0,
    }
    assert found.ended_total == 10


def test_cases_without_an_outcome_are_not_in_the_share(
    make_case, exit_world, second_person, world
):
    """Two years passed without an outcome: not yet known. Ended within the two
    years: not yet due. Neither is in the share."""
    overdue = make_case(Status.AGREEMENT)
    end_in_the_past(exit_world, overdue, ended_on=three_years_ago())
    recent = make_case(Status.ENDED, person=second_person)
    convicted = services.outcome_record(
        actor=exit_world.coordinator, case=recent, outcome=Outcome.CONVICTED
    )
    assert convicted.status == Status.OUTCOME_RECORDED
    found = exit_figures(municipalities=[world.ishoej]).outcome
    assert (found.known, found.convicted, found.overdue) == (1, 1, 1)
    assert found.not_yet_known == 1
    assert found.percent_not_convicted == 0.0
    assert found.target_met is False


def test_no_outcome_known_gives_no_share(make_case, world):
    make_case(Status.ENDED)
    found = exit_figures(municipalities=[world.ishoej]).outcome
    assert found.within_two_years == 1
    assert found.percent_not_convicted is None
    assert found.target_met is None


def test_the_figures_are_two_queries_whatever_the_number_of_cases(
    ten_outcomes, world, django_assert_num_queries
):
    with django_assert_num_queries(2):
        exit_figures(municipalities=[world.ishoej])


# --- Who sees them -------------------------------------------------------------------


def test_the_scope(exit_world, personas, world):
    assert list(exit_figures_scope(exit_world.coordinator)) == [world.ishoej]
    assert list(exit_figures_scope(personas.manager)) == [world.ishoej]
    # Not SSP coordinators: small counts of a small programme (see the function).
    for user in (
        personas.ssp,
        personas.ssp_albertslund,
        personas.social,
        personas.police,
        exit_world.job_worker,
        personas.auditor,
        personas.admin,
    ):
        assert not exit_figures_scope(user).exists()


def test_the_page_shows_the_share_in_danish_with_its_counts(
    ten_outcomes, exit_world, client_for
):
    response = client_for(exit_world.coordinator).get(URL)
    assert response.status_code == 200
    found = response.context["figures"].outcome
    assert (found.not_convicted, found.known, found.not_yet_known) == (7, 9, 1)
    text = response.content.decode()
    assert "77,8&nbsp;%" in text
    # No person in the figures.
    assert "Exitsen" not in text
    assert "Udvej" not in text
    for case in ExitCase.objects.all():
        assert str(case.pk) not in text


def test_a_manager_sees_the_figures_of_the_municipality(
    ten_outcomes, personas, client_for
):
    response = client_for(personas.manager).get(URL)
    assert response.status_code == 200
    assert response.context["figures"].outcome.known == 9


@pytest.mark.parametrize("who", ["social", "police", "police_other_district"])
def test_a_user_without_scope_is_refused(ten_outcomes, personas, client_for, who):
    response = client_for(getattr(personas, who)).get(URL)
    assert response.status_code == 403
    # The share (77,8 %), not just "77": a random CSRF token on the page may hold that.
    assert b"77,8" not in response.content
    assert b"77.8" not in response.content


def test_the_job_centre_is_refused(ten_outcomes, exit_world, client_for):
    assert client_for(exit_world.job_worker).get(URL).status_code == 403


def _albertslund_manager(world):
    from organisations.models import Role
    from tests.conftest import make_user

    return make_user("leder_albertslund", (world.ssp_albertslund, Role.MANAGER))


def test_another_municipality_counts_nothing_of_ishoej(
    ten_outcomes, personas, client_for, world
):
    client = client_for(_albertslund_manager(world))
    response = client.get(URL)
    assert response.status_code == 200
    found = response.context["figures"]
    assert found.outcome.known == 0
    assert found.ended_total == 0
    # Asking for Ishøj is a field error, not Ishøj's figures.
    refused = client.get(URL, {"municipality": str(world.ishoej.pk)})
    assert refused.status_code == 400
    assert refused.context["figures"] is None
    assert "municipality" in refused.context["form"].errors


def test_the_page_answers_get_only(exit_world, client_for):
    assert client_for(exit_world.coordinator).post(URL).status_code == 405


def test_the_page_reads_in_a_fixed_number_of_queries(
    make_case, exit_world, client_for, django_assert_max_num_queries
):
    client = client_for(exit_world.coordinator)
    client.get(URL)
    make_case(Status.ACTIVE)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(3):
        case = ExitCase.objects.get(status=Status.ACTIVE)
        services.exit_end(
            actor=exit_world.coordinator,
            case=case,
            ended_on=today(),
            reason=EndReason.COMPLETED,
        )
        services.outcome_record(
            actor=exit_world.coordinator, case=case, outcome=Outcome.CONVICTED
        )
        make_case(Status.ACTIVE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


# --- The API --------------------------------------------------------------------------


def api_get(user, **params):
    """The view as routed at /api/v1/exit/figures/, for a user who passed
    two-factor authentication."""
    user.is_verified = lambda: True
    request = APIRequestFactory().get("/api/v1/exit/figures/", params)
    force_authenticate(request, user=user)
    return ExitFiguresView.as_view()(request)


def test_the_api_gives_the_same_counts_and_no_person(ten_outcomes, exit_world, world):
    response = api_get(exit_world.coordinator)
    assert response.status_code == 200
    outcome = response.data["outcome"]
    assert outcome["not_convicted"] == 7
    assert outcome["known"] == 9
    assert outcome["not_yet_known"] == 1
    assert outcome["share_not_convicted"] == pytest.approx(7 / 9)
    assert outcome["target_share"] == 0.65
    assert response.data["municipalities"] == [
        {"id": str(world.ishoej.pk), "name": "Ishøj"}
    ]
    response.render()
    body = response.content.decode()
    assert "Exitsen" not in body
    for case in ExitCase.objects.all():
        assert str(case.pk) not in body


def test_the_api_refuses_a_user_without_scope(ten_outcomes, personas):
    assert api_get(personas.social).status_code == 403


def test_the_api_refuses_a_municipality_outside_the_scope(
    ten_outcomes, personas, world
):
    response = api_get(_albertslund_manager(world), municipality=str(world.ishoej.pk))
    assert response.status_code == 400
    assert "municipality" in response.data["errors"]
