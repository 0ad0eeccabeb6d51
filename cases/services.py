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
from timeline.services import timeline_record

from .models import ConcernLevelChange, Factor, Person, PersonFactor, PersonStatus

EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "address_protected",
    "address",
    "school",
    "phone",
    "email",
)

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
    **details,
) -> Person:
    """Record a person in `municipality` on behalf of `agency`.

    The recording agency gets view, change and export; nobody else sees the person
    until someone grants it (R-115-5, no automatic sharing). Refused with a
    field-level ValidationError when the agency does not work in that municipality.
    `details` are the other editable fields (address, school, phone, e-mail).
    """
    unknown = set(details) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
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
        **{k: v.strip() if isinstance(v, str) else v for k, v in details.items()},
    )
    _protect_address(person)
    if cpr:
        _set_cpr(person, cpr)
    person.full_clean()
    person.save()
    audit_record(user=actor, action=Action.CREATE, obj=person, subjects=[person.pk])
    timeline_record(
        person=person,
        kind="cases.registered",
        actor=actor,
        agency=agency,
        legal_basis=legal_basis,
        source=person,
    )
    access_grant(
        actor=actor,
        obj=person,
        agency=agency,
        actions=[VIEW, CHANGE, EXPORT],
        legal_basis=legal_basis,
        reason="recording agency",
    )
    return person


def _protect_address(person: Person) -> None:
    """A protected address is not recorded at all (CPR-loven §6 stk. 6)."""
    if person.address_protected:
        person.address = ""


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change the editable fields; the audit entry names the fields, not values."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    if (
        person.has_cpr
        and "date_of_birth" in changes
        and changes["date_of_birth"] != person.date_of_birth
    ):
        # The date of birth is the CPR number's: it cannot be edited apart from it.
        raise ValidationError({"date_of_birth": CPR_MESSAGES["birth_date"]})
    if changes.get("address_protected", person.address_protected):
        changes["address"] = ""
    changed = [k for k, v in changes.items() if getattr(person, k) != v]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, changes[name])
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
    timeline_record(
        person=person,
        kind="cases.concern_level",
        actor=actor,
        agency=agency,
        legal_basis=legal_basis,
        params={"level": level},
        detail=change.reason,
        source=change,
    )
    return change


@transaction.atomic
def person_close(
    *, actor, agency: Agency, person: Person, closed_on: date, reason: str
) -> Person:
    """Close the person's record with a date and a reason (the concern has ended,
    moved away, …). Nothing is deleted; a closed record can be reopened."""
    if not person.is_active:
        raise ValidationError(_("The record is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing.")})
    person.status = PersonStatus.CLOSED
    person.closed_on = closed_on
    person.closed_reason = reason.strip()
    person.full_clean()
    person.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=person,
        subjects=[person.pk],
        changed_fields=["status", "closed_on", "closed_reason"],
    )
    timeline_record(
        person=person,
        kind="cases.closed",
        actor=actor,
        agency=agency,
        legal_basis=LegalBasis.OWN_TASK,
        detail=person.closed_reason,
        source=person,
    )
    return person


@transaction.atomic
def person_reopen(*, actor, agency: Agency, person: Person) -> Person:
    if person.is_active:
        raise ValidationError(_("The record is already active."))
    person.status = PersonStatus.ACTIVE
    person.closed_on = None
    person.closed_reason = ""
    person.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=person,
        subjects=[person.pk],
        changed_fields=["status", "closed_on", "closed_reason"],
    )
    timeline_record(
        person=person,
        kind="cases.reopened",
        actor=actor,
        agency=agency,
        legal_basis=LegalBasis.OWN_TASK,
        source=person,
    )
    return person


def _factor_params(factor: Factor) -> dict:
    # The names as they read when recorded: the timeline keeps history even if
    # an administrator rewords the catalogue later.
    return {"kind": factor.kind, "name_da": factor.name_da, "name_en": factor.name_en}


@transaction.atomic
def factor_record(
    *,
    actor,
    agency: Agency,
    person: Person,
    factor: Factor,
    observed_on: date,
    note: str = "",
    legal_basis: str = LegalBasis.OWN_TASK,
) -> PersonFactor:
    """Record that `agency` observed `factor` in the person from `observed_on`.
    Callers fetch the person for CHANGE."""
    if not factor.active:
        raise ValidationError({"factor": _("This factor is no longer in use.")})
    observed = PersonFactor(
        person=person,
        factor=factor,
        observed_on=observed_on,
        note=note.strip(),
        agency=agency,
        legal_basis=legal_basis,
        recorded_by=actor,
    )
    observed.full_clean()
    observed.save()
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=observed,
        subjects=[person.pk],
    )
    timeline_record(
        person=person,
        kind="cases.factor_recorded",
        actor=actor,
        agency=agency,
        legal_basis=legal_basis,
        params=_factor_params(factor),
        detail=observed.note,
        source=observed,
    )
    return observed


@transaction.atomic
def factor_end(
    *, actor, agency: Agency, observed: PersonFactor, ended_on: date, note: str = ""
) -> PersonFactor:
    """The factor no longer applies from `ended_on`; the record stays."""
    if observed.ended_on is not None:
        raise ValidationError(_("This factor has already ended."))
    if ended_on < observed.observed_on:
        raise ValidationError(
            {"ended_on": _("A factor cannot end before it was observed.")}
        )
    observed.ended_on = ended_on
    observed.end_note = note.strip()
    observed.full_clean()
    observed.save(update_fields=["ended_on", "end_note"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=observed,
        subjects=[observed.person_id],
        changed_fields=["ended_on", "end_note"],
    )
    timeline_record(
        person=observed.person,
        kind="cases.factor_ended",
        actor=actor,
        agency=agency,
        legal_basis=observed.legal_basis,
        params=_factor_params(observed.factor),
        detail=observed.end_note,
        source=observed,
    )
    return observed
