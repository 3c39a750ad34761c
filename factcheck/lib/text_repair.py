"""Repairing article text as it arrives from the wire.

Pure functions, no Django: the importer, the admin import page and the
tests all call :func:`repair_text` so the body is repaired one way only.
"""

import re
import unicodedata

import ftfy


class UndecodableText(ValueError):
    """The bytes are not a UTF-8 text document."""


NBSP = "\u00a0"
# A lone "Â" is what is left of a UTF-8 non-breaking space (C2 A0) decoded as
# Latin-1 when the A0 byte itself was lost, typically at a line end. ftfy only
# repairs the pair "Â\u00a0", so the lone ones are removed here. A letter "Â"
# inside a word (followed by a letter) is left alone.
LONE_A_CIRCUMFLEX = re.compile(r"Â(?=[\s\u00a0]|$)")
TRAILING_OR_LEADING_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


MAX_ARTICLE_BYTES = 2_000_000


def decode_text(data: bytes) -> str:
    """Decode an uploaded document, refusing binary and non-UTF-8 input."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise UndecodableText(
            f"The text is {len(data):,} bytes; an article may be at most {MAX_ARTICLE_BYTES:,} bytes."
        )
    if not data.strip():
        raise UndecodableText("The text is empty.")
    if b"\x00" in data:
        raise UndecodableText("The file is binary (it contains NUL bytes), not a UTF-8 text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableText(
            f"The file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})."
        ) from exc
    if CONTROL_CHARACTERS.search(text):
        raise UndecodableText("The text contains control characters; it looks binary, not like an article.")
    return text


def repair_text(text: str) -> str:
    """Return the article body with mojibake and stray spacing repaired.

    Letters and punctuation survive; only encoding damage, non-breaking
    spaces, spaces at line ends and Windows line endings are normalised.
    """
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False, normalization="NFC")
    fixed = LONE_A_CIRCUMFLEX.sub("", fixed)
    fixed = fixed.replace("\r\n", "\n").replace("\r", "\n").replace(NBSP, " ")
    fixed = CONTROL_CHARACTERS.sub("", fixed)
    fixed = TRAILING_OR_LEADING_SPACE.sub("", fixed)
    fixed = re.sub(r"\n{3,}", "\n\n", fixed).strip()
    return unicodedata.normalize("NFC", fixed) + "\n" if fixed else ""
