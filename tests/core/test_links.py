"""core.links: a link filled in per row is the link reverse() gives."""

import uuid

from django.urls import reverse

from core.links import link_to


def test_a_filled_link_is_the_reversed_link():
    pk = uuid.uuid4()
    for name in ("cases:person_detail", "exitprogram:case", "conversations:detail"):
        assert link_to(name)(pk) == reverse(name, args=[pk])
