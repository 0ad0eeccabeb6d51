"""Text keys for searching names the way Danish users type them."""

from __future__ import annotations

import unicodedata

# Letters that are letters of their own in Danish, not accented variants: kept as
# they are. Their Swedish and German cousins are folded onto them, and the old
# spelling "aa" onto "å", so that "Åse", "Aase" and "åse" find each other.
_KEEP = {"æ", "ø", "å"}
_FOLD = {"ä": "æ", "ö": "ø", "aa": "å"}


def in_language(danish: str, english: str) -> str:
    """A catalogue's text in the active language: the English text when English is
    active and there is one, else the Danish."""
    from django.utils.translation import get_language

    return english if (get_language() or "da")[:2] == "en" and english else danish


def search_key(text: str) -> str:
    """Lower-case, accents removed (é → e, ü → u), Danish letters kept, spaces
    collapsed: the form in which names are stored for search and searched by."""
    text = unicodedata.normalize("NFC", text).casefold()
    letters = []
    for char in text:
        if char in _KEEP or char in _FOLD:
            letters.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        letters.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    folded = "".join(letters)
    for source, target in _FOLD.items():
        folded = folded.replace(source, target)
    return " ".join(folded.split())
