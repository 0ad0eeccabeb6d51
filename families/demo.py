"""Fictional demo families (obviously invented names, valid-format but fictitious CPR
numbers) in Ishøj and Albertslund, with siblings, concern levels, factors and one
live sibling alert: what a newcomer sees after `make run`."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from access.legal import LegalBasis
from access.permissions import VIEW
from access.services import access_grant
from cases.models import ConcernLevel, Factor, FactorKind
from cases.services import factor_record, person_set_concern_level
from meetings.models import GangInformationKind
from meetings.services import gang_information_share
from organisations.demo import agency_of
from organisations.models import AgencyKind

from .models import Family, MemberRole
from .services import family_add_member, family_add_new_person, family_create


def _family(actor, agency, name):
    existing = Family.objects.filter(name=name, municipality=agency.municipality)
    if existing.exists():
        return None
    return family_create(
        actor=actor, agency=agency, municipality=agency.municipality, name=name
    )


def _add(actor, agency, family, role, given, family_name, born, cpr="", **extra):
    return family_add_new_person(
        actor=actor,
        agency=agency,
        family=family,
        role=role,
        given_name=given,
        family_name=family_name,
        date_of_birth=born,
        cpr=cpr,
        **extra,
    ).person


def _factor(actor, agency, person, kind, name, observed_on):
    factor = Factor.objects.filter(kind=kind, name_da=name).first()
    if factor is not None:
        factor_record(
            actor=actor,
            agency=agency,
            person=person,
            factor=factor,
            observed_on=observed_on,
            note="Demo: observeret af SSP-konsulenten.",
        )


def _level(actor, agency, person, level, reason):
    person_set_concern_level(
        actor=actor, agency=agency, person=person, level=level, reason=reason
    )


@transaction.atomic
def seed_families(*, users) -> None:
    ssp = users["ssp"]
    ishoej = agency_of(AgencyKind.SSP_UNIT, "Ishøj")
    family = _family(ssp, ishoej, "Familien Demosen")
    if family is not None:
        _add(
            ssp,
            ishoej,
            family,
            MemberRole.MOTHER,
            "Dorte",
            "Demosen",
            date(1980, 4, 2),
            phone="11 22 33 44",
        )
        _add(
            ssp,
            ishoej,
            family,
            MemberRole.FATHER,
            "Dennis",
            "Demosen",
            date(1978, 9, 17),
        )
        adam = _add(
            ssp,
            ishoej,
            family,
            MemberRole.CHILD,
            "Adam",
            "Demosen",
            date(2008, 5, 1),
            "010508-4015",
            school="Demo Ungdomsskole",
        )
        bilal = _add(
            ssp,
            ishoej,
            family,
            MemberRole.CHILD,
            "Bilal",
            "Demosen",
            date(2012, 2, 9),
            "090212-4021",
            school="Demo Skole",
        )
        _add(
            ssp,
            ishoej,
            family,
            MemberRole.CHILD,
            "Cora",
            "Demosen",
            date(2015, 8, 23),
            school="Demo Skole",
        )
        _level(
            ssp,
            ishoej,
            adam,
            ConcernLevel.RED,
            "Demo: gentagne tyverier og trusler i området.",
        )
        _level(
            ssp,
            ishoej,
            bilal,
            ConcernLevel.YELLOW,
            "Demo: stigende fravær, ses med ældre unge.",
        )
        _factor(
            ssp, ishoej, adam, FactorKind.RISK, "Kriminelle venner", date(2026, 3, 1)
        )
        _factor(ssp, ishoej, bilal, FactorKind.RISK, "Skolefravær", date(2026, 9, 1))
        _factor(
            ssp, ishoej, bilal, FactorKind.PROTECTIVE, "Aktiv fritid", date(2025, 8, 15)
        )
        # Shared with the district police for the SSP meeting; police then share
        # §115 stk. 5 information back to the named SSP coordinator.
        police = agency_of(AgencyKind.POLICE, None)
        for person in (adam, bilal):
            access_grant(
                actor=ssp,
                obj=person,
                agency=police,
                actions=[VIEW],
                legal_basis=LegalBasis.RPL115_1_1_SSP,
                reason="demo: SSP meeting",
            )
        gang_information_share(
            actor=users["politi"],
            agency=police,
            person=adam,
            kind=GangInformationKind.ASSOCIATED,
            recipients=[ssp],
            shared_on=date(2026, 10, 20),
            note="Demo: ses jævnligt med personer fra et kriminelt miljø.",
        )

    other = users["ssp.albertslund"]
    albertslund = agency_of(AgencyKind.SSP_UNIT, "Albertslund")
    first = _family(other, albertslund, "Familien Eksempelsen")
    if first is not None:
        father = _add(
            other,
            albertslund,
            first,
            MemberRole.FATHER,
            "Erik",
            "Eksempelsen",
            date(1979, 1, 12),
        )
        _add(
            other,
            albertslund,
            first,
            MemberRole.MOTHER,
            "Eva",
            "Eksempelsen",
            date(1982, 6, 30),
        )
        emil = _add(
            other,
            albertslund,
            first,
            MemberRole.CHILD,
            "Emil",
            "Eksempelsen",
            date(2010, 11, 4),
            "041110-4033",
        )
        _add(
            other,
            albertslund,
            first,
            MemberRole.CHILD,
            "Ella",
            "Eksempelsen",
            date(2013, 3, 18),
        )
        _level(
            other, albertslund, emil, ConcernLevel.YELLOW, "Demo: konflikter i skolen."
        )
        # The father's other household after a divorce: a half-sibling, and the
        # father belongs to both households.
        second = _family(other, albertslund, "Familien Prøvesen")
        _add(
            other,
            albertslund,
            second,
            MemberRole.MOTHER,
            "Pia",
            "Prøvesen",
            date(1985, 7, 7),
        )
        family_add_member(
            actor=other,
            agency=albertslund,
            family=second,
            person=father,
            role=MemberRole.FATHER,
        )
        _add(
            other,
            albertslund,
            second,
            MemberRole.CHILD,
            "Peter",
            "Prøvesen",
            date(2016, 12, 1),
        )
