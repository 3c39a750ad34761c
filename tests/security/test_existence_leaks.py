"""A claim readers may not see answers exactly like one that does not exist: guessing slugs or ids tells
nobody what the newsroom is working on.

The addresses come from the URL patterns: every site and API route that takes a claim's or an article's
slug or id, in both languages. For each claim status readers may not see, the answer for that claim (and
for its article, whose only claim it is) is compared with the answer for an id or slug that does not
exist, of the same length: status, every header but Date and X-Request-ID, cookies and body, for readers without a
session, partners with a key and signed-in users who are not staff, with and without conditional and
content-negotiating headers. Only the identifier itself (and the per-request CSP nonce) may differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from factcheck.api.conditional import claim_etag, claim_state
from factcheck.claims import services
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.models import Article, Claim, Evidence
from factcheck.partners.services import create_partner_with_key
from tests.conftest import dismiss, make_user, span_of
from tests.web.conftest import json_ld_blocks, publish_claim

HIDDEN_STATUSES = ["draft", "researching", "in_review", "dismissed"]
IDENTITIES = ["anonymous", "partner", "signed-in reader"]
HIDDEN_TEXT = "Jakarta adalah ibu kota Indonesia sejak 1949."
ARTICLE_BODY = f"{HIDDEN_TEXT} Kota ini berpenduduk lebih dari 10 juta jiwa.\nMonas dibangun pada tahun 1961.\n"
NONCE = re.compile(r"nonce-[A-Za-z0-9+/=_-]+|nonce=\"[^\"]*\"")
# Where the site or the API names a claim or an article by its slug or id.
CLAIM_OR_ARTICLE_ROUTE = re.compile(r"(claims|articles)/<(slug:slug|int:pk)>")


@dataclass(frozen=True)
class Route:
    name: str  # "web:claim", "api:claim-history"
    kind: str  # "claim" or "article"
    key: str  # "slug" or "pk"
    others: tuple[str, ...]  # its other parameters ("evidence_pk")
    methods: tuple[str, ...]


def _walk(patterns, namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}".strip(":"), prefix + str(entry.pattern), entry


def _methods(pattern: URLPattern) -> tuple[str, ...]:
    view_class = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    if view_class is None:  # a function view of the site: GET and HEAD (require_safe)
        return ("GET", "HEAD")
    allowed = [m.upper() for m in ("get", "head", "options", "post", "patch", "delete") if hasattr(view_class, m)]
    return tuple(allowed) if "GET" not in allowed else tuple(dict.fromkeys(["GET", "HEAD", *allowed]))


def routes_naming_a_claim_or_an_article() -> list[Route]:
    found = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        match = CLAIM_OR_ARTICLE_ROUTE.search(route)
        if match and not name.startswith("admin:"):
            kind = "claim" if match.group(1) == "claims" else "article"
            key = match.group(2).split(":")[1]
            others = tuple(p for p in re.findall(r"<\w+:(\w+)>", route) if p != key)
            found.append(Route(name, kind, key, others, _methods(pattern)))
    return found


ROUTES = routes_naming_a_claim_or_an_article()


def test_the_routes_are_found_in_the_url_patterns():
    assert {route.name for route in ROUTES} >= {
        "web:claim",
        "web:article",
        "api:claim",
        "api:claim-history",
        "api:claim-claimreview",
        "api:claim-transition",
        "api:claim-evidence",
        "api:evidence",
        "api:article",
    }


def test_every_status_readers_may_not_see_is_checked_here():
    """A new status (added to ``Claim.Status`` only) has no claim made for it below until it is listed here."""
    assert sorted(HIDDEN_STATUSES) == sorted(set(Claim.Status) - set(Claim.PUBLIC_STATUSES))


def hidden_claim(status: str, *, editor, reviewer) -> Claim:
    """The only claim of a new article, in ``status``, with an evidence link once research has begun.

    A dismissed claim is marked not checkable by ``editor`` and dismissed by ``reviewer`` (four eyes).
    """
    article = article_import(
        data=ARTICLE_BODY.encode(),
        metadata=ArticleMetadata(headline="Tentang Jakarta", outlet="Contoh", author="Penulis", language="id"),
        by=editor,
    ).article
    start, end = span_of(article, HIDDEN_TEXT)
    claim = services.claim_create(
        article=article, start=start, end=end, by=editor, statement="Jakarta ibu kota sejak 1949", claimant="Penulis"
    )
    if status == "dismissed":
        return dismiss(claim, by=editor, approver=reviewer, reason="Sebuah pendapat.")
    if status == "draft":
        return claim
    claim = services.claim_start_research(claim=claim, by=editor)
    services.evidence_add(claim=claim, by=editor, url="https://example.org/a", title="A", publisher="P")
    claim.refresh_from_db()
    if status == "researching":
        return claim
    claim = services.claim_update(
        claim=claim, by=editor, expected_version=claim.version, changes={"rating": "false", "verdict": "Keliru."}
    )
    return services.claim_send_to_review(claim=claim, by=editor)


def missing_pk(model, like: int) -> int:
    """An id of the same length as ``like`` that names nothing."""
    digits = len(str(like))
    taken = set(model.objects.values_list("pk", flat=True))
    return next(pk for pk in range(10**digits - 1, 10 ** (digits - 1) - 1, -1) if pk not in taken)


def identity_client(identity: str) -> Client:
    if identity == "partner":
        key = create_partner_with_key(name="Mitra")[1]
        return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    client = Client()
    if identity == "signed-in reader":
        client.force_login(make_user("reader"))
    return client


COUNTS = {"Content-Length", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"}


def answer(client: Client, method: str, path: str, identifier: str, headers: dict[str, str]) -> dict:
    """Everything the response says, but Date, the request's own id (X-Request-ID) and the CSP nonce; the
    identifier asked for reads <id>."""
    cache.clear()  # each request finds the same throttle counters
    body = {"data": "{}", "content_type": "application/json"} if method in ("POST", "PATCH") else {}
    response = client.generic(method, path, headers=headers, **body)
    own = re.compile(rf"(?<![\w-]){re.escape(identifier)}(?![\w-])")
    text = own.sub("<id>", NONCE.sub("nonce", response.content.decode()))
    return {
        "status": response.status_code,
        "headers": {
            # A length or a rate limit is a number, not the identifier, even where it happens to equal it (an id
            # of 103, a body of 103 bytes; an id of 60, a window of 60 s: on PostgreSQL ids keep counting).
            name: value if name in COUNTS else own.sub("<id>", NONCE.sub("nonce", value))
            for name, value in sorted(response.headers.items())
            if name not in ("Date", "X-Request-ID")
        },
        "cookies": sorted(str(morsel).split("expires=")[0] for morsel in response.cookies.values()),
        "body": text,
    }


def difference(hidden: dict, missing: dict) -> str:
    """What differs, hidden first: the status, each header, the cookies, the body's length."""
    named = [("status", hidden["status"], missing["status"]), ("cookies", hidden["cookies"], missing["cookies"])]
    names = sorted(hidden["headers"].keys() | missing["headers"].keys())
    named += [(name, hidden["headers"].get(name), missing["headers"].get(name)) for name in names]
    named += [("body", len(hidden["body"]), len(missing["body"]))] if hidden["body"] != missing["body"] else []
    return "; ".join(f"{name} {one!r} vs {other!r}" for name, one, other in named if one != other)


def requests_for(route: Route, claim: Claim, missing: dict[str, object]) -> Iterator[tuple]:
    """(method, hidden path, missing path, hidden id, missing id, headers) for each request to ask of ``route``."""
    own = claim if route.kind == "claim" else claim.article
    hidden_id = getattr(own, route.key)
    missing_id = missing[f"{route.kind}-{route.key}"]
    evidence = Evidence.objects.filter(claim=claim).values_list("pk", flat=True).first() or 1
    languages = ["id", "en"] if route.name.startswith("web:") else ["id"]
    etag = claim_etag(claim_state(claim.pk))
    variants = [{}, {"If-None-Match": "*"}, {"If-None-Match": etag}, {"Accept": "application/ld+json"}]
    for language in languages:
        with translation.override(language):
            kwargs = dict.fromkeys(route.others, evidence)  # the hidden claim's evidence, or any id
            hidden = reverse(route.name, kwargs={route.key: hidden_id, **kwargs})
            absent = reverse(route.name, kwargs={route.key: missing_id, **kwargs})
        for method in route.methods:
            for headers in variants if method == "GET" else [{}]:
                yield method, hidden, absent, str(hidden_id), str(missing_id), headers


@pytest.fixture
def generous_throttles(settings):
    settings.API_THROTTLE_RATES = {scope: "100000/minute" for scope in ("anonymous", "partner", "user")}


@pytest.mark.parametrize("identity", IDENTITIES)
@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_hidden_claim_answers_exactly_like_a_missing_one(status, identity, editor, reviewer, generous_throttles):
    claim = hidden_claim(status, editor=editor, reviewer=reviewer)
    missing = {
        "claim-pk": missing_pk(Claim, claim.pk),
        "claim-slug": "z" * len(claim.slug),
        "article-pk": missing_pk(Article, claim.article.pk),
        "article-slug": "z" * len(claim.article.slug),
    }
    client = identity_client(identity)
    differences = []
    for route in ROUTES:
        for method, hidden, absent, hidden_id, missing_id, headers in requests_for(route, claim, missing):
            for_hidden = answer(client, method, hidden, hidden_id, headers)
            for_missing = answer(client, method, absent, missing_id, headers)
            if for_hidden != for_missing:
                differences.append(f"{method} {hidden} {headers}: {difference(for_hidden, for_missing)}")
    assert not differences, "\n".join(differences)


def test_a_dismissed_claim_of_an_article_readers_can_open_has_its_own_page(editor, reviewer):
    """The article page already shows it (gate.has_own_page): its own page says why it was not checked.
    Alone in its article (above), it answers like a missing claim."""
    dismissed = hidden_claim("dismissed", editor=editor, reviewer=reviewer)
    publish_claim(dismissed.article, "Monas dibangun pada tahun 1961.", editor=editor, reviewer=reviewer)
    client = Client()

    article_page = client.get(reverse("web:article", kwargs={"slug": dismissed.article.slug}))
    assert article_page.status_code == 200 and f'id="note-{dismissed.slug}"' in article_page.content.decode()
    own = client.get(f"/claims/{dismissed.slug}/")
    assert own.status_code == 200
    assert "Sebuah pendapat." in own.content.decode()
    assert json_ld_blocks(own.content.decode()) == []  # no verdict, so no ClaimReview


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_staff_still_preview_a_hidden_claim(status, editor, reviewer):
    claim = hidden_claim(status, editor=editor, reviewer=reviewer)
    client = Client()
    client.force_login(editor)

    response = client.get(reverse("web:claim", kwargs={"slug": claim.slug}))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
