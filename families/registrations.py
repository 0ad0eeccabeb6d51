"""What the family registry adds to the overview (core.overview): the young
people with a sibling who is also receiving attention (the sibling alert)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.overview import Figure, Panel, register_panel
from organisations.models import Role

from .alerts import persons_with_sibling_alert


def _attention_panel(ctx) -> Panel:
    alerted = persons_with_sibling_alert(user=ctx.user)
    return Panel(
        key="attention",
        heading=_("Attention to the whole family"),
        figures=[
            Figure(
                key="families.attention",
                label=_("young people with a sibling who also receives attention"),
                # Counted, not read: the list reads (and audits) the names.
                count=alerted.count(),
                url=reverse("families:attention"),
            )
        ],
    )


register_panel(
    "attention", roles={Role.SSP_COORDINATOR}, order=40, build=_attention_panel
)
