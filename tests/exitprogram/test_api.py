"""/api/v1/ for the Exit programme (issue 6, point 7): the happy paths of the exit
coordinator and the police liaison; field-level 400s for the refusals (R-EXIT-1
minimum age, R-EXIT-2 consent before a measure reaches its authority, the lock of
a signed agreement, a breach without its term, a "yes" report without a
description); the permission matrix (the police exit contact reads the case and
writes the mapping and the reports, 403 on the coordinator's writes; the job
centre sees only its measure, with the person's name and nothing of the case,
R-EXIT-3; the SSP unit, a social worker, another municipality and police of
another district: 404 and empty lists); query bounds; and the OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.services import person_create
from exitprogram.models import (
    Agreement,
    AgreementStatus,
    EndReason,
    ExitCase,
    ExitSettings,
    MeasureKind,
    MeasureStatus,
    Outcome,
    PoliceMapping,
    RiskLevel,
    Status,
    WeeklyReport,
)
from meetings.sharing import consent_record
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user

from .conftest import born_years_ago, today

V1 = "/api/v1/"
CASES = f"{V1}exit-cases/"
AGREEMENTS = f"{V1}exit-agreements/"
MEASURES = f"{V1}exit-measures/"
REPORTS = f"{V1}exit-weekly-reports/"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _put(client, url, data):
    return client.put(url, data, content_type="application/json")


def _errors(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    return response.json()["errors"]


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def coordinator(exit_world, client_for):
    return client_for(exit_world.coordinator)


@pytest.fixture
def police(personas, client_for):
    return client_for(personas.police)


@pytest.fixture
def job(exit_world, client_for):
    return client_for(exit_world.job_worker)


@pytest.fixture
def albertslund_exit(world):
    """An exit coordinator of another municipality in the same police district."""
    unit = Agency.objects.create(
        name="Albertslund Exit",
        kind=AgencyKind.EXIT_UNIT,
        municipality=world.albertslund,
    )
    return make_user("exit_albertslund", (unit, Role.EXIT_COORDINATOR))


OUTSIDERS = ["ssp", "social", "ssp_albertslund", "police_other_district"]


@pytest.fixture(params=[*OUTSIDERS, "albertslund_exit"])
def outsider(request, personas, client_for):
    if request.param == "albertslund_exit":
        return client_for(request.getfixturevalue("albertslund_exit"))
    return client_for(getattr(personas, request.param))


def _mapping_input(**overrides) -> dict:
    return {
        "nec_registered": True,
        "crime_picture": "Tidligere vold",
        "intentions": "Vil have et job og flytte",
        "risk_level": RiskLevel.HIGH,
        "risk_assessment": "Trusler fra tidligere omgangskreds",
        "assessed_on": today().isoformat(),
        **overrides,
    }


def _measure_input(agreement, agency, **overrides) -> dict:
    return {
        "agreement": str(agreement.pk),
        "kind": MeasureKind.HOUSING,
        "responsible_agency": str(agency.pk),
        "contact": "Boligsocial rådgiver",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=60)).isoformat(),
        **overrides,
    }


def _draft(case) -> Agreement:
    return case.agreements.get(status=AgreementStatus.DRAFT)


# --- Happy paths ----------------------------------------------------------------------


def test_coordinator_refers_and_server_fields_are_not_writable(
    coordinator, exit_world, personas, world
):
    response = _post(
        coordinator,
        CASES,
        {
            "person": str(exit_world.person.pk),
            "referral_source": "police",
            "referrer": "Vestegn Politi",
            "referred_on": today().isoformat(),
            "police_contact": str(personas.police.pk),
            # Set by the server, whatever the caller sends:
            "agency": str(world.ssp_ishoej.pk),
            "coordinator": str(personas.ssp.pk),
            "status": Status.ACTIVE,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = ExitCase.objects.get(pk=body["id"])
    assert case.agency == exit_world.exit_unit
    assert case.coordinator == exit_world.coordinator
    assert case.status == Status.REFERRED
    assert body["allowed_events"] == ["screen"]
    assert body["person"]["name"] == "Udvej Exitsen"
    assert "police_mapping" not in body and "risk_assessment" not in body


def test_referral_bad_input_gets_field_errors(coordinator, exit_world, personas):
    assert {"person", "referral_source", "referred_on", "police_contact"} <= set(
        _errors(_post(coordinator, CASES, {}))
    )
    errors = _errors(
        _post(
            coordinator,
            CASES,
            {
                "person": str(exit_world.person.pk),
                "referral_source": "police",
                "referred_on": (today() + timedelta(days=2)).isoformat(),
                "police_contact": str(personas.social.pk),
            },
        )
    )
    assert {"referred_on", "police_contact"} <= set(errors)
    assert not ExitCase.objects.exists()


def test_from_referral_to_outcome_through_the_api(
    coordinator, police, make_case, exit_world, personas
):
    case = make_case(Status.REFERRED)
    url = f"{CASES}{case.pk}/"
    response = _post(coordinator, f"{url}screen/", {"screening_note": "Motiveret"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.PRE_SCREENING
    assert _post(coordinator, f"{url}to-police-mapping/").status_code == 200
    # The mapping: not recorded yet, then recorded by the police exit contact.
    assert coordinator.get(f"{url}police-mapping/").status_code == 404
    response = _put(police, f"{url}police-mapping/", _mapping_input())
    assert response.status_code == 201, response.content
    response = _put(
        police, f"{url}police-mapping/", _mapping_input(nec_registered=False)
    )
    assert response.status_code == 200
    mapping = coordinator.get(f"{url}police-mapping/").json()
    assert mapping["risk_level"] == RiskLevel.HIGH and not mapping["nec_registered"]
    assert _post(coordinator, f"{url}to-municipal-mapping/").status_code == 200
    response = _put(
        coordinator, f"{url}municipal-mapping/", {"employment": "Ledig", "housing": ""}
    )
    assert response.status_code == 200, response.content
    assert coordinator.get(f"{url}municipal-mapping/").json()["employment"] == "Ledig"
    assert _post(coordinator, f"{url}to-clarification/").status_code == 200
    response = _put(
        coordinator,
        f"{url}clarification/",
        {
            "held_on": today().isoformat(),
            "domains": {"housing": "Skal flytte", "employment": ""},
            "pressing_needs": "Bolig",
            "premises_explained": True,
        },
    )
    assert response.status_code == 200, response.content
    assert coordinator.get(f"{url}clarification/").json()["domains"] == {
        "housing": "Skal flytte"
    }
    response = _post(
        coordinator,
        f"{url}enrol/",
        {"decided_on": today().isoformat(), "consequences": "Ny vold afslutter."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.AGREEMENT

    # The agreement: a measure for the job centre, signed, sent.
    listed = coordinator.get(AGREEMENTS, {"case": str(case.pk)}).json()["results"]
    assert [a["version"] for a in listed] == [1]
    agreement_url = f"{AGREEMENTS}{listed[0]['id']}/"
    response = _put(
        coordinator,
        agreement_url,
        {"parties": "Udvej Exitsen; Ishøj Exit", "consequences": "Ny vold afslutter."},
    )
    assert response.status_code == 200, response.content
    agreement = Agreement.objects.get(pk=listed[0]["id"])
    response = _post(
        coordinator,
        MEASURES,
        _measure_input(agreement, exit_world.job_centre, kind=MeasureKind.JOB),
    )
    assert response.status_code == 201, response.content
    response = _post(
        coordinator,
        f"{agreement_url}sign/",
        {
            "signed_by_person_on": today().isoformat(),
            "signed_by_coordinator_on": today().isoformat(),
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == AgreementStatus.SIGNED and body["locked"]
    assert [m["kind"] for m in body["measures"]] == [MeasureKind.JOB]
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    response = _post(
        coordinator,
        f"{agreement_url}mark-sent/",
        {"sent_to_police_on": today().isoformat(), "sent_to_nec_on": None},
    )
    assert response.status_code == 200, response.content
    assert response.json()["sent_to_police_on"] == today().isoformat()

    # The week's police report, one click for the police liaison.
    mine = police.get(REPORTS, {"mine": "1"}).json()["results"]
    assert len(mine) == 1 and mine[0]["person_name"] == "Udvej Exitsen"
    response = _post(
        police, f"{REPORTS}{mine[0]['id']}/record/", {"encountered": False}
    )
    assert response.status_code == 200, response.content
    assert response.json()["reported"] is True
    assert police.get(REPORTS, {"mine": "1"}).json()["results"] == []
    assert len(coordinator.get(REPORTS, {"case": str(case.pk)}).json()["results"]) == 1

    # A change makes a new version and keeps the signed one.
    response = _post(coordinator, f"{agreement_url}revise/")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 2 and body["status"] == AgreementStatus.DRAFT
    assert [v["version"] for v in body["versions"]] == [2, 1]
    assert len(body["measures"]) == 1

    # End and outcome.
    response = _post(
        coordinator,
        f"{url}end/",
        {"ended_on": today().isoformat(), "end_reason": EndReason.MOVED},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ENDED
    response = _post(coordinator, f"{url}outcome/", {"outcome": Outcome.CONVICTED})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.OUTCOME_RECORDED


def test_decline_with_explicit_exclusions(coordinator, make_case):
    case = make_case(Status.PRE_SCREENING)
    errors = _errors(
        _post(
            coordinator,
            f"{CASES}{case.pk}/decline/",
            {"decided_on": today().isoformat(), "decline_reason": ""},
        )
    )
    assert "decline_reason" in errors
    response = _post(
        coordinator,
        f"{CASES}{case.pk}/decline/",
        {
            "decided_on": today().isoformat(),
            "decline_reason": "Misbrug står i vejen",
            "excluded_substance": True,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.DECLINED and body["excluded_substance"]
    assert body["allowed_events"] == [] and body["phase"] is None


def test_follow_up_mentors_sessions_and_nec(coordinator, police, make_case):
    case = make_case(Status.ACTIVE)
    url = f"{CASES}{case.pk}/"
    response = _post(
        coordinator,
        f"{url}follow-up-meetings/",
        {
            "kind": "evaluation",
            "held_on": today().isoformat(),
            "attendees": "Udvej, koordinator, mentor",
            "notes": "Går godt",
            "mentor_present": True,
        },
    )
    assert response.status_code == 201, response.content
    response = _post(
        coordinator,
        f"{url}mentors/",
        {"mentor_name": "Mads Mentor", "from_date": today().isoformat()},
    )
    assert response.status_code == 201, response.content
    assignment = response.json()["id"]
    session = {
        "assignment": assignment,
        "held_on": today().isoformat(),
        "check_in": "Træt",
        "summary": "Job",
        "agenda": "CV",
        "wrap_up": "Godt",
        "next_meeting_on": (today() + timedelta(days=7)).isoformat(),
    }
    response = _post(coordinator, f"{url}mentor-sessions/", session)
    assert response.status_code == 201, response.content
    response = _post(
        coordinator,
        f"{url}nec-notifications/",
        {"kind": "change", "sent_on": today().isoformat()},
    )
    assert response.status_code == 201, response.content
    # The police exit contact reads them; it does not write them.
    for path in (
        "follow-up-meetings",
        "mentors",
        "mentor-sessions",
        "nec-notifications",
    ):
        assert len(police.get(f"{url}{path}/").json()["results"]) == 1, path
    assert _post(police, f"{url}mentor-sessions/", session).status_code == 403
    # Bad input: field errors; an assignment of no case of the caller's.
    bad = {**session, "check_in": ""}
    assert "check_in" in _errors(_post(coordinator, f"{url}mentor-sessions/", bad))
    bad = {**session, "assignment": str(case.pk)}
    assert "assignment" in _errors(_post(coordinator, f"{url}mentor-sessions/", bad))


# --- Field-level refusals -------------------------------------------------------------


def test_breach_without_the_term_is_refused(coordinator, make_case):
    case = make_case(Status.ACTIVE)
    errors = _errors(
        _post(
            coordinator,
            f"{CASES}{case.pk}/end/",
            {"ended_on": today().isoformat(), "end_reason": EndReason.BREACH},
        )
    )
    assert "breached_term" in errors
    case.refresh_from_db()
    assert case.status == Status.ACTIVE


def test_enrol_below_the_municipality_minimum_age_is_refused(
    coordinator, make_case, world
):
    """R-EXIT-1: the person is 20; the municipality enrols from 21."""
    ExitSettings.objects.create(municipality=world.ishoej, minimum_age=21)
    case = make_case(Status.CLARIFICATION)
    errors = _errors(
        _post(
            coordinator, f"{CASES}{case.pk}/enrol/", {"decided_on": today().isoformat()}
        )
    )
    # The service words it for the whole form today; see the report's proposed
    # diff to put it under `decided_on`.
    assert set(errors) & {"decided_on", "non_field_errors"}
    case.refresh_from_db()
    assert case.status == Status.CLARIFICATION
    assert not case.agreements.exists()


def test_sign_without_consequences_is_refused(coordinator, make_case, exit_world):
    case = make_case(Status.CLARIFICATION)
    response = _post(
        coordinator, f"{CASES}{case.pk}/enrol/", {"decided_on": today().isoformat()}
    )
    assert response.status_code == 200, response.content
    agreement = _draft(case)
    assert agreement.consequences == ""
    response = _post(
        coordinator, MEASURES, _measure_input(agreement, exit_world.job_centre)
    )
    assert response.status_code == 201, response.content
    errors = _errors(
        _post(
            coordinator,
            f"{AGREEMENTS}{agreement.pk}/sign/",
            {
                "signed_by_person_on": today().isoformat(),
                "signed_by_coordinator_on": today().isoformat(),
            },
        )
    )
    assert "consequences" in errors
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_sign_with_a_measure_the_consent_does_not_cover_is_refused(
    coordinator, make_case, world
):
    """R-EXIT-2: the consent covers the exit unit, the job centre and police; not
    children and family."""
    case = make_case(Status.AGREEMENT)
    agreement = _draft(case)
    response = _post(
        coordinator, MEASURES, _measure_input(agreement, world.social_ishoej)
    )
    assert response.status_code == 201, response.content
    errors = _errors(
        _post(
            coordinator,
            f"{AGREEMENTS}{agreement.pk}/sign/",
            {
                "signed_by_person_on": today().isoformat(),
                "signed_by_coordinator_on": today().isoformat(),
            },
        )
    )
    assert "measures" in errors
    case.refresh_from_db()
    assert case.status == Status.AGREEMENT
    # Removed from the draft, replaced by a covered authority: signed.
    uncovered = agreement.measures.get(responsible_agency=world.social_ishoej)
    assert coordinator.delete(f"{MEASURES}{uncovered.pk}/").status_code == 204
    assert not agreement.measures.filter(pk=uncovered.pk).exists()
    signed = _post(
        coordinator,
        f"{AGREEMENTS}{agreement.pk}/sign/",
        {
            "signed_by_person_on": today().isoformat(),
            "signed_by_coordinator_on": today().isoformat(),
        },
    )
    assert signed.status_code == 200, signed.content


def test_measure_bad_input_gets_field_errors(coordinator, make_case, world):
    case = make_case(Status.AGREEMENT)
    agreement = _draft(case)
    errors = _errors(
        _post(
            coordinator,
            MEASURES,
            _measure_input(
                agreement,
                world.ssp_ishoej,
                ends_on=(today() - timedelta(days=1)).isoformat(),
            ),
        )
    )
    assert "ends_on" in errors
    # An agreement the caller cannot see (here: no agreement has that id).
    unknown = {**_measure_input(agreement, case.agency), "agreement": str(case.pk)}
    assert "agreement" in _errors(_post(coordinator, MEASURES, unknown))


def test_a_signed_agreement_is_locked(coordinator, make_case, exit_world):
    case = make_case(Status.ACTIVE)
    agreement = case.agreements.get()
    response = _put(
        coordinator,
        f"{AGREEMENTS}{agreement.pk}/",
        {"parties": "Nogen andre", "consequences": "Ingen"},
    )
    assert _errors(response)
    agreement.refresh_from_db()
    assert agreement.parties != "Nogen andre"
    assert _errors(
        _post(coordinator, MEASURES, _measure_input(agreement, exit_world.job_centre))
    )
    measure = agreement.measures.get()
    assert _errors(coordinator.delete(f"{MEASURES}{measure.pk}/"))
    assert agreement.measures.exists()


def test_a_yes_report_needs_a_description(police, make_case):
    make_case(Status.ACTIVE)
    report = WeeklyReport.objects.get()
    errors = _errors(
        _post(police, f"{REPORTS}{report.pk}/record/", {"encountered": True})
    )
    assert "description" in errors
    report.refresh_from_db()
    assert not report.is_reported
    response = _post(
        police,
        f"{REPORTS}{report.pk}/record/",
        {"encountered": True, "description": "Anholdt efter slagsmål"},
    )
    assert response.status_code == 200 and response.json()["encountered"] is True


def test_list_filters_are_required(coordinator):
    assert "case" in _errors(coordinator.get(REPORTS))
    assert "case" in _errors(coordinator.get(AGREEMENTS))


# --- The permission matrix ------------------------------------------------------------


def test_police_contact_reads_the_case_and_writes_mapping_and_reports(
    police, make_case
):
    case = make_case(Status.ACTIVE)
    url = f"{CASES}{case.pk}/"
    assert _ids(police.get(CASES)) == {str(case.pk)}
    assert police.get(url).status_code == 200
    assert police.get(f"{url}police-mapping/").status_code == 200
    agreement = case.agreements.get()
    assert police.get(f"{AGREEMENTS}{agreement.pk}/").status_code == 200
    # The coordinator's writes: 403.
    for path, data in (
        ("screen/", {"screening_note": "x"}),
        ("end/", {"ended_on": today().isoformat(), "end_reason": "completed"}),
        ("outcome/", {"outcome": Outcome.CONVICTED}),
        ("mentors/", {"mentor_name": "M", "from_date": today().isoformat()}),
        ("nec-notifications/", {"kind": "change", "sent_on": today().isoformat()}),
    ):
        assert _post(police, f"{url}{path}", data).status_code == 403, path
    assert _put(police, f"{url}municipal-mapping/", {"income": "x"}).status_code == 403
    assert (
        _put(
            police,
            f"{AGREEMENTS}{agreement.pk}/",
            {"parties": "x", "consequences": "y"},
        ).status_code
        == 403
    )
    for path in ("sign/", "mark-sent/", "revise/"):
        assert _post(police, f"{AGREEMENTS}{agreement.pk}/{path}").status_code == 403
    measure = agreement.measures.get()
    assert (
        _post(
            police, f"{MEASURES}{measure.pk}/status/", {"status": "started"}
        ).status_code
        == 403
    )
    assert _post(police, CASES, {}).status_code == 403
    # Its own: the weekly report.
    report = WeeklyReport.objects.get()
    response = _post(police, f"{REPORTS}{report.pk}/record/", {"encountered": False})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.ACTIVE


def test_police_contact_records_the_mapping_and_the_coordinator_may_not(
    coordinator, police, make_case
):
    case = make_case(Status.POLICE_MAPPING)  # the factory records the mapping
    url = f"{CASES}{case.pk}/police-mapping/"
    assert _put(coordinator, url, _mapping_input()).status_code == 403
    response = _put(police, url, _mapping_input(risk_level=RiskLevel.CRITICAL))
    assert response.status_code == 200, response.content
    assert PoliceMapping.objects.get().risk_level == RiskLevel.CRITICAL
    assert "crime_picture" in _errors(
        _put(police, url, _mapping_input(crime_picture=""))
    )


def test_coordinator_may_not_record_the_police_report(coordinator, make_case):
    make_case(Status.ACTIVE)
    report = WeeklyReport.objects.get()
    assert coordinator.get(f"{REPORTS}{report.pk}/").status_code == 200
    response = _post(
        coordinator, f"{REPORTS}{report.pk}/record/", {"encountered": False}
    )
    assert response.status_code == 403
    assert coordinator.get(REPORTS, {"mine": "1"}).json()["results"] == []


def test_job_centre_sees_only_its_measure_and_nothing_of_the_case(
    job, make_case, exit_world
):
    case = make_case(Status.ACTIVE)
    agreement = case.agreements.get()
    measure = agreement.measures.get()
    listed = job.get(MEASURES)
    assert _ids(listed) == {str(measure.pk)}
    row = listed.json()["results"][0]
    assert row["person_name"] == "Udvej Exitsen"
    assert set(row) == {
        "id",
        "person_name",
        "kind",
        "kind_label",
        "description",
        "responsible_agency",
        "contact",
        "starts_on",
        "ends_on",
        "status",
        "status_label",
        "status_on",
        "overdue",
    }
    assert job.get(f"{MEASURES}{measure.pk}/").status_code == 200
    response = _post(
        job, f"{MEASURES}{measure.pk}/status/", {"status": MeasureStatus.STARTED}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == MeasureStatus.STARTED
    assert job.delete(f"{MEASURES}{measure.pk}/").status_code == 403
    # The case, its agreement, its mapping and reports: 404 and empty lists.
    assert _ids(job.get(CASES)) == set()
    assert job.get(f"{CASES}{case.pk}/").status_code == 404
    assert job.get(f"{CASES}{case.pk}/police-mapping/").status_code == 404
    assert job.get(f"{AGREEMENTS}{agreement.pk}/").status_code == 404
    assert job.get(AGREEMENTS, {"case": str(case.pk)}).status_code == 404
    assert job.get(MEASURES, {"agreement": str(agreement.pk)}).status_code == 404
    assert job.get(REPORTS, {"case": str(case.pk)}).status_code == 404
    assert job.get(REPORTS, {"mine": "1"}).json()["results"] == []
    report = WeeklyReport.objects.get()
    assert job.get(f"{REPORTS}{report.pk}/").status_code == 404


def test_outsiders_get_404_and_empty_lists(outsider, make_case):
    case = make_case(Status.ACTIVE)
    agreement = case.agreements.get()
    measure = agreement.measures.get()
    report = WeeklyReport.objects.get()
    url = f"{CASES}{case.pk}/"
    for list_url in (CASES, MEASURES):
        assert _ids(outsider.get(list_url)) == set(), list_url
    assert outsider.get(REPORTS, {"mine": "1"}).json()["results"] == []
    for path in (
        "",
        "police-mapping/",
        "municipal-mapping/",
        "clarification/",
        "follow-up-meetings/",
        "mentors/",
        "mentor-sessions/",
        "nec-notifications/",
    ):
        assert outsider.get(f"{url}{path}").status_code == 404, path
    for path, data in (
        ("end/", {"ended_on": today().isoformat(), "end_reason": "completed"}),
        ("mentors/", {"mentor_name": "M", "from_date": today().isoformat()}),
    ):
        assert _post(outsider, f"{url}{path}", data).status_code == 404, path
    assert _put(outsider, f"{url}police-mapping/", _mapping_input()).status_code == 404
    assert outsider.get(AGREEMENTS, {"case": str(case.pk)}).status_code == 404
    assert outsider.get(f"{AGREEMENTS}{agreement.pk}/").status_code == 404
    assert _post(outsider, f"{AGREEMENTS}{agreement.pk}/revise/").status_code == 404
    assert outsider.get(f"{MEASURES}{measure.pk}/").status_code == 404
    assert (
        _post(outsider, f"{MEASURES}{measure.pk}/status/", {"status": "started"})
    ).status_code == 404
    assert outsider.get(REPORTS, {"case": str(case.pk)}).status_code == 404
    assert outsider.get(f"{REPORTS}{report.pk}/").status_code == 404
    assert (
        _post(outsider, f"{REPORTS}{report.pk}/record/", {"encountered": False})
    ).status_code == 404
    report.refresh_from_db()
    case.refresh_from_db()
    assert not report.is_reported and case.status == Status.ACTIVE


@pytest.mark.parametrize("who", ["ssp", "social", "police"])
def test_only_an_exit_coordinator_refers(who, personas, exit_world, client_for):
    response = _post(
        client_for(getattr(personas, who)),
        CASES,
        {
            "person": str(exit_world.person.pk),
            "referral_source": "police",
            "referred_on": today().isoformat(),
            "police_contact": str(personas.police.pk),
        },
    )
    assert response.status_code == 403
    assert not ExitCase.objects.exists()


# --- Query bounds ---------------------------------------------------------------------


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries)


def test_lists_do_not_grow_with_data(
    coordinator, police, job, make_case, exit_world, django_assert_max_num_queries
):
    make_case(Status.ACTIVE)
    counts = {
        "cases": _count(coordinator, CASES),
        "measures": _count(job, MEASURES),
        "reports": _count(police, REPORTS, {"mine": "1"}),
    }
    for n in range(2):
        person = person_create(
            actor=exit_world.coordinator,
            agency=exit_world.exit_unit,
            municipality=exit_world.person.municipality,
            given_name=f"Anden{n}",
            family_name="Exitsen",
            date_of_birth=born_years_ago(25),
        )
        consent_record(
            actor=exit_world.coordinator,
            agency=exit_world.exit_unit,
            person=person,
            given_by=person.full_name,
            scope="Exitforløbet",
            given_on=today(),
            agencies=[exit_world.exit_unit, exit_world.job_centre],
        )
        make_case(Status.ACTIVE, person=person)
    assert len(job.get(MEASURES).json()["results"]) == 3
    assert len(police.get(REPORTS, {"mine": "1"}).json()["results"]) == 3
    assert _count(coordinator, CASES) == counts["cases"]
    assert _count(job, MEASURES) == counts["measures"]
    assert _count(police, REPORTS, {"mine": "1"}) == counts["reports"]
    with django_assert_max_num_queries(16):
        coordinator.get(CASES)


# --- Schema ---------------------------------------------------------------------------


def test_the_schema_documents_the_endpoints_without_warnings(exit_world, client_for):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    schema = client_for(exit_world.coordinator).get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/exit-cases/",
        "/api/v1/exit-cases/{id}/",
        "/api/v1/exit-cases/{id}/screen/",
        "/api/v1/exit-cases/{id}/to-police-mapping/",
        "/api/v1/exit-cases/{id}/to-municipal-mapping/",
        "/api/v1/exit-cases/{id}/to-clarification/",
        "/api/v1/exit-cases/{id}/enrol/",
        "/api/v1/exit-cases/{id}/decline/",
        "/api/v1/exit-cases/{id}/end/",
        "/api/v1/exit-cases/{id}/outcome/",
        "/api/v1/exit-cases/{id}/police-mapping/",
        "/api/v1/exit-cases/{id}/municipal-mapping/",
        "/api/v1/exit-cases/{id}/clarification/",
        "/api/v1/exit-cases/{id}/follow-up-meetings/",
        "/api/v1/exit-cases/{id}/mentors/",
        "/api/v1/exit-cases/{id}/mentor-sessions/",
        "/api/v1/exit-cases/{id}/nec-notifications/",
        "/api/v1/exit-agreements/",
        "/api/v1/exit-agreements/{id}/",
        "/api/v1/exit-agreements/{id}/sign/",
        "/api/v1/exit-agreements/{id}/mark-sent/",
        "/api/v1/exit-agreements/{id}/revise/",
        "/api/v1/exit-measures/",
        "/api/v1/exit-measures/{id}/",
        "/api/v1/exit-measures/{id}/status/",
        "/api/v1/exit-weekly-reports/",
        "/api/v1/exit-weekly-reports/{id}/",
        "/api/v1/exit-weekly-reports/{id}/record/",
    ):
        assert path in paths, path
    components = schema.json()["components"]["schemas"]
    # R-EXIT-3: the case never carries the security assessment; a measure carries
    # nothing of the case.
    case_fields = set(components["ExitCaseOutput"]["properties"])
    assert not case_fields & {"police_mapping", "risk_assessment", "risk_level"}
    assert not set(components["ExitMeasureOutput"]["properties"]) & {
        "case",
        "agreement",
        "person",
    }
    assert "agency" not in components["ReferralInput"]["properties"]

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(
        warnings=dict(GENERATOR_STATS._warn_cache),
        errors=dict(GENERATOR_STATS._error_cache),
    )
