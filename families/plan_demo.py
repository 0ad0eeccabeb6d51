"""The demo family assessment and joint family action plan (issue 7, point 9), for
"Familien Demosen" in Ishøj (families.demo):

* the children & family services ("socialraadgiver") are made the family's case
  workers by the SSP unit that recorded it, as the real workflow does;
* two assessments, so the family page shows the change between them: an earlier
  one by the children & family services alone, and a recent one with ratings by
  three agencies, kept apart: Ishøj SSP ("ssp"), Ishøj children & family services
  ("socialraadgiver") and the district police ("politi");
* a plan coordinated by the children & family services, with the family's own
  wishes, goals for the family and two of its children, and actions by the same
  three agencies; approved by the demo manager ("leder"), put in force, with a
  progress update on two goals. "leder" can export the PDF on the first run.

Everything goes through families.plans as a user would. A family that already has
an assessment or a plan is left alone: a second run creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from access.legal import LegalBasis
from access.permissions import VIEW, can
from access.services import access_grant
from organisations.demo import agency_of
from organisations.models import AgencyKind

from . import plans
from .models import Family, FamilyMember
from .plan_models import Assessment, AssessmentFactor, Plan, SectorLaw

FAMILY = "Familien Demosen"
WISHES = (
    "Vi vil have mere ro derhjemme og tale ordentligt sammen. Adam skal væk fra "
    "de ældre drenge og i gang med en uddannelse, og Bilal skal gå i skole hver "
    "dag. Vi vil gerne have hjælp, men vi vil selv være med til at bestemme."
)


def _factor(domain: str, kind: str) -> AssessmentFactor:
    return (
        AssessmentFactor.objects.filter(domain__code=domain, kind=kind)
        .order_by("position", "pk")
        .first()
    )


@transaction.atomic
def seed_family_plan(*, users) -> Plan | None:
    """The demo family's assessments and its plan in force; None when the family is
    missing or already has an assessment or a plan (the demo ran before)."""
    ssp, social, police_user, manager = (
        users["ssp"],
        users["socialraadgiver"],
        users["politi"],
        users["leder"],
    )
    ssp_unit = agency_of(AgencyKind.SSP_UNIT, "Ishøj")
    children = agency_of(AgencyKind.CHILDREN_FAMILY, "Ishøj")
    police = agency_of(AgencyKind.POLICE, None)
    family = Family.objects.filter(name=FAMILY, municipality=ssp_unit.municipality)
    family = family.select_related("municipality").first()
    if family is None:
        return None
    if (
        Assessment.objects.filter(family=family).exists()
        or Plan.objects.filter(family=family).exists()
    ):
        return None
    members = {
        m.person.given_name: m.person
        for m in FamilyMember.objects.filter(family=family).select_related("person")
    }
    adam, bilal = members["Adam"], members["Bilal"]
    today = timezone.localdate()

    # The children & family services work with the family (they then see it and
    # their view of the plan follows from being its case workers).
    if not can(social, family, VIEW):
        access_grant(
            actor=ssp,
            obj=family,
            agency=children,
            actions=[VIEW],
            legal_basis=LegalBasis.OWN_TASK,
            reason="demo: familiens sagsbehandler",
        )

    _assessments(
        family=family,
        today=today,
        adam=adam,
        bilal=bilal,
        raters=((ssp, ssp_unit), (social, children), (police_user, police)),
    )
    plan = plans.plan_create(
        actor=social,
        agency=children,
        family=family,
        wishes=WISHES,
        review_on=today + timedelta(days=90),
    )
    home = plans.goal_add(actor=social, plan=plan, title="Ro og faste rammer i hjemmet")
    adam_goal = plans.goal_add(
        actor=social,
        plan=plan,
        title="Adam holder sig fra kriminalitet og starter på en uddannelse",
        person=adam,
    )
    bilal_goal = plans.goal_add(
        actor=social,
        plan=plan,
        title="Bilal møder i skole hver dag",
        person=bilal,
    )

    def action(goal, actor, agency, days, law, what, measure, actors="", linked=""):
        plans.action_add(
            actor=actor,
            actor_agency=agency,
            goal=goal,
            agency=agency,
            what=what,
            measure=measure,
            responsible=actor,
            deadline=today + timedelta(days=days),
            sector_law=law,
            actors=actors,
            linked_plans=linked,
        )

    action(
        home,
        social,
        children,
        60,
        SectorLaw.CHILDREN,
        "Familiebehandling hver uge med hele familien",
        "Fremmøde i behandlingen; familiens egen vurdering af roen hjemme",
        actors="Familiebehandler, forældrene",
        linked="Barnets plan (Barnets lov § 91)",
    )
    action(
        home,
        social,
        children,
        45,
        SectorLaw.SERVICE,
        "Forældrekursus for Dorte og Dennis",
        "Gennemført kursus",
        actors="Dorte og Dennis Demosen",
    )
    action(
        adam_goal,
        ssp,
        ssp_unit,
        30,
        SectorLaw.OTHER,
        "Mentor to gange om ugen og hjælp til fritidsjob",
        "Møder med mentoren; fritidsjob inden fristen",
        actors="SSP-mentor, Adam",
    )
    action(
        adam_goal,
        police_user,
        police,
        21,
        SectorLaw.OTHER,
        "Opfølgende bekymringssamtale med Adam og forældrene",
        "Samtalen er holdt, og aftalerne er skrevet ned",
        actors="Forebyggelsesbetjent, SSP",
    )
    action(
        adam_goal,
        social,
        children,
        75,
        SectorLaw.CHILDREN,
        "Vejledning om uddannelse sammen med Ungdommens Uddannelsesvejledning",
        "Adam er tilmeldt en uddannelse",
        linked="Ungeplan",
    )
    action(
        bilal_goal,
        social,
        children,
        40,
        SectorLaw.SCHOOL,
        "Fast morgenaftale og ugentlig kontakt til skolen om fremmøde",
        "Fraværsprocent hver måned",
        actors="Skolens kontaktlærer, forældrene",
    )
    plans.plan_approve(actor=manager, plan=plan)
    plans.plan_put_in_force(actor=social, plan=plan, from_date=today)
    plans.progress_record(
        actor=social,
        actor_agency=children,
        goal=home,
        percent=25,
        note="Familien er mødt op til de første tre gange familiebehandling.",
        recorded_on=today,
    )
    plans.progress_record(
        actor=ssp,
        actor_agency=ssp_unit,
        goal=adam_goal,
        percent=40,
        note="Adam har mødt sin mentor fast og søger fritidsjob.",
        recorded_on=today,
    )
    plan.refresh_from_db()
    return plan


def _assessments(*, family, today, adam, bilal, raters) -> None:
    """An earlier assessment (three months ago) and a recent one by three agencies."""
    (ssp, ssp_unit), (social, children), (police_user, police) = raters
    earlier = plans.assessment_create(
        actor=social,
        agency=children,
        family=family,
        assessed_on=today - timedelta(days=90),
        summary="Første udredning: konflikter i hjemmet og stigende skolefravær.",
    )
    for person, domain, kind, level, why in (
        (None, "family", "risk", 3, "Mange konflikter; forældrene er uenige."),
        (bilal, "school", "risk", 2, "Fravær på 12 % i sidste kvartal."),
        (adam, "peers", "risk", 2, "Ses med ældre unge i området."),
    ):
        plans.rating_record(
            actor=social,
            agency=children,
            assessment=earlier,
            factor=_factor(domain, kind),
            level=level,
            justification=why,
            rated_on=earlier.assessed_on,
            person=person,
        )
    recent = plans.assessment_create(
        actor=social,
        agency=children,
        family=family,
        assessed_on=today - timedelta(days=7),
        summary=(
            "Tværfaglig udredning med SSP og politiet: Adams netværk og sigtelser "
            "er den største risiko; familien ønsker selv hjælp til roen hjemme."
        ),
    )
    ratings = (
        (social, children, None, "family", "risk", 2, "Lidt færre konflikter."),
        (social, children, None, "family", "need", 3, "Ønsker familiebehandling."),
        (social, children, bilal, "school", "risk", 3, "Fraværet er steget til 18 %."),
        (ssp, ssp_unit, adam, "peers", "risk", 3, "Fast i en gruppe ældre unge."),
        (ssp, ssp_unit, adam, "leisure", "need", 2, "Har ønsket et fritidsjob."),
        (ssp, ssp_unit, bilal, "peers", "risk", 1, "Ses af og til med Adams venner."),
        (police_user, police, adam, "crime", "risk", 2, "To sigtelser for tyveri."),
        (police_user, police, adam, "crime", "need", 2, "Bekymringssamtale anbefales."),
    )
    for actor, agency, person, domain, kind, level, why in ratings:
        plans.rating_record(
            actor=actor,
            agency=agency,
            assessment=recent,
            factor=_factor(domain, kind),
            level=level,
            justification=why,
            rated_on=recent.assessed_on,
            person=person,
        )
