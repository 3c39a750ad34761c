""" "Already checked?": published claims that say nearly the same as a text, with a score from 0 to 1.

Used by the claim form's and the import preview's panels (``admin/already_checked.py``), the public API
(``GET /api/v1/claims/similar/``) and the paraphrase evaluation (``paraphrases.py``). It reads the claims'
search vector and stems words as search does (``search.py``, ``factcheck.lib.stemming``); how well it
finds them is in docs/similar-claims.md, how fast in docs/performance.md.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import reduce
from itertools import combinations, islice

import psycopg
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import OperationalError, connections
from django.db.models import QuerySet, Value
from django.db.models.functions import Greatest

from factcheck.lib import stemming
from factcheck.lib.stemming import ENGLISH, INDONESIAN

from .models import Claim
from .search import RANK_WINDOW, LexemeQuery, SearchVectorColumn, lexemes_of, stem_condition
from .selectors import fetch_with_settings

logger = logging.getLogger(__name__)

SIMILAR_LIMIT = 10  # at most this many similar claims are returned
SIMILAR_MIN_SCORE = 0.3  # below this a claim does not "say nearly the same"
SIMILAR_CANDIDATES = 100  # claims found by the text's key words, scored in full
SIMILAR_KEY_WORDS = 6  # the rarest words of the text, that candidates are found by
SIMILAR_RARE_SHARE = 0.01  # a word held by at most this share of the claims is rare (its posting list short)
FREQUENCIES_SECONDS = 600  # how long a process keeps the words' frequencies before reading them again
TEXT_MAX = 1000


@dataclass
class SimilarClaim:
    claim: Claim  # on PostgreSQL, ``Statements`` until the answer's claims are loaded
    score: float


def _combine(trigram: float, overlap: float, rank: float) -> float:
    """The score from 0 to 1: the trigram similarity of the text and the closer statement (half), the
    share of the text's words the statements hold in any form, stemmed (two fifths), and the full-text
    rank of the claim for any of the words, normalised as rank / (rank + 1) (a tenth)."""
    return round(0.5 * trigram + 0.4 * overlap + 0.1 * rank, 4)


def _numbers_differ(ours: frozenset[str], claim: Claim) -> bool:
    """A claim about other figures than ``ours`` (the text's numbers) is another claim: "naik 10 persen" is
    not "naik 30 persen"."""
    if not ours:
        return False
    theirs = stemming.numbers(f"{claim.statement} {claim.statement_en}")
    return bool(theirs) and not (ours <= theirs or theirs <= ours)


def similar_claims(*, text: str, language: str | None = None, limit: int = SIMILAR_LIMIT) -> SimilarResults:
    """Published claims (both languages) saying nearly the same as ``text``, best first, each with a
    score from 0 to 1. Claims about other numbers than the text's are left out.

    PostgreSQL: at most SIMILAR_CANDIDATES candidates from the full-text GIN index, found by the text's
    rarest words (``_similar_postgresql``), scored by trigram similarity (``pg_trgm``), the words they
    share and ``ts_rank_cd``; then the claims answered are loaded. SQLite: the newest RANK_WINDOW claims
    sharing a word, scored the same with the stems and trigrams computed in Python.
    ``language`` ("id" or "en") is the text's language as the caller knows it; the text is compared with
    both statements either way (a post in English may repeat a claim checked in Indonesian), so it does
    not change the answer today.
    """
    text = " ".join(text.split())[:TEXT_MAX]
    words = stemming.query_words(text, limit=40)
    if not words:
        return SimilarResults()
    public = Claim.objects.filter(status=Claim.Status.PUBLISHED)
    if connections[public.db].vendor == "postgresql":
        words = [word for word in words if lexemes_of(word)]
        if not words:
            return SimilarResults()
        key = key_words(words, using=public.db)
        scored = _guarded(public.db, lambda: _similar_postgresql(public, text, words, key))
        if scored is None:
            return SimilarResults(complete=False)
    else:
        scored = _similar_python(public, text, words)
    ours = stemming.numbers(text)
    ranked = sorted(
        (item for item in scored if item.score >= SIMILAR_MIN_SCORE), key=lambda item: (-item.score, -item.claim.pk)
    )
    results = list(islice((item for item in ranked if not _numbers_differ(ours, item.claim)), limit))
    if results and not isinstance(results[0].claim, Claim):
        results = _with_claims(public, results)
    return SimilarResults(results)


class SimilarResults(list):
    """The similar claims; ``complete`` is False when the database gave up (statement timeout), so an
    empty answer is not taken for "never checked"."""

    def __init__(self, items=(), *, complete: bool = True) -> None:
        super().__init__(items)
        self.complete = complete


# Only bitmap scans: the candidates are read from the GIN index. Left to itself the planner takes a step
# of few matches for one of many (an OR of common words looks common) and walks the table for it.
SIMILAR_SETTINGS = {"enable_seqscan": "off", "enable_indexscan": "off"}


def _guarded(using: str, fetch):
    """``fetch`` under a statement timeout of SIMILAR_TIMEOUT_MS and SIMILAR_SETTINGS; None if it ran out."""
    timeout = int(settings.SIMILAR_TIMEOUT_MS)
    try:
        return fetch_with_settings(connections[using], fetch, statement_timeout=timeout, **SIMILAR_SETTINGS)
    except OperationalError as error:
        if not isinstance(error.__cause__, psycopg.errors.QueryCanceled):
            raise
        logger.warning("similar claims: gave up after %s ms", timeout)
        return None


def _similar_postgresql(public, text: str, words: list[str], key: list[str]) -> list[SimilarClaim]:
    """The candidates of ``similar_candidates`` scored: one query, reading their statements only (the claims
    answered are loaded afterwards, ``_with_claims``); a second one by the common key words only when no
    claim holds any rare one."""
    rows = list(similar_candidates(public, text, words, key))
    if not rows:
        rows = list(similar_candidates(public, text, words, key, common=True))
    forms = [stemming.word_forms(word) for word in words]
    return [
        SimilarClaim(
            statements := Statements(pk, statement, statement_en), _combine(trigram, _overlap(forms, statements), rank)
        )
        for pk, statement, statement_en, trigram, rank in rows
    ]


def similar_candidates(public: QuerySet, text: str, words: list[str], key: list[str], *, common=False) -> QuerySet:
    """Candidates from the full-text GIN index by the text's rarest words, each with its trigram similarity
    and full-text rank: (pk, statement, statement_en, trigram, rank) rows, at most SIMILAR_CANDIDATES.

    The steps (``_candidate_steps``) are the branches of one UNION ALL under one LIMIT, which PostgreSQL
    reads in turn: a step is read from the GIN index only if the steps before found too few. No
    statement is compared by trigrams unless its claim shares a key word with the text. The exact
    scoring then runs on those few published claims only. Run under SIMILAR_SETTINGS.
    """
    # Each step keeps only what the steps before did not find (each step holds the one before), and only
    # published claims: both are checked on the rows the bitmap scan of the GIN index reads anyway, so that
    # neither a claim found again nor one readers cannot see takes one of the SIMILAR_CANDIDATES places.
    # The status as "none of the others", which no index serves (a status index would be read in full).
    queries = _candidate_steps(key, word_frequencies(public.db), common=common)
    unpublished = [status for status in Claim.Status.values if status != Claim.Status.PUBLISHED]
    steps = []
    for n, query in enumerate(queries):
        step = Claim.objects.using(public.db).exclude(status__in=unpublished)
        step = step.alias(search_vector=SearchVectorColumn()).filter(search_vector=query)
        if n:
            step = step.exclude(search_vector=queries[n - 1])
        steps.append(step.order_by().values("pk")[:SIMILAR_CANDIDATES])
    if not steps:
        return public.none().values_list("pk", "statement", "statement_en")
    first_found = steps[0].union(*steps[1:], all=True).order_by()[:SIMILAR_CANDIDATES] if len(steps) > 1 else steps[0]
    return (
        public.filter(pk__in=first_found)
        .order_by()
        .annotate(
            trigram=Greatest(TrigramSimilarity("statement", text), TrigramSimilarity("statement_en", text)),
            # Normalisation 32: rank / (rank + 1), a figure from 0 to 1.
            rank=SearchRank(
                SearchVectorColumn(), LexemeQuery(_at_least(words, 1)), cover_density=True, normalization=Value(32)
            ),
        )
        .values_list("pk", "statement", "statement_en", "trigram", "rank")
    )


def _candidate_steps(key: list[str], frequencies: WordFrequencies, *, common: bool) -> list[SearchQuery]:
    """The queries that find candidates, in turn, from the key words (rarest first).

    A step costs what reading the posting lists of the words it requires costs: for "at least ``many`` of
    the key words", the rarest ``len(key) - many + 1`` of them (the GIN index skips through the others).
    A rare word's list is short; a common word's is long (200,000 claims hold "ASEM" among the generated
    million: 30–80 ms to read). So every step requires a rare word: the claims holding a rare key word
    and all the other key words, else all but one, … down to any rare one. A text with no rare word (or
    whose rare words no claim holds: ``common``) takes the claims holding all its common key words, else
    its two rarest.
    """
    rare = [word for word in key if frequencies.of(word) <= SIMILAR_RARE_SHARE]
    if common and not rare:
        return []  # the first query took the common words already
    if rare and not common:
        anchor = _at_least(rare, 1)
        steps = [f"({anchor}) & ({_at_least(key, many)})" for many in range(len(key), 1, -1)] + [anchor]
    else:
        others = [word for word in key if word not in rare]
        groups = [others] if len(others) <= 2 else [others, others[:2]]
        steps = [_at_least(group, len(group)) for group in groups if group]
    return [LexemeQuery(step) for step in steps]


@dataclass(frozen=True)
class Statements:
    """What the scoring reads of a claim: its id and its two statements."""

    pk: int
    statement: str
    statement_en: str


def _with_claims(public, found: list[SimilarClaim]) -> list[SimilarClaim]:
    """``found`` with their claims loaded (article and rating too), in one query; a claim no longer published
    since it was scored is left out."""
    claims = public.for_listing().in_bulk([item.claim.pk for item in found])
    return [SimilarClaim(claims[item.claim.pk], item.score) for item in found if item.claim.pk in claims]


def _at_least(words: list[str], many: int) -> str:
    """A ``tsquery`` (as text) of claims holding at least ``many`` of ``words``, each in any of its forms:
    an OR of ANDs, which the GIN index answers by reading the posting lists of the words it requires and
    skipping through the others. Written out from the forms ``stemming`` makes (as SQLite's search
    does), so that it is planned in a fraction of a millisecond however many combinations it holds."""

    def group(word: str) -> str:
        return "(" + " | ".join(f"'{form}'" for form in sorted(lexemes_of(word))) + ")"

    return " | ".join("(" + " & ".join(map(group, chosen)) + ")" for chosen in combinations(words, many))


@dataclass(frozen=True)
class WordFrequencies:
    """The share of claims whose search vector holds each lexeme, as PostgreSQL's statistics know it
    (``pg_stats.most_common_elems`` of ``search_vector``: with migration 0006's target, the 100,000
    commonest lexemes, from a sample of up to 3,000,000 claims). A lexeme not listed is rarer than any
    listed, or absent; before the first ANALYZE nothing is listed and every word counts as rare."""

    shares: dict[str, float] = field(default_factory=dict)

    def of(self, word: str) -> float:
        """The share of the commonest form of ``word`` (Indonesian stem, English stem, as written)."""
        return max((self.shares.get(form, 0.0) for form in stemming.word_forms(word)), default=0.0)


_frequencies: dict[str, tuple[float, WordFrequencies]] = {}  # by database alias: (read at, frequencies)

FREQUENCIES_SQL = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_stats s
 WHERE s.schemaname = ANY (current_schemas(false)) AND s.tablename = %s AND s.attname = 'search_vector'
"""


def word_frequencies(using: str) -> WordFrequencies:
    """The frequencies of lexemes among the claims (PostgreSQL), read once in FREQUENCIES_SECONDS per
    process: the statistics change only when (auto)ANALYZE runs, and a stale figure only changes which
    words find the candidates, never the answer's scores."""
    now = time.monotonic()
    cached = _frequencies.get(using)
    if cached is not None and now - cached[0] < FREQUENCIES_SECONDS:
        return cached[1]
    with connections[using].cursor() as cursor:
        cursor.execute(FREQUENCIES_SQL, [Claim._meta.db_table])
        row = cursor.fetchone()
    # most_common_elem_freqs ends with three figures of its own (minimum, maximum, empty share); zip drops them.
    frequencies = WordFrequencies(dict(zip(row[0], row[1], strict=False)) if row and row[0] else {})
    _frequencies[using] = (now, frequencies)
    return frequencies


def forget_word_frequencies() -> None:
    """Read the frequencies again at the next lookup (tests: each reads its own database's statistics)."""
    _frequencies.clear()


def key_words(words: list[str], *, using: str) -> list[str]:
    """The SIMILAR_KEY_WORDS rarest of ``words``, rarest first (the longer first among equals): the words
    that tell a claim from the others, and whose posting lists in the GIN index are short."""
    frequencies = word_frequencies(using)
    ranked = sorted(enumerate(words), key=lambda item: (frequencies.of(item[1]), -len(item[1]), item[0]))
    return [word for _, word in ranked[:SIMILAR_KEY_WORDS]]


def _overlap(forms: list[frozenset[str]], claim: Claim) -> float:
    """The share of the text's words (``forms``: each word's forms) found in the claim's statements."""
    found = set(stemming.lexemes(claim.statement, INDONESIAN)) | set(stemming.lexemes(claim.statement_en, ENGLISH))
    found |= {word.lower() for word in stemming.words(f"{claim.statement} {claim.statement_en}")}
    if not forms:
        return 0.0
    return sum(1 for f in forms if f & found) / len(forms)


def _similar_python(public, text: str, words: list[str]) -> list[SimilarClaim]:
    any_word = reduce(lambda a, b: a | b, (stem_condition(word) for word in words))
    candidates = (
        public.filter(any_word)
        .select_related("article", "rating")
        .defer("article__original", "article__body")
        .order_by("-published_at", "-id")[:RANK_WINDOW]
    )
    forms = [stemming.word_forms(word) for word in words]
    results = []
    for claim in candidates:
        trigram = max(
            stemming.trigram_similarity(text, claim.statement), stemming.trigram_similarity(text, claim.statement_en)
        )
        rank = stemming.rank(forms, claim.search_fields())
        results.append(SimilarClaim(claim, _combine(trigram, _overlap(forms, claim), rank / (rank + 1))))
    return results
