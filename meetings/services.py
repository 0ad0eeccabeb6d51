"""Recording information police share under Retsplejeloven §115 stk. 5 (R-115-6).

The meetings step will call these from a meeting's "information shared" item; the
record, its compartment and its place in the sibling alert exist from step 2.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.legal import LegalBasis
from access.permissions import CHANGE, VIEW
from access.services import access_grant
from audit.models import Action
from audit.services import audit_record
from organisations.models import Agency, AgencyKind, Role
from organisations.selectors import roles_of
from timeline.services import timeline_record

from .models import GangInformation


@transaction.atomic
def gang_information_share(
    *,
    actor,
    agency: Agency,
    person,
    kind: str,
    recipients,
    shared_on: date,
    note: str = "",
) -> GangInformation:
    """Police share §115 stk. 5 information about `person` with named recipients.

    R-115-6: only a police agency may create it; it is seen by that agency and the
    named recipients (grants to each user, never to their agencies), and by no one
    else, also on the timeline (a restricted entry with the same grants).
    """
    if agency.kind != AgencyKind.POLICE or Role.POLICE_LIAISON not in roles_of(
        user=actor
    ):
        raise ValidationError(_("Only police may share information under §115 stk. 5."))
    recipients = list(recipients)
    if not recipients:
        raise ValidationError({"recipients": _("Name at least one recipient.")})
    info = GangInformation(
        person=person,
        kind=kind,
        note=note.strip(),
        shared_on=shared_on,
        agency=agency,
        shared_by=actor,
    )
    info.full_clean()
    info.save()
    info.recipients.set(recipients)
    audit_record(user=actor, action=Action.CREATE, obj=info, subjects=[person.pk])
    entry = timeline_record(
        person=person,
        kind="meetings.gang_information",
        actor=actor,
        agency=agency,
        legal_basis=LegalBasis.RPL115_5_GANG,
        params={"kind": kind},
        detail=info.note,
        source=info,
        restricted=True,
    )
    basis = LegalBasis.RPL115_5_GANG
    for obj in (info, entry):
        access_grant(
            actor=actor,
            obj=obj,
            agency=agency,
            actions=[VIEW, CHANGE] if obj is info else [VIEW],
            legal_basis=basis,
            reason="sharing police agency",
        )
        for recipient in recipients:
            access_grant(
                actor=actor,
                obj=obj,
                user=recipient,
                actions=[VIEW],
                legal_basis=basis,
                reason="named recipient",
            )
    return info


@transaction.atomic
def gang_information_end(
    *, actor, info: GangInformation, ended_on: date
) -> GangInformation:
    """The information no longer holds (callers fetch it for CHANGE: the police)."""
    if info.ended_on is not None:
        raise ValidationError(_("This information has already ended."))
    if ended_on < info.shared_on:
        raise ValidationError({"ended_on": _("It cannot end before it was shared.")})
    info.ended_on = ended_on
    info.save(update_fields=["ended_on"])
    audit_record(
        user=actor,
        action=Action.CHANGE,
        obj=info,
        subjects=[info.person_id],
        changed_fields=["ended_on"],
    )
    return info
