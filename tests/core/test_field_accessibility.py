"""Form fields name their help text and errors for assistive technology (WCAG 2.1
1.3.1, 3.3.1): every id an input's aria-describedby refers to is on the page."""

from __future__ import annotations

import re

from django.urls import reverse


def _dangling_references(html: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    missing = []
    for refs in re.findall(r'aria-describedby="([^"]+)"', html):
        missing += [ref for ref in refs.split() if ref not in ids]
    return missing


def test_help_texts_and_errors_are_linked_to_their_fields(personas, client_for):
    client = client_for(personas.ssp)
    page = client.get(reverse("cases:person_create")).content.decode()
    assert "aria-describedby" in page
    assert _dangling_references(page) == []
    refused = client.post(
        reverse("cases:person_create"), {"given_name": "", "family_name": ""}
    ).content.decode()
    assert 'aria-invalid="true"' in refused
    assert "_error" in refused
    assert _dangling_references(refused) == []
