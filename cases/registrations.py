"""What the registry adds to the overview (core.overview): the young people the
user's agencies may see, linked to the person list that shows them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.lists import VisibleList
from core.overview import Figure, Panel, register_panel
from organisations.models import Role

from .models import Person


def _persons_panel(ctx) -> Panel:
    # The person list without search or filter is this same VisibleList
    # (cases.selectors.listed_persons), so the figure is the list's count.
    count = VisibleList(ctx.user, Person.objects.all()).count()
    return Panel(
        key="persons",
        heading=_("Young people"),
        figures=[
            Figure(
                key="persons.visible",
                label=_("young people your agencies may see"),
                count=count,
                url=reverse("cases:person_list"),
            )
        ],
    )


register_panel(
    "persons",
    roles={
        Role.SSP_COORDINATOR,
        Role.POLICE_LIAISON,
        Role.SOCIAL_WORKER,
        Role.MANAGER,
    },
    order=50,
    build=_persons_panel,
)
