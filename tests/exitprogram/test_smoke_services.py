"""The services end to end, once: referral → signed agreement → weekly report →
end → outcome; and who sees what."""

from __future__ import annotations

from datetime import timedelta

from access.permissions import can
from exitprogram import selectors, services
from exitprogram.models import AgreementStatus, Outcome, Status

from .conftest import today


def test_from_referral_to_active_and_who_sees_what(make_case, exit_world, personas):
    case = make_case(Status.ACTIVE)
    assert case.status == Status.ACTIVE
    agreement = case.agreements.get()
    assert agreement.status == AgreementStatus.SIGNED
    # The exit unit and the police contact see the case; the job centre sees only
    # its measure; the SSP unit sees nothing.
    assert can(exit_world.coordinator, case)
    assert can(personas.police, case)
    assert not can(exit_world.job_worker, case)
    assert not can(personas.ssp, case)
    measure = agreement.measures.get()
    assert can(exit_world.job_worker, measure)
    assert selectors.police_mapping_of(user=exit_world.job_worker, case=case) is None
    # This week's report exists for the police.
    report = selectors.reports_to_make(user=personas.police).get()
    services.weekly_report_record(
        actor=personas.police, report=report, encountered=False
    )
    assert not selectors.reports_to_make(user=personas.police).exists()


def test_end_and_outcome(make_case, exit_world):
    case = make_case(Status.ENDED)
    services.outcome_record(
        actor=exit_world.coordinator, case=case, outcome=Outcome.CONVICTED
    )
    assert case.status == Status.OUTCOME_RECORDED
    assert services.outcome_due_on(case) == services.years_after(today(), 2)
    assert services.years_after(today(), 2) > today() + timedelta(days=700)
