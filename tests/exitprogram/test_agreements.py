"""The cooperation agreement (samarbejdsaftale; issue 6, point 2): a signed version
is locked; a change makes a new version and keeps the old one; signing needs the
consequences, the measures, dates not in the future and the person's consent
covering every authority that is to see its measure (R-EXIT-2); the responsible
authority's access moves to the measures of the version in force."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from access.permissions import can
from exitprogram import selectors, services
from exitprogram.models import (
    Agreement,
    AgreementStatus,
    MeasureKind,
    Status,
)
from meetings.sharing import consent_withdraw

from .conftest import today


def sign(exit_world, agreement, **dates):
    return services.agreement_sign(
        actor=exit_world.coordinator,
        agreement=agreement,
        signed_by_person_on=dates.get("person", today()),
        signed_by_coordinator_on=dates.get("coordinator", today()),
    )


def add_measure(exit_world, agreement, agency=None, kind=MeasureKind.JOB):
    return services.agreement_measure_add(
        actor=exit_world.coordinator,
        agreement=agreement,
        kind=kind,
        responsible_agency=agency or exit_world.job_centre,
        starts_on=today(),
        ends_on=today() + timedelta(days=60),
    )


def errors_of(refused) -> set[str]:
    return set(getattr(refused.value, "message_dict", {}))


# --- The lock -----------------------------------------------------------------------


def test_a_signed_agreement_is_locked(make_case, exit_world):
    case = make_case(Status.ACTIVE)
    signed = case.agreements.get()
    measure = signed.measures.get()
    with pytest.raises(ValidationError):
        services.agreement_update(
            actor=exit_world.coordinator,
            agreement=signed,
            parties="Andre parter",
            consequences="Andre konsekvenser",
        )
    with pytest.raises(ValidationError):
        add_measure(exit_world, signed, kind=MeasureKind.HOUSING)
    with pytest.raises(ValidationError):
        services.agreement_measure_remove(actor=exit_world.coordinator, measure=measure)
    signed.refresh_from_db()
    assert signed.parties != "Andre parter"
    assert list(signed.measures.all()) == [measure]
    assert signed.is_locked


def test_a_draft_can_be_changed(make_case, exit_world):
    case = make_case(Status.AGREEMENT)
    draft = case.agreements.get()
    services.agreement_update(
        actor=exit_world.coordinator,
        agreement=draft,
        parties="Udvej Exitsen; Ishøj Exit; Jobcentret",
        consequences="Ny vold afslutter forløbet.",
    )
    housing = add_measure(exit_world, draft, kind=MeasureKind.HOUSING)
    services.agreement_measure_remove(actor=exit_world.coordinator, measure=housing)
    draft.refresh_from_db()
    assert draft.parties == "Udvej Exitsen; Ishøj Exit; Jobcentret"
    assert draft.measures.count() == 1


# --- Versions -----------------------------------------------------------------------


def test_revise_makes_version_2_as_a_draft_copying_the_measures(make_case, exit_world):
    case = make_case(Status.ACTIVE)
    v1 = case.agreements.get()
    v2 = services.agreement_revise(actor=exit_world.coordinator, case=case)
    assert (v2.version, v2.status) == (2, AgreementStatus.DRAFT)
    assert (v2.parties, v2.consequences) == (v1.parties, v1.consequences)
    copy = v2.measures.get()
    original = v1.measures.get()
    assert copy.pk != original.pk
    assert (copy.kind, copy.responsible_agency, copy.starts_on, copy.ends_on) == (
        original.kind,
        original.responsible_agency,
        original.starts_on,
        original.ends_on,
    )
    # The signed version is untouched and still in force; one draft at a time.
    v1.refresh_from_db()
    assert v1.status == AgreementStatus.SIGNED
    with pytest.raises(ValidationError):
        services.agreement_revise(actor=exit_world.coordinator, case=case)
    assert selectors.current_agreement(user=exit_world.coordinator, case=case) == v2


def test_revise_needs_a_signed_version(make_case, exit_world):
    case = make_case(Status.AGREEMENT)
    with pytest.raises(ValidationError):
        services.agreement_revise(actor=exit_world.coordinator, case=case)
    assert case.agreements.count() == 1


def test_an_ended_case_s_agreement_is_not_revised(make_case, exit_world):
    case = make_case(Status.ENDED)
    with pytest.raises(ValidationError):
        services.agreement_revise(actor=exit_world.coordinator, case=case)
    assert case.agreements.count() == 1


def test_signing_v2_supersedes_v1_and_moves_the_authority_s_access(
    make_case, exit_world, world
):
    case = make_case(Status.ACTIVE)
    v1 = case.agreements.get()
    old_measure = v1.measures.get()
    assert can(exit_world.job_worker, old_measure)
    v1_fields = Agreement.objects.filter(pk=v1.pk).values().get()
    v2 = services.agreement_revise(actor=exit_world.coordinator, case=case)
    new_measure = v2.measures.get()
    # The draft's copy is the exit unit's until signed.
    assert not can(exit_world.job_worker, new_measure)
    services.agreement_update(
        actor=exit_world.coordinator,
        agreement=v2,
        parties=v2.parties,
        consequences="Ny voldskriminalitet eller våben afslutter forløbet.",
    )
    sign(exit_world, v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == AgreementStatus.SUPERSEDED
    assert v2.status == AgreementStatus.SIGNED
    # v1 is kept as it was, apart from being superseded.
    kept = Agreement.objects.filter(pk=v1.pk).values().get()
    assert {k: v for k, v in kept.items() if k != "status"} == {
        k: v for k, v in v1_fields.items() if k != "status"
    }
    assert list(v1.measures.all()) == [old_measure]
    # The job centre sees v2's measure, no longer v1's.
    assert can(exit_world.job_worker, new_measure)
    assert can(exit_world.job_worker, new_measure, "change")
    assert not can(exit_world.job_worker, old_measure)
    assert list(selectors.measures_for_agency(user=exit_world.job_worker)) == [
        new_measure
    ]
    # The exit unit keeps both versions.
    assert list(selectors.agreements_of(user=exit_world.coordinator, case=case)) == [
        v2,
        v1,
    ]
    case.refresh_from_db()
    assert case.status == Status.ACTIVE


# --- Signing ------------------------------------------------------------------------


def test_sign_is_refused_without_the_consequences(make_case, exit_world):
    case = make_case(Status.CLARIFICATION)
    draft = services.exit_enrol(
        actor=exit_world.coordinator, case=case, decided_on=today()
    )
    add_measure(exit_world, draft)
    assert draft.consequences == ""
    with pytest.raises(ValidationError) as refused:
        sign(exit_world, draft)
    assert "consequences" in errors_of(refused)
    assert_unsigned(case, draft)


def assert_unsigned(case, draft):
    draft.refresh_from_db()
    case.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT
    assert draft.signed_by_person_on is None
    assert case.status == Status.AGREEMENT
    assert not case.weekly_reports.exists()


def test_sign_is_refused_without_measures(make_case, exit_world):
    case = make_case(Status.AGREEMENT)
    draft = case.agreements.get()
    services.agreement_measure_remove(
        actor=exit_world.coordinator, measure=draft.measures.get()
    )
    with pytest.raises(ValidationError) as refused:
        sign(exit_world, draft)
    assert "measures" in errors_of(refused)
    assert_unsigned(case, draft)


def test_sign_is_refused_for_an_authority_the_consent_does_not_cover_r_exit_2(
    make_case, exit_world, world, personas
):
    case = make_case(Status.AGREEMENT)
    draft = case.agreements.get()
    # Ishøj children & family is not named in the consent.
    family_measure = add_measure(
        exit_world, draft, agency=world.social_ishoej, kind=MeasureKind.HOUSING
    )
    with pytest.raises(ValidationError) as refused:
        sign(exit_world, draft)
    assert "measures" in errors_of(refused)
    assert_unsigned(case, draft)
    assert not can(personas.social, family_measure)
    assert not can(exit_world.job_worker, draft.measures.get(kind=MeasureKind.JOB))


@pytest.mark.parametrize("who", ["person", "coordinator"])
def test_sign_is_refused_with_a_future_date(make_case, exit_world, who):
    case = make_case(Status.AGREEMENT)
    draft = case.agreements.get()
    with pytest.raises(ValidationError) as refused:
        sign(exit_world, draft, **{who: today() + timedelta(days=1)})
    assert f"signed_by_{who}_on" in errors_of(refused)
    assert_unsigned(case, draft)


def test_sign_is_refused_after_the_consent_is_withdrawn(make_case, exit_world):
    case = make_case(Status.AGREEMENT)
    draft = case.agreements.get()
    consent_withdraw(
        actor=exit_world.coordinator, consent=exit_world.consent, withdrawn_on=today()
    )
    with pytest.raises(ValidationError) as refused:
        sign(exit_world, draft)
    assert "measures" in errors_of(refused)
    assert_unsigned(case, draft)
    assert not can(exit_world.job_worker, draft.measures.get())


def test_a_measure_of_the_exit_unit_itself_needs_no_consent(make_case, exit_world):
    case = make_case(Status.AGREEMENT)
    draft = case.agreements.get()
    services.agreement_measure_remove(
        actor=exit_world.coordinator, measure=draft.measures.get()
    )
    add_measure(exit_world, draft, agency=exit_world.exit_unit, kind=MeasureKind.MENTOR)
    consent_withdraw(
        actor=exit_world.coordinator, consent=exit_world.consent, withdrawn_on=today()
    )
    sign(exit_world, draft)
    case.refresh_from_db()
    assert case.status == Status.ACTIVE


# --- Sent to the police exit unit and NEC ---------------------------------------------


def test_mark_sent_only_on_a_signed_agreement(make_case, exit_world):
    case = make_case(Status.AGREEMENT)
    draft = case.agreements.get()
    with pytest.raises(ValidationError):
        services.agreement_mark_sent(
            actor=exit_world.coordinator, agreement=draft, sent_to_police_on=today()
        )
    draft.refresh_from_db()
    assert draft.sent_to_police_on is None
    sign(exit_world, draft)
    services.agreement_mark_sent(
        actor=exit_world.coordinator,
        agreement=draft,
        sent_to_police_on=today(),
        sent_to_nec_on=today(),
    )
    draft.refresh_from_db()
    assert (draft.sent_to_police_on, draft.sent_to_nec_on) == (today(), today())
    with pytest.raises(ValidationError) as refused:
        services.agreement_mark_sent(
            actor=exit_world.coordinator,
            agreement=draft,
            sent_to_nec_on=today() + timedelta(days=1),
        )
    assert "sent_to_nec_on" in errors_of(refused)
