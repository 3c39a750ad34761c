"""Search in Indonesian and English ("already checked?", which finds claims that say nearly the same, is in
``similar.py`` and shares the search vector and the stemming).

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

from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Count, Expression, F, Q, QuerySet, TextField, Value, Window
from django.db.models.expressions import Col
from django.db.models.functions import Concat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from factcheck.lib import stemming
from factcheck.lib.stemming import ENGLISH, INDONESIAN, SIMPLE, Piece

from .models import Claim, Language

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


class ConstantSearchQuery(SearchQuery):
    """A ``tsquery`` whose words are written into the statement as a quoted constant (psycopg's own quoting,
    ``compose_sql``), not sent as parameters.

    With prepared statements (settings: DATABASE_PREPARE_THRESHOLD), PostgreSQL may run a statement on a
    generic plan, made without its parameters' values. For a search that plan would guess every word's
    frequency alike (0.5 % of the claims) and could walk the whole table for a rare word in newest-first
    order. With its words in the text, a search's statement is prepared only when the same words are searched
    again, and planned for them."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        if connection.vendor != "postgresql":
            return sql, params
        # "%" is the placeholder mark of the statement the constant joins.
        return connection.ops.compose_sql(sql, params).replace("%", "%%"), []


class LexemeQuery(ConstantSearchQuery):
    """A ``tsquery`` given as text, cast as it is (no parsing, no stemming): ``('aku' | 'mengakui') & …``.
    Its lexemes are words (``\\w+``) and their stems, which hold no quote."""

    def __init__(self, value: str) -> None:
        super().__init__(value, search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(compiler, connection, template="%(expressions)s::tsquery")


LEXEME_MAX_BYTES = 2047  # PostgreSQL's longest lexeme: a longer word is in no search vector, and no tsquery takes it


def lexemes_of(word: str) -> frozenset[str]:
    """The forms of ``word`` that a search vector can hold."""
    return frozenset(form for form in stemming.word_forms(word) if len(form.encode()) <= LEXEME_MAX_BYTES)


def _words(query: str) -> list[str]:
    return stemming.query_words(query, limit=QUERY_WORDS)


def _ts_query(words: list[str], *, every: bool = True) -> SearchQuery:
    """Each word in the three configurations (OR); the words ANDed (``every``) or ORed."""

    return reduce((lambda a, b: a & b) if every else (lambda a, b: a | b), (_word_query(word) for word in words))


def _word_query(word: str) -> SearchQuery:
    """One query word in the three configurations: its Indonesian stem, its English stem, as written."""
    return (
        ConstantSearchQuery(word, config=INDONESIAN, search_type="plain")
        | ConstantSearchQuery(word, config=ENGLISH, search_type="plain")
        | ConstantSearchQuery(word, config=SIMPLE, search_type="plain")
    )


def stem_condition(word: str) -> Q:
    """SQLite: claims whose ``search_text`` holds any form of ``word`` (its stems and the word as written)."""
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
    return queryset.filter(reduce(lambda a, b: a & b, (stem_condition(word) for word in words)))


STATEMENT_WEIGHT = "A"  # the statements' weight in the search vector (Claim.search_fields)


def claim_statement_search_any(*, queryset: QuerySet, words: list[str], limit: int) -> list[Claim]:
    """At most ``limit`` claims of ``queryset``, in its own order, whose statement (in either language) holds
    any of ``words`` in any form, stemmed: related fact-checks, found by a claim's longest words.

    The statements only, not the quote, verdict or headline that search also reads: a page lists other
    claims by what they claim, and so only a change to a claim's statements (or whether it is public) can
    change another page's list (``selectors.SIMILAR_LIST_FIELDS``). ``words`` are single words (letters and
    digits). PostgreSQL: the GIN index, the lexemes restricted to the statements' weight. SQLite:
    ``search_text`` holds every field's stems, so its matches are checked against the statements' here.
    """
    words = [word for word in words if word.isalnum()]
    if not words or limit <= 0:
        return []
    if _vendor(queryset) == "postgresql":
        # Written out from the forms stemming makes, one constant: compiled and planned in a fraction of a
        # millisecond, where a to_tsquery() for each word and configuration took longer than the read.
        forms = sorted({form for word in words for form in lexemes_of(word)})
        weighted = LexemeQuery(" | ".join(f"'{form}':{STATEMENT_WEIGHT}" for form in forms))
        return list(queryset.alias(search_vector=SearchVectorColumn()).filter(search_vector=weighted)[:limit])
    wanted = [stemming.word_forms(word) for word in words]
    found: list[Claim] = []
    for claim in queryset.filter(reduce(lambda a, b: a | b, (stem_condition(word) for word in words))).iterator():
        held = {*stemming.lexemes(claim.statement, INDONESIAN), *stemming.lexemes(claim.statement_en, ENGLISH)}
        if any(forms & held for forms in wanted):
            found.append(claim)
            if len(found) == limit:
                break
    return found


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
