"""Finding sentences in an Indonesian article that are worth fact-checking.

The text is split into sentences (abbreviations, initials, decimal numbers
like "1.672" and dates like "(29/11/2025)" do not end a sentence); a sentence
is proposed as a candidate claim when it carries checkable content: a date,
a number or quantity, or a named organisation or place. Every candidate keeps
its exact character span so that ``text[start:end] == quote``.
"""

import re
from dataclasses import dataclass, field

MONTHS_ID = (
    "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Sep|Okt|Nov|Des"
)
MONTHS_EN = "January|February|March|May|June|July|August|October|December"

# Tokens followed by a period that do not end a sentence.
ABBREVIATIONS = {
    "a.n",
    "adm",
    "bpk",
    "dkk",
    "dll",
    "dr",
    "drs",
    "dsb",
    "dst",
    "hj",
    "h",
    "ir",
    "jl",
    "jln",
    "kab",
    "kec",
    "kel",
    "mr",
    "mrs",
    "ms",
    "no",
    "nomor",
    "ny",
    "pak",
    "prof",
    "rp",
    "sdr",
    "sdri",
    "st",
    "tn",
    "tsb",
    "u.p",
    "vs",
    "yth",
    "yg",
    "dgn",
    "hlm",
    "kol",
    "letjen",
    "mayjen",
    "brigjen",
    "jend",
    "kapt",
    "ltd",
    "inc",
    "co",
    "corp",
    "s.h",
    "s.e",
    "m.si",
    "m.a",
    "ph.d",
    "s.ip",
    "s.sos",
    "mis",
    "misal",
    "bl",
    "th",
    "thn",
    "tgl",
    "e.g",
    "i.e",
    "etc",
}

PLACES = {
    "afrika",
    "amerika",
    "amerika serikat",
    "asia",
    "asia tenggara",
    "australia",
    "bali",
    "bangkok",
    "beijing",
    "berlin",
    "brussels",
    "brussel",
    "cina",
    "china",
    "donbas",
    "eropa",
    "inggris",
    "india",
    "indonesia",
    "jakarta",
    "jepang",
    "jerman",
    "kanada",
    "kiev",
    "korea",
    "krimea",
    "kyiv",
    "laut hitam",
    "london",
    "malaysia",
    "moskow",
    "moscow",
    "paris",
    "perancis",
    "prancis",
    "polandia",
    "rusia",
    "singapura",
    "thailand",
    "tiongkok",
    "ukraina",
    "washington",
    "vilnius",
    "bucharest",
    "belarus",
    "filipina",
    "vietnam",
    "myanmar",
    "timur tengah",
}
ORGANISATION_WORDS = {
    "asean",
    "bank",
    "dewan",
    "forum",
    "kementerian",
    "komisi",
    "meeting",
    "nato",
    "organisasi",
    "partai",
    "pbb",
    "sekretariat",
    "uni",
    "union",
    "universitas",
    "who",
    "imf",
    "dpr",
    "mpr",
    "kpk",
    "bumn",
    "tni",
    "polri",
    "ui",
    "un",
    "eu",
    "asem",
    "g20",
    "opec",
    "foreign affairs",
    "kemlu",
}

# Words that end the description of a quantity ("53 negara mitra yaitu ..." -> "53 negara mitra").
STOPWORDS = {
    "adalah",
    "akan",
    "atau",
    "dalam",
    "dan",
    "dari",
    "dengan",
    "di",
    "ini",
    "itu",
    "ke",
    "merupakan",
    "oleh",
    "pada",
    "sejak",
    "serta",
    "sudah",
    "telah",
    "tersebut",
    "untuk",
    "yaitu",
    "yakni",
    "yang",
}

SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
DATE_PATTERNS = [
    re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS_ID}|{MONTHS_EN})\.?\s+\d{{4}}\b"),
    re.compile(rf"\b(?:{MONTHS_ID}|{MONTHS_EN})\s+\d{{4}}\b"),
    re.compile(r"\b(?:tahun|thn\.?|pada|sejak|hingga|sampai)\s+(?:19|20)\d{2}\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})\b"),
]
NUMBER_PATTERN = re.compile(
    r"(?:\bRp\.?\s?|\bUS\$\s?|\$)?"
    r"(?<![\w/.-])\d+(?:[.,]\d+)*"
    r"(?:\s?(?:%|persen|ribu|juta|miliar|milyar|triliun))?"
    rf"(?:\s(?!(?:{'|'.join(sorted(STOPWORDS))})\b)[a-z]+){{0,2}}"
)
FOOTNOTE = re.compile(r"\(\d{1,2}\)")
CAPITALISED_RUN = re.compile(
    r"(?:[A-Z][\w]*(?:-[A-Z][\w]*)?)(?:\s+(?:[A-Z][\w]*(?:-[A-Z][\w]*)?))*(?:\s+\([A-Z]{2,}\))?"
)
ACRONYM = re.compile(r"\b[A-Z]{2,}\d*\b")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Candidate:
    start: int
    end: int
    quote: str
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "quote": self.quote, "reasons": list(self.reasons)}


def _ends_with_abbreviation(text: str, period_at: int) -> bool:
    """True when the period at ``period_at`` closes an abbreviation or an initial."""
    word_start = period_at
    while word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] not in "(\"'":
        word_start -= 1
    word = text[word_start:period_at]
    if not word:
        return False
    if len(word) == 1 and word.isupper():  # an initial, as in "Adam E. Casey"
        return True
    return word.lower().rstrip(".") in ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with exact spans; a line break always ends one."""
    sentences: list[Sentence] = []
    line_start = 0
    for line in text.split("\n"):
        cursor = 0
        for match in SENTENCE_END.finditer(line):
            if match.group().startswith(".") and len(match.group()) == 1:
                if _ends_with_abbreviation(line, match.start()):
                    continue
            rest = line[match.end() :].lstrip()
            if rest and rest[0].islower():
                continue  # "... dkk. menyatakan" — a sentence does not start in lower case
            _append(sentences, line, line_start, cursor, match.end())
            cursor = match.end()
        _append(sentences, line, line_start, cursor, len(line))
        line_start += len(line) + 1
    return sentences


def _append(sentences: list[Sentence], line: str, offset: int, start: int, end: int) -> None:
    chunk = line[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = offset + start + lead
    sentences.append(Sentence(begin, begin + len(stripped), stripped))


def _date_reasons(sentence: str) -> tuple[list[str], list[tuple[int, int]]]:
    reasons: list[str] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(s <= match.start() < e or s < match.end() <= e for s, e in taken):
                continue
            taken.append(match.span())
            reasons.append(f"date: {match.group().strip()}")
    return reasons, taken


def _number_reasons(sentence: str, taken: list[tuple[int, int]]) -> list[str]:
    reasons = []
    masked = FOOTNOTE.sub(lambda m: " " * len(m.group()), sentence)
    for match in NUMBER_PATTERN.finditer(masked):
        if any(s <= match.start() < e for s, e in taken):
            continue
        reasons.append(f"number: {match.group().strip()}")
    return reasons


def _entity_reasons(sentence: str) -> list[str]:
    reasons: list[str] = []
    seen: set[str] = set()
    for match in CAPITALISED_RUN.finditer(sentence):
        name = match.group().strip()
        at_start = sentence[: match.start()].strip() == ""
        if at_start and " " in name:
            first, rest = name.split(" ", 1)
            keep = first.lower() in PLACES or first.lower() in ORGANISATION_WORDS or first.isupper() or "-" in first
            if not keep:
                name, at_start = rest, False  # "Namun NATO": the sentence's first word is not part of the name
        lowered = name.lower()
        words = lowered.replace("-", " ").replace("(", " ").replace(")", " ").split()
        if lowered in PLACES or (words and " ".join(words[:2]) in PLACES):
            kind = "place"
        elif ACRONYM.search(name) or any(w in ORGANISATION_WORDS for w in words):
            kind = "organisation"
        elif at_start or len(words) < 2:
            continue  # a capitalised first word, or a lone capitalised word, is no evidence of a name
        else:
            kind = "name"
        if name not in seen:
            seen.add(name)
            reasons.append(f"{kind}: {name}")
    return reasons


def find_candidates(text: str) -> list[Candidate]:
    """Propose the sentences of ``text`` that carry checkable content."""
    candidates = []
    for sentence in split_sentences(text):
        date_reasons, taken = _date_reasons(sentence.text)
        reasons = date_reasons + _number_reasons(sentence.text, taken) + _entity_reasons(sentence.text)
        if any(r.split(":", 1)[0] in {"date", "number", "place", "organisation"} for r in reasons):
            candidates.append(Candidate(sentence.start, sentence.end, sentence.text, reasons))
    return candidates
