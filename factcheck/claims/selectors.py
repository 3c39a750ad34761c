"""Reusable reads: search and the public claim lists."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import psycopg
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, QuerySet, Subquery

from factcheck.lib.compiled import compiled_read
from factcheck.lib.prepared import prepared_reads
from factcheck.lib.querysets import query_shape
from factcheck.people.models import fields_public_name_skips

from . import search
from .gate import content_authors_of, four_eyes_refusal
from .history import with_first_publication
from .models import Article, Claim, ClaimQuerySet, Correction, Evidence, Rating, Revision


def claim_search(*, queryset: ClaimQuerySet | None = None, query: str) -> ClaimQuerySet:
    """Claims whose statement, quote, claimant, verdict or article headline match every word of ``query``,
    stemmed in Indonesian and English (``search.claim_search``), in the queryset's order."""
    return search.claim_search(queryset=queryset, query=query)


def fetch_search[T](fetch: Callable[[], T], *, query: str, using: str) -> T:
    """Run ``fetch``, which reads a page of ``claim_search`` results, so that a misjudged plan cannot
    hold a worker for long.

    PostgreSQL either walks the claims in the list's order until a page matches (right for common
    words) or reads the matches from the GIN index and sorts them (right for rare ones), by the words'
    estimated frequencies. For several words it multiplies theirs, as if they were independent: two
    common words that never occur together look common together, and the walk then checks every claim
    (20 s at a million). So a search of several words first runs with a statement timeout; if that
    runs out, it runs again with index walks and sequential scans switched off, which leaves the GIN
    index: cheap exactly where the walk was not. Sequential scans too, since with the same
    misestimate (a fifth of a million claims) a parallel scan of the whole table looks cheaper than
    the index: 1.1 s against 0.15 s for "Bangkok NATO" at a million claims (docs/performance.md).
    A search of one word is estimated well (migration 0006) and runs as is.
    """
    db = connections[using]
    if db.vendor != "postgresql" or len(query.split()) < 2:
        return fetch()
    try:
        return fetch_with_settings(db, fetch, statement_timeout=int(settings.SEARCH_WALK_TIMEOUT_MS))
    except OperationalError as error:
        if not isinstance(error.__cause__, psycopg.errors.QueryCanceled):
            raise
    return fetch_with_settings(db, fetch, enable_indexscan="off", enable_seqscan="off")


def fetch_with_settings[T](db, fetch: Callable[[], T], **values: int | str) -> T:
    """``fetch`` in a transaction (or savepoint) with planner or run-time settings of PostgreSQL, set back to
    their defaults after it for what else an enclosing transaction runs (search, and "already checked?").

    Nothing in it is run as a prepared statement: a plan kept from an earlier run would not follow the
    settings (the GIN index that ``enable_indexscan = off`` asks for), and the two-statement SET cannot be
    prepared."""
    with transaction.atomic(using=db.alias), db.cursor() as cursor, prepared_reads(False):
        # One statement each way; the names and values are ours, never the reader's.
        cursor.execute("; ".join(f"SET LOCAL {name} = {value}" for name, value in values.items()))
        result = fetch()
        cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in values))
        return result


def claim_list_awaiting_review(*, user, queryset: ClaimQuerySet | None = None) -> list[Claim]:
    """Claims in review that ``user`` may publish or dismiss: ``gate.four_eyes_refusal`` applied to each.

    Nothing for a user without the publish permission; never a claim with content the user wrote
    since its last approved version (authorship from history).
    """
    queryset = Claim.objects.all() if queryset is None else queryset
    if not user.is_active or not user.has_perm("claims.publish_claim"):
        return []
    claims = list(queryset.filter(status=Claim.Status.IN_REVIEW))
    authors = content_authors_of(claims)
    for claim in claims:
        claim._content_authors = authors[claim.pk]
    return [claim for claim in claims if not four_eyes_refusal(claim, user)]


SENT_TO_REVIEW = "Sent to review"  # services.claim_send_to_review's reason when no note was written


def review_notes(claims) -> dict[int, str]:
    """The editor's note for the reviewer on each claim in review, by claim id ('' where none was written).

    The note is the history reason of the row that sent the claim to review: the first row of the latest
    stretch of rows in review (edits during the review add rows with their own reasons). One query.
    """
    ids = [claim.pk for claim in claims if claim.status == Claim.Status.IN_REVIEW]
    if not ids:
        return {}
    rows = (
        Claim.history.filter(id__in=ids)
        .order_by("id", "history_id")
        .values_list("id", "status", "history_change_reason")
    )
    notes: dict[int, str] = {}
    previous: dict[int, str] = {}
    for pk, status, reason in rows:
        if status == Claim.Status.IN_REVIEW and previous.get(pk) != Claim.Status.IN_REVIEW:
            notes[pk] = "" if reason in (None, SENT_TO_REVIEW) else reason
        previous[pk] = status
    return {pk: notes.get(pk, "") for pk in ids}


def revision_list_awaiting_review(*, user) -> list[Revision]:
    """Pending corrections and retractions ``user`` may approve (not their own), oldest first."""
    if not user.is_active or not user.has_perm("claims.publish_claim"):
        return []
    pending = Revision.objects.filter(state=Revision.State.PENDING).exclude(proposed_by=user)
    return list(pending.select_related("claim", "proposed_by").order_by("proposed_at", "id"))


def claim_public_list(*, rating: Rating | None = None, article: Article | None = None) -> ClaimQuerySet:
    """Public verdicts, newest publication first, with their article and rating (one query).

    Served by the index claim_status_published (status, -published_at).
    """
    queryset = Claim.objects.public().for_listing().order_by("-published_at", "-id")
    if rating is not None:
        queryset = queryset.filter(rating=rating)
    if article is not None:
        queryset = queryset.filter(article=article)
    return queryset


@compiled_read(article_id=int)
def _reader_claims(article_id: int) -> ClaimQuerySet:
    shown = Claim.objects.filter(article_id=article_id, status__in=Claim.SHOWN_STATUSES)
    return shown.select_related("rating").order_by("start", "-end")


def article_reader_claims(*, article: Article) -> list[Claim]:
    """The claims readers see in an article: public verdicts and claims dismissed as not checkable, each
    with ``article`` set to it. Drafts and claims still in research or review are left out. One query.
    """
    claims = list(_reader_claims(article_id=article.pk))
    for claim in claims:
        claim.article = article
    return claims


@compiled_read(slug=str)
def article_page_article(slug: str) -> QuerySet[Article]:
    """The article an article page shows, by its address (without its text as received)."""
    return Article.objects.defer("original").filter(slug=slug)[:1]


@compiled_read()
def rating_scale() -> QuerySet[Rating]:
    """The ratings, in the scale's order (a page's filter, the methodology's table)."""
    return Rating.objects.all()


def articles_with_public_claims() -> QuerySet[Article]:
    """Articles that have at least one public verdict (the articles readers can open), newest first."""
    public = Claim.objects.filter(article=OuterRef("pk"), status__in=Claim.PUBLIC_STATUSES)
    newest_first = (F("published_on").desc(nulls_last=True), "-id")  # undated last on every database
    return Article.objects.filter(Exists(public)).defer("original", "body").order_by(*newest_first)


def correction_public_list() -> QuerySet[Correction]:
    """Corrections and retractions of public claims, newest first, with claim, article and rating."""
    return (
        Correction.objects.filter(claim__status__in=Claim.PUBLIC_STATUSES)
        .select_related("claim", "claim__article", "claim__rating")
        .defer("claim__article__original", "claim__article__body", "claim__search_text")
        .order_by("-created_at", "-id")
    )


def rating_scale_bounds(ratings: Iterable[Rating] | None = None) -> tuple[int | None, int | None]:
    """The best and worst values of the rating scale (ClaimReview's bestRating and worstRating).

    From ``ratings`` without a query where the caller read the whole scale already; None where no rating
    has a value.
    """
    if ratings is None:
        bounds = Rating.objects.aggregate(best=Max("value"), worst=Min("value"))
        return bounds["best"], bounds["worst"]
    values = [rating.value for rating in ratings if rating.value is not None]
    return (max(values), min(values)) if values else (None, None)


def with_scale_bounds(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims annotated with the rating scale's best and worst values (``scale_best``, ``scale_worst``, as
    ``rating_scale_bounds``), read in the claims' own query rather than in one more."""
    values = Rating.objects.filter(value__isnull=False)
    return claims.annotate(
        scale_best=Subquery(values.order_by("-value").values("value")[:1]),
        scale_worst=Subquery(values.order_by("value").values("value")[:1]),
    )


def claim_page_claims() -> QuerySet[Claim]:
    """Claims as a claim page shows them: with their article (not its original text), rating and byline (the
    people's names only), the scale's bounds for the page's ClaimReview and their first publication for its
    history. Not filtered: the page's gate decides who sees which. (Each column costs the query's
    compilation: the users' alone took a third of it.)"""
    claims = Claim.objects.select_related("article", "rating", "researcher__staff_profile", "reviewer__staff_profile")
    claims = claims.defer(
        "article__original",
        "search_text",
        *fields_public_name_skips("researcher"),
        *fields_public_name_skips("reviewer"),
    )
    return with_first_publication(with_scale_bounds(claims))


@compiled_read(claim_id=int)
def claim_evidence(claim_id: int) -> QuerySet[Evidence]:
    """A claim's evidence, in its order (as ``claim.evidence.all()``, compiled once: a claim page's and the API's)."""
    return Evidence.objects.filter(claim_id=claim_id)


SIMILAR_WORDS = 4  # the longest words of a statement that similar claims are searched by
SIMILAR_WORD_MIN = 5  # shorter words ("yang", "pada", "the") say little about what a claim is about


def _similarity_words(claim: Claim) -> list[str]:
    words = {word.lower() for word in re.findall(r"[^\W_]+", claim.statement or claim.statement_en)}
    longest = sorted((w for w in words if len(w) >= SIMILAR_WORD_MIN), key=lambda w: (-len(w), w))
    return longest[:SIMILAR_WORDS]


# What decides which claims a page lists as similar (claim_related_list): whether a claim is public, its
# article (its own article's claims are listed apart), its date (newest first) and its statements' words.
SIMILAR_LIST_FIELDS = ("status", "article", "published_at", "statement", "statement_en")


def _exists(record) -> bool:
    """Whether the claim exists as ``record`` holds it: a history record that is not its deletion."""
    return record is not None and getattr(record, "history_type", "") != "-"


def changes_similar_lists(before, after) -> bool:
    """Whether a claim's change, from ``before`` to ``after`` (its history records; None where it did not
    exist), can change which claims another claim's page lists as similar: it became or stopped being
    public, or one of SIMILAR_LIST_FIELDS changed while it was. (A page that lists it is told of any of its
    changes by the claim's own surrogate key.)"""

    def public(record) -> bool:
        return _exists(record) and record.status in Claim.PUBLIC_STATUSES

    if public(before) != public(after):
        return True
    names = [Claim._meta.get_field(name).attname for name in SIMILAR_LIST_FIELDS]
    return public(after) and any(getattr(before, name) != getattr(after, name) for name in names)


def record_before(record, *, using: str = "default"):
    """The claim's history record before ``record`` (None for its first). One query."""
    earlier = type(record)._default_manager.using(using).filter(id=record.id, history_id__lt=record.history_id)
    return earlier.order_by("-history_id").first()


def seen_by_readers(record) -> bool:
    """Whether readers see anything of the claim as this history record holds it (None: it did not exist):
    a public claim, or a dismissed one (shown as not checkable beside its article's verdicts). A draft, one
    being researched or one in review shows nowhere: its changes change no public answer."""
    return _exists(record) and (record.status in Claim.PUBLIC_STATUSES or record.status == Claim.Status.DISMISSED)


RELATED_FIELDS = (
    *("slug", "status", "statement", "statement_en", "article_id"),
    *("rating__key", "rating__label_id", "rating__label_en"),
)


@query_shape
def _related_reads() -> ClaimQuerySet:
    # Only what the list of related fact-checks shows (each column costs the query's compilation and each row).
    return Claim.objects.public().select_related("rating").only(*RELATED_FIELDS)


SAME_ARTICLE_LISTED = 5  # a claim page lists up to five other verdicts of its article


@compiled_read(article_id=int, claim_id=int)
def _same_article(article_id: int, claim_id: int) -> ClaimQuerySet:
    siblings = _related_reads().filter(article_id=article_id).exclude(pk=claim_id)
    return siblings.order_by("start", "-end")[:SAME_ARTICLE_LISTED]


def claim_related_list(*, claim: Claim, similar: int = 3) -> tuple[list[Claim], list[Claim]]:
    """Related fact-checks of ``claim``: other public verdicts of its article (in the article's order), then
    public verdicts of other articles whose statements share one of its longest words (newest first). Two
    queries (one where the statement has no word long enough)."""
    public = _related_reads()
    siblings = list(_same_article(article_id=claim.article_id, claim_id=claim.pk))
    words = _similarity_words(claim)
    if not words or similar <= 0:
        return siblings, []
    others = public.exclude(article_id=claim.article_id).order_by("-published_at", "-id")
    # Words joined by OR: the planner's estimate of their matches is about their sum, which the misjudged walk
    # of fetch_search (words that look common alone and never occur together) does not meet.
    return siblings, search.claim_statement_search_any(queryset=others, words=words, limit=similar)


@query_shape
def _annotated_articles() -> QuerySet[Article]:
    public = Claim.objects.filter(article=OuterRef("pk"), status__in=Claim.PUBLIC_STATUSES)
    count = public.order_by().values("article").annotate(total=Count("pk")).values("total")
    articles = articles_with_public_claims().only("slug", "headline", "outlet", "published_on", "language")
    return articles.annotate(verdict_count=Subquery(count))


NEWEST_ARTICLES_LISTED = 5  # the home page lists the five newest articles


@compiled_read()
def _newest_annotated_articles() -> QuerySet[Article]:
    return _annotated_articles()[:NEWEST_ARTICLES_LISTED]


def article_annotated_list() -> list[Article]:
    """The newest articles readers can open (with a public verdict), each with ``verdict_count``: its public
    verdicts, counted per article shown (a subquery on the claims' article index), never over all. One query."""
    return list(_newest_annotated_articles())
