"""Writes on families and relations; each one transaction with its audit entries.

Callers fetch the family for CHANGE and the persons for VIEW (or CHANGE) through
access.permissions before calling; these functions check what the data itself
demands (no relation to oneself, each person once in a household).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import CHANGE, EXPORT, VIEW, can_record_cases
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from cases.models import Person
from cases.services import person_create
from organisations.models import Agency, Municipality
from organisations.selectors import municipalities_for
from timeline.services import timeline_record

from .models import Family, FamilyMember, MemberRole, Relation, RelationKind
from .selectors import sibling_ids


@transaction.atomic
def family_create(
    *,
    actor,
    agency: Agency,
    municipality: Municipality,
    name: str,
    legal_basis: str = LegalBasis.OWN_TASK,
) -> Family:
    """Record a household; the recording agency may see, change and export it."""
    if not can_record_cases(actor, agency):
        raise ValidationError({"agency": _("You do not work in this agency.")})
    if not municipalities_for(agency=agency).filter(pk=municipality.pk).exists():
        raise ValidationError(
            {"municipality": _("Your agency does not work in this municipality.")}
        )
    family = Family(
        name=name.strip(),
        municipality=municipality,
        recorded_by=agency,
        legal_basis=legal_basis,
        created_by=actor,
    )
    family.full_clean()
    family.save()
    audit_record(user=actor, action=Action.CREATE, obj=family)
    access_grant(
        actor=actor,
        obj=family,
        agency=agency,
        actions=[VIEW, CHANGE, EXPORT],
        legal_basis=legal_basis,
        reason="recording agency",
    )
    return family


def _relation_exists(person: Person, relative: Person, kinds) -> bool:
    return Relation.objects.filter(
        person=person, relative=relative, kind__in=kinds
    ).exists() or (
        set(kinds) <= RelationKind.siblings()
        and Relation.objects.filter(
            person=relative, relative=person, kind__in=kinds
        ).exists()
    )


@transaction.atomic
def relation_record(
    *,
    actor,
    agency: Agency,
    person: Person,
    relative: Person,
    kind: str,
    legal_basis: str = LegalBasis.OWN_TASK,
) -> Relation:
    """Record that `relative` is `person`'s `kind`. A relation already recorded is
    returned as it is."""
    if person.pk == relative.pk:
        raise ValidationError({"relative": _("A person cannot be their own relative.")})
    existing = Relation.objects.filter(person=person, relative=relative, kind=kind)
    if kind in RelationKind.siblings():
        existing = existing | Relation.objects.filter(
            person=relative, relative=person, kind=kind
        )
    if found := existing.first():
        return found
    relation = Relation(
        person=person,
        relative=relative,
        kind=kind,
        agency=agency,
        legal_basis=legal_basis,
        recorded_by=actor,
    )
    relation.full_clean()
    relation.save()
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=relation,
        subjects=[person.pk, relative.pk],
    )
    for subject in (person, relative):
        timeline_record(
            person=subject,
            kind="families.relation",
            actor=actor,
            agency=agency,
            legal_basis=legal_basis,
            params={"kind": kind},
            source=relation,
        )
    return relation


@transaction.atomic
def relation_remove(*, actor, agency: Agency, relation: Relation) -> None:
    """Remove a relation recorded in error (DOMAIN.md: relations must be
    individually deletable)."""
    audit_record(
        user=actor,
        action=Action.DELETE,
        obj=relation,
        subjects=[relation.person_id, relation.relative_id],
    )
    for subject in (relation.person, relation.relative):
        timeline_record(
            person=subject,
            kind="families.relation_removed",
            actor=actor,
            agency=agency,
            legal_basis=relation.legal_basis,
            params={"kind": relation.kind},
        )
    relation.delete()


@transaction.atomic
def family_add_member(
    *,
    actor,
    agency: Agency,
    family: Family,
    person: Person,
    role: str,
    sibling_of_children: bool = True,
) -> FamilyMember:
    """Add a person to the household and record the relations the role implies:
    a child's mother, father, step-parent or guardian in the household; with
    `sibling_of_children`, a new child is recorded as sibling of the household's
    other children unless they already are siblings (a shared parent)."""
    if FamilyMember.objects.filter(family=family, person=person).exists():
        raise ValidationError({"person": _("The person is already in this family.")})
    member = FamilyMember(family=family, person=person, role=role)
    member.full_clean()
    member.save()
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=family,
        subjects=[person.pk],
        changed_fields=["members"],
    )
    timeline_record(
        person=person,
        kind="families.member_added",
        actor=actor,
        agency=agency,
        legal_basis=family.legal_basis,
        params={"role": role},
        source=family,
    )
    others = list(
        FamilyMember.objects.filter(family=family)
        .exclude(person=person)
        .select_related("person")
    )
    children = [m.person for m in others if m.role == MemberRole.CHILD]
    carers = [m for m in others if m.role in MemberRole.carers()]
    basis = family.legal_basis
    if role == MemberRole.CHILD:
        for carer in carers:
            relation_record(
                actor=actor,
                agency=agency,
                person=person,
                relative=carer.person,
                kind=carer.role,
                legal_basis=basis,
            )
        if sibling_of_children:
            already = set(sibling_ids(person).values_list("pk", flat=True))
            for child in children:
                if child.pk not in already:
                    relation_record(
                        actor=actor,
                        agency=agency,
                        person=person,
                        relative=child,
                        kind=RelationKind.SIBLING,
                        legal_basis=basis,
                    )
    elif role in MemberRole.carers():
        for child in children:
            relation_record(
                actor=actor,
                agency=agency,
                person=child,
                relative=person,
                kind=role,
                legal_basis=basis,
            )
    return member


@transaction.atomic
def family_add_new_person(
    *,
    actor,
    agency: Agency,
    family: Family,
    role: str,
    sibling_of_children: bool = True,
    **person_fields,
) -> FamilyMember:
    """Register a new person and add them to the household, all or nothing."""
    person_fields.setdefault("municipality", family.municipality)
    person = person_create(actor=actor, agency=agency, **person_fields)
    return family_add_member(
        actor=actor,
        agency=agency,
        family=family,
        person=person,
        role=role,
        sibling_of_children=sibling_of_children,
    )


@transaction.atomic
def family_remove_member(*, actor, agency: Agency, member: FamilyMember) -> None:
    """Take a person out of the household. Their relations stay: a sibling is a
    sibling after a move."""
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=member.family,
        subjects=[member.person_id],
        changed_fields=["members"],
    )
    timeline_record(
        person=member.person,
        kind="families.member_removed",
        actor=actor,
        agency=agency,
        legal_basis=member.family.legal_basis,
        params={"role": member.role},
    )
    member.delete()
