"""Fixtures for family assessments and action plans: a family in Ishøj recorded by
Ishøj SSP (mother and two children), the children & family services with a
social worker, a school with a teacher, Ishøj's manager, and a factory that takes a
new plan to any state through the services (never by writing the state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import VIEW
from access.services import access_grant
from families import plans
from families.models import MemberRole
from families.plan_models import Plan, PlanStatus, SectorLaw
from families.services import family_add_new_person, family_create
from organisations.models import Agency, AgencyKind, Role
from tests.conftest import make_user


def today() -> date:
    return timezone.localdate()


@dataclass
class PlanWorld:
    family: object
    mother: object
    child: object
    sibling: object
    school: Agency
    teacher: object
    social_worker: object  # personas.social (Ishøj children & family)


@pytest.fixture
def plan_world(world, personas) -> PlanWorld:
    family = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Familien Planlægsen",
    )

    def member(role, given, **extra):
        return family_add_new_person(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            family=family,
            role=role,
            given_name=given,
            family_name="Planlægsen",
            **extra,
        ).person

    mother = member(MemberRole.MOTHER, "Maria")
    child = member(MemberRole.CHILD, "Karim")
    sibling = member(MemberRole.CHILD, "Lina")
    school = Agency.objects.create(
        name="Ishøj Skole", kind=AgencyKind.SCHOOL, municipality=world.ishoej
    )
    teacher = make_user("laerer", (school, Role.SOCIAL_WORKER))
    # Children & family services are the family's case workers too.
    access_grant(
        actor=personas.ssp,
        obj=family,
        agency=world.social_ishoej,
        actions=[VIEW],
        legal_basis=LegalBasis.OWN_TASK,
        reason="case worker",
    )
    return PlanWorld(family, mother, child, sibling, school, teacher, personas.social)


def _draft(pw, world, personas) -> Plan:
    plan = plans.plan_create(
        actor=personas.social,
        agency=world.social_ishoej,
        family=pw.family,
        wishes="Vi vil have ro derhjemme, og Karim skal i skole hver dag.",
        review_on=today() + timedelta(days=90),
    )
    goal = plans.goal_add(
        actor=personas.social, plan=plan, title="Karim går i skole", person=pw.child
    )
    plans.action_add(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        goal=goal,
        agency=world.social_ishoej,
        what="Familiebehandling hver uge",
        measure="Fremmøde i behandlingen",
        responsible=personas.social,
        deadline=today() + timedelta(days=60),
        sector_law=SectorLaw.CHILDREN,
    )
    plans.action_add(
        actor=pw.teacher,
        actor_agency=pw.school,
        goal=goal,
        agency=pw.school,
        what="Daglig kontakt om fremmøde",
        measure="Fraværsprocent",
        responsible=pw.teacher,
        deadline=today() + timedelta(days=30),
        sector_law=SectorLaw.SCHOOL,
    )
    return plan


@pytest.fixture
def make_plan(plan_world, world, personas):
    """`make_plan(PlanStatus.IN_FORCE)`: a plan for the fixture's family."""

    def make(status: str = PlanStatus.DRAFT) -> Plan:
        plan = _draft(plan_world, world, personas)
        if status in (PlanStatus.APPROVED, PlanStatus.IN_FORCE, PlanStatus.CLOSED):
            plans.plan_approve(actor=personas.manager, plan=plan)
        if status in (PlanStatus.IN_FORCE, PlanStatus.CLOSED):
            plans.plan_put_in_force(actor=personas.social, plan=plan)
        if status == PlanStatus.CLOSED:
            plans.plan_close(
                actor=personas.social, plan=plan, closed_on=today(), reason="Mål nået"
            )
        plan.refresh_from_db()
        return plan

    return make
