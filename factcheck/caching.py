"""HTTP caching at the origin: what a public page may be cached for, and when what it shows last changed.

The answer cache is the HTTP cache in front (Varnish, or a CDN reading the same surrogate keys; see
factcheck/surrogate.py and deploy/varnish/), purged after each commit. Django only says, with its own tools:

- ``Cache-Control: public, max-age, s-maxage, stale-while-revalidate, stale-if-error`` on a public page;
  ``private`` for a signed-in user or a request with credentials (they may see drafts and must see their
  own edits at once), and no validators then;
- ``Last-Modified``: the newest of the change times of what the page shows (``claim_page_shown`` and its
  siblings, one query each), so that ``If-Modified-Since`` is answered 304 without rendering, through
  Django's ``condition`` decorator;
- ``ETag``: the same times to the microsecond and the change numbers (which follow the order changes
  commit, where times follow the order they were made), on a claim page the names in its byline, the
  view, the language and the address, hashed;
- ``Vary: Cookie`` (a session makes the page personal), and the language where ``LocaleMiddleware``
  chooses it from the request.

What a shared cache may store is read from the primary database; personal answers may come from a replica.

These come from columns the services keep: a claim's ``updated_at`` and ``change_seq`` move whenever
anything its representation shows changes (its fields, evidence, its article's details, its rating's
labels; factcheck/claims/changes.py), an article's ``updated_at`` with every save, and the scale's with
every history row of a rating. A bulk write that bypasses them (``QuerySet.update``) or a data migration
does not move them: those call ``events.content_changed()``, which purges every tagged answer from the
HTTP cache in front (factcheck/surrogate.py); browsers revalidating such a page may keep theirs until the
next change to it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.views.decorators.http import condition

from factcheck import surrogate
from factcheck.claims.models import Article, Claim, Rating, history_model
from factcheck.claims.selectors import claim_page_claims
from factcheck.lib.compiled import compiled_read
from factcheck.lib.prepared import prepared_reads
from factcheck.lib.querysets import query_shape
from factcheck.routing import primary_reads

# What a page shows, as the database tells it: change times (``Last-Modified`` is the newest of them) and
# the numbers that move in the order changes commit (the change sequence, history ids), which a change
# that commits after a later one still moves. None where nothing is yet.
Shown = Sequence[datetime.datetime | int | str | None]


def is_personal_request(request: HttpRequest) -> bool:
    """Signed-in users and API clients with credentials get their own answers, never a shared one."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session, so nobody signed in: spare the lazy user its look-up
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def is_personal(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "").lower()
    return "private" in control or "no-store" in control


def patch_public_cache_control(response: HttpResponse) -> None:
    """A public answer: browsers keep it ``PAGE_MAX_AGE_SECONDS`` (then revalidate with its validators), a
    shared cache ``PAGE_SHARED_MAX_AGE_SECONDS`` (purged by surrogate key on a change), and may serve it
    stale while it fetches it anew or while the origin fails."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_MAX_AGE_SECONDS,
        s_maxage=settings.PAGE_SHARED_MAX_AGE_SECONDS,
        stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE_SECONDS,
        stale_if_error=settings.PAGE_STALE_IF_ERROR_SECONDS,
    )


def _scale_history(field: str) -> Subquery:
    """The rating scale's newest history row (a few rows per rating): when and in which order it changed."""
    return Subquery(history_model(Rating).objects.order_by("-history_id").values(field)[:1])


def _newest_claim_of(article: OuterRef, field: str) -> Subquery:
    claims = Claim.objects.filter(article_id=article).order_by().values("article_id")
    return Subquery(claims.annotate(newest=Max(field)).values("newest"))


def _newest(queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


@query_shape
def _content_reads() -> QuerySet:
    return Rating.objects.order_by("pk").values_list(
        _newest(Claim.objects, "updated_at"),
        _newest(Claim.objects, "change_seq"),
        _newest(Claim.objects, "pk"),
        _scale_history("history_date"),
        _scale_history("history_id"),
    )


@compiled_read()
def _content_row() -> QuerySet:
    return _content_reads()[:1]


def content_shown() -> Shown | None:
    """What every list shows: the claims (an article's details and a rating's labels move their claims'
    time and change number; a bulk insert, the newest id) and the scale. One query, each part the end of an
    index, read beside the first rating (the scale is seeded by a migration; without it there is no list)."""
    return _content_row.first()


class ShownWith(tuple):
    """``Shown``, and the object (``obj``) the same query read: the page shows it rather than reading it
    again (``shown_object``). A tuple of the parts alone, as the validators read them."""

    obj: Any

    def __new__(cls, parts: Iterable, obj: Any) -> ShownWith:
        shown = super().__new__(cls, parts)
        shown.obj = obj
        return shown


def shown_object(request: HttpRequest) -> Any | None:
    """The object this request's validators were read with (``ShownWith``); None where they were not read
    (a personal request) or read nothing readers may see."""
    return getattr(getattr(request, "_page_shown", None), "obj", None)


def _byline(person) -> tuple[str | None, ...]:
    """The names a claim page's byline is made of (``people.models.public_name``), in its ETag beside the
    claim's ``byline_changed_at`` (its Last-Modified, which factcheck.people moves): so a name changed by a bulk
    write, which sends no signal, still gives the page a new ETag. None for each where nobody is named."""
    profile = getattr(person, "staff_profile", None)  # select_related: None where the user has none
    return (
        getattr(profile, "display_name", None),
        getattr(person, "first_name", None),
        getattr(person, "last_name", None),
    )


@query_shape
def _claim_page_reads() -> QuerySet[Claim]:
    """The claims with what a claim page shows of them and its validators' parts."""
    public_sibling = Claim.objects.filter(article_id=OuterRef("article_id"), status__in=Claim.PUBLIC_STATUSES)
    return claim_page_claims().annotate(
        shown_newest_at=_newest(Claim.objects, "updated_at"),
        shown_newest_seq=_newest(Claim.objects, "change_seq"),
        shown_newest_id=_newest(Claim.objects, "pk"),
        shown_public_sibling=Exists(public_sibling),
        shown_scale_at=_scale_history("history_date"),
        shown_scale_id=_scale_history("history_id"),
    )


@compiled_read(slug=str)
def _claim_page_read(slug: str) -> QuerySet[Claim]:
    return _claim_page_reads().filter(slug=slug)[:1]


def claim_page_shown(slug: str) -> ShownWith | None:
    """A claim page's: the claim, its article, the claims it lists, the scale and the byline, read with the
    claim as the page shows it (``selectors.claim_page_claims``), in one query. The page lists its article's
    other claims and similar claims of other articles, which may be any public claim, so the claims' part is
    every list's (``content_shown``): a correction anywhere gives the page new validators, and a reader's
    browser never keeps a stale statement under "Similar claims" with a 304.
    None where readers may not open the page (``gate.has_own_page``): neither a public claim nor a
    not-checkable one of an article with a public verdict, so that it answers exactly as a missing one."""
    claim = _claim_page_read.first(slug=slug)
    if claim is None:
        return None
    status = claim.status
    if status not in Claim.PUBLIC_STATUSES and not (status == Claim.Status.DISMISSED and claim.shown_public_sibling):
        return None
    parts = (
        status,
        claim.updated_at,
        claim.change_seq,
        claim.article.updated_at,
        claim.byline_changed_at,
        claim.shown_newest_at,
        claim.shown_newest_seq,
        claim.shown_newest_id,
        claim.shown_scale_at,
        claim.shown_scale_id,
        *_byline(claim.researcher),
        *_byline(claim.reviewer),
    )
    return ShownWith(parts, claim)


@query_shape
def _article_page_reads() -> QuerySet:
    public = Claim.objects.filter(article_id=OuterRef("pk"), status__in=Claim.PUBLIC_STATUSES)
    return Article.objects.values_list(
        "updated_at",
        _newest_claim_of(OuterRef("pk"), "updated_at"),
        _newest_claim_of(OuterRef("pk"), "change_seq"),
        Exists(public),
        _scale_history("history_date"),
        _scale_history("history_id"),
    )


@compiled_read(slug=str)
def _article_page_row(slug: str) -> QuerySet:
    return _article_page_reads().filter(slug=slug)[:1]


def article_page_shown(slug: str) -> Shown | None:
    """An article page's: the article, its claims and the scale; None without a public claim (as above)."""
    row = _article_page_row.first(slug=slug)
    if row is None or not row[3]:
        return None
    return row


def _page_etag(request: HttpRequest, view_name: str, shown: Shown) -> str:
    parts = (view_name, get_language(), request.get_full_path(), *(str(part) for part in shown))
    return quote_etag(hashlib.sha256("|".join(parts).encode()).hexdigest()[:32])


def public_page(shown: Callable[..., Shown | None], *, keys: Callable[..., Iterable[str]] | None = None) -> Callable:
    """A public page: ``Last-Modified`` and ``ETag`` from ``shown(**view_kwargs)`` (read once per request),
    304 for a client that holds it (Django's ``condition``), ``Cache-Control: public`` and surrogate keys.

    A signed-in user gets ``Cache-Control: private`` and neither validator: what they see may be a preview.
    ``shown`` returning None (nothing public there) leaves the view to answer, as it would for anyone.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def read(request: HttpRequest, **kwargs) -> Shown | None:
            if is_personal_request(request):
                return None
            if not hasattr(request, "_page_shown"):
                request._page_shown = shown(**kwargs)
            return request._page_shown

        def etag(request: HttpRequest, *args, **kwargs) -> str | None:
            found = read(request, **kwargs)
            return None if found is None else _page_etag(request, view.__name__, found)

        def last_modified(request: HttpRequest, *args, **kwargs) -> datetime.datetime | None:
            found = read(request, **kwargs)
            times = [part for part in found or () if isinstance(part, datetime.datetime)]
            return max(times, default=None)

        conditional = condition(etag_func=etag, last_modified_func=last_modified)(view)

        @wraps(view)
        @prepared_reads()  # a page's reads are by its address and the list filters: one plan fits every value
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if keys is not None:
                surrogate.add_keys(request, *keys(**kwargs))
            if is_personal_request(request):
                response = conditional(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ("Cookie",))
                return response
            # What a shared cache may store is read from the primary: a purge after a commit is followed at
            # once by refills, which a lagging replica would answer with what was just purged.
            with primary_reads():
                response = conditional(request, *args, **kwargs)
            if response.status_code in (200, 304) and not is_personal(response):
                patch_public_cache_control(response)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapper

    return decorator
