"""The §115 stk. 5 fact behind the sibling alert, and its timeline kind."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from access.permissions import visible
from cases.models import Person
from families.alerts import register_sibling_fact
from timeline.registry import register_kind

from .models import GangInformation, GangInformationKind


def persons_with_current_information(user):
    """Persons the user may see about whom the user holds current §115 stk. 5
    information (as named recipient or as the sharing police agency)."""
    shared = visible(
        user, GangInformation.objects.filter(ended_on__isnull=True), audit=None
    ).values("person")
    return visible(user, Person, audit=None).filter(pk__in=shared)


register_sibling_fact(
    "meetings.gang_information",
    # Worded without labels: the fact is that police shared something, not what.
    label=_("Police have shared information about a sibling under §115 stk. 5"),
    persons_with_fact=persons_with_current_information,
)

register_kind(
    "meetings.gang_information",
    label=_("Information shared under §115 stk. 5"),
    describe=lambda p: str(dict(GangInformationKind.choices).get(p.get("kind"), "")),
)
