"""Words, stems and marked excerpts for search, without Django: the SQLite half of search.

PostgreSQL stems with its own Snowball configurations (``indonesian``, ``english``, ``simple``);
the ``snowballstemmer`` package runs the same Snowball algorithms in Python, so SQLite (``make run``)
finds, ranks and marks what PostgreSQL does: "pengakuan" and "mengakui" both stem to ``aku``.

A searchable field is read in one configuration (``FIELD_CONFIGS`` in ``factcheck.claims.search``
says which); a query word matches when any of its forms (Indonesian stem, English stem, the word
itself) is among a field's lexemes, the way the PostgreSQL query ORs the three configurations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

INDONESIAN, ENGLISH, SIMPLE = "indonesian", "english", "simple"

# Words as PostgreSQL's default parser sees them closely enough: letters and digits.
WORD = re.compile(r"\w+", re.UNICODE)

# PostgreSQL's english.stop (the Snowball English stop words): the english configuration drops them
# from documents and queries. The indonesian and simple configurations keep every word.
ENGLISH_STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves what which who whom this that these those
    am is are was were be been being have has had having do does did doing a an the and but if or because
    as until while of at by for with about against between into through during before after above below to
    from up down in out on off over under again further then once here there when where why how all any
    both each few more most other some such no nor not only own same so than too very s t can will just
    don should now""".split()
)

# The weights of ts_rank_cd's default {D, C, B, A} = {0.1, 0.2, 0.4, 1.0}.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}

_STEMMERS: dict[str, object] = {}


def _stemmer(config: str):
    if config not in _STEMMERS:
        _STEMMERS[config] = snowballstemmer.stemmer(config)
    return _STEMMERS[config]


@lru_cache(maxsize=50_000)
def lexeme(word: str, config: str) -> str | None:
    """The lexeme ``config`` makes of one word (lower case, stemmed), or None for a stop word."""
    word = word.lower()
    if config == SIMPLE:
        return word
    if config == ENGLISH and word in ENGLISH_STOP_WORDS:
        return None
    return _stemmer(config).stemWord(word)


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


def lexemes(text: str, config: str) -> list[str]:
    """The lexemes of ``text`` in ``config``, in order, stop words left out."""
    return [form for form in (lexeme(word, config) for word in words(text)) if form]


def word_forms(word: str) -> frozenset[str]:
    """Every lexeme a query word may match: its Indonesian and English stems and the word itself."""
    return frozenset(form for form in (lexeme(word, c) for c in (INDONESIAN, ENGLISH, SIMPLE)) if form)


def query_words(query: str, *, limit: int = 8) -> list[str]:
    """The words of a query that take part in matching: English stop words are left out (PostgreSQL's
    english configuration drops them, so they could never match an English field), repeats once."""
    seen: list[str] = []
    for word in words(query):
        lowered = word.lower()
        if lowered in ENGLISH_STOP_WORDS or lowered in seen:
            continue
        seen.append(lowered)
    return seen[:limit]


def stem_document(fields: Iterable[tuple[str, str]]) -> str:
    """The lexemes of (text, config) fields as one padded string, `` aku merdeka ukraina ``: a query
    form matches a claim on SQLite when `` form `` occurs in it."""
    found: set[str] = set()
    for text, config in fields:
        found.update(lexemes(text, config))
    return f" {' '.join(sorted(found))} " if found else ""


def rank(query: Sequence[frozenset[str]], fields: Iterable[tuple[str, str, str]]) -> float:
    """A relevance score in the spirit of ts_rank_cd: each query word counts with the weight of the
    best field it occurs in (statement A, quote B, verdict C, headline D), plus a little for each
    further occurrence; words found close together in one field (a cover) count double there.

    ``fields`` are (text, config, weight letter).
    """
    score = 0.0
    for text, config, weight in fields:
        found = lexemes(text, config)
        positions = [[i for i, form in enumerate(found) if form in forms] for forms in query]
        if not all(positions) and len(query) > 1:
            hits = [p for p in positions if p]
            score += WEIGHTS[weight] * 0.5 * sum(min(len(p), 3) for p in hits) / 3
            continue
        if not any(positions):
            continue
        # The shortest stretch holding every word (a cover), as ts_rank_cd rewards.
        firsts = [p[0] for p in positions if p]
        span = max(firsts) - min(firsts) + 1
        occurrences = sum(min(len(p), 3) for p in positions)
        score += WEIGHTS[weight] * (len(query) / span + 0.1 * occurrences)
    return score


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool


def excerpt(text: str, query: Sequence[frozenset[str]], config: str, *, max_words: int = 30) -> list[Piece]:
    """The part of ``text`` around its first matching words, as pieces, the matching words marked
    (what ts_headline gives on PostgreSQL). Empty when no word matches."""
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    forms = frozenset().union(*query) if query else frozenset()
    hits = [i for i, (_, _, word) in enumerate(tokens) if lexeme(word, config) in forms or word.lower() in forms]
    if not hits:
        return []
    # The window of max_words tokens holding the most matches, starting a few words before one.
    best = max(hits, key=lambda h: sum(1 for x in hits if h <= x < h + max_words))
    first = max(0, best - 3)
    last = min(len(tokens), first + max_words) - 1
    pieces: list[Piece] = []
    position = tokens[first][0] if first > 0 else 0
    if first > 0:
        pieces.append(Piece("… ", False))
    for i in range(first, last + 1):
        start, end, word = tokens[i]
        if start > position:
            pieces.append(Piece(text[position:start], False))
        pieces.append(Piece(word, i in hits))
        position = end
    if last < len(tokens) - 1:
        pieces.append(Piece(" …", False))
    else:
        pieces.append(Piece(text[position:], False))
    return pieces


NUMBER_WORDS = {
    **dict.fromkeys(["satu", "one"], "1"),
    **dict.fromkeys(["dua", "two"], "2"),
    **dict.fromkeys(["tiga", "three"], "3"),
    **dict.fromkeys(["empat", "four"], "4"),
    **dict.fromkeys(["lima", "five"], "5"),
    **dict.fromkeys(["enam", "six"], "6"),
    **dict.fromkeys(["tujuh", "seven"], "7"),
    **dict.fromkeys(["delapan", "eight"], "8"),
    **dict.fromkeys(["sembilan", "nine"], "9"),
    **dict.fromkeys(["sepuluh", "ten"], "10"),
}


def numbers(text: str) -> frozenset[str]:
    """The numbers a text states, normalised: "10.000", "10,000" and "10000" are one number;
    "1,5" and "1.5" too; "lima" and "five" are 5. Used to keep claims about other figures from matching."""
    found = {NUMBER_WORDS[word.lower()] for word in words(text or "") if word.lower() in NUMBER_WORDS}
    for raw in re.findall(r"\d+(?:[.,]\d+)*", text or ""):
        parts = re.split(r"[.,]", raw)
        if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
            found.add(str(int("".join(parts))))  # thousands separators
        elif len(parts) == 2:
            found.add(f"{int(parts[0])}.{parts[1].rstrip('0') or '0'}")  # a decimal comma or point
        else:
            found.add(str(int("".join(parts))))
    return frozenset(found)


def trigrams(text: str) -> frozenset[str]:
    """The trigrams pg_trgm makes of a text: each word lower-cased, padded with two spaces before and
    one after, cut in threes."""
    grams: set[str] = set()
    for word in re.findall(r"[^\W_]+", (text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two texts."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
