"""Reading families, relations and siblings through the permission core.

A relation is seen by whoever may see both of its persons; a family member by
whoever may see the family and the member. Siblings are those recorded directly
(sibling, half-sibling) and those who share a recorded mother or father.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from access.permissions import VIEW, visible, visible_q, visible_via
from audit.models import Action
from audit.services import audit_record_read, object_type_of
from cases.models import Person

from .models import Family, FamilyMember, Relation, RelationKind


def families_visible_to(*, user, action: str = VIEW) -> QuerySet[Family]:
    return visible(
        user,
        Family.objects.select_related("municipality", "recorded_by"),
        action=action,
    )


def family_members(*, user, family: Family) -> QuerySet[FamilyMember]:
    """The members of `family` the user may see (the others are left out without a
    trace), audited as a list of those persons."""
    return visible_via(
        user,
        FamilyMember.objects.filter(family=family)
        .select_related("person", "person__municipality")
        .order_by("role", "person__date_of_birth", "person__given_name"),
        parent="person",
        parent_model=Person,
    )


def families_of(*, user, person: Person) -> QuerySet[Family]:
    """The households the person belongs to that the user may see (their names:
    nothing is joined in)."""
    return visible(user, Family.objects.filter(memberships__person=person))


def sibling_ids(person) -> QuerySet[Person]:
    """Primary keys of the person's siblings, recorded or through a shared parent,
    unscoped: callers intersect with what the user may see."""
    parents = Relation.objects.filter(
        person=person, kind__in=RelationKind.parents()
    ).values("relative")
    return (
        Person.objects.filter(
            Q(
                pk__in=Relation.objects.filter(
                    kind__in=RelationKind.parents(), relative__in=parents
                ).values("person")
            )
            | Q(
                pk__in=Relation.objects.filter(
                    person=person, kind__in=RelationKind.siblings()
                ).values("relative")
            )
            | Q(
                pk__in=Relation.objects.filter(
                    relative=person, kind__in=RelationKind.siblings()
                ).values("person")
            )
        )
        .exclude(pk=person.pk)
        .values("pk")
    )


def sibling_id_list(person) -> list:
    """The same siblings as `sibling_ids`, read now as a list: one UNION of three
    index lookups on the relations, so that the queries that use the list look up
    a handful of primary keys instead of scanning every person."""
    parents = Relation.objects.filter(
        person=person, kind__in=RelationKind.parents()
    ).values("relative")
    through_parents = (
        Relation.objects.filter(kind__in=RelationKind.parents(), relative__in=parents)
        .values_list("person", flat=True)
        .order_by()
    )
    recorded = (
        Relation.objects.filter(person=person, kind__in=RelationKind.siblings())
        .values_list("relative", flat=True)
        .order_by()
    )
    recorded_back = (
        Relation.objects.filter(relative=person, kind__in=RelationKind.siblings())
        .values_list("person", flat=True)
        .order_by()
    )
    found = set(through_parents.union(recorded, recorded_back))
    found.discard(person.pk)
    return sorted(found)


def siblings_of(*, user, person: Person) -> QuerySet[Person]:
    """The person's siblings that the user may see, audited as a list."""
    return visible(
        user,
        Person.objects.filter(pk__in=sibling_id_list(person)).select_related(
            "municipality"
        ),
    ).order_by("date_of_birth", "given_name")


@dataclass
class PersonRelation:
    """A relation read from one person's side: `other` is the person's `label`."""

    relation: Relation
    other: Person
    label: str
    outgoing: bool = field(default=True)


def relations_of(*, user, person: Person) -> list[PersonRelation]:
    """The person's recorded relations whose other person the user may see."""
    rows = (
        Relation.objects.filter(
            (Q(person=person) & visible_q(user, Person, field="relative"))
            | (Q(relative=person) & visible_q(user, Person, field="person"))
        )
        .select_related("person", "relative", "agency")
        .order_by("kind", "recorded_at")
        .audited(user=user, action=Action.LIST)
    )
    result = []
    for relation in rows:
        if relation.person_id == person.pk:
            result.append(
                PersonRelation(relation, relation.relative, relation.get_kind_display())
            )
        else:
            result.append(
                PersonRelation(
                    relation, relation.person, _inverse_label(relation), outgoing=False
                )
            )
    return result


def relations_and_carers_of(
    *, user, person: Person
) -> tuple[list[PersonRelation], list[Person]]:
    """`relations_of` and `carers_of` for the person's page, from one query: the
    carers are the relatives of the person's outgoing carer relations, which
    `relations_of` reads only where the user may see the relative, exactly the
    persons `carers_of` answers, in Person's order (family name, given name). Their
    read is audited as `carers_of` audits it (a list of those persons), on top of
    the relations' own entry."""
    relations = relations_of(user=user, person=person)
    carers = {
        item.other.pk: item.other
        for item in relations
        if item.outgoing and item.relation.kind in RelationKind.carers()
    }
    shown = sorted(carers.values(), key=lambda c: (c.family_name, c.given_name, c.pk))
    if shown:
        audit_record_read(
            user=user,
            action=Action.LIST,
            object_type=object_type_of(Person),
            subjects=[carer.pk for carer in shown],
        )
    return relations, shown


def relation_of(*, user, person: Person, relation_id) -> Relation:
    """One of the person's relations that the user may see, or 404."""
    from django.http import Http404

    for item in relations_of(user=user, person=person):
        if str(item.relation.pk) == str(relation_id):
            return item.relation
    raise Http404


def _inverse_label(relation: Relation) -> str:
    from django.utils.translation import gettext as _

    if relation.kind in RelationKind.siblings():
        return relation.get_kind_display()
    if relation.kind in RelationKind.carers():
        return _("Child")
    return relation.get_kind_display()


def carers_of(*, user, person: Person) -> QuerySet[Person]:
    """Mother, father, step-parent or guardian, as far as the user may see them:
    their contact details stand on the young person's page."""
    return visible(
        user,
        Person.objects.filter(
            relations_as_relative__person=person,
            relations_as_relative__kind__in=RelationKind.carers(),
        ).distinct(),
    )


def has_sibling_among(person_pks) -> Q:
    """A filter on Person: has a sibling among `person_pks` (a pk subquery)."""
    parents = RelationKind.parents()
    shared_parent = Relation.objects.filter(
        person=OuterRef("pk"), kind__in=parents
    ).filter(
        Exists(
            Relation.objects.filter(
                relative=OuterRef("relative"), kind__in=parents, person__in=person_pks
            ).exclude(person=OuterRef("person"))
        )
    )
    direct_out = Relation.objects.filter(
        person=OuterRef("pk"), kind__in=RelationKind.siblings(), relative__in=person_pks
    )
    direct_in = Relation.objects.filter(
        relative=OuterRef("pk"), kind__in=RelationKind.siblings(), person__in=person_pks
    )
    return Q(Exists(shared_parent)) | Q(Exists(direct_out)) | Q(Exists(direct_in))
