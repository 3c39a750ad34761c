"""A real Varnish with the project's VCL in front of the live test server (tests/edge/conftest.py).

A correction purges exactly the pages that show the claim; tracking parameters share one cache entry;
an unknown Host is refused; a signed-in editor is never served a cached page and never stores one.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from factcheck.claims import services
from factcheck.claims.demo import load_demo
from factcheck.claims.models import Claim
from factcheck.partners.services import create_partner_with_key
from tests.claims.test_similar_list_reads import other_claim_in_review
from tests.conftest import correct, span_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def warm(edge, path: str, **kwargs) -> None:
    """Fetch ``path`` until Varnish serves it from its cache."""
    first = edge.request(path, **kwargs)
    assert first.status == 200, (path, first.status, first.body[:300])
    second = edge.request(path, **kwargs)
    assert second.cache == "HIT", (path, second.cache, second.header("Cache-Control"))


@pytest.fixture
def two_articles(published_claim, reviewer2):
    """The demo article with its claims, and a second article with one published claim."""
    load_demo()
    demo_claims = list(
        Claim.objects.filter(status__in=Claim.PUBLIC_STATUSES).exclude(article=published_claim.article).order_by("pk")
    )
    assert len(demo_claims) >= 2
    return demo_claims[0], demo_claims[1], published_claim


def test_a_correction_purges_exactly_the_claim_its_article_and_the_lists(edge, two_articles, reviewer, reviewer2):
    corrected, neighbour, elsewhere = two_articles
    affected = [
        f"/claims/{corrected.slug}/",
        f"/claims/{neighbour.slug}/",  # the same article: its page lists the corrected claim with its rating
        f"/articles/{corrected.article.slug}/",
        "/",
        "/corrections/",
        f"/api/v1/claims/{corrected.pk}/",
        "/api/v1/claims/",
    ]
    untouched = [
        f"/claims/{elsewhere.slug}/",
        f"/articles/{elsewhere.article.slug}/",
        "/methodology/",
        f"/api/v1/claims/{neighbour.pk}/",  # the API shows a claim alone
    ]
    for path in affected + untouched:
        warm(edge, path)

    correct(corrected, by=reviewer2, approver=reviewer, note="Sumber diperbaiki.", changes={"verdict": "Dikoreksi."})

    for path in affected:
        assert edge.request(path).cache == "MISS", path
    for path in untouched:
        assert edge.request(path).cache == "HIT", path
    corrected_page = edge.request(f"/claims/{corrected.slug}/")
    assert corrected_page.cache == "HIT" and "Dikoreksi." in corrected_page.body.decode()


def test_a_claim_published_elsewhere_joins_the_similar_claims_of_a_cached_page(edge, published_claim, editor, reviewer):
    page = f"/claims/{published_claim.slug}/"
    warm(edge, page)
    similar = other_claim_in_review(editor, statement="Ukraina ingin bergabung dengan forum yang lahir di Bangkok")
    assert edge.request(page).cache == "HIT"  # a draft elsewhere changes no page

    services.claim_publish(claim=similar, by=reviewer)
    fresh = edge.request(page)
    assert fresh.cache == "MISS" and similar.statement in fresh.body.decode()


def test_surrogate_keys_reach_varnish_but_not_the_reader(edge, published_claim):
    response = edge.request(f"/claims/{published_claim.slug}/")
    assert response.status == 200
    for name in ("xkey", "Surrogate-Key", "Cache-Tag"):
        assert response.header(name) == "", name
    control = response.header("Cache-Control")
    assert "public" in control and "s-maxage" not in control  # s-maxage is Varnish's, purged on change


def test_tracking_parameters_share_one_cache_entry(edge, published_claim):
    path = f"/claims/{published_claim.slug}/"
    first = edge.request(path + "?utm_source=newsletter&fbclid=abc")
    assert first.cache == "MISS" and first.status == 200, (first.status, first.body[-2000:])
    for tracked in ("", "?gclid=1", "?utm_medium=x&utm_campaign=y&utm_source=z", "?fbclid", "?msclkid=2&_ga=3"):
        assert edge.request(path + tracked).cache == "HIT", tracked
    # The rest is sorted, so the order of real parameters does not split the entry either.
    assert edge.request("/search/?q=asem&rating=true&utm_source=a").cache == "MISS"
    assert edge.request("/search/?rating=true&q=asem&gclid=b").cache == "HIT"
    assert edge.request("/search/?q=lain").cache == "MISS"  # a real parameter is its own page


def test_an_unknown_host_is_refused_even_for_a_cached_page(edge, published_claim):
    path = f"/claims/{published_claim.slug}/"
    warm(edge, path)
    for host in ("evil.example", "127.0.0.1.evil.example", "evil.example:80"):
        refused = edge.request(path, host=host)
        assert refused.status == 400, host
        assert published_claim.statement.encode() not in refused.body
    assert edge.request(path, host="localhost").status == 200


def test_a_signed_in_editor_is_never_served_a_cached_page_nor_stores_one(edge, published_claim, editor):
    client = Client()
    client.force_login(editor)
    session = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    path = f"/claims/{published_claim.slug}/"

    # The editor first: passed to the origin, which says private; nothing is stored for readers.
    for _ in range(2):
        response = edge.request(path, headers=session)
        assert response.status == 200 and response.cache == "PASS"
        assert "private" in response.header("Cache-Control")
    assert edge.request(path).cache == "MISS"
    assert edge.request(path).cache == "HIT"
    # A page readers have cached is not what the editor gets.
    response = edge.request(path, headers=session)
    assert response.cache == "PASS" and "private" in response.header("Cache-Control")

    # A draft's preview, which only the newsroom sees, never reaches a reader.
    start, end = span_of(published_claim.article, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")
    draft = services.claim_create(
        article=published_claim.article, start=start, end=end, by=editor, statement="Draf", claimant="Penulis"
    )
    assert edge.request(f"/claims/{draft.slug}/", headers=session).status == 200
    assert edge.request(f"/claims/{draft.slug}/").status == 404


def test_api_clients_with_credentials_and_writes_pass(edge, published_claim):
    path = f"/api/v1/claims/{published_claim.pk}/"
    warm(edge, path)
    assert edge.request(path, headers={"Authorization": "Api-Key wrong"}).cache == "PASS"
    assert edge.request(path, method="POST").cache == "PASS"
    # A partner's own answer passes with its own rate-limit budget.
    _partner, key = create_partner_with_key(name="Mitra Edge", contact_email="edge@mitra.example")
    partner = edge.request(path, headers={"Authorization": f"Api-Key {key}", "X-Request-ID": "partner-1"})
    assert partner.status == 200 and partner.cache == "PASS" and partner.header("X-Request-ID") == "partner-1"
    assert partner.header("RateLimit-Limit") and partner.header("RateLimit-Remaining")


def test_purging_is_allowed_only_from_the_acl(edge, published_claim):
    path = f"/claims/{published_claim.slug}/"
    warm(edge, path)
    # 127.0.0.2 is this machine too, but not in the ACL the test Varnish runs with (127.0.0.1 only).
    refused = edge.request("/", method="PURGE", headers={"xkey-purge": "site"}, source="127.0.0.2")
    assert refused.status == 403
    assert edge.request(path).cache == "HIT"
    allowed = edge.request("/", method="PURGE", headers={"xkey-purge": "site"})
    assert allowed.status == 200
    assert edge.request(path).cache == "MISS"


def test_a_stale_page_is_served_while_the_origin_fails_to_refresh_it(edge, published_claim, settings, monkeypatch):
    from factcheck import caching
    from factcheck.web import views

    settings.PAGE_SHARED_MAX_AGE_SECONDS = 1  # expires at once; grace (30 s while healthy) keeps it
    path = f"/claims/{published_claim.slug}/"
    warm(edge, path)

    def broken(*args, **kwargs):
        raise RuntimeError("the origin fails")

    # Varnish revalidates a stale page with its ETag, which the origin checks without rendering: break both.
    monkeypatch.setattr(caching, "_page_etag", broken)
    monkeypatch.setattr(views, "render", broken)
    assert edge.request(f"/claims/{published_claim.slug}/?page=2").status == 500  # the origin does fail
    time.sleep(1.5)  # past the page's s-maxage: every answer below is from grace, not fresh
    for _ in range(3):
        stale = edge.request(path)
        assert stale.status == 200 and published_claim.statement in stale.body.decode()
        assert int(stale.header("Age")) >= 1


def test_accept_language_keeps_one_copy_per_language(edge, published_claim):
    path = f"/api/v1/claims/{published_claim.pk}/"
    assert edge.request(path, headers={"Accept-Language": "en-US,en;q=0.9"}).cache == "MISS"
    assert edge.request(path, headers={"Accept-Language": "fr-FR, en;q=0.5"}).cache == "HIT"
    indonesian = edge.request(path, headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.8"})
    assert indonesian.cache == "MISS" and indonesian.header("Content-Language") == "id"
    assert edge.request(path, headers={"Accept-Language": "id"}).cache == "HIT"


@pytest.mark.parametrize("kind", ["page", "api"])
def test_a_cached_answer_carries_each_readers_own_request_id_and_no_rate_limit_headers(edge, published_claim, kind):
    path = f"/claims/{published_claim.slug}/" if kind == "page" else f"/api/v1/claims/{published_claim.pk}/"
    first = edge.request(path, headers={"X-Request-ID": "first-reader"})
    assert first.cache == "MISS" and first.header("X-Request-ID") == "first-reader"

    second = edge.request(path, headers={"X-Request-ID": "second-reader"})
    assert second.cache == "HIT" and second.header("X-Request-ID") == "second-reader"
    for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"):
        assert second.header(name) == "", name  # the first reader's budget, not this one's

    # Without an id (or with one the origin would not keep) each reader gets a new one of its own.
    ids = {edge.request(path, headers=headers).header("X-Request-ID") for headers in ({}, {}, {"X-Request-ID": "a b"})}
    assert len(ids) == 3 and "first-reader" not in ids and "a b" not in ids
    assert all(request_id.strip() for request_id in ids)


def test_each_api_representation_has_its_own_entry_and_accept_variants_share_it(edge, published_claim):
    path = f"/api/v1/claims/{published_claim.pk}/claimreview/"
    ld = edge.request(path, headers={"Accept": "application/ld+json"})
    assert ld.cache == "MISS" and ld.header("Content-Type").startswith("application/ld+json")
    json = edge.request(path, headers={"Accept": "application/json"})
    assert json.cache == "MISS" and json.header("Content-Type").startswith("application/json")
    assert json.header("ETag") != ld.header("ETag")
    for accept, kind in [
        ("application/ld+json; indent=2", "application/ld+json"),
        ("text/html, application/ld+json;q=0.9", "application/ld+json"),
        ("application/json; indent=4", "application/json"),
        ("application/json, text/plain;q=0.5", "application/json"),
    ]:
        answer = edge.request(path, headers={"Accept": accept})
        assert answer.cache == "HIT" and answer.header("Content-Type").startswith(kind), accept
    # A claim has one representation: any Accept gets the one entry, never an indented copy.
    detail = f"/api/v1/claims/{published_claim.pk}/"
    first = edge.request(detail, headers={"Accept": "application/json"})
    indented = edge.request(detail, headers={"Accept": "application/json; indent=4"})
    assert indented.cache == "HIT" and indented.body == first.body


def test_every_origin_shares_the_one_cors_entry(edge, published_claim):
    path = f"/api/v1/claims/{published_claim.pk}/"
    first = edge.request(path, headers={"Origin": "https://one.example"})
    assert first.cache == "MISS" and first.header("Access-Control-Allow-Origin") == "*"
    for origin in ("https://two.example", "http://localhost:3000", "null"):
        answer = edge.request(path, headers={"Origin": origin})
        assert answer.cache == "HIT" and answer.header("Access-Control-Allow-Origin") == "*", origin
    without = edge.request(path)
    assert without.header("Access-Control-Allow-Origin") == ""  # not a CORS request: its own entry


def test_the_scheme_the_reader_came_by_is_part_of_the_cache_key(edge, published_claim):
    """Behind a TLS terminator, a plain-http reader must reach the origin (which redirects to HTTPS in
    production), never get the page cached for an HTTPS one."""
    path = f"/claims/{published_claim.slug}/"
    https = {"X-Forwarded-Proto": "https"}
    warm(edge, path, headers=https)
    assert edge.request(path, headers={"X-Forwarded-Proto": "http"}).cache == "MISS"
    assert edge.request(path, headers=https).cache == "HIT"
    # A purge drops the page for both.
    edge.request("/", method="PURGE", headers={"xkey-purge": f"claim-{published_claim.pk}"})
    assert edge.request(path, headers=https).cache == "MISS"


def test_accept_reaches_the_origin_as_sent_where_the_answer_does_not_vary_on_it(edge):
    for accept, kind in [
        ("application/vnd.oai.openapi+json", "application/vnd.oai.openapi+json"),
        ("application/yaml", "application/yaml"),
        ("application/json", "application/json"),
    ]:
        assert edge.request("/api/schema/", headers={"Accept": accept}).header("Content-Type").startswith(kind)


def test_varnishs_own_answers_carry_a_sane_request_id_too(edge):
    refused = edge.request("/", host="evil.example", headers={"X-Request-ID": "a b <script>"})
    assert refused.status == 400 and refused.header("X-Request-ID").startswith("varnish-")
    assert edge.request("/", host="evil.example").header("X-Request-ID").startswith("varnish-")
    assert edge.request("/", host="evil.example", headers={"X-Request-ID": "mine-1"}).header("X-Request-ID") == "mine-1"


def test_the_first_forwarded_proto_is_the_scheme_as_django_reads_it(edge, published_claim):
    path = f"/claims/{published_claim.slug}/"
    warm(edge, path, headers={"X-Forwarded-Proto": "https"})
    assert edge.request(path, headers={"X-Forwarded-Proto": "https, http"}).cache == "HIT"
    assert edge.request(path, headers={"X-Forwarded-Proto": "http, https"}).cache == "MISS"


def test_a_deleted_reviewer_leaves_the_cached_byline(edge, published_claim, reviewer):
    reviewer.first_name, reviewer.last_name = "Rudi", "Santoso"
    reviewer.save()
    page = f"/claims/{published_claim.slug}/"
    warm(edge, page)
    assert "Rudi Santoso" in edge.request(page).body.decode()

    reviewer.delete()  # Claim.reviewer is set to NULL in bulk: no signal of the claims app
    fresh = edge.request(page)
    assert fresh.cache == "MISS" and "Rudi Santoso" not in fresh.body.decode()
