"""The Exit programme pages (issue 6, point 7): the coordinator's flow from referral
to a signed agreement and the end, the police's mapping and weekly reports, the
responsible authority's measures, field errors, and who may see and do what
(R-EXIT-3: the police mapping only to the exit unit and the police exit contact;
R-EXIT-5: another authority sees only its measure; everybody else: 404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from exitprogram import selectors
from exitprogram.models import (
    Agreement,
    AgreementStatus,
    EndReason,
    ExitCase,
    MeasureKind,
    MeasureStatus,
    PoliceMapping,
    ReferralSource,
    RiskLevel,
    Status,
    WeeklyReport,
)

from .conftest import today

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _iso(day) -> str:
    return day.isoformat()


def _step(client, case, event, data=None):
    return client.post(reverse("exitprogram:step", args=[case.pk, event]), data or {})


def _status(case) -> str:
    return ExitCase.objects.get(pk=case.pk).status


def test_from_referral_to_signed_agreement_weekly_report_and_breach(
    exit_world, personas, client_for
):
    coordinator = client_for(exit_world.coordinator)
    police = client_for(personas.police)
    person = exit_world.person

    # Referral: the person and the police contact are offered.
    page = coordinator.get(reverse("exitprogram:refer"))
    assert page.status_code == 200
    assert person.full_name in page.content.decode()
    response = coordinator.post(
        reverse("exitprogram:refer"),
        {
            "person": str(person.pk),
            "referral_source": ReferralSource.POLICE,
            "referrer": "Vestegn Politi",
            "referred_on": _iso(today()),
            "note": "Ønsker at komme ud",
            "police_contact": str(personas.police.pk),
        },
    )
    case = ExitCase.objects.get(person=person)
    assert response.status_code == 302
    assert response.url == reverse("exitprogram:case", args=[case.pk])
    page = coordinator.get(response.url)
    assert page.status_code == 200
    assert 'aria-current="step"' in page.content.decode()

    # Pre-screening needs its note.
    assert (
        _step(coordinator, case, "screen", {"screen-screening_note": ""}).status_code
        == 400
    )
    assert _status(case) == Status.REFERRED
    _step(coordinator, case, "screen", {"screen-screening_note": "Motiveret"})
    assert _status(case) == Status.PRE_SCREENING
    assert _step(coordinator, case, "map_police").status_code == 302
    assert _status(case) == Status.POLICE_MAPPING

    # The police exit contact records the police mapping; the coordinator reads it.
    url = reverse("exitprogram:police_mapping", args=[case.pk])
    assert police.get(url).status_code == 200
    mapping = {
        "nec_registered": "yes",
        "crime_picture": "Vold",
        "intentions": "Vil ud",
        "risk_level": RiskLevel.HIGH,
        "risk_assessment": "Trusler",
        "assessed_on": _iso(today()),
    }
    assert police.post(url, {**mapping, "crime_picture": ""}).status_code == 400
    assert coordinator.post(url, mapping).status_code == 403
    assert police.post(url, mapping).status_code == 302
    assert coordinator.get(url).status_code == 200
    assert "Trusler" in coordinator.get(url).content.decode()
    # The police contact may not move the case.
    assert _step(police, case, "map_municipal").status_code == 403

    # Municipal mapping, then the clarification conversation.
    _step(coordinator, case, "map_municipal")
    assert _status(case) == Status.MUNICIPAL_MAPPING
    municipal = reverse("exitprogram:municipal_mapping", args=[case.pk])
    assert coordinator.post(municipal, {}).status_code == 400
    assert (
        coordinator.post(municipal, {"municipal-employment": "Ledig"}).status_code
        == 302
    )
    _step(coordinator, case, "clarify")
    assert _status(case) == Status.CLARIFICATION
    clarification = reverse("exitprogram:clarification", args=[case.pk])
    answers = {
        "clarification-domain_employment": "Ønsker job",
        "clarification-held_on": _iso(today()),
        "clarification-pressing_needs": "Bolig",
    }
    refused = coordinator.post(clarification, answers)
    assert refused.status_code == 400
    assert "premises_explained_error" in refused.content.decode()
    answers["clarification-premises_explained"] = "on"
    assert coordinator.post(clarification, answers).status_code == 302

    # Enrol: the draft agreement opens.
    response = _step(coordinator, case, "enrol", {"enrol-decided_on": _iso(today())})
    agreement = Agreement.objects.get(case=case)
    assert response.url == reverse("exitprogram:agreement", args=[agreement.pk])
    assert _status(case) == Status.AGREEMENT

    # The agreement editor: terms, a measure through htmx (with a field error
    # first), the signatures.
    agreement_url = reverse("exitprogram:agreement", args=[agreement.pk])
    assert coordinator.get(agreement_url).status_code == 200
    response = coordinator.post(
        agreement_url,
        {
            "agreement-parties": "Udvej Exitsen; Ishøj Exit",
            "agreement-consequences": "Ny vold afslutter forløbet.",
        },
    )
    assert response.status_code == 302
    measures_url = reverse("exitprogram:agreement_measures", args=[agreement.pk])
    measure = {
        "measure-kind": MeasureKind.JOB,
        "measure-responsible_agency": str(exit_world.job_centre.pk),
        "measure-contact": "Team exit",
        "measure-starts_on": _iso(today()),
        "measure-ends_on": _iso(today() - timedelta(days=1)),
    }
    fragment = coordinator.post(measures_url, measure, **HTMX)
    assert fragment.status_code == 200
    assert "id_measure-ends_on_error" in fragment.content.decode()
    assert not agreement.measures.exists()
    measure["measure-ends_on"] = _iso(today() + timedelta(days=90))
    fragment = coordinator.post(measures_url, measure, **HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert agreement.measures.count() == 1
    sign = reverse("exitprogram:agreement_sign", args=[agreement.pk])
    tomorrow = _iso(today() + timedelta(days=1))
    refused = coordinator.post(
        sign,
        {
            "sign-signed_by_person_on": tomorrow,
            "sign-signed_by_coordinator_on": tomorrow,
        },
    )
    assert refused.status_code == 400
    assert _status(case) == Status.AGREEMENT
    coordinator.post(
        sign,
        {
            "sign-signed_by_person_on": _iso(today()),
            "sign-signed_by_coordinator_on": _iso(today()),
        },
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert _status(case) == Status.ACTIVE
    # Locked: the editor no longer takes changes.
    assert (
        coordinator.post(
            agreement_url, {"agreement-parties": "X", "agreement-consequences": "Y"}
        ).status_code
        == 400
    )

    # The weekly report: "No" in one click, answered with the row.
    page = police.get(reverse("exitprogram:reports"))
    assert person.full_name in page.content.decode()
    report = WeeklyReport.objects.get(case=case)
    row = police.post(
        reverse("exitprogram:report_record", args=[report.pk]),
        {"encountered": "no"},
        **HTMX,
    )
    assert row.status_code == 200
    assert f'id="report-{report.pk}"' in row.content.decode()
    report.refresh_from_db()
    assert report.encountered is False
    assert (
        person.full_name
        not in police.get(reverse("exitprogram:reports")).content.decode()
    )

    # The end for breach needs the term breached.
    end = {"end-ended_on": _iso(today()), "end-end_reason": EndReason.BREACH}
    refused = _step(coordinator, case, "end", end)
    assert refused.status_code == 400
    assert "id_end-breached_term_error" in refused.content.decode()
    assert _status(case) == Status.ACTIVE
    end["end-breached_term"] = "§3: ingen ny kriminalitet"
    assert _step(coordinator, case, "end", end).status_code == 302
    ended = ExitCase.objects.get(pk=case.pk)
    assert ended.status == Status.ENDED
    assert ended.breached_term == "§3: ingen ny kriminalitet"
    # The job centre's measure stays open after the end.
    assert agreement.measures.get().status == MeasureStatus.PLANNED


def test_yes_report_needs_a_description(make_case, personas, client_for):
    case = make_case(Status.ACTIVE)
    report = WeeklyReport.objects.get(case=case)
    police = client_for(personas.police)
    url = reverse("exitprogram:report_record", args=[report.pk])
    # "Yes…" swaps the row for the description (htmx) or opens it on the page.
    row = police.get(url, **HTMX)
    assert row.status_code == 200
    assert f"id_report{report.pk}_description" in row.content.decode()
    assert police.get(url).status_code == 302
    page = police.get(reverse("exitprogram:reports") + f"?yes={report.pk}")
    assert f"id_report{report.pk}_description" in page.content.decode()
    row = police.post(url, {"encountered": "yes", "description": ""}, **HTMX)
    assert row.status_code == 200
    assert f"id_report{report.pk}_description_error" in row.content.decode()
    assert police.post(url, {"encountered": "yes"}).status_code == 400
    report.refresh_from_db()
    assert report.reported_at is None
    police.post(url, {"encountered": "yes", "description": "Anholdt efter slagsmål"})
    report.refresh_from_db()
    assert report.encountered is True
    assert report.description == "Anholdt efter slagsmål"


def test_unknown_event_is_404_and_an_illegal_one_changes_nothing(
    make_case, exit_world, client_for
):
    case = make_case(Status.ACTIVE)
    coordinator = client_for(exit_world.coordinator)
    assert _step(coordinator, case, "sign").status_code == 404
    assert _step(coordinator, case, "nonsense").status_code == 404
    refused = _step(coordinator, case, "screen", {"screen-screening_note": "Igen"})
    assert refused.status_code == 400
    assert _status(case) == Status.ACTIVE
    assert (
        coordinator.get(
            reverse("exitprogram:step", args=[case.pk, "screen"])
        ).status_code
        == 405
    )


def test_decline_with_exclusion_criteria(make_case, exit_world, client_for):
    case = make_case(Status.CLARIFICATION)
    coordinator = client_for(exit_world.coordinator)
    data = {"decline-decided_on": _iso(today()), "decline-decline_reason": ""}
    refused = _step(coordinator, case, "decline", data)
    assert refused.status_code == 400
    assert "id_decline-decline_reason_error" in refused.content.decode()
    data.update({"decline-decline_reason": "Trussel", "decline-staff_safety": "on"})
    assert _step(coordinator, case, "decline", data).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DECLINED
    assert case.excluded_staff_safety and not case.excluded_psychiatric


def test_follow_up_mentor_session_nec_and_outcome(make_case, exit_world, client_for):
    case = make_case(Status.ACTIVE)
    coordinator = client_for(exit_world.coordinator)
    url = reverse("exitprogram:follow_up", args=[case.pk])
    meeting = {
        "follow_up-kind": "evaluation",
        "follow_up-held_on": _iso(today()),
        "follow_up-attendees": "",
        "follow_up-notes": "Godt i gang",
    }
    assert coordinator.post(url, meeting).status_code == 400
    meeting["follow_up-attendees"] = "Udvej, mentor, koordinator"
    assert coordinator.post(url, meeting).status_code == 302
    coordinator.post(
        reverse("exitprogram:mentors", args=[case.pk]),
        {"mentor-mentor_name": "Mads Mentor", "mentor-from_date": _iso(today())},
    )
    assignment = selectors.mentors_of(user=exit_world.coordinator, case=case).get()
    session = {
        "session-held_on": _iso(today()),
        "session-check_in": "Har det godt",
        "session-summary": "Sidst: CV",
        "session-agenda": "Jobsøgning",
        "session-wrap_up": "Søger to job",
        "session-next_meeting_on": _iso(today() + timedelta(days=7)),
    }
    sessions = reverse("exitprogram:mentor_sessions", args=[assignment.pk])
    assert (
        coordinator.post(sessions, {**session, "session-agenda": ""}).status_code == 400
    )
    assert coordinator.post(sessions, session).status_code == 302
    nec = reverse("exitprogram:nec", args=[case.pk])
    assert (
        coordinator.post(
            nec, {"nec-kind": "change", "nec-sent_on": _iso(today())}
        ).status_code
        == 302
    )
    page = coordinator.get(reverse("exitprogram:case", args=[case.pk])).content.decode()
    for text in ("Godt i gang", "Mads Mentor", "Jobsøgning"):
        assert text in page
    _step(
        coordinator,
        case,
        "end",
        {"end-ended_on": _iso(today()), "end-end_reason": EndReason.COMPLETED},
    )
    # "Not convicted" waits for the two years; "convicted" is known at once.
    refused = _step(
        coordinator, case, "record_outcome", {"outcome-outcome": "not_convicted"}
    )
    assert refused.status_code == 400
    assert _status(case) == Status.ENDED
    _step(coordinator, case, "record_outcome", {"outcome-outcome": "convicted"})
    assert _status(case) == Status.OUTCOME_RECORDED


def test_revise_makes_a_new_version_and_keeps_the_signed_one(
    make_case, exit_world, client_for
):
    case = make_case(Status.ACTIVE)
    coordinator = client_for(exit_world.coordinator)
    signed = Agreement.objects.get(case=case)
    sent = reverse("exitprogram:agreement_sent", args=[signed.pk])
    assert coordinator.post(sent, {}).status_code == 400
    coordinator.post(sent, {"sent-sent_to_police_on": _iso(today())})
    signed.refresh_from_db()
    assert signed.sent_to_police_on == today()
    response = coordinator.post(reverse("exitprogram:agreement_revise", args=[case.pk]))
    draft = Agreement.objects.get(case=case, status=AgreementStatus.DRAFT)
    assert response.url == reverse("exitprogram:agreement", args=[draft.pk])
    assert draft.version == 2
    page = coordinator.get(response.url).content.decode()
    assert reverse("exitprogram:agreement", args=[signed.pk]) in page
    # A measure comes off the draft through htmx; the signed one keeps its own.
    copy = draft.measures.get()
    fragment = coordinator.post(
        reverse("exitprogram:measure_remove", args=[copy.pk]), **HTMX
    )
    assert fragment.status_code == 200
    assert not draft.measures.exists()
    assert signed.measures.count() == 1
    # A signed version's measure cannot be removed.
    original = signed.measures.get()
    assert (
        coordinator.post(
            reverse("exitprogram:measure_remove", args=[original.pk])
        ).status_code
        == 400
    )
    assert signed.measures.count() == 1


def test_measures_page_sets_status(make_case, exit_world, client_for):
    case = make_case(Status.ACTIVE)
    measure = Agreement.objects.get(case=case).measures.get()
    job = client_for(exit_world.job_worker)
    page = job.get(reverse("exitprogram:measures"))
    assert f'id="measure-{measure.pk}"' in page.content.decode()
    url = reverse("exitprogram:measure_status", args=[measure.pk])
    future = _iso(today() + timedelta(days=3))
    row = job.post(url, {"status": "started", "status_on": future}, **HTMX)
    assert row.status_code == 200
    assert f"id_measure{measure.pk}_status_on_error" in row.content.decode()
    assert job.post(url, {"status": "started", "status_on": future}).status_code == 400
    row = job.post(url, {"status": "started", "status_on": _iso(today())}, **HTMX)
    assert row.status_code == 200
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.STARTED


# --- Who sees what ------------------------------------------------------------------


def _urls(case, agreement, measure, report):
    return {
        "case": reverse("exitprogram:case", args=[case.pk]),
        "police_mapping": reverse("exitprogram:police_mapping", args=[case.pk]),
        "agreement": reverse("exitprogram:agreement", args=[agreement.pk]),
    }


def _posts(case, agreement, measure, report, assignment):
    return [
        reverse("exitprogram:step", args=[case.pk, "end"]),
        reverse("exitprogram:police_mapping", args=[case.pk]),
        reverse("exitprogram:municipal_mapping", args=[case.pk]),
        reverse("exitprogram:clarification", args=[case.pk]),
        reverse("exitprogram:follow_up", args=[case.pk]),
        reverse("exitprogram:mentors", args=[case.pk]),
        reverse("exitprogram:mentor_sessions", args=[assignment.pk]),
        reverse("exitprogram:nec", args=[case.pk]),
        reverse("exitprogram:agreement_revise", args=[case.pk]),
        reverse("exitprogram:agreement", args=[agreement.pk]),
        reverse("exitprogram:agreement_measures", args=[agreement.pk]),
        reverse("exitprogram:agreement_sign", args=[agreement.pk]),
        reverse("exitprogram:agreement_sent", args=[agreement.pk]),
        reverse("exitprogram:measure_remove", args=[measure.pk]),
    ]


@pytest.fixture
def active(make_case, exit_world):
    from exitprogram import services

    case = make_case(Status.ACTIVE)
    agreement = Agreement.objects.get(case=case)
    assignment = services.mentor_assign(
        actor=exit_world.coordinator,
        case=case,
        mentor_name="Mads Mentor",
        from_date=today(),
    )
    return (
        case,
        agreement,
        agreement.measures.get(),
        WeeklyReport.objects.get(case=case),
        assignment,
    )


def test_coordinator_sees_everything(active, exit_world, client_for):
    case, agreement, measure, report, _ = active
    client = client_for(exit_world.coordinator)
    for url in _urls(case, agreement, measure, report).values():
        assert client.get(url).status_code == 200, url
    dashboard = client.get(reverse("exitprogram:dashboard")).content.decode()
    assert case.person.full_name in dashboard
    assert reverse("exitprogram:refer") in dashboard
    nav = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("exitprogram:dashboard") in nav


def test_police_contact_sees_the_case_but_cannot_change_it(
    active, personas, client_for
):
    case, agreement, measure, report, assignment = active
    client = client_for(personas.police)
    assert client.get(reverse("exitprogram:case", args=[case.pk])).status_code == 200
    assert (
        client.get(reverse("exitprogram:police_mapping", args=[case.pk])).status_code
        == 200
    )
    for url in _posts(case, agreement, measure, report, assignment):
        assert client.post(url, {}).status_code == 403, url
    assert ExitCase.objects.get(pk=case.pk).status == Status.ACTIVE
    # The coordinator's referral form is not theirs.
    assert client.get(reverse("exitprogram:refer")).status_code == 403
    nav = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("exitprogram:reports") in nav


def test_job_centre_sees_only_its_measure(active, exit_world, client_for):
    case, agreement, measure, report, assignment = active
    client = client_for(exit_world.job_worker)
    for name, url in _urls(case, agreement, measure, report).items():
        assert client.get(url).status_code == 404, name
    page = client.get(reverse("exitprogram:measures")).content.decode()
    assert f'id="measure-{measure.pk}"' in page
    # No word of the case: neither the police mapping nor the crime picture.
    assert "Trusler" not in page and "Tidligere vold" not in page
    dashboard = client.get(reverse("exitprogram:dashboard")).content.decode()
    assert reverse("exitprogram:case", args=[case.pk]) not in dashboard
    assert client.get(reverse("exitprogram:reports")).status_code == 200
    for url in _posts(case, agreement, measure, report, assignment):
        assert client.post(url, {}).status_code == 404, url
    assert (
        client.post(reverse("exitprogram:report_record", args=[report.pk])).status_code
        == 404
    )


OUTSIDERS = ["ssp", "social", "ssp_albertslund", "police_other_district"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_and_see_nothing(who, active, personas, client_for):
    case, agreement, measure, report, assignment = active
    client = client_for(getattr(personas, who))
    for name, url in _urls(case, agreement, measure, report).items():
        assert client.get(url).status_code == 404, name
    for url in _posts(case, agreement, measure, report, assignment):
        assert client.post(url, {}).status_code == 404, url
    for url in (
        reverse("exitprogram:report_record", args=[report.pk]),
        reverse("exitprogram:measure_status", args=[measure.pk]),
    ):
        assert client.post(url, {}).status_code == 404, url
    assert (
        client.get(reverse("exitprogram:report_record", args=[report.pk])).status_code
        == 404
    )
    name = case.person.full_name
    for url in ("dashboard", "measures", "reports"):
        page = client.get(reverse(f"exitprogram:{url}"))
        assert page.status_code == 200
        assert name not in page.content.decode(), url
    assert (
        not PoliceMapping.objects.filter(case=case)
        .exclude(recorded_by=personas.police)
        .exists()
    )


def test_pages_refuse_the_wrong_method(active, exit_world, client_for):
    case, agreement, measure, report, assignment = active
    client = client_for(exit_world.coordinator)
    for url in (
        reverse("exitprogram:follow_up", args=[case.pk]),
        reverse("exitprogram:agreement_sign", args=[agreement.pk]),
        reverse("exitprogram:measure_status", args=[measure.pk]),
        reverse("exitprogram:measure_remove", args=[measure.pk]),
    ):
        assert client.get(url).status_code == 405, url
    for url in ("dashboard", "measures", "reports"):
        assert client.post(reverse(f"exitprogram:{url}")).status_code == 405


def test_the_status_form_is_offered_only_to_whoever_may_change_the_measure(
    make_case, exit_world, personas, client_for
):
    """The police contact reads the measures of the case's agreement but may not set
    their status: no form for it (it would answer 403); the job centre gets one."""
    case = make_case(Status.ACTIVE)
    measure = case.agreements.get().measures.get()
    action = reverse("exitprogram:measure_status", args=[measure.pk])
    page = client_for(personas.police).get(reverse("exitprogram:measures"))
    assert page.status_code == 200
    assert str(measure.pk) in page.content.decode()
    assert action not in page.content.decode()
    own = client_for(exit_world.job_worker).get(reverse("exitprogram:measures"))
    assert action in own.content.decode()
