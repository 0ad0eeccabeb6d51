"""Reads on organisations: a user's memberships and acting agency."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import IDENTITY_FIELDS, Agency, Membership, Municipality, Role, User

SESSION_AGENCY_KEY = "tvaers_agency_id"


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related(
        "agency__municipality", "agency__police_district"
    )


_CACHE_ATTR = "_tvaers_memberships"


def membership_list(*, user: User) -> list[Membership]:
    """The user's memberships, read once per user object. A request loads its user
    afresh, so a changed membership counts from the next request on."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, list(memberships_of(user=user)))
    return getattr(user, _CACHE_ATTR)


def forget_memberships(*, user: User) -> None:
    user.__dict__.pop(_CACHE_ATTR, None)


def roles_of(*, user: User) -> set[str]:
    return {m.role for m in membership_list(user=user)}


def acting_membership(*, user: User, session=None) -> Membership | None:
    """The membership the user acts through: chosen in the session, else the first.

    The audit log records the agency of this membership for every action.
    """
    memberships = membership_list(user=user)
    if session is not None:
        chosen = session.get(SESSION_AGENCY_KEY)
        for m in memberships:
            if str(m.pk) == chosen:
                return m
    case = [m for m in memberships if m.role in Role.case_roles()]
    return (case or memberships or [None])[0]


def municipalities_for(*, agency: Agency) -> QuerySet[Municipality]:
    """The municipalities whose citizens an agency works with."""
    if agency.municipality_id:
        return Municipality.objects.filter(pk=agency.municipality_id)
    return Municipality.objects.filter(police_district_id=agency.police_district_id)


def staff_with_incomplete_identity() -> QuerySet[User]:
    """Active users with a case role who lack a name, title, phone or work e-mail
    (issue 18, point 4): the administrator's list to complete."""
    blank = Q()
    for field in IDENTITY_FIELDS:
        blank |= Q(**{field: ""})
    return (
        User.objects.filter(blank, is_active=True)
        .filter(
            pk__in=Membership.objects.filter(role__in=Role.case_roles()).values("user")
        )
        .order_by("username")
    )
