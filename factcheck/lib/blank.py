"""Whether a text shows anything: the rule behind every "must not be empty" of the portal."""

from __future__ import annotations

import unicodedata


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only white space and invisible format characters (zero-width space U+200B,
    zero-width joiners, the byte-order mark, direction marks). ``str.strip()`` keeps the latter, so a note, a
    statement or a whole article of U+200B passed as written."""
    return all(character.isspace() or unicodedata.category(character) == "Cf" for character in text)
