"""Caching of public pages and API representations, checked against versions.

An entry is the rendered answer for a URL (and language), stored with the
*stamp* of everything it shows: a change anywhere writes a history row, so the
stamp moves, and an entry whose stamp is not the current one is rendered anew.
Nothing is ever deleted from the cache: outdated entries are replaced or expire.

- A claim's page shows the claim (its ``version`` rises with every edit,
  transition and evidence change), its article and the rating scale; it and
  an article's page also carry the *sitewide* revision, which changes to the
  scale and bulk writes raise as they commit (``ContentRevision.sitewide``).
- An article's page shows the article and all its claims.
- Lists (home, search, corrections, feeds, API lists) show many claims, so
  they carry the stamp of all claims, articles and ratings.

Reading a stamp is one small query. With a shared cache, the *content
generation* (below) spares even that while nothing has changed, and
``AnswerCacheMiddleware`` serves such an answer before the rest of the
middleware and the view run.

Staff and signed-in users never get a cached page (they may see drafts and must
see their own edits at once), nor do API clients with credentials. ETags come
from versions, never from the rendered body.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, quote_etag
from django.utils.translation import get_language

from factcheck import local_answers, surrogate
from factcheck.claims import events
from factcheck.claims.models import Article, Claim, ContentRevision, Rating
from factcheck.routing import primary_reads


@functools.cache
def _history_table(model) -> str:
    # Reading ``model.history`` builds a manager class each time (tens of µs): look the name up once.
    return model.history.model._meta.db_table


def _fetch_one(model, sql: str, params: list) -> tuple | None:
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


# The number of committed changes to public content (see ContentRevision). Every stamp query reads it too,
# so that a content generation can be checked against the database at no extra cost (below).
CHANGES = f"(SELECT number FROM {ContentRevision._meta.db_table} WHERE id = 1)"


def content_freshness() -> Freshness:
    """The stamp of all public content: the newest history row of claims, articles and ratings, and the
    number of committed changes (history ids follow the order rows were written, not committed).

    One query; each MAX reads the end of a primary-key index.
    """
    sql = (
        f"SELECT (SELECT MAX(history_id) FROM {_history_table(Claim)}),"
        f" (SELECT MAX(history_id) FROM {_history_table(Article)}),"
        f" (SELECT MAX(history_id) FROM {_history_table(Rating)}), {CHANGES}"
    )
    row = _fetch_one(Claim, sql, [])
    return Freshness("c{}-a{}-r{}-n{}".format(*row), changes=row[3] or 0)


def content_stamp() -> str:
    return content_freshness().stamp


# What every claim and article page shows besides its own rows: the rating scale, and whatever a bulk
# write or a data migration changed (see ContentRevision).
SITEWIDE = f"(SELECT sitewide FROM {ContentRevision._meta.db_table} WHERE id = 1)"


def count_committed_change(using: str, *, sitewide: bool) -> None:
    """Raise the number of committed changes (and the sitewide one, for a change any page may show);
    ``content_changed`` has it run after each commit."""
    revisions = ContentRevision.objects.using(using)
    raised = {"number": F("number") + 1, **({"sitewide": F("sitewide") + 1} if sitewide else {})}
    if not revisions.filter(pk=1).update(**raised):  # a flushed table
        revisions.bulk_create([ContentRevision(pk=1, number=1, sitewide=int(sitewide))], ignore_conflicts=True)


@dataclass(frozen=True)
class ClaimState:
    """What a claim's cached representations depend on, read in one query."""

    id: int
    version: int
    status: str
    updated_at: datetime.datetime
    article_revision: int
    scale_revision: int
    sitewide_revision: int
    stamp: str
    changes: int = 0  # committed changes to all content, when it was read: not part of the stamp

    @property
    def is_public(self) -> bool:
        return self.status in Claim.PUBLIC_STATUSES


def claim_state(*, slug: str | None = None, pk: int | None = None) -> ClaimState | None:
    """The claim's version and status, the newest revisions of its article and of the scale, and the sitewide
    revision (which also moves for a change to the scale, in the order changes commit); None if no such claim."""
    column, value = ("slug", slug) if slug is not None else ("id", pk)
    sql = (
        f"SELECT c.id, c.version, c.status, c.updated_at,"
        f" (SELECT MAX(history_id) FROM {_history_table(Article)} h WHERE h.id = c.article_id),"
        f" (SELECT MAX(history_id) FROM {_history_table(Rating)}), {SITEWIDE}, {CHANGES}"
        f" FROM {Claim._meta.db_table} c WHERE c.{column} = %s"
    )
    row = _fetch_one(Claim, sql, [value])
    if row is None:
        return None
    claim_id, version, status, updated_at, article_rev, scale_rev, sitewide, changes = row
    if isinstance(updated_at, str):  # SQLite returns text from a raw query
        updated_at = datetime.datetime.fromisoformat(updated_at)
    if timezone.is_naive(updated_at):
        updated_at = timezone.make_aware(updated_at, datetime.UTC)
    stamp = _claim_state_stamp(claim_id, version, status, article_rev, scale_rev, sitewide)
    return ClaimState(
        claim_id, version, status, updated_at, article_rev or 0, scale_rev or 0, sitewide or 0, stamp, changes or 0
    )


def _claim_state_stamp(claim_id: int, version: int, status: str, article_rev, scale_rev, sitewide) -> str:
    return f"claim{claim_id}-v{version}-{status}-a{article_rev}-r{scale_rev}-s{sitewide}"


def with_claim_state(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims annotated with the rest of their state (see ``claim_state``) and the scale's bounds, so that a
    claim's representation and its ETag come from one query: one row, one moment (``claim_state_of``)."""
    article_history = Article.history.model.objects.filter(id=OuterRef("article_id")).order_by("-history_id")
    scale_history = Rating.history.model.objects.order_by("-history_id")
    values = Rating.objects.filter(value__isnull=False)
    return claims.annotate(
        article_revision=Subquery(article_history.values("history_id")[:1]),
        scale_revision=Subquery(scale_history.values("history_id")[:1]),
        sitewide_revision=Subquery(ContentRevision.objects.filter(pk=1).values("sitewide")),
        content_changes=Subquery(ContentRevision.objects.filter(pk=1).values("number")),
        scale_best=Subquery(values.order_by("-value").values("value")[:1]),
        scale_worst=Subquery(values.order_by("value").values("value")[:1]),
    )


def claim_state_of(claim: Claim) -> ClaimState:
    """The state of a claim read through ``with_claim_state``: every part from that same row."""
    article_rev, scale_rev, sitewide = claim.article_revision, claim.scale_revision, claim.sitewide_revision
    stamp = _claim_state_stamp(claim.pk, claim.version, claim.status, article_rev, scale_rev, sitewide)
    return ClaimState(
        claim.pk,
        claim.version,
        claim.status,
        claim.updated_at,
        article_rev or 0,
        scale_rev or 0,
        sitewide or 0,
        stamp,
        claim.content_changes or 0,
    )


@contextmanager
def one_snapshot(using: str) -> Iterator[None]:
    """Every read inside sees the database as it was at one moment.

    For a representation read in several queries (a claim, then its evidence), so that a write committing
    between them cannot pair one state's rows with another's. PostgreSQL: a read-only REPEATABLE READ
    transaction. Inside a transaction already (a write, or a test), that transaction decides what the
    reads see.

    SQLite opens every transaction IMMEDIATE (settings: concurrent writers wait their turn instead of
    failing), which takes the write lock: a reader there would wait behind every writer. So on SQLite
    reads run in autocommit; the claim and its ETag still come from one query (``with_claim_state``).
    """
    connection = connections[using]
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def claim_freshness(slug: str) -> Freshness | None:
    """A public claim's stamp; None for any other slug, so that a claim readers may not see (a draft) answers
    exactly like a missing one (404), never 304 to ``If-None-Match: *``."""
    state = claim_state(slug=slug)
    return Freshness(state.stamp, changes=state.changes) if state is not None and state.is_public else None


def claim_page_freshness(slug: str) -> Freshness | None:
    """A claim page's stamp: the claim's (``claim_state``) and its article's other claims' versions, which the
    page lists as related fact-checks. None where readers may not open the page (``gate.has_own_page``):
    neither a public claim nor a not-checkable one of an article with a public verdict. One query."""
    public = ", ".join(["%s"] * len(Claim.PUBLIC_STATUSES))
    table = Claim._meta.db_table
    sql = (
        f"SELECT c.id, c.version, c.status,"
        f" (SELECT MAX(history_id) FROM {_history_table(Article)} h WHERE h.id = c.article_id),"
        f" (SELECT MAX(history_id) FROM {_history_table(Rating)}), {SITEWIDE}, {CHANGES},"
        f" (SELECT SUM(s.version) FROM {table} s WHERE s.article_id = c.article_id),"
        f" (SELECT COUNT(*) FROM {table} s WHERE s.article_id = c.article_id AND s.status IN ({public}))"
        f" FROM {table} c WHERE c.slug = %s"
    )
    row = _fetch_one(Claim, sql, [*Claim.PUBLIC_STATUSES, slug])
    if row is None:
        return None
    claim_id, version, status, article_rev, scale_rev, sitewide, changes, siblings, public_count = row
    shown = status in Claim.PUBLIC_STATUSES or (status == Claim.Status.DISMISSED and public_count)
    if not shown:
        return None
    stamp = _claim_state_stamp(claim_id, version, status, article_rev, scale_rev, sitewide)
    return Freshness(f"{stamp}-siblings{siblings}-{public_count}", changes=changes or 0)


def claim_stamp(slug: str) -> str | None:
    fresh = claim_freshness(slug)
    return None if fresh is None else fresh.stamp


def article_stamp(slug: str) -> str | None:
    fresh = article_freshness(slug)
    return None if fresh is None else fresh.stamp


def article_freshness(slug: str) -> Freshness | None:
    """The article's newest revision, its claims' newest revision and the sum and count of their versions
    (committed values: a claim change that commits late still moves them), the scale's newest revision and
    the sitewide one. None for an article without a public claim: readers may not see it (as ``claim_stamp``)."""
    sql = (
        f"SELECT a.id,"
        f" (SELECT MAX(history_id) FROM {_history_table(Article)} h WHERE h.id = a.id),"
        f" (SELECT MAX(history_id) FROM {_history_table(Claim)} hc WHERE hc.article_id = a.id),"
        f" (SELECT SUM(c.version) FROM {Claim._meta.db_table} c WHERE c.article_id = a.id),"
        f" (SELECT COUNT(*) FROM {Claim._meta.db_table} c WHERE c.article_id = a.id),"
        f" (SELECT MAX(history_id) FROM {_history_table(Rating)}), {SITEWIDE}, {CHANGES}"
        f" FROM {Article._meta.db_table} a WHERE a.slug = %s AND EXISTS (SELECT 1 FROM {Claim._meta.db_table} c"
        f" WHERE c.article_id = a.id AND c.status IN ({', '.join(['%s'] * len(Claim.PUBLIC_STATUSES))}))"
    )
    row = _fetch_one(Article, sql, [slug, *Claim.PUBLIC_STATUSES])
    if row is None:
        return None
    return Freshness("article{}-a{}-c{}-v{}-n{}-r{}-s{}".format(*row[:7]), changes=row[7] or 0)


def bypasses_cache(request: HttpRequest) -> bool:
    """Signed-in users and API clients with credentials get fresh answers (and their own limits)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session, so nobody signed in: spare the lazy user its look-up
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def cache_key(kind: str, *parts: object) -> str:
    return f"{kind}:" + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def etag_for(key: str) -> str:
    return quote_etag(key.rsplit(":", 1)[-1][:32])


def etag_matches(header: str | None, etag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    return etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in parse_etags(header)}


@dataclass(frozen=True)
class Freshness:
    """What a cached representation depends on (``stamp``) and, where the versions tell it, its ETag."""

    stamp: str
    etag: str | None = None
    last_modified: datetime.datetime | None = None
    # The number of committed changes read with the stamp, which checks the content generation (below).
    changes: int | None = None


# What a 304 repeats of the 200 it stands for (RFC 9110, 15.4.5).
NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Vary", "Cache-Control", "Expires")


@dataclass(frozen=True)
class CachedResponse:
    """A rendered answer, the stamp it was rendered at, and the generation it was last known current in."""

    status: int
    headers: dict[str, str]
    content: bytes
    stamp: str
    generation: str | None

    @classmethod
    def of(cls, response: HttpResponse, *, stamp: str, generation: str | None) -> CachedResponse:
        if not getattr(response, "is_rendered", True):  # a TemplateResponse or DRF's Response
            response.render()
        headers = {name: value for name, value in response.headers.items() if name.lower() != "set-cookie"}
        return cls(response.status_code, headers, response.content, stamp, generation)

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    def answer(self, if_none_match: str | None) -> HttpResponse:
        """The stored response, or 304 with its validators if the client holds its ETag."""
        if self.etag and etag_matches(if_none_match, self.etag):
            response = HttpResponseNotModified()
            for name in NOT_MODIFIED_HEADERS:
                if name in self.headers:
                    response[name] = self.headers[name]
            return response
        return HttpResponse(self.content, status=self.status, headers=self.headers)


def _not_modified(fresh: Freshness, etag: str, vary: tuple[str, ...]) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    if fresh.last_modified is not None:
        response["Last-Modified"] = http_date(fresh.last_modified.timestamp())
    patch_vary_headers(response, vary)
    return response


# --- the content generation -------------------------------------------------------------------------
#
# With a cache shared by every process (Redis), a token in the cache names the current *generation* of
# public content; any change to it sets a new one, at once and again when the change commits. An entry
# records the generation in which its stamp was last found current, so while nothing has changed an
# answer costs one cache round trip and no query. After a change, the next request for each entry reads
# its stamp again (one query): if the entry's own content did not change it is marked current in the new
# generation; otherwise it is rendered anew. Each process also keeps its own copy of current answers,
# served without the round trip while Redis pub/sub tells it the generation has not changed
# (factcheck/local_answers.py). A local-memory cache is private to each process, so there a change made
# elsewhere could not be seen: every request reads its stamp, as before.
#
# Redis may go back in time: restarted from an older snapshot, it holds an older token and the entries
# current in it, which would pass as current. So a token names the number of committed changes when it
# was set ("<changes>.<random>"), and a process trusts a token only once it has checked it against the
# database: the first request that finds an unknown token reads its entry's stamp (as it must anyway,
# its entry being from an earlier generation), which carries the number of committed changes. A token
# whose number is behind the database's is outdated: the entry is checked by its stamp and a new token is
# set. A process forgets what it trusted whenever its subscription is lost or made anew (Redis restarted).
# A cache failure is a miss (factcheck/redis_cache.py): no token, every entry checks its stamp.

GENERATION_KEY = "content-generation"


def generations_enabled() -> bool:
    return settings.CACHE_GENERATIONS


# A change sets a token that lasts only this long, in case the one set when it commits is lost (Redis
# unreachable at that moment): entries confirmed with the change's uncommitted stamp then check again.
UNCOMMITTED_GENERATION_SECONDS = 60


def committed_changes(using: str = "default") -> int:
    """The number of committed changes to public content, from ``using`` (the primary by default)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {CHANGES}")
        return cursor.fetchone()[0] or 0


def generation_token(changes: int) -> str:
    return f"{changes}.{secrets.token_hex(8)}"


def generation_changes(generation: str) -> int | None:
    """The number of committed changes a token was set at; None for a token of another form."""
    number, dot, _ = generation.partition(".")
    return int(number) if dot and number.isdigit() else None


# The token this process last checked against the database (or set itself), and which of its subscriptions
# was current then (None without local answers): trusted while both hold.
_trusted: tuple[str, int | None] | None = None


def _subscription() -> int | None:
    watch = local_answers.watch()
    return None if watch is None else watch.subscriptions


def _trust(generation: str) -> None:
    global _trusted
    _trusted = (generation, _subscription())


def _is_trusted(generation: str | None) -> bool:
    return generation is not None and _trusted == (generation, _subscription())


def forget_trusted_generation() -> None:
    """Trust no token until it is checked again (tests)."""
    global _trusted
    _trusted = None


def _new_generation(timeout: int | None = None, *, using: str = "default", changes: int | None = None) -> None:
    token = generation_token(committed_changes(using) if changes is None else changes)
    cache.set(GENERATION_KEY, token, timeout)
    local_answers.announce_change()
    _trust(token)


def content_changed(using: str = "default", *, sitewide: bool = True, keys: Iterable[str] | None = None) -> None:
    """Call after any change to what readers see (the claims app's signals do, and bulk writers must).

    ``sitewide=False`` only where the change is a row's own (its version or history says so, and pages
    that show it read those) or adds new rows only: then pages of other claims and articles stay cached.
    A Redis failure does not fail the change: the cache answers it as a miss (factcheck/redis_cache.py),
    and the new generation set after the commit is ``robust`` (an error there is logged, not raised).
    """
    # The HTTP cache in front: the keys this change touched, purged once per transaction after it commits
    # (factcheck/surrogate.py). Without ``keys``, a sitewide change purges every page, any other the lists.
    surrogate.touch(keys if keys is not None else {surrogate.SITE if sitewide else surrogate.LISTS}, using)
    # First, so that a request the new generation sends to read its stamp finds the number raised.
    count = functools.partial(count_committed_change, using, sitewide=sitewide)
    transaction.on_commit(count, using=using, robust=True)
    if not generations_enabled():
        return
    _new_generation(UNCOMMITTED_GENERATION_SECONDS, using=using)
    # Again once the change is visible to other connections; a request between the two may have found
    # the old stamp current in the first new generation.
    transaction.on_commit(functools.partial(_new_generation, using=using), using=using, robust=True)


def _on_content_changed(sender, *, using: str = "default", sitewide: bool = True, row=None, **kwargs) -> None:
    """The claims app's event; ``row``, where one row changed, names the surrogate keys to purge."""
    content_changed(using, sitewide=sitewide, keys=surrogate.keys_of(row) if row is not None else None)


def connect() -> None:
    """Listen to the claims app's ``content_changed`` (factcheck/claims/events.py); the web and API apps call it."""
    events.content_changed_signal.connect(_on_content_changed, dispatch_uid="factcheck.caching.content_changed")


def _read(key: str) -> tuple[str | None, CachedResponse | None, int | None, bool]:
    """The current generation, the entry, the subscription's epoch when they were read and whether this
    process trusts the generation: from this process's own answers, or in one round trip."""
    if not generations_enabled():
        return None, cache.get(key), None, False
    watch = local_answers.watch()
    epoch = None
    if watch is not None:
        generation = watch.known()
        if watch.reconnected():  # Redis may have restarted with an older generation and its entries
            _new_generation()
        if generation is not None:
            entry = watch.answers.get(key)
            if entry is not None and entry.generation == generation:
                return generation, entry, watch.epoch, True  # learned only once trusted
        epoch = watch.epoch
    found = cache.get_many([GENERATION_KEY, key])
    generation, stored = found.get(GENERATION_KEY), found.get(key)
    trusted = _is_trusted(generation)
    if trusted and watch is not None:
        watch.learned(generation, epoch)
        if stored is not None and stored.generation == generation:
            watch.answers.put(key, stored)
    return generation, stored, epoch, trusted


def _checked_generation(found: Lookup, fresh: Freshness) -> str | None:
    """The generation in which ``fresh`` (just read from the database) may be recorded as current, or None.

    A missing token is set anew (not used for this entry: a change may have committed since its stamp was
    read); an unknown one is trusted if it is not behind the database's count of changes, else replaced.
    """
    if found.generation is not None and found.trusted:
        return found.generation
    if fresh.changes is None or not generations_enabled():
        return None  # nothing to check it with
    if found.generation is None:
        token = generation_token(fresh.changes)
        if cache.add(GENERATION_KEY, token, None):
            local_answers.announce_change()
            _trust(token)
        return None
    behind = generation_changes(found.generation)
    if behind is not None and behind >= fresh.changes:
        _trust(found.generation)
        watch = local_answers.watch()
        if watch is not None:
            watch.learned(found.generation, found.epoch)
        return found.generation
    # Older than the database (Redis restored from an older copy, or a commit's new token was lost).
    _new_generation(changes=fresh.changes)
    return None


def _store(key: str, entry: CachedResponse) -> None:
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    watch = local_answers.watch()
    if watch is not None and entry.generation is not None and _is_trusted(entry.generation):
        watch.answers.put(key, entry)


def entry_key(request: HttpRequest, *, on_accept: bool) -> str:
    """An answer's key: the language, the full path and, where the view negotiates, the media types asked for."""
    accept = request.META.get("HTTP_ACCEPT", "") if on_accept else ""
    return cache_key("answer", get_language(), request.get_full_path(), accept)


@dataclass(frozen=True)
class Lookup:
    """A request's entry (if any) and the generation it was read in."""

    key: str
    generation: str | None
    stored: CachedResponse | None
    epoch: int | None = None  # this process's subscription's, when they were read
    trusted: bool = False  # the generation is checked against the database (see above)

    @classmethod
    def of(cls, request: HttpRequest, *, on_accept: bool) -> Lookup:
        """The middleware's lookup for this request, or a new one."""
        found = getattr(request, "_answer_lookup", None)
        if found is None:
            key = entry_key(request, on_accept=on_accept)
            found = cls(key, *_read(key))
        return found

    @property
    def is_current(self) -> bool:
        """Rendered or confirmed in the present generation, a trusted one: nothing has changed since."""
        return (
            self.stored is not None
            and self.generation is not None
            and self.trusted
            and self.stored.generation == self.generation
        )


@dataclass(frozen=True)
class PendingEntry:
    """Set on a response by a cached view; the middleware stores the response as it leaves the stack."""

    key: str
    stamp: str
    generation: str | None


def is_personal(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "").lower()
    return "private" in control or "no-store" in control


def patch_public_cache_control(response: HttpResponse) -> None:
    """A public answer: browsers keep it ``PAGE_MAX_AGE_SECONDS`` (then revalidate with its ETag), a shared
    cache ``PAGE_SHARED_MAX_AGE_SECONDS`` (purged by surrogate key on a change, see factcheck/surrogate.py),
    and may serve it stale while it fetches it anew or while the origin fails."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_MAX_AGE_SECONDS,
        s_maxage=settings.PAGE_SHARED_MAX_AGE_SECONDS,
        stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE_SECONDS,
        stale_if_error=settings.PAGE_STALE_IF_ERROR_SECONDS,
    )


def cached_response(
    freshness: Callable[..., Freshness | None],
    *,
    kind: str,
    vary: tuple[str, ...],
    key_on_accept: bool = False,
    page_etag: bool = False,
    keys: Callable[..., Iterable[str]] | None = None,
) -> Callable:
    """Serve a public GET view from the cache, keyed by language, URL (and with ``key_on_accept``, Accept).

    An entry is served while it is current: rendered (or last confirmed) in the present content generation,
    or, failing that, its stamp equal to ``freshness(**view_kwargs).stamp``. ``freshness`` returning None
    means there is nothing public to show: the view runs and says so (404). The ETag is, with
    ``page_etag``, a hash of the key and the stamp; otherwise the freshness's own or the one the view
    rendered. A matching If-None-Match gets 304. Only 200 answers without their own Cache-Control are
    stored, by ``AnswerCacheMiddleware``, which also serves current entries before the view is reached.
    Cache fills and stamp reads go to the primary database, so no entry is older than its stamp.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if keys is not None:
                surrogate.add_keys(request, *keys(**kwargs))
            response = answer(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                if bypasses_cache(request):
                    patch_cache_control(response, private=True)
                elif response.status_code in (200, 304) and not is_personal(response):
                    patch_public_cache_control(response)
            return response

        def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or bypasses_cache(request):
                return view(request, *args, **kwargs)
            found = Lookup.of(request, on_accept=key_on_accept)
            stored = found.stored
            if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
            if found.is_current:
                return stored.answer(if_none_match)
            with primary_reads():
                fresh = freshness(**kwargs)
                if fresh is None:
                    return view(request, *args, **kwargs)
                generation = _checked_generation(found, fresh)
                if stored is not None and stored.stamp == fresh.stamp:
                    if generation is not None:
                        _store(found.key, replace(stored, generation=generation))
                    return stored.answer(if_none_match)
                etag = etag_for(cache_key(kind, found.key, fresh.stamp)) if page_etag else fresh.etag
                if etag and etag_matches(if_none_match, etag):
                    return _not_modified(fresh, etag, vary)
                response = view(request, *args, **kwargs)
            if page_etag and response.status_code == 200:
                response["ETag"] = etag
            if request.method == "GET" and response.status_code == 200 and not response.has_header("Cache-Control"):
                response.pending_entry = PendingEntry(found.key, fresh.stamp, generation)
            return response

        wrapper.answer_cache_on_accept = key_on_accept  # what the middleware needs to find its entries
        return wrapper

    return decorator


class AnswerCacheMiddleware:
    """Answers from the cache before the rest of the stack runs, and stores what cached views rendered.

    It comes after the middleware that chooses the language (the key depends on it). A request without
    credentials or a session, for a view of ``cached_response``, whose entry is current in this
    generation, is answered here: authentication, CSRF, messages, history and the view itself are not
    needed for it. Anything else goes on, and the view decides. Entries are stored as they leave the
    middleware below, so the headers those add (X-Frame-Options) are served with them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        on_accept = _answer_cache_on_accept(request)
        if on_accept is not None:
            # ALLOWED_HOSTS, which CommonMiddleware (below) would check: a forged Host gets 400, never an answer.
            request.get_host()
            found = Lookup.of(request, on_accept=on_accept)
            if found.is_current:
                return found.stored.answer(request.META.get("HTTP_IF_NONE_MATCH"))
            request._answer_lookup = found
        response = self.get_response(request)
        pending = getattr(response, "pending_entry", None)
        if pending is not None and response.status_code == 200:
            _store(pending.key, CachedResponse.of(response, stamp=pending.stamp, generation=pending.generation))
        return response


def _answer_cache_on_accept(request: HttpRequest) -> bool | None:
    """For a request the middleware may answer, whether its view keys on Accept; None for any other."""
    if request.method not in ("GET", "HEAD") or not generations_enabled():
        return None
    if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None  # who is asking is known only further down: the view decides
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "answer_cache_on_accept", None)


def cached_page(
    freshness: Callable[..., Freshness | None], *, keys: Callable[..., Iterable[str]] | None = None
) -> Callable:
    """A public page: cached as above, with an ETag from the key and ``Cache-Control: public``.

    Signed-in users get ``Cache-Control: private`` and no ETag.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        kind = f"page:{view.__name__}"
        cached = cached_response(freshness, kind=kind, vary=("Cookie",), page_etag=True, keys=keys)(view)

        @wraps(cached)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = cached(request, *args, **kwargs)
            if bypasses_cache(request):
                patch_cache_control(response, private=True)
            elif response.status_code in (200, 304):
                patch_public_cache_control(response)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapper

    return decorator
