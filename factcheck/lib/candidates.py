"""Finding sentences in an Indonesian article that are worth fact-checking.

The text is split into sentences (abbreviations, initials, decimal numbers
like "1.672" and dates like "(29/11/2025)" do not end a sentence); a sentence
is proposed as a candidate claim when it carries checkable content: a date,
a number or quantity, or a named organisation or place. Every candidate keeps
its exact character span so that ``text[start:end] == quote``.
"""

import re
from dataclasses import dataclass, field

from .boilerplate import mask_boilerplate

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
    # A day and month, or a month named as such, without the year the article's date gives ("28 Desember",
    # "pada bulan Juni"): news dates what happened this way.
    re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS_ID}|{MONTHS_EN})\b"),
    re.compile(rf"\bbulan\s+(?:{MONTHS_ID})\b", re.IGNORECASE),
]
NUMBER_PATTERN = re.compile(
    r"(?:\bRp\.?\s?|\bUS\$\s?|\$)?"
    r"(?<![\w/.-])\d+(?:[.,]\d+)*(?![A-Za-z])"  # "5G", "3M", "G20": a name, not a quantity
    r"(?:\s?(?:%|persen|ribu|juta|miliar|milyar|triliun))?"
    rf"(?:\s(?!(?:{'|'.join(sorted(STOPWORDS))})\b)[a-z]+){{0,2}}"
)
ATTRIBUTION = re.compile(
    r"\b(?:kata|katanya|ujar|ujarnya|ucap|ucapnya|tutur|tuturnya|ungkap|ungkapnya|jelas|jelasnya|tegas|tegasnya|"
    r"menurut|mengatakan|menyatakan|menyebut|menyebutkan|mengungkapkan|menjelaskan|menegaskan|"
    r"mengklaim|diklaim|klaim|mengaku|disebut|disebutkan|dinyatakan|melaporkan|dilaporkan|mencatat|"
    r"tercatat|beredar|menuding|menuduh|membantah|mengumumkan|diumumkan|memastikan|menunjukkan|said|says|according)\b",
    re.IGNORECASE,
)
COMPARISON = re.compile(
    r"\b(?:lebih|kurang dari|pertama|kedua|ketiga|dibanding|dibandingkan|daripada|naik|turun|meningkat|menurun|"
    r"melonjak|anjlok|bertambah|berkurang|mencapai|hampir|separuh|more than|less than|first)\b",
    re.IGNORECASE,
)
# "The highest in the country", "the only one", "a record": a claim of rank is checkable against the figures
# even without a figure in the sentence. "Paling tidak" (at least) and "paling lambat" (at the latest) are not.
SUPERLATIVE = re.compile(
    r"\b(?:terbesar|terbanyak|tertinggi|terendah|terkecil|terluas|tercepat|terburuk|terparah|terpanjang|terlama|"
    r"termahal|termurah|tertua|termuda|satu-satunya|rekor|paling (?!tidak\b|lambat\b|cepat\b|banyak\b|sedikit\b)\w+|"
    r"largest|biggest|highest|lowest)\b",
    re.IGNORECASE,
)
# A comparison with what it is compared to ("lebih tinggi dibandingkan tahun lalu", "lebih murah daripada"):
# checkable against the figures of both, even when the sentence gives none.
COMPARED_WITH = re.compile(
    r"\b(?:lebih|kurang)\s+\w+\s+(?:\w+\s+)?(?:dibanding|dibandingkan|daripada|ketimbang)\b|\b\w+er than\b",
    re.IGNORECASE,
)
# A denial or a finding of absence on the record ("tidak pernah mengeluarkan", "tidak ditemukan", "membantah"):
# what a fact-check verifies as often as a figure. Checkable when someone is named or quoted saying it.
DENIAL = re.compile(
    r"\b(?:tidak pernah|belum pernah|tidak ada|belum ada|tidak menemukan|tidak ditemukan|membantah|dibantah|"
    r"menampik|ditampik|tidak benar|never|denied|no evidence)\b",
    re.IGNORECASE,
)
# The reach of a post ("dibagikan lebih dari 5.000 kali", "ditonton 2 juta kali"): colour around a claim,
# not a claim anyone would check.
REACH = re.compile(
    r"\b(?:dibagikan|dibagikan ulang|ditonton|disaksikan|dilihat|disukai|dikomentari|diputar|diunduh|"
    r"di-?retweet|diteruskan|mendapat|meraih)\b[^.!?]{0,40}?\d[\d.,]*\s*(?:ribu|juta|rb|k)?\s*(?:kali|views|likes|komentar|"
    r"tanda suka|penonton|pengikut)\b",
    re.IGNORECASE,
)
# Where a post circulated is no evidence of a checkable claim: "beredar unggahan di Facebook".
PLATFORMS = set("facebook instagram tiktok youtube twitter whatsapp telegram x threads snapshot".split())
# Opinion, hope and appeal: "menurut saya", "semoga", "mari", "jangan", "kami berharap".
OPINION = re.compile(
    r"\b(?:menurut (?:saya|kami|aku|hemat)|saya (?:kira|rasa|pikir|yakin)|semoga|mudah-mudahan|mari|marilah|"
    r"ayo|jangan|janganlah|hendaknya|sebaiknya|harap|berharap|diharapkan|harapannya|silakan|mohon|imbau|"
    r"mengimbau|diimbau|diminta|dimohon|mengajak|sepatutnya|seharusnya)\b",
    re.IGNORECASE,
)
# Words spoken in the first person inside quotation marks ("“Saya melihat Kante datang…”", "“Kami tidak
# akan berkomentar”"): testimony, feeling or comment, which a fact-checker checks only when it holds a date
# or a figure.
QUOTED_FIRST_PERSON = re.compile(r"[“\"‘'][^”\"’']*\b(?:saya|aku|kami|kita)\b", re.IGNORECASE)
# What is yet to happen, or may: a forecast or a guess is not yet a fact anyone can check (unless someone
# is quoted saying it: "Ruli menyebut perbaikan akan menggunakan dana…" is a statement on record).
FUTURE = re.compile(
    r"\b(?:akan|diperkirakan|diprediksi|kemungkinan(?: besar)?|mungkin|bisa jadi|barangkali|berpotensi|dapat)\b",
    re.IGNORECASE,
)
CANDIDATE_THRESHOLD = 2.0
# Capitalised only because they open a sentence: never the first word of a name.
SENTENCE_STARTERS = set(
    "adapun akan akibat akhirnya apabila atas bagi bahkan bahwa banyak beberapa belum berbagai berdasarkan "
    "begitu bersama berikut bila dalam dan dari demikian dengan di dia diketahui dirinya ditambah hal hingga "
    "ia ini itu jadi jika juga kala kalau kami karena ke kemudian kendati kini kita lalu maka masih meski "
    "meskipun mereka menurut namun oleh pada padahal para pertama pihak saat sampai sang saya sebab sebelum "
    "sebelumnya sebagai sebagian sebanyak sedangkan sehingga sejak sekitar selain selama seluruh semua sementara "
    "sempat sendiri seperti serta setelah setiap sudah tak tapi tetapi tidak untuk usai walau walaupun yang "
    "dilansir melansir mengutip dikutip terkait soal tentang the a an in on at this that it he she they we".split()
)
# Common words that a title writes in capitals; a run of capitals holding one is not a name.
TITLE_WORDS = set("tersebut terlihat adalah merupakan bukan tidak telah sudah akan bisa dapat harus".split())
# Capitalised words that name no one: days, and titles on their own.
NOT_NAMES = set("senin selasa rabu kamis jumat sabtu minggu wib wita wit pak bu bapak ibu tuhan allah".split()) | {
    month.lower() for month in f"{MONTHS_ID}|{MONTHS_EN}".split("|")
}
SPELLED_NUMBER = re.compile(
    r"\b(?:(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|sejuta)"
    r"(?:\s(?:belas|puluh|ratus|ribu|juta|miliar))?|puluhan|ratusan|ribuan|jutaan)"
    r"\s(?!(?:kali|hari|pekan|minggu|bulan|tahun|jam|menit|detik|di|dan|yang|dari|ke|orang tua)\b)[a-z]{3,}",
    re.IGNORECASE,
)
# The text right after a fact-check's "[NARASI]" or "Klaim:" label is the claim under check.
CLAIM_LABEL_BEFORE = re.compile(r"(?:\[\s*(?:NARASI|KLAIM)\s*\]|\b(?:narasi|klaim))\s*:?\s*$", re.IGNORECASE)
# A fact-check labels the claim it checks; elsewhere in it, "beredar", "disebut", "diklaim" report what the post
# says (the claim again, in other words), not what a source on record says.
CLAIM_LABEL = re.compile(r"\[\s*(?:NARASI|KLAIM)\s*\]|^\s*(?:narasi|klaim)\s*:", re.IGNORECASE | re.MULTILINE)
HEARSAY = {"beredar", "disebut", "disebutkan", "diklaim", "klaim", "mengklaim"}
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
    score: float = 0.0

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "reasons": list(self.reasons),
            "score": self.score,
        }


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
    if not reasons:
        for match in SPELLED_NUMBER.finditer(masked):
            if not any(s <= match.start() < e for s, e in taken):
                reasons.append(f"number: {match.group().strip()}")
    return reasons


def _entity_reasons(sentence: str) -> list[str]:
    reasons: list[str] = []
    seen: set[str] = set()
    for match in CAPITALISED_RUN.finditer(sentence):
        name = match.group().strip()
        at_start = sentence[: match.start()].strip(" \t\"'“‘(") == ""
        if at_start and " " in name:
            first, rest = name.split(" ", 1)
            if first.lower() in SENTENCE_STARTERS:
                name, at_start = rest, False  # "Namun NATO": the sentence's first word is not part of the name
        elif at_start and name.lower() in SENTENCE_STARTERS:
            continue
        if name.lower() in NOT_NAMES or name.lower() in PLATFORMS:
            continue
        if any(word.lower() in SENTENCE_STARTERS or word.lower() in TITLE_WORDS for word in name.split()[1:]):
            continue  # "Hal Tersebut Terlihat": words of a title in capitals, not a name
        if at_start and " " not in name and ATTRIBUTION.match(sentence[match.end() :].lstrip()):
            at_start = False  # "Ruli menyebut …": a lone first word is a name when the sentence reports its words
        lowered = name.lower()
        words = lowered.replace("-", " ").replace("(", " ").replace(")", " ").split()
        if lowered in PLACES or (words and " ".join(words[:2]) in PLACES):
            kind = "place"
        elif ACRONYM.search(name) or any(w in ORGANISATION_WORDS for w in words):
            kind = "organisation"
        elif (at_start and len(words) < 2) or len(name) < 3:
            continue  # a capitalised first word alone is no evidence of a name
        else:
            kind = "name"
        if name not in seen:
            seen.add(name)
            reasons.append(f"{kind}: {name}")
    return reasons


def _attribution_reasons(sentence: str, *, fact_check: bool = False) -> list[str]:
    found = []
    for match in ATTRIBUTION.finditer(sentence):
        word = match.group().lower()
        if fact_check and word in HEARSAY:
            continue
        if word not in found:
            found.append(word)
    return [f"attribution: {word}" for word in found[:2]]


def _comparison_reasons(sentence: str) -> list[str]:
    found = []
    for match in COMPARISON.finditer(sentence):
        word = match.group().lower()
        if word not in found:
            found.append(word)
    return [f"comparison: {word}" for word in found[:2]]


def _superlative_reasons(sentence: str) -> list[str]:
    match = SUPERLATIVE.search(sentence)
    return [f"superlative: {match.group().lower()}"] if match else []


def _compared_with_reasons(sentence: str) -> list[str]:
    match = COMPARED_WITH.search(sentence)
    return [f"compared with: {match.group().lower()}"] if match else []


def _denial_reasons(sentence: str) -> list[str]:
    match = DENIAL.search(sentence)
    return [f"denial: {match.group().lower()}"] if match else []


HEADLINE_MAX_WORDS = 20  # a headline or subhead is rarely longer; a sentence alone on its line may be


def _is_shouting(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _is_headline(sentence: Sentence, masked: str) -> bool:
    """A title, not a sentence: a line of its own without closing punctuation (a headline or subhead, in
    title case or, as Indonesian papers write them, in sentence case), or the text's first line when it is
    short and the text goes on below it (a headline that ends with a full stop)."""
    line_start = masked.rfind("\n", 0, sentence.start) + 1
    line_end = masked.find("\n", sentence.end)
    line = masked[line_start : len(masked) if line_end == -1 else line_end].strip()
    if line != sentence.text:
        return False
    words = sentence.text.split()
    if sentence.text[-1:] not in ".!?\"'”’":
        # Above sentences that end as sentences do; lines of a pasted post, which may have no full stop at
        # all, are its words, not titles.
        others = masked[:line_start] + ("" if line_end == -1 else masked[line_end:])
        return bool(SENTENCE_END.search(others)) and len(words) <= HEADLINE_MAX_WORDS
    first_line = not masked[:line_start].strip()
    return first_line and line_end != -1 and len(words) <= HEADLINE_MAX_WORDS // 2


def score_sentence(
    sentence: Sentence, masked: str, original: str, *, fact_check: bool = False
) -> tuple[float, list[str]]:
    """How check-worthy a sentence is, and why: figures, dates, names, attributions and comparisons count for;
    questions, opinions, appeals, titles and fragments count against."""
    text = sentence.text
    date_reasons, taken = _date_reasons(text)
    number_reasons = _number_reasons(text, taken)
    entity_reasons = [] if _is_shouting(text) else _entity_reasons(text)
    attribution = _attribution_reasons(text, fact_check=fact_check)
    comparison = _comparison_reasons(text)
    superlative = _superlative_reasons(text)
    denial = _denial_reasons(text)
    compared = _compared_with_reasons(text)
    reasons = (
        date_reasons + number_reasons + entity_reasons + attribution + comparison + compared + superlative + denial
    )
    kinds = [r.split(":", 1)[0] for r in reasons]
    score = 0.0
    score += 2.0 * min(kinds.count("date"), 1) + 0.5 * max(min(kinds.count("date"), 3) - 1, 0)
    score += 2.0 * min(kinds.count("number"), 1) + 0.5 * max(min(kinds.count("number"), 3) - 1, 0)
    score += 1.0 * min(kinds.count("place") + kinds.count("organisation") + kinds.count("name"), 2)
    score += 1.0 * min(kinds.count("attribution"), 1) + 1.0 * min(kinds.count("comparison"), 1)
    score += 2.0 * min(kinds.count("superlative"), 1) + 1.0 * min(kinds.count("denial"), 1)
    score += 1.0 * min(kinds.count("compared with"), 1)
    words = len(text.split())
    penalties = []
    if text.rstrip("\"'”’) ").endswith("?"):
        penalties.append(("question", 3.0))
    if OPINION.search(text):
        penalties.append(("opinion or appeal", 2.0))
    if words < 4:
        penalties.append(("fragment", 2.0))
    narrative = bool(CLAIM_LABEL_BEFORE.search(original[max(0, sentence.start - 40) : sentence.start]))
    if _is_headline(sentence, masked) and not narrative:  # a post's words under [NARASI] may lack a full stop
        penalties.append(("title", 3.0))
    if REACH.search(text):
        penalties.append(("the reach of a post", 2.0))
    past_record = bool(date_reasons or number_reasons)
    if QUOTED_FIRST_PERSON.search(text) and not past_record:
        penalties.append(("quoted words in the first person", 1.5))
    if FUTURE.search(text) and not past_record and not attribution:
        penalties.append(("a forecast or a guess", 1.0))
    if narrative:
        score += 2.0
        reasons.append("claim under check: the fact-check's narrative")
    for label, weight in penalties:
        score -= weight
        reasons.append(f"against: {label}")
    return score, reasons


def find_candidates(text: str, *, threshold: float = CANDIDATE_THRESHOLD) -> list[Candidate]:
    """Propose the sentences of ``text`` worth checking, in reading order, each with its score and reasons.

    Template text (``boilerplate.boilerplate_spans``) is masked first: it is never part of a candidate.
    Sort by ``score`` for the most check-worthy first.
    """
    masked = mask_boilerplate(text)
    fact_check = bool(CLAIM_LABEL.search(text))
    candidates = []
    for sentence in split_sentences(masked):
        score, reasons = score_sentence(sentence, masked, text, fact_check=fact_check)
        kinds = {r.split(":", 1)[0] for r in reasons}
        # Checkable content: a date, a figure, a name, a claim of rank or a comparison with its reference, or a
        # denial someone is quoted making.
        hard = bool(kinds & {"date", "number", "place", "organisation", "name", "superlative", "compared with"}) or (
            {"denial", "attribution"} <= kinds
        )
        if score >= threshold and hard:
            candidate = Candidate(sentence.start, sentence.end, text[sentence.start : sentence.end], reasons)
            candidate.score = score
            candidates.append(candidate)
    return candidates


def rank_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """The most check-worthy first; equal scores in reading order."""
    return sorted(candidates, key=lambda c: (-c.score, c.start))
