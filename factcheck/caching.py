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
from django.utils.http import quote_etag
from django.utils.translation import get_language

from factcheck.claims.models import Article, Claim, Rating

# Headers of a rendered page that are kept with it in the cache.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


def _history_table(model) -> str:
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
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def cache_key(kind: str, *parts: object) -> str:
    return f"{kind}:" + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def etag_for(key: str) -> str:
    return quote_etag(key.rsplit(":", 1)[-1][:32])


def _not_modified(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return bool(header) and (header.strip() == "*" or etag in [t.strip() for t in header.split(",")])


def cached_page(stamp: Callable[..., str | None]) -> Callable:
    """Serve a public GET view from the cache, keyed by ``stamp(**view_kwargs)``, language and URL.

    ``stamp`` returning None means there is nothing to show: the view runs and says so (404).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if bypasses_cache(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                return response
            version = stamp(**kwargs)
            if version is None:
                return view(request, *args, **kwargs)
            key = cache_key("page", view.__name__, get_language(), request.get_full_path(), version)
            etag = etag_for(key)
            if _not_modified(request, etag):
                response = HttpResponseNotModified()
            else:
                stored = cache.get(key)
                if stored is None:
                    response = view(request, *args, **kwargs)
                    if response.status_code == 200 and not response.has_header("Cache-Control"):
                        kept = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
                        cache.set(key, (response.content, kept), settings.PAGE_CACHE_SECONDS)
                else:
                    content, kept = stored
                    response = HttpResponse(content)
                    for header, value in kept.items():
                        response[header] = value
            if response.status_code in (200, 304):
                response["ETag"] = etag
                patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE_SECONDS)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapper

    return decorator
