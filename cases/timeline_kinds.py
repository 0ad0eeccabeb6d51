"""What the registry records on a person's timeline."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from timeline.registry import register_kind

from .models import ConcernLevel, FactorKind


def _level(params: dict) -> str:
    return str(dict(ConcernLevel.choices).get(params.get("level"), ""))


def _factor(params: dict) -> str:
    english = (get_language() or "da")[:2] == "en"
    name = params.get("name_en") if english else params.get("name_da")
    kind = dict(FactorKind.choices).get(params.get("kind"), "")
    return f"{kind}: {name or params.get('name_da', '')}"


register_kind("cases.registered", label=_("Registered in Tværs"))
register_kind("cases.concern_level", label=_("Concern level set"), describe=_level)
register_kind("cases.factor_recorded", label=_("Factor observed"), describe=_factor)
register_kind("cases.factor_ended", label=_("Factor ended"), describe=_factor)
register_kind("cases.closed", label=_("Record closed"))
register_kind("cases.reopened", label=_("Record reopened"))
