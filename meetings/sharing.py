"""The law of sharing in a §115 forum, in code (LAW.md B1–B2; issue 5, point 5).

* R-115-5: nothing is shared automatically. Information enters a meeting only by
  `information_share`, an explicit act of a user of the agency that owns it.
* R-115-1, R-115-2: each share carries a legal basis from the forum's list and a
  necessity justification. §115 stk. 1 is the police's basis, stk. 2 the other
  authorities', stk. 3 the self-governing institutions'.
* R-115-4: recipients are the meeting's participants, which are authorities only
  (meetings.forums refuses a private organisation as member or participant).
* Seen by the agencies taking part in that meeting and nobody else, keeping its
  source agency and basis (visibility: meetings.selectors, through the meeting).
* R-115-8: received information is not passed on by copying: `information_reshare`
  makes the receiver's agency the sharer, with a new basis of its own, audited.
* R-115-6: §115 stk. 5 information only from police, only in SSP forums, only to
  named recipients, with a confidentiality banner; never re-shared or exported.
* R-CONF-2: consent is recorded per person, and a withdrawn (or expired) consent
  stops further sharing on that basis.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import VIEW, can, can_share_gang_information
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from organisations.models import Agency, AgencyKind, Membership, Role

from .models import (
    AgendaItem,
    Consent,
    Meeting,
    MeetingStatus,
    Participant,
    SharedInformation,
)

POLICE_BASES = frozenset(
    {
        LegalBasis.RPL115_1_1_SSP,
        LegalBasis.RPL115_1_2_PSP,
        LegalBasis.RPL115_1_3A_KSP,
        LegalBasis.RPL115_1_3B_KSP_U18,
        LegalBasis.RPL115_1_3C_KSP_RADICAL,
        LegalBasis.RPL115_5_GANG,
    }
)
SHARING_STATES = (MeetingStatus.AGENDA_SENT, MeetingStatus.IN_PROGRESS)


# --- Consent (R-CONF-2) -------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor,
    agency: Agency,
    person,
    given_by: str,
    scope: str,
    given_on: date,
    agencies: list[Agency],
    expires_on: date | None = None,
) -> Consent:
    """Record a consent to sharing about `person` (caller fetched the person for
    VIEW): who gave it, its scope (what, and which agencies may share), when."""
    errors = {}
    if not given_by.strip():
        errors["given_by"] = _("Write who gave the consent.")
    if not scope.strip():
        errors["scope"] = _("Write what the consent covers.")
    if not agencies:
        errors["agencies"] = _("Choose the agencies that may share.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("The consent cannot be given in the future.")
    if expires_on is not None and expires_on < given_on:
        errors["expires_on"] = _("It cannot expire before it was given.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        person=person,
        given_by=given_by.strip(),
        scope=scope.strip(),
        given_on=given_on,
        expires_on=expires_on,
        agency=agency,
        recorded_by=actor,
    )
    consent.agencies.set(agencies)
    audit_record(user=actor, action=Action.CREATE, obj=consent, subjects=[person.pk])
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, withdrawn_on: date) -> Consent:
    """The consent is withdrawn (FVL §28 stk. 4): no further sharing on it. What
    was shared before stays, with the consent it was shared on."""
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("It cannot be withdrawn before it was given.")}
        )
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=consent,
        subjects=[consent.person_id],
        changed_fields=["withdrawn_on"],
    )
    return consent


# --- Sharing --------------------------------------------------------------------------


def takes_part(meeting: Meeting, agency: Agency, user) -> bool:
    """Does `user`, acting for `agency`, take part in `meeting` (as a named person,
    or through its whole agency)?"""
    return (
        Participant.objects.filter(meeting=meeting, agency=agency)
        .filter(user__isnull=True)
        .exists()
        or Participant.objects.filter(
            meeting=meeting, agency=agency, user=user
        ).exists()
    )


def _check_basis(
    *, meeting: Meeting, agency: Agency, legal_basis: str, necessity: str, errors
) -> None:
    kind = meeting.forum.kind
    if not legal_basis:
        errors["legal_basis"] = _("Choose the legal basis you share under.")
        return
    if legal_basis not in kind.legal_bases:
        errors["legal_basis"] = _("This forum does not share under that legal basis.")
        return
    if legal_basis in POLICE_BASES and agency.kind != AgencyKind.POLICE:
        errors["legal_basis"] = _(
            "§115 stk. 1 and stk. 5 are the police's bases; other authorities share "
            "under §115 stk. 2."
        )
    elif legal_basis == LegalBasis.RPL115_2 and agency.kind in (
        AgencyKind.POLICE,
        AgencyKind.SELF_GOVERNING,
    ):
        errors["legal_basis"] = _("Choose the basis that applies to your agency.")
    elif (
        legal_basis == LegalBasis.RPL115_3 and agency.kind != AgencyKind.SELF_GOVERNING
    ):
        errors["legal_basis"] = _(
            "§115 stk. 3 is the basis of self-governing institutions."
        )
    if not necessity.strip():
        errors["necessity"] = _("Write why sharing this is necessary.")


def _check_consent(*, item: AgendaItem, agency: Agency, consent, errors) -> None:
    if consent is None:
        errors["consent"] = _("Choose the consent you share under.")
    elif item.person_id is None or consent.person_id != item.person_id:
        errors["consent"] = _("The consent must be the young person's own.")
    elif not consent.is_valid_on(timezone.localdate()):
        errors["consent"] = _(
            "This consent has been withdrawn or has expired: nothing more may be "
            "shared on it."
        )
    elif not consent.agencies.filter(pk=agency.pk).exists():
        errors["consent"] = _("The consent does not cover your agency.")


def _create(
    *,
    actor,
    agency: Agency,
    item: AgendaItem,
    text: str,
    legal_basis: str,
    necessity: str,
    consent=None,
    reshared_from=None,
    gang_kind: str = "",
    recipients=(),
) -> SharedInformation:
    meeting = item.meeting
    errors: dict = {}
    if not Membership.objects.filter(user=actor, agency=agency).exists() or not (
        takes_part(meeting, agency, actor)
    ):
        raise ValidationError(
            _("Only a participant of the meeting shares information in it.")
        )
    if meeting.status not in SHARING_STATES:
        raise ValidationError(
            _("Information is shared while the agenda is out or the meeting runs.")
        )
    if item.removed:
        raise ValidationError(_("The item has been removed from the agenda."))
    if not text.strip():
        errors["text"] = _("Write the information you share.")
    _check_basis(
        meeting=meeting,
        agency=agency,
        legal_basis=legal_basis,
        necessity=necessity,
        errors=errors,
    )
    if legal_basis == LegalBasis.CONSENT:
        _check_consent(item=item, agency=agency, consent=consent, errors=errors)
    elif consent is not None:
        errors["consent"] = _("A consent is chosen only when it is the basis.")
    gang = legal_basis == LegalBasis.RPL115_5_GANG
    recipients = list(recipients)
    if gang:
        _check_gang(
            actor=actor,
            agency=agency,
            item=item,
            gang_kind=gang_kind,
            recipients=recipients,
            errors=errors,
        )
    if errors:
        raise ValidationError(errors)
    shared = SharedInformation(
        item=item,
        meeting=meeting,
        person_id=item.person_id,
        text=text.strip(),
        agency=agency,
        shared_by=actor,
        legal_basis=legal_basis,
        necessity=necessity.strip(),
        consent=consent,
        reshared_from=reshared_from,
        restricted=gang,
    )
    if gang:
        from .services import gang_information_share

        shared.gang_information = gang_information_share(
            actor=actor,
            agency=agency,
            person=item.person,
            kind=gang_kind,
            recipients=recipients,
            shared_on=timezone.localdate(),
            note=text,
        )
    shared.full_clean()
    shared.save()
    audit_record(
        user=actor,
        action=Action.CREATE,
        obj=shared,
        subjects=[item.person_id] if item.person_id else [],
        criterion=f"reshare of {reshared_from.pk}" if reshared_from else "",
    )
    if gang:
        # R-115-6: the sharing police agency and the named recipients, nobody else.
        access_grant(
            actor=actor,
            obj=shared,
            agency=agency,
            actions=[VIEW],
            legal_basis=legal_basis,
            reason="sharing police agency",
        )
        for recipient in recipients:
            access_grant(
                actor=actor,
                obj=shared,
                user=recipient,
                actions=[VIEW],
                legal_basis=legal_basis,
                reason="named recipient",
            )
    return shared


def _check_gang(*, actor, agency, item, gang_kind, recipients, errors) -> None:
    from .models import GangInformationKind

    if not can_share_gang_information(actor, agency):
        errors["legal_basis"] = _(
            "Only police may share information under §115 stk. 5."
        )
        return
    if not item.meeting.forum.kind.allows_gang_information:
        errors["legal_basis"] = _("§115 stk. 5 applies to SSP forums only.")
        return
    if item.person_id is None:
        errors["legal_basis"] = _("§115 stk. 5 information is about one person.")
    if gang_kind not in GangInformationKind.values:
        errors["gang_kind"] = _("Choose what police share under §115 stk. 5.")
    if not recipients:
        errors["recipients"] = _("Name at least one recipient.")
    else:
        participants = Participant.objects.filter(meeting=item.meeting)
        named = set(
            participants.filter(user__isnull=False).values_list("user", flat=True)
        )
        whole = participants.filter(user__isnull=True).values("agency")
        # Of a whole agency taking part, those who work with cases (not its
        # administrators or auditors, who do not see the meeting).
        members = set(
            Membership.objects.filter(
                agency__in=whole, role__in=Role.case_roles()
            ).values_list("user", flat=True)
        )
        if any(r.pk not in named | members for r in recipients):
            errors["recipients"] = _("Recipients must take part in the meeting.")


@transaction.atomic
def information_share(
    *,
    actor,
    agency: Agency,
    item: AgendaItem,
    text: str,
    legal_basis: str,
    necessity: str,
    consent: Consent | None = None,
    gang_kind: str = "",
    recipients=(),
) -> SharedInformation:
    """`actor`, for `agency`, shares information about the item's person in the
    meeting (R-115-5: the one way information enters a meeting). The caller has
    fetched the item through the permission core (it sees the meeting)."""
    return _create(
        actor=actor,
        agency=agency,
        item=item,
        text=text,
        legal_basis=legal_basis,
        necessity=necessity,
        consent=consent,
        gang_kind=gang_kind,
        recipients=recipients,
    )


@transaction.atomic
def information_reshare(
    *,
    actor,
    agency: Agency,
    source: SharedInformation,
    item: AgendaItem,
    legal_basis: str,
    necessity: str,
    consent: Consent | None = None,
) -> SharedInformation:
    """Pass information received in one meeting on into another (R-115-8). Only
    with a new basis of the receiver's own and its justification; the new record
    names `agency` as the sharer and keeps the link to the source. §115 stk. 5
    information is never passed on (R-115-6)."""
    if not can(actor, source, VIEW) and not can(actor, source.meeting, VIEW):
        raise ValidationError(_("You cannot pass on what you have not received."))
    if source.restricted:
        raise ValidationError(
            _("Information shared under §115 stk. 5 may not be passed on.")
        )
    if item.meeting_id == source.meeting_id:
        raise ValidationError(_("The information is already in this meeting."))
    if source.person_id != item.person_id:
        raise ValidationError(
            {"reshared_from": _("The information is about another person.")}
        )
    if not legal_basis:
        raise ValidationError(
            {
                "legal_basis": _(
                    "Passing information on needs a legal basis of your own; the "
                    "basis it was received under does not carry over."
                )
            }
        )
    return _create(
        actor=actor,
        agency=agency,
        item=item,
        text=source.text,
        legal_basis=legal_basis,
        necessity=necessity,
        consent=consent,
        reshared_from=source,
    )
