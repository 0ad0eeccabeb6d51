"""Links to many objects of one kind, reversed once.

`reverse()` costs about 50 µs a call here; a page that links 200 rows spent 10 ms
on it (docs/performance.md). `link_to(viewname, *leading)` reverses the URL once
with a placeholder id and returns a function that fills in each row's id.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# Never a real id: UUID version 0 is never generated.
_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def link_to(viewname: str, *leading) -> Callable[[object], str]:
    """`link_to("exitprogram:case")(case.pk)` == `reverse("exitprogram:case",
    args=[case.pk])`, for a URL whose last argument is a UUID; arguments before
    it are the same for every row (`link_to("meetings:attendance", meeting.pk)`)."""
    template = reverse(viewname, args=[*leading, _PLACEHOLDER])
    head, tail = template.split(_PLACEHOLDER)
    return lambda pk: f"{head}{pk}{tail}"
