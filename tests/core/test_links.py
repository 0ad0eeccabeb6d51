"""core.links: a link filled in per row is the link reverse() gives."""

import uuid

from django.urls import reverse

from core.links import link_to


def test_a_filled_link_is_the_reversed_link():
    pk = uuid.uuid4()
    for name in ("cases:person_detail", "exitprogram:case", "conversations:detail"):
        assert link_to(name)(pk) == reverse(name, args=[pk])


def test_arguments_before_the_rows_id_are_the_same_for_every_row():
    meeting, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    link = link_to("meetings:attendance", meeting)
    for participant in (first, second):
        assert link(participant) == reverse(
            "meetings:attendance", args=[meeting, participant]
        )
