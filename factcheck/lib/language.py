"""A rough guess of a short text's language, for the ``lang`` attribute of text stored without one.

Sources (titles, excerpts) carry no language field; screen readers and hyphenation need one where a
text is not in the page's language. Common function words tell Indonesian from English; Cyrillic
text is taken for Ukrainian where it has letters only Ukrainian uses, else for Russian (the seed
article's sources). No guess (``""``) when unsure.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_]+")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
UKRAINIAN_LETTERS = re.compile(r"[ієїґІЄЇҐ]")  # letters of Ukrainian's alphabet that Russian's lacks
ENGLISH = frozenset(
    "the of and to in is was that for on with as by it are were from at be this has have had not but its "
    "which their they his her said says will would who an or been what about after before into over than "
    "there these those also only can could should must may did does do we you he she more most".split()
)
INDONESIAN = frozenset(
    "yang dan di ke dari ini itu dengan untuk pada tidak adalah dalam akan oleh juga sebagai bahwa telah "
    "atau karena tersebut sudah para bisa kami kita mereka ia menjadi secara tahun apa saat setelah sebelum "
    "tentang lebih hanya harus dapat belum masih namun tetapi menurut kata".split()
)


def guess_language(text: str) -> str:
    """ "id", "en", "ru", or "" when the text gives no clear sign."""
    if not text:
        return ""
    letters = WORD.findall(text)
    cyrillic = sum(1 for word in letters if CYRILLIC.search(word))
    if letters and cyrillic * 2 > len(letters):
        return "uk" if UKRAINIAN_LETTERS.search(text) else "ru"
    words = [word.lower() for word in letters]
    english = sum(word in ENGLISH for word in words)
    indonesian = sum(word in INDONESIAN for word in words)
    if english > indonesian:
        return "en"
    if indonesian > english:
        return "id"
    return ""
