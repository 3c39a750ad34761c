"""Surrogate keys: what each public response shows, so an HTTP cache in front can drop exactly those.

Each public response names what it shows in three headers an HTTP cache reads: ``xkey`` (Varnish's xkey
vmod, see deploy/varnish/), ``Surrogate-Key`` (Fastly) and ``Cache-Tag`` (Cloudflare, Akamai). A change
purges the keys it touched once its transaction commits (``touch``; factcheck/purgers.py sends them).

The keys:

- ``claim-<id>``: a claim's own page and API representations;
- ``article-<id>``: what shows an article's text (its page, and its claims' pages, which quote it);
- ``article-<id>-claims``: what lists an article's claims with their ratings (its page, and its claims'
  pages, under "related fact-checks");
- ``scale``: everything that shows a rating label (pages, API claims, the methodology, ratings.css);
- ``lists``: home, search, corrections, feeds, sitemaps and API lists;
- ``similar``: what lists claims of other articles by their words (a claim's page, under "related
  fact-checks"): purged when a claim becomes or stops being public, or a public claim is restated
  (``selectors.SIMILAR_LIST_FIELDS``), which may add it to such a list; a list that already shows a claim
  carries its ``claim-<id>`` too;
- ``person-<user id>``: what shows a person's name (a claim page's byline: researched by, reviewed by), purged
  when their display name or full name changes or their account is deleted;
- ``site``: every tagged response (a bulk write or a migration purges it).

A change of a claim readers see nothing of, before or after it (a draft, one being researched or in review),
purges nothing but, for its evidence, its own ``claim-<id>``.

So a correction of a claim's verdict purges its page, its article's page, the pages of the article's other
claims (which list it with its rating), the pages listing it as similar and the lists, and nothing else:
another article's pages stay cached. Publishing a claim or restating one purges every claim page too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_max_age
from django.utils.module_loading import import_string

from factcheck.claims.selectors import changes_similar_lists, record_before, seen_by_readers

logger = logging.getLogger(__name__)

SITE = "site"
LISTS = "lists"
SIMILAR = "similar"
SCALE = "scale"
HEADERS = ("xkey", "Surrogate-Key", "Cache-Tag")


def claim_key(pk: int) -> str:
    return f"claim-{pk}"


def article_key(pk: int) -> str:
    return f"article-{pk}"


def article_claims_key(pk: int) -> str:
    return f"article-{pk}-claims"


def person_key(pk: int) -> str:
    return f"person-{pk}"


# --- tagging responses ----------------------------------------------------------------------------------


def add_keys(request: HttpRequest, *keys: str) -> None:
    """Name what the response to ``request`` shows; ``SurrogateKeyMiddleware`` writes the headers."""
    request = getattr(request, "_request", request)  # Django's request under DRF's
    found = getattr(request, "surrogate_keys", None)
    if found is None:
        found = request.surrogate_keys = set()
    found.update(keys)


def is_shared_cacheable(response: HttpResponse) -> bool:
    """Whether a shared cache may store the response: ``public``, and nothing personal about it."""
    control = response.get("Cache-Control", "").lower()
    return "public" in control and "private" not in control and "no-store" not in control


def tag(response: HttpResponse, keys: Iterable[str]) -> None:
    """Write the keys in the headers each kind of HTTP cache reads (with ``site``, which every one has)."""
    ordered = sorted({SITE, *keys})
    response["xkey"] = " ".join(ordered)
    response["Surrogate-Key"] = " ".join(ordered)
    response["Cache-Tag"] = ",".join(ordered)


class SurrogateKeyMiddleware:
    """Tags a public GET answer with the keys its view named (``add_keys``).

    A response that is not public (a signed-in user's, a 404, an error) gets none: a shared cache does not
    store it, and a hidden claim's 404 must look exactly like a missing one's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        keys = getattr(request, "surrogate_keys", None)
        if (
            keys
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and "xkey" not in response
            and is_shared_cacheable(response)
        ):
            tag(response, keys)
        return response


SHARED_ONLY_DIRECTIVES = ("public", "s-maxage")


def is_for_one_client(response: HttpResponse) -> bool:
    """Whether an answer carries something of its own request: a cookie set or deleted, or a CSP nonce."""
    csp = response.get("Content-Security-Policy", "") + response.get("Content-Security-Policy-Report-Only", "")
    return bool(response.cookies) or "'nonce-" in csp


class PersonalAnswersArePrivateMiddleware:
    """An answer for one client (``is_for_one_client``) is ``private``, without surrogate keys, whatever
    its view said.

    Above the session middleware, which deletes a stale session cookie on an otherwise public page, and
    above the CSP middleware, which writes a nonce into the header once a template used it: a shared cache
    (a CDN that does not refuse ``Set-Cookie`` as Varnish does) would hand that deletion, a CSRF cookie or
    one nonce to every reader.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_shared_cacheable(response) and is_for_one_client(response):
            directives = [d.strip() for d in response["Cache-Control"].split(",") if d.strip()]
            kept = [d for d in directives if d.partition("=")[0].lower() not in SHARED_ONLY_DIRECTIVES]
            response["Cache-Control"] = ", ".join(["private", *kept])
            for name in HEADERS:
                del response[name]
        return response


def shared_max_age(response: HttpResponse) -> int | None:
    """The seconds a shared cache may keep ``response`` (s-maxage, else max-age), for tests and tools."""
    control = response.get("Cache-Control", "")
    for part in control.split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "s-maxage" and value.isdigit():
            return int(value)
    return get_max_age(response)


# --- purging what a change touched ----------------------------------------------------------------------


class PendingPurge:
    """The keys one transaction touched: purged once, after it commits (``transaction.on_commit``)."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.keys: set[str] = set()

    def __call__(self) -> None:
        purge(self.keys)


def purging_enabled() -> bool:
    return bool(getattr(settings, "SURROGATE_PURGER", None))


def touch(keys: Iterable[str], using: str = "default") -> None:
    """Record that the current transaction changed what ``keys`` show; they are purged once it commits.

    One purge per transaction: keys touched by every row written in it are gathered in one set, sent
    after the commit (``robust``: a failure there is logged, the write stands). A rolled-back transaction
    purges nothing. In autocommit (no transaction open) the keys are purged at once.
    """
    keys = set(keys)
    if not keys or not purging_enabled():
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, PendingPurge):
                callback.keys.update(keys)
                return
    pending = PendingPurge(using)
    pending.keys.update(keys)
    transaction.on_commit(pending, using=using, robust=True)


def purger():
    """The configured purger (``settings.SURROGATE_PURGER``: a dict with BACKEND and OPTIONS), or None."""
    config = getattr(settings, "SURROGATE_PURGER", None)
    if not config:
        return None
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def purge(keys: Iterable[str]) -> None:
    """Purge ``keys`` in the HTTP cache in front. A failure is logged, never raised: the write has committed
    and must stand; what the cache holds then expires with its s-maxage."""
    keys = sorted(set(keys))
    if not keys:
        return
    from factcheck.purgers import PurgeFailed

    try:
        found = purger()
        if found is not None:
            found.purge(keys)
    except PurgeFailed as exc:
        logger.warning("Could not purge surrogate keys %s (%s); cached answers expire with their s-maxage.", keys, exc)
    except Exception:
        logger.exception("Could not purge surrogate keys %s; cached answers expire with their s-maxage.", keys)


def keys_of(instance, using: str = "default") -> set[str]:
    """The keys a saved or deleted row of the claims app, or a person's (a user, a staff profile), touches
    (see the module's docstring)."""
    if instance._meta.label_lower == settings.AUTH_USER_MODEL.lower():
        return {person_key(instance.pk)}
    name = instance._meta.model_name.removeprefix("historical")
    if name == "claim":
        keys = {claim_key(instance.id), article_claims_key(instance.article_id), LISTS}
        if not hasattr(instance, "history_id"):
            # The claim's own row. Its history record, written with it, says whether readers saw it before.
            return keys if seen_by_readers(instance) else set()
        # Every change of a claim writes a history record, which tells what it was before: a change readers
        # see nothing of, before or after (a draft's), touches nothing.
        before = record_before(instance, using=using)
        if not (seen_by_readers(before) or seen_by_readers(instance)):
            return set()
        if changes_similar_lists(before, instance):
            keys.add(SIMILAR)
        return keys
    if name in ("evidence", "correction"):
        return {claim_key(instance.claim_id), LISTS} if name == "correction" else {claim_key(instance.claim_id)}
    if name == "article":
        return {article_key(instance.id), LISTS}
    if name == "rating":
        return {SCALE, LISTS}
    if name == "staffprofile":
        return {person_key(instance.user_id)}
    if name == "revision":
        return set()  # a proposal readers do not see; its approval saves the claim or the article
    return {SITE}


def _on_content_changed(sender, *, using: str = "default", sitewide: bool = True, row=None, **kwargs) -> None:
    """The claims app's event: ``row``, where one row changed, names the keys; else a sitewide change purges
    every tagged response, any other the lists."""
    if purging_enabled():
        touch(keys_of(row, using) if row is not None else {SITE if sitewide else LISTS}, using)


def connect() -> None:
    """Listen to the claims app's ``content_changed`` (factcheck/claims/events.py); the web app calls it."""
    from factcheck.claims import events

    events.content_changed_signal.connect(_on_content_changed, dispatch_uid="factcheck.surrogate.content_changed")
