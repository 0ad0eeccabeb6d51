"""Writes on persons. Each is one transaction with its audit entry."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import CHANGE, EXPORT, VIEW, can_record_cases
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from organisations.models import Agency, Municipality
from organisations.selectors import municipalities_for

from .models import Person

EDITABLE_FIELDS = ("given_name", "family_name", "date_of_birth")


@transaction.atomic
def person_create(
    *,
    actor,
    agency: Agency,
    municipality: Municipality,
    given_name: str,
    family_name: str,
    date_of_birth: date | None = None,
    legal_basis: str = LegalBasis.OWN_TASK,
) -> Person:
    """Record a person in `municipality` on behalf of `agency`.

    The recording agency gets view, change and export; nobody else sees the person
    until someone grants it (R-115-5, no automatic sharing). Refused with a
    field-level ValidationError when the agency does not work in that municipality.
    """
    if not can_record_cases(actor, agency):
        raise ValidationError({"agency": _("You do not work in this agency.")})
    if not municipalities_for(agency=agency).filter(pk=municipality.pk).exists():
        raise ValidationError(
            {"municipality": _("Your agency does not work in this municipality.")}
        )
    person = Person(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        municipality=municipality,
        recorded_by=agency,
        legal_basis=legal_basis,
        created_by=actor,
    )
    person.full_clean()
    person.save()
    audit_record(user=actor, action=Action.CREATE, obj=person, subjects=[person.pk])
    access_grant(
        actor=actor,
        obj=person,
        agency=agency,
        actions=[VIEW, CHANGE, EXPORT],
        legal_basis=legal_basis,
        reason="recording agency",
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change the editable fields; the audit entry names the fields, not values."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [k for k, v in changes.items() if getattr(person, k) != v]
    if not changed:
        return person
    for name in changed:
        value = changes[name]
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.full_clean()
    person.save(update_fields=[*changed, "updated_at"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=person,
        subjects=[person.pk],
        changed_fields=changed,
    )
    return person
