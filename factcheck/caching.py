"""Caching of public pages and API representations, with versioned keys.

A cached entry's key holds the *stamps* of everything it shows, read in one
small query per request; a change anywhere writes a history row, so the stamp
moves and the next request misses the old entry and renders anew. Nothing is
ever deleted from the cache: stale entries are simply never asked for again
and expire.

- A claim's page shows the claim (its ``version`` rises with every edit,
  transition and evidence change), its article and the rating scale.
- An article's page shows the article and all its claims.
- Lists (home, search, corrections, feeds, API lists) show many claims, so
  they carry the stamp of all claims, articles and ratings.

Staff and signed-in users never get a cached page (they may see drafts and must
see their own edits at once). ETags are the hash of the key: they come from
versions, never from the rendered body, and a matching If-None-Match is answered
with 304 after the one stamp query.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, quote_etag
from django.utils.translation import get_language

from factcheck.claims.models import Article, Claim, Rating


@functools.cache
def _history_table(model) -> str:
    # Reading ``model.history`` builds a manager class each time (tens of µs): look the name up once.
    return model.history.model._meta.db_table


def _fetch_one(model, sql: str, params: list) -> tuple | None:
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def content_stamp() -> str:
    """The stamp of all public content: the newest history row of claims, articles and ratings.

    One query; each MAX reads the end of a primary-key index.
    """
    sql = (
        f"SELECT (SELECT MAX(history_id) FROM {_history_table(Claim)}),"
        f" (SELECT MAX(history_id) FROM {_history_table(Article)}),"
        f" (SELECT MAX(history_id) FROM {_history_table(Rating)})"
    )
    return "c{}-a{}-r{}".format(*_fetch_one(Claim, sql, []))


@dataclass(frozen=True)
class ClaimState:
    """What a claim's cached representations depend on, read in one query."""

    id: int
    version: int
    status: str
    updated_at: datetime.datetime
    stamp: str

    @property
    def is_public(self) -> bool:
        return self.status in Claim.PUBLIC_STATUSES


def claim_state(*, slug: str | None = None, pk: int | None = None) -> ClaimState | None:
    """The claim's version and status, its article's newest revision and the scale's; None if no such claim."""
    column, value = ("slug", slug) if slug is not None else ("id", pk)
    sql = (
        f"SELECT c.id, c.version, c.status, c.updated_at,"
        f" (SELECT MAX(history_id) FROM {_history_table(Article)} h WHERE h.id = c.article_id),"
        f" (SELECT MAX(history_id) FROM {_history_table(Rating)})"
        f" FROM {Claim._meta.db_table} c WHERE c.{column} = %s"
    )
    row = _fetch_one(Claim, sql, [value])
    if row is None:
        return None
    claim_id, version, status, updated_at, article_rev, scale_rev = row
    if isinstance(updated_at, str):  # SQLite returns text from a raw query
        updated_at = datetime.datetime.fromisoformat(updated_at)
    if timezone.is_naive(updated_at):
        updated_at = timezone.make_aware(updated_at, datetime.UTC)
    stamp = f"claim{claim_id}-v{version}-{status}-a{article_rev}-r{scale_rev}"
    return ClaimState(claim_id, version, status, updated_at, stamp)


def claim_stamp(slug: str) -> str | None:
    state = claim_state(slug=slug)
    return state.stamp if state else None


def article_stamp(slug: str) -> str | None:
    """The article's newest revision, the newest revision of any of its claims, and the scale's."""
    sql = (
        f"SELECT a.id,"
        f" (SELECT MAX(history_id) FROM {_history_table(Article)} h WHERE h.id = a.id),"
        f" (SELECT MAX(history_id) FROM {_history_table(Claim)} hc WHERE hc.article_id = a.id),"
        f" (SELECT MAX(history_id) FROM {_history_table(Rating)})"
        f" FROM {Article._meta.db_table} a WHERE a.slug = %s"
    )
    row = _fetch_one(Article, sql, [slug])
    return None if row is None else "article{}-a{}-c{}-r{}".format(*row)


def bypasses_cache(request: HttpRequest) -> bool:
    """Signed-in users and API clients with credentials get fresh answers (and their own limits)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
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


@dataclass(frozen=True)
class CachedResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> CachedResponse:
        if not getattr(response, "is_rendered", True):  # a TemplateResponse or DRF's Response
            response.render()
        headers = tuple((name, value) for name, value in response.headers.items() if name.lower() != "set-cookie")
        return cls(response.status_code, headers, response.content)

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))

    @property
    def etag(self) -> str | None:
        return dict(self.headers).get("ETag")


def _not_modified(etag: str, last_modified: datetime.datetime | None, vary: tuple[str, ...]) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, vary)
    return response


def cached_response(
    freshness: Callable[..., Freshness | None],
    *,
    kind: str,
    vary: tuple[str, ...],
    key_on_accept: bool = False,
    page_etag: bool = False,
) -> Callable:
    """Serve a public GET view from the cache, keyed by ``freshness(**view_kwargs).stamp``, language and URL.

    ``freshness`` returning None means there is nothing public to show: the view runs and says so (404).
    With ``page_etag`` the ETag is the key's hash; otherwise it is the freshness's own ETag, or the one the
    view rendered. A matching If-None-Match is answered with 304 without reading the cache where the ETag
    is known up front. Only 200 answers without their own Cache-Control are stored.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or bypasses_cache(request):
                return view(request, *args, **kwargs)
            fresh = freshness(**kwargs)
            if fresh is None:
                return view(request, *args, **kwargs)
            accept = request.META.get("HTTP_ACCEPT", "") if key_on_accept else ""
            key = cache_key(kind, get_language(), request.get_full_path(), accept, fresh.stamp)
            etag = etag_for(key) if page_etag else fresh.etag
            if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
            if etag and etag_matches(if_none_match, etag):
                return _not_modified(etag, fresh.last_modified, vary)
            stored = cache.get(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                if page_etag and response.status_code in (200, 304):
                    response["ETag"] = etag
                if request.method == "GET" and response.status_code == 200 and not response.has_header("Cache-Control"):
                    cache.set(key, CachedResponse.of(response), settings.PAGE_CACHE_SECONDS)
                return response
            if stored.etag and etag_matches(if_none_match, stored.etag):
                return _not_modified(stored.etag, fresh.last_modified, vary)
            return stored.response()

        return wrapper

    return decorator


def cached_page(stamp: Callable[..., str | None]) -> Callable:
    """A public page: cached as above, with an ETag from the key and ``Cache-Control: public``.

    Signed-in users get ``Cache-Control: private`` and no ETag.
    """

    def freshness(**kwargs) -> Freshness | None:
        version = stamp(**kwargs)
        return None if version is None else Freshness(version)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        cached = cached_response(freshness, kind=f"page:{view.__name__}", vary=("Cookie",), page_etag=True)(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = cached(request, *args, **kwargs)
            if bypasses_cache(request):
                patch_cache_control(response, private=True)
            elif response.status_code in (200, 304):
                patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE_SECONDS)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapper

    return decorator
