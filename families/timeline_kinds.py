"""What families record on a person's timeline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from timeline.registry import register_kind

from .models import MemberRole, RelationKind


def _relation(params: dict) -> str:
    return str(dict(RelationKind.choices).get(params.get("kind"), ""))


def _membership(params: dict) -> str:
    # The role only: the family's name is for those who may see the family.
    return str(dict(MemberRole.choices).get(params.get("role"), ""))


register_kind("families.relation", label=_("Relation recorded"), describe=_relation)
register_kind(
    "families.relation_removed", label=_("Relation removed"), describe=_relation
)
register_kind(
    "families.member_added", label=_("Added to a family"), describe=_membership
)
register_kind("families.member_removed", label=_("Left a family"), describe=_membership)
