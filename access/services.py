"""Granting and revoking access to one object: explicit, recorded acts (R-115-5:
nothing is shared automatically; each grant names its legal basis)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit.models import Action
from audit.services import audit_record, subject_of
from organisations.models import Agency, AgencyKind

from .legal import LegalBasis
from .permissions import ACTIONS, codename


def _holder(agency: Agency | None, user):
    """The guardian holder of a grant: the agency's group, or one user."""
    if (agency is None) == (user is None):
        raise ValueError("Name exactly one agency or one user.")
    return agency.group if agency is not None else user


def _audit_change(*, actor, action, obj, agency, user, detail: str) -> None:
    holder = f"agency:{agency.pk}" if agency is not None else f"user:{user.pk}"
    audit_record(
        user=actor,
        action=action,
        obj=obj,
        subjects=[subject_of(obj)],
        criterion=f"{holder} {detail}".strip(),
    )


@transaction.atomic
def access_grant(
    *,
    actor,
    obj: models.Model,
    agency: Agency | None = None,
    user=None,
    actions: Iterable[str],
    legal_basis: str,
    reason: str = "",
) -> None:
    """Give an agency (all its case-role members) or one user access to `obj`."""
    holder = _holder(agency, user)
    if legal_basis not in LegalBasis.values:
        raise ValidationError({"legal_basis": _("Choose a legal basis from the list.")})
    if (
        agency is not None
        and legal_basis.startswith("RPL115")
        and agency.kind not in AgencyKind.authority_kinds()
    ):
        # R-115-4: §115 information never reaches a private organisation.
        raise ValidationError(
            {
                "agency": _(
                    "A private organisation cannot take part in a §115 forum or "
                    "receive its information."
                )
            }
        )
    actions = list(actions)
    if not actions or any(a not in ACTIONS for a in actions):
        raise ValidationError({"actions": _("Choose what the recipient may do.")})
    for action in actions:
        assign_perm(codename(type(obj), action), holder, obj)
    _audit_change(
        actor=actor,
        action=Action.GRANT,
        obj=obj,
        agency=agency,
        user=user,
        detail=f"{'+'.join(actions)} {legal_basis} {reason}",
    )


@transaction.atomic
def access_revoke(
    *,
    actor,
    obj: models.Model,
    agency: Agency | None = None,
    user=None,
    actions: Iterable[str] = ACTIONS,
) -> None:
    """Take access away; it takes effect on the holder's next request."""
    holder = _holder(agency, user)
    actions = list(actions)
    for action in actions:
        remove_perm(codename(type(obj), action), holder, obj)
    _audit_change(
        actor=actor,
        action=Action.REVOKE,
        obj=obj,
        agency=agency,
        user=user,
        detail="+".join(actions),
    )
