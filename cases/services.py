"""Writes on persons. Each is one transaction with its audit entry."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.legal import LegalBasis
from access.permissions import CHANGE, EXPORT, VIEW, can_record_cases
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from core.cpr import Cpr, CprError, parse_cpr
from core.crypto import decrypt, encrypt, keyed_hash
from organisations.models import Agency, Municipality
from organisations.selectors import municipalities_for

from .models import ConcernLevelChange, Person

EDITABLE_FIELDS = ("given_name", "family_name", "date_of_birth")

CPR_MESSAGES = {
    "format": gettext_lazy("A CPR number has ten digits, e.g. 010203-1234."),
    "date": gettext_lazy("The first six digits of a CPR number must be a real date."),
    "taken": gettext_lazy("A person with this CPR number is already registered."),
    "birth_date": gettext_lazy("The date of birth does not match the CPR number."),
}


def _set_cpr(person: Person, text: str) -> None:
    """Validate `text` and store it encrypted with its keyed hash; derive the date
    of birth. Field-level ValidationError for a bad, taken or contradicted number."""
    try:
        cpr = parse_cpr(text)
    except CprError as exc:
        raise ValidationError({"cpr": CPR_MESSAGES[exc.code]}) from exc
    digest = keyed_hash(cpr.digits)
    if Person.objects.filter(cpr_hash=digest).exclude(pk=person.pk).exists():
        raise ValidationError({"cpr": CPR_MESSAGES["taken"]})
    if person.date_of_birth and person.date_of_birth != cpr.birth_date:
        raise ValidationError({"date_of_birth": CPR_MESSAGES["birth_date"]})
    person.cpr_encrypted = encrypt(cpr.digits)
    person.cpr_hash = digest
    person.date_of_birth = cpr.birth_date


def person_find_by_cpr(text: str) -> Person | None:
    """Exact match by keyed hash, unscoped: for the duplicate check only. Callers
    show the match only through the permission core."""
    try:
        digits = parse_cpr(text).digits
    except CprError:
        return None
    return Person.objects.filter(cpr_hash=keyed_hash(digits)).first()


@transaction.atomic
def person_create(
    *,
    actor,
    agency: Agency,
    municipality: Municipality,
    given_name: str,
    family_name: str,
    date_of_birth: date | None = None,
    cpr: str = "",
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
    if cpr:
        _set_cpr(person, cpr)
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


@transaction.atomic
def person_reveal_cpr(*, actor, person: Person) -> str:
    """The full CPR number, for a user who may change the person (callers fetch the
    person with access.permissions.get_visible_or_404(action=CHANGE)). Audited as a
    reveal naming the person; never cached, never logged."""
    if not person.has_cpr:
        return ""
    audit_record(user=actor, action=Action.REVEAL, obj=person, subjects=[person.pk])
    return Cpr(decrypt(person.cpr_encrypted)).formatted


@transaction.atomic
def person_set_concern_level(
    *,
    actor,
    agency: Agency,
    person: Person,
    level: str,
    reason: str,
    legal_basis: str = LegalBasis.OWN_TASK,
) -> ConcernLevelChange:
    """Set the person's concern level (the three circles) with the reason; the
    change is kept in the history. Callers fetch the person for CHANGE."""
    change = ConcernLevelChange(
        person=person,
        level=level,
        reason=reason.strip(),
        set_by=actor,
        agency=agency,
        legal_basis=legal_basis,
    )
    change.full_clean()
    change.save()
    person.concern_level = level
    person.save(update_fields=["concern_level", "updated_at"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=person,
        subjects=[person.pk],
        changed_fields=["concern_level"],
    )
    return change
