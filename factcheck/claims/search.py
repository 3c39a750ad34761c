"""Search in Indonesian and English, and "already checked?": published claims that say nearly the same.

PostgreSQL reads the weighted ``search_vector`` of each claim (migration 0009: statement A, quote and
claimant B, verdict C, headline D; ``indonesian``, ``english`` and ``simple`` configurations). A query
word matches in any of the three configurations, and every word must match:
``(pengakuan:id | pengakuan:en | pengakuan) & (…)``, so "pengakuan" finds "mengakui" (both ``aku``).
SQLite does the same with the Snowball stemmers of ``snowballstemmer`` over ``search_text``
(``factcheck.lib.stemming``), so ``make run`` finds, ranks and marks what production does.

Ranking keeps the guarantees of the list order: the matches are first read newest first (the
ordered walk or the GIN index, whichever the planner expects to be cheaper, under
``fetch_search``'s timeout), at most ``RANK_WINDOW`` of them; those are ranked with
``ts_rank_cd`` and counted in the same query. A word matching more claims than that ranks the newest
``RANK_WINDOW`` (500) and says "more than".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import reduce

import psycopg
from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramDistance,
    TrigramSimilarity,
)
from django.db import OperationalError, connections, transaction
from django.db.models import Count, Expression, F, Q, QuerySet, TextField, Value, Window
from django.db.models.expressions import Col
from django.db.models.functions import Concat, Greatest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from factcheck.lib import stemming
from factcheck.lib.stemming import ENGLISH, INDONESIAN, SIMPLE, Piece

from .models import Claim, Language

logger = logging.getLogger(__name__)

RANK_WINDOW = 500  # the newest matches that are ranked and counted
QUERY_WORDS = 8  # words of a query taken into account

# ts_headline marks with characters no claim text contains (Unicode noncharacters, removed from the
# text first); the excerpt is then escaped and the marks become <mark> elements.
START_MARK, STOP_MARK = "\ufdd0", "\ufdd1"


class SearchVectorColumn(Expression):
    """The claims' ``search_vector`` column (PostgreSQL only, migration 0009), which the model does not
    declare, so that no claim read loads it (about 1.6 kB a claim): usable in ``alias()``, filters and
    ``SearchRank``, and relabelled like any column when its query becomes a subquery."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return Col(query.get_initial_alias(), VECTOR_COLUMN, VECTOR_COLUMN)


VECTOR_COLUMN = SearchVectorField(null=True)
VECTOR_COLUMN.set_attributes_from_name("search_vector")
VECTOR_COLUMN.model = Claim


def _words(query: str) -> list[str]:
    return stemming.query_words(query, limit=QUERY_WORDS)


def _ts_query(words: list[str], *, every: bool = True) -> SearchQuery:
    """Each word in the three configurations (OR); the words ANDed (``every``) or ORed."""

    def one(word: str) -> SearchQuery:
        return (
            SearchQuery(word, config=INDONESIAN, search_type="plain")
            | SearchQuery(word, config=ENGLISH, search_type="plain")
            | SearchQuery(word, config=SIMPLE, search_type="plain")
        )

    return reduce((lambda a, b: a & b) if every else (lambda a, b: a | b), (one(word) for word in words))


def _stem_condition(word: str) -> Q:
    return reduce(lambda a, b: a | b, (Q(search_text__contains=f" {form} ") for form in stemming.word_forms(word)))


def _vendor(queryset: QuerySet) -> str:
    return connections[queryset.db].vendor


def claim_search(*, queryset: QuerySet | None = None, query: str) -> QuerySet:
    """Claims of ``queryset`` matching every word of ``query`` in Indonesian or English (stemmed), in
    the queryset's own order (the API's lists keep theirs). Served by the GIN index on PostgreSQL."""
    queryset = Claim.objects.all() if queryset is None else queryset
    words = _words(query)
    if not query.strip():
        return queryset
    if not words:
        return queryset.none()  # only stop words: nothing could match them
    if _vendor(queryset) == "postgresql":
        return queryset.alias(search_vector=SearchVectorColumn()).filter(search_vector=_ts_query(words))
    return queryset.filter(reduce(lambda a, b: a & b, (_stem_condition(word) for word in words)))


def claim_search_any(*, queryset: QuerySet, words: list[str]) -> QuerySet:
    """Claims of ``queryset`` matching any of ``words`` (stemmed, as ``claim_search``), in its own order:
    related fact-checks, found by a claim's longest words."""
    if not words:
        return queryset.none()
    if _vendor(queryset) == "postgresql":
        return queryset.alias(search_vector=SearchVectorColumn()).filter(search_vector=_ts_query(words, every=False))
    return queryset.filter(reduce(lambda a, b: a | b, (_stem_condition(word) for word in words)))


@dataclass
class SearchResults:
    """Ranked matches: ``items`` for the page asked for, each with ``search_excerpt`` (safe HTML with
    ``<mark>``), ``count`` of all ranked matches and whether more matched than were ranked."""

    items: list[Claim]
    count: int
    more: bool = False
    words: list[str] = field(default_factory=list)


def excerpt_html(pieces: list[Piece]) -> SafeString:
    return mark_safe(  # noqa: S308 -- every piece is escaped; only our own <mark> is added
        "".join(
            f"<mark>{conditional_escape(piece.text)}</mark>" if piece.marked else str(conditional_escape(piece.text))
            for piece in pieces
        )
    )


def marked_html(text: str) -> SafeString:
    """ts_headline's output with START_MARK/STOP_MARK as safe HTML: text escaped, marks as <mark>."""
    pieces: list[Piece] = []
    marked = False
    buffer = ""
    for char in text:
        if char in (START_MARK, STOP_MARK):
            if buffer:
                pieces.append(Piece(buffer, marked))
            buffer, marked = "", char == START_MARK
        else:
            buffer += char
    if buffer:
        pieces.append(Piece(buffer, marked))
    return excerpt_html(pieces)


def _excerpt_fields(claim: Claim, language: str) -> tuple[str, str]:
    """The text an excerpt is cut from (the quote, then the verdict readers of ``language`` get) and its
    configuration."""
    if language == Language.ENGLISH and claim.verdict_en:
        return claim.verdict_en, ENGLISH
    source = ENGLISH if claim.article.language == Language.ENGLISH else INDONESIAN
    return f"{claim.quote} … {claim.verdict}", source


def ranked_search(*, queryset: QuerySet, query: str, language: str, offset: int, limit: int) -> SearchResults:
    """Rows ``offset`` to ``offset + limit`` of the matches of ``query`` in ``queryset`` (a public list in
    its newest-first order), best first, with a marked excerpt each and the number of matches. One query."""
    words = _words(query)
    if not words:
        return SearchResults(items=[], count=0, words=words)
    if _vendor(queryset) == "postgresql":
        return _ranked_postgresql(queryset, words, language, offset, limit)
    return _ranked_python(queryset, words, language, offset, limit)


def _ranked_postgresql(queryset, words, language, offset, limit) -> SearchResults:
    ts_query = _ts_query(words)
    newest = claim_search(queryset=queryset, query=" ".join(words)).values("pk")[: RANK_WINDOW + 1]
    if language == Language.ENGLISH:
        text = F("verdict_en")
        config = ENGLISH
    else:
        text = Concat(F("quote"), Value(" … "), F("verdict"), output_field=TextField())
        config = INDONESIAN
    rows = (
        Claim.objects.filter(pk__in=newest)
        .select_related("article", "rating")
        .defer("article__original", "article__body", "search_text")
        .annotate(
            rank=SearchRank(SearchVectorColumn(), ts_query, cover_density=True),
            total=Window(Count("pk")),
            excerpt_marked=SearchHeadline(
                text,
                ts_query,
                config=config,
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-id")[offset : offset + limit]
    )
    items = list(rows)
    for claim in items:
        claim.search_excerpt = marked_html(claim.excerpt_marked) if START_MARK in claim.excerpt_marked else ""
    total = items[0].total if items else 0
    if not items and offset:
        total = 0
    return SearchResults(items=items, count=min(total, RANK_WINDOW), more=total > RANK_WINDOW, words=words)


def _ranked_python(queryset, words, language, offset, limit) -> SearchResults:
    forms = [stemming.word_forms(word) for word in words]
    matches = list(claim_search(queryset=queryset, query=" ".join(words))[: RANK_WINDOW + 1])
    more = len(matches) > RANK_WINDOW
    matches = matches[:RANK_WINDOW]
    order = {claim.pk: position for position, claim in enumerate(matches)}  # newest first breaks ties
    ranked = sorted(matches, key=lambda claim: (-stemming.rank(forms, claim.search_fields()), order[claim.pk]))
    items = ranked[offset : offset + limit]
    for claim in items:
        text, config = _excerpt_fields(claim, language)
        claim.search_excerpt = excerpt_html(stemming.excerpt(text, forms, config))
    return SearchResults(items=items, count=len(matches), more=more, words=words)


# --- "Already checked?" ---------------------------------------------------------------------------

SIMILAR_LIMIT = 10  # at most this many similar claims are returned
SIMILAR_MIN_SCORE = 0.3  # below this a claim does not "say nearly the same"
SIMILAR_CANDIDATES = 50  # nearest statements by trigrams, per language, compared further
TEXT_MAX = 1000


@dataclass
class SimilarClaim:
    claim: Claim
    score: float


def _combine(trigram: float, overlap: float, rank: float) -> float:
    """The score from 0 to 1: the trigram similarity of the text and the closer statement (half), the
    share of the text's words the statements hold in any form, stemmed (two fifths), and the full-text
    rank of the claim for any of the words, normalised as rank / (rank + 1) (a tenth)."""
    return round(0.5 * trigram + 0.4 * overlap + 0.1 * rank, 4)


def _numbers_differ(text: str, claim: Claim) -> bool:
    """A claim about other figures is another claim: "naik 10 persen" is not "naik 30 persen"."""
    ours = stemming.numbers(text)
    if not ours:
        return False
    theirs = stemming.numbers(f"{claim.statement} {claim.statement_en}")
    return bool(theirs) and not (ours <= theirs or theirs <= ours)


def similar_claims(*, text: str, language: str | None = None, limit: int = SIMILAR_LIMIT) -> SimilarResults:
    """Published claims (both languages) saying nearly the same as ``text``, best first, each with a
    score from 0 to 1. Claims about other numbers than the text's are left out.

    PostgreSQL: candidates from the trigram indexes on the statements (``pg_trgm``) and from the
    full-text index (any of the text's words, ranked), scored by trigram similarity combined with
    ``ts_rank_cd``. SQLite: the same from the stems and trigrams computed in Python.
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
        scored = _guarded(public.db, lambda: _similar_postgresql(public, text, words))
        if scored is None:
            return SimilarResults(complete=False)
    else:
        scored = _similar_python(public, text, words)
    results = [item for item in scored if item.score >= SIMILAR_MIN_SCORE and not _numbers_differ(text, item.claim)]
    results.sort(key=lambda item: (-item.score, -item.claim.pk))
    return SimilarResults(results[:limit])


class SimilarResults(list):
    """The similar claims; ``complete`` is False when the database gave up (statement timeout), so an
    empty answer is not taken for "never checked"."""

    def __init__(self, items=(), *, complete: bool = True) -> None:
        super().__init__(items)
        self.complete = complete


def _guarded(using: str, fetch):
    """``fetch`` under a statement timeout of SIMILAR_TIMEOUT_MS; None if it ran out."""
    db = connections[using]
    timeout = int(settings.SIMILAR_TIMEOUT_MS)
    try:
        with transaction.atomic(using=using), db.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {timeout}")  # ours, an int
            result = fetch()
            cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
            return result
    except OperationalError as error:
        if not isinstance(error.__cause__, psycopg.errors.QueryCanceled):
            raise
        logger.warning("similar claims: gave up after %s ms", timeout)
        return None


def _similar_postgresql(public, text: str, words: list[str]) -> list[SimilarClaim]:
    """Candidates: the SIMILAR_CANDIDATES statements nearest to the text by trigrams in each language, read in
    order of distance from the GiST trigram indexes (a nearest-neighbour scan: no threshold, and bounded at any
    number of claims); then scored with their similarity and the full-text rank. One query."""
    nearest = [
        public.order_by(TrigramDistance(column, text)).values("pk")[:SIMILAR_CANDIDATES]
        for column in ("statement", "statement_en")
    ]
    any_word = _ts_query(words, every=False)
    candidates = (
        public.filter(Q(pk__in=nearest[0]) | Q(pk__in=nearest[1]))
        .select_related("article", "rating")
        .defer("article__original", "article__body", "search_text")
        .annotate(
            trigram=Greatest(TrigramSimilarity("statement", text), TrigramSimilarity("statement_en", text)),
            # Normalisation 32: rank / (rank + 1), a figure from 0 to 1.
            rank=SearchRank(SearchVectorColumn(), any_word, cover_density=True, normalization=Value(32)),
        )
    )
    return [SimilarClaim(claim, _combine(claim.trigram, _overlap(words, claim), claim.rank)) for claim in candidates]


def _overlap(words: list[str], claim: Claim) -> float:
    """The share of the text's words (in any form) found in the claim's statements."""
    forms = [stemming.word_forms(word) for word in words]
    found = set(stemming.lexemes(claim.statement, INDONESIAN)) | set(stemming.lexemes(claim.statement_en, ENGLISH))
    found |= {word.lower() for word in stemming.words(f"{claim.statement} {claim.statement_en}")}
    if not forms:
        return 0.0
    return sum(1 for f in forms if f & found) / len(forms)


def _similar_python(public, text: str, words: list[str]) -> list[SimilarClaim]:
    any_word = reduce(lambda a, b: a | b, (_stem_condition(word) for word in words))
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
        results.append(SimilarClaim(claim, _combine(trigram, _overlap(words, claim), rank / (rank + 1))))
    return results
