"""The family action plan as PDF (issue 7, point 5): what it holds, that each
reader's copy holds only the actions that reader may see, that it names no CPR
number or address, that the export is audited, and that a large plan renders."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.http import Http404
from pypdf import PdfReader

from audit.models import Action as AuditAction
from audit.models import AuditEntry
from families import plans
from families.models import FamilyMember, MemberRole
from families.plan_models import Action, ActionStatus, PlanStatus, SectorLaw
from families.plan_pdf import pie_slice, plan_filename, plan_render_pdf
from families.services import family_add_new_person
from tests.familyplans.conftest import today

WISHES = "Vi ønsker ro i hjemmet, og at Lina får en fritidsaktivitet på Østerbro."
FAMILY_GOAL = "Familien spiser aftensmad sammen fire gange om ugen"
SOCIAL_ACTION = "Familiebehandling hver uge"  # from make_plan: social services
SCHOOL_ACTION = "Daglig kontakt om fremmøde"  # from make_plan: the school
PROGRESS_NOTE = "Karim mødte op hver dag i første måned – flot"
PAGE = re.compile(r"Side 1 af \d+")


def pdf_text(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def plan_in_force(make_plan, plan_world, personas, world):
    """The fixture plan with the family's wishes in Danish, a goal for the whole
    family, approved by the manager, in force, with a progress update."""
    personas.manager.first_name, personas.manager.last_name = "Birthe", "Ledersen"
    personas.manager.save()
    personas.social.first_name, personas.social.last_name = "Søren", "Socialsen"
    personas.social.save()
    plan = make_plan(PlanStatus.DRAFT)
    plans.plan_update(
        actor=personas.social,
        plan=plan,
        wishes=WISHES,
        review_on=today() + timedelta(days=120),
    )
    plans.goal_add(actor=personas.social, plan=plan, title=FAMILY_GOAL)
    plans.plan_approve(actor=personas.manager, plan=plan)
    plans.plan_put_in_force(actor=personas.social, plan=plan)
    goal = plan.goals.get(person=plan_world.child)
    plans.progress_record(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        goal=goal,
        percent=40,
        note=PROGRESS_NOTE,
        recorded_on=today(),
    )
    plan.refresh_from_db()
    return plan


def test_the_pdf_holds_the_cover_wishes_goals_and_progress(plan_in_force, personas):
    pages = pdf_text(plan_render_pdf(reader=personas.manager, plan=plan_in_force))
    text = " ".join(pages)
    for expected in (
        "Familien Planlægsen",
        "Birthe Ledersen",  # approved by, and on the signature line
        WISHES,
        "Karim går i skole",
        "Karim Planlægsen",  # the member the goal is for
        FAMILY_GOAL,
        PROGRESS_NOTE,
        "40 %",
        "Ishøj Skole",
        "Søren Socialsen",
    ):
        assert expected in text, expected
    assert re.search(r"Version\s*1\b", text)
    for letter in "æøåØ":
        assert letter in text
    assert PAGE.search(pages[0])
    for page in pages:
        assert "Fortroligt" in page


def test_the_school_sees_its_own_action_and_not_the_social_services_action(
    plan_in_force, plan_world
):
    text = " ".join(
        pdf_text(plan_render_pdf(reader=plan_world.teacher, plan=plan_in_force))
    )
    assert SCHOOL_ACTION in text
    assert "Fraværsprocent" in text
    assert SOCIAL_ACTION not in text
    assert "Fremmøde i behandlingen" not in text
    # The goals are the plan's, seen by every agency in it.
    assert "Karim går i skole" in text
    assert FAMILY_GOAL in text


def test_the_approving_manager_sees_every_action(plan_in_force, personas):
    text = " ".join(
        pdf_text(plan_render_pdf(reader=personas.manager, plan=plan_in_force))
    )
    assert SCHOOL_ACTION in text
    assert SOCIAL_ACTION in text


def test_the_pdf_names_no_cpr_number_or_address(make_plan, plan_world, personas, world):
    plan = make_plan(PlanStatus.DRAFT)
    person = family_add_new_person(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=plan_world.family,
        role=MemberRole.FATHER,
        given_name="Bjørn",
        family_name="Planlægsen",
        cpr="150310-4234",
        address="Æblevej 7, 2635 Ishøj",
    ).person
    plans.goal_add(
        actor=personas.social, plan=plan, title="Far på banen", person=person
    )
    text = " ".join(pdf_text(plan_render_pdf(reader=personas.social, plan=plan)))
    assert "Bjørn Planlægsen" in text
    assert "4234" not in text
    assert "150310" not in text
    assert "Æblevej" not in text


def test_the_export_is_audited_with_the_family_members(plan_in_force, personas):
    plan_render_pdf(reader=personas.manager, plan=plan_in_force)
    entry = AuditEntry.objects.get(
        action=AuditAction.EXPORT, object_id=str(plan_in_force.pk)
    )
    assert entry.user == personas.manager
    members = set(
        FamilyMember.objects.filter(family=plan_in_force.family).values_list(
            "person_id", flat=True
        )
    )
    assert set(entry.subjects.values_list("person_id", flat=True)) == members


def test_a_reader_who_may_not_see_the_plan_gets_404_and_no_export(
    plan_in_force, personas
):
    with pytest.raises(Http404):
        plan_render_pdf(reader=personas.ssp_albertslund, plan=plan_in_force)
    assert not AuditEntry.objects.filter(
        action=AuditAction.EXPORT, object_id=str(plan_in_force.pk)
    ).exists()


def test_the_pie_slice_and_file_name():
    assert pie_slice(0) == pie_slice(100) == ""
    assert pie_slice(25).endswith("42.00 22.00 Z")  # a quarter: 3 o'clock
    assert " 0 1 1 " in pie_slice(75)  # more than half: the large arc
    assert "Planlægsen" not in plan_filename(type("P", (), {"version": 2})())


def build_large_plan(plan_world, world, personas, *, members=5, actions=30):
    """A draft with `members` members (two more than the fixture's three), a goal
    for the family and one per member, and `actions` actions spread over them by
    the social services and the school. Used by the benchmark too."""
    family = plan_world.family
    for given in ("Ahmed", "Åse")[: members - 3]:
        family_add_new_person(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            family=family,
            role=MemberRole.CHILD,
            given_name=given,
            family_name="Planlægsen",
        )
    plan = plans.plan_create(
        actor=personas.social,
        agency=world.social_ishoej,
        family=family,
        wishes="Vi ønsker, at børnene trives i skolen og i fritiden.",
        review_on=today() + timedelta(days=180),
    )
    goals = [plans.goal_add(actor=personas.social, plan=plan, title="Ro i hjemmet")]
    for member in FamilyMember.objects.filter(family=family).select_related("person"):
        goals.append(
            plans.goal_add(
                actor=personas.social,
                plan=plan,
                title=f"{member.person.given_name} får det bedre i hverdagen",
                person=member.person,
            )
        )
    for number in range(actions):
        by_school = number % 3 == 0
        agency = plan_world.school if by_school else world.social_ishoej
        responsible = plan_world.teacher if by_school else personas.social
        plans.action_add(
            actor=responsible,
            actor_agency=agency,
            goal=goals[number % len(goals)],
            agency=agency,
            what=f"Indsats nr. {number + 1}: samtaler om trivsel og fremmøde",
            measure="Færre fraværsdage og bedre trivsel målt hver måned",
            actors="Familien, skolen og rådgiveren",
            responsible=responsible,
            deadline=today() + timedelta(days=30 + number),
            sector_law=SectorLaw.SCHOOL if by_school else SectorLaw.CHILDREN,
            linked_plans="Elevplan" if by_school else "Barnets plan",
        )
    return plan


def test_a_plan_with_five_members_and_thirty_actions_renders(
    plan_world, world, personas
):
    plan = build_large_plan(plan_world, world, personas)
    plans.plan_approve(actor=personas.manager, plan=plan)
    plans.plan_put_in_force(actor=personas.social, plan=plan)
    started = Action.objects.filter(plan=plan, agency=world.social_ishoej).first()
    plans.action_update(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        action=started,
        status=ActionStatus.STARTED,
    )
    plans.progress_record(
        actor=personas.social,
        actor_agency=world.social_ishoej,
        goal=started.goal,
        percent=65,
        note="Godt på vej",
        recorded_on=today(),
    )
    plan.refresh_from_db()
    assert FamilyMember.objects.filter(family=plan.family).count() == 5
    pages = pdf_text(plan_render_pdf(reader=personas.manager, plan=plan))
    assert len(pages) > 2
    text = " ".join(pages)
    assert "Indsats nr. 1:" in text
    assert "Indsats nr. 30:" in text
    assert "Åse Planlægsen" in text
    assert re.search(r"Side \d+ af " + str(len(pages)), pages[-1])
