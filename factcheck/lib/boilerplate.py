"""The template text of news and fact-check pages that is never a claim.

Fact-check articles (turnbackhoax.id and its kin) carry bracketed section
labels (``[KATEGORI]``, ``[SUMBER]``, ``[NARASI]``, ``[REFERENSI]``), rules of
``=======`` and lists of reference links; news pages carry datelines
("TRIBUNNEWS.COM, AMBON -", "Jakarta (ANTARA) -"), "Baca juga" lines and
credits. :func:`boilerplate_spans` finds them; :func:`mask_boilerplate` turns
them into line breaks in a copy of the same length, so sentence splitting
never glues a sentence to them and every offset stays valid in the original.
"""

import re

# A bracketed label in capitals, with an optional colon: "[KATEGORI]", "[SUMBER]:", "[HOAKS]".
BRACKET_LABEL = re.compile(r"\[\s*[A-Z][A-Z0-9 /&-]{1,30}\s*\]\s*:?")
# A line that only draws a rule: "=======", "-----", "*****", "_____".
RULE = re.compile(r"(?:[=\-_*~#]\s*){3,}")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A section label at the start of a line, as plain words with a colon: "Kategori:", "Referensi :".
SECTION_WORDS = (
    "kategori|sumber|narasi|penjelasan|kesimpulan|referensi|rujukan|link counter|link|tautan|"
    "hasil periksa fakta|periksa fakta|cek fakta|klarifikasi|catatan|disclaimer|update|pembaruan"
)
SECTION_LABEL = re.compile(rf"^[ \t]*(?:{SECTION_WORDS})[ \t]*:[ \t]*", re.IGNORECASE | re.MULTILINE)
# Whole lines that are page furniture, not the article.
FURNITURE_LINE = re.compile(
    r"^[ \t]*(?:"
    r"baca (?:juga|selengkapnya)|simak (?:juga|video)|lihat juga|tonton juga|berita terkait|artikel terkait|"
    r"(?:editor|penulis|pewarta|reporter|laporan wartawan|foto|sumber foto|ilustrasi|tag|tags|topik)[ \t]*[:|]|"
    r"copyright|hak cipta|dapatkan (?:update|berita)|ikuti (?:kami|berita)|gabung(?:lah)? (?:ke|di|dengan)|"
    r"advertisement|scroll (?:to|untuk)|artikel ini (?:telah )?(?:tayang|terbit)|halaman selanjutnya|"
    r"selengkapnya (?:di|baca)|klik (?:di ?sini|link)"
    r")[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A dateline opening a paragraph: "TRIBUNNEWS.COM, AMBON -", "JAKARTA, KOMPAS.com -",
# "Jakarta (ANTARA) -", "Liputan6.com, Jakarta -". Up to five capitalised or domain-like words, then a dash.
DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][\w.&-]*(?:\.(?:com|COM|co\.id|CO\.ID|id|ID|net|NET))?"
    r"(?:[ \t]*\([A-Za-z0-9 .]{2,20}\))?[ \t]*,?[ \t]*){1,5}[-–—][ \t]+",
    re.MULTILINE,
)
# A line of a list that is only a link, or a numbered/bulleted reference: "1. https://…", "- Kompas: https://…".
LINK_LINE = re.compile(r"^[ \t]*(?:[-•*]|\d{1,2}[.)])?[ \t]*[^\n]{0,80}?(?:https?://|www\.)\S+[ \t]*$", re.MULTILINE)


def _dateline_ok(match: re.Match) -> bool:
    """A dateline names a place or an outlet, in capitals or with a domain; a sentence does not end in " - "."""
    head = match.group().strip().rstrip("-–—").strip()
    words = head.replace(",", " ").split()
    if not words or len(head) > 60:
        return False
    shouting = sum(1 for w in words if w.isupper() and len(w) > 1)
    outlet = re.search(r"\.(?:com|co\.id|id|net)\b|\((?:ANTARA|AFP|Reuters|AP|[A-Z]{2,})\)", head, re.IGNORECASE)
    return bool(outlet) or shouting >= 1


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of ``text`` that are template text, merged and in order."""
    spans: list[tuple[int, int]] = []
    for pattern in (BRACKET_LABEL, RULE, SECTION_LABEL, FURNITURE_LINE, LINK_LINE, URL):
        spans.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
    spans.extend(m.span() for m in DATELINE.finditer(text) if _dateline_ok(m))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mask_boilerplate(text: str) -> str:
    """``text`` with every boilerplate character turned into a line break (same length, same offsets)."""
    chars = list(text)
    for start, end in boilerplate_spans(text):
        for i in range(start, end):
            chars[i] = "\n"
    return "".join(chars)
