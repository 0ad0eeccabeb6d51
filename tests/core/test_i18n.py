"""Danish first: the Danish catalogue is complete, and pages render in Danish by
default and in English on request (point 9)."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import formats, translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_danish_catalogue_is_complete():
    po = polib.pofile(str(LOCALE / "da" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_english_catalogue_exists_and_is_compiled():
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.po").exists()
    assert (LOCALE / "da" / "LC_MESSAGES" / "django.mo").exists()


def test_placeholders_survive_translation():
    import re

    po = polib.pofile(str(LOCALE / "da" / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)[sd]")
    for entry in po.translated_entries():
        wanted = sorted(pattern.findall(entry.msgid))
        got = sorted(pattern.findall(entry.msgstr or entry.msgstr_plural.get(0, "")))
        assert wanted == got, entry.msgid


def test_danish_number_format():
    with translation.override("da"):
        assert formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True) == (
            "1.234,5"
        )


def test_pages_are_danish_whatever_the_browser_asks(client, db):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Log ind i Tværs" in page.content.decode()
    assert page.content.decode().count('lang="da"') >= 1


def test_english_on_request(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in to Tværs" in client.get("/login/").content.decode()
