"""Template filters for the timeline and the records shown beside it."""

from __future__ import annotations

from django import template

from access.legal import LegalBasis

register = template.Library()


@register.filter
def legal_basis_label(value: str):
    """The label of a legal basis, as `get_legal_basis_display` gives it, at a
    fraction of its cost: Django's display method hashes every choice's lazy
    label, one translation each (about 20 for one row), which made a timeline page
    of 25 entries spend a third of its rendering there."""
    try:
        return LegalBasis(value).label
    except ValueError:
        return value
