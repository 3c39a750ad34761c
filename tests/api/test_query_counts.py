"""Query counts of the list and detail endpoints are pinned and do not grow with claims, evidence or revisions."""

from __future__ import annotations

import pytest

from factcheck.claims import services
from factcheck.partners.services import webhook_endpoint_create
from tests.conftest import clear_caches, correct

from .conftest import client_with


def publish_claim(article, end: int, *, editor, reviewer, evidence: int = 2, corrections: int = 1):
    claim = services.claim_create(article=article, start=0, end=end, by=editor, statement=f"Klaim {end}")
    claim = services.claim_start_research(claim=claim, by=editor)
    for n in range(evidence):
        services.evidence_add(claim=claim, by=editor, url=f"https://example.org/{end}/{n}", title="T", publisher="P")
    claim.refresh_from_db()
    claim = services.claim_update(
        claim=claim, by=editor, expected_version=claim.version, changes={"rating": "true", "verdict": "Benar."}
    )
    claim = services.claim_send_to_review(claim=claim, by=editor)
    claim = services.claim_publish(claim=claim, by=reviewer)
    for n in range(corrections):
        claim = correct(claim, by=editor, approver=reviewer, changes={"verdict": f"Benar ({n})."}, note="Koreksi.")
    return claim


@pytest.fixture
def many(article, editor, reviewer2, published_claim):
    """Adds published claims, each with two evidence links and a correction; starts with two."""
    ends = iter(range(20, 60))

    def add(count: int) -> None:
        for _ in range(count):
            publish_claim(article, next(ends), editor=editor, reviewer=reviewer2)

    add(2)
    return add


ENDPOINTS = [
    # (path, queries for an anonymous client: each named; the HTTP cache in front keeps the answers)
    # 1 claims page with article and rating, 2 their evidence, 3 rating scale bounds
    ("/api/v1/claims/", 3),
    # 1 claim with article, rating and everything its ETag and the scale's bounds need (one row, one moment),
    # 2 evidence; its state alone is read first only for a revalidation (below)
    ("/api/v1/claims/{claim}/", 2),
    ("/api/v1/claims/{claim}/history/", 3),  # 1 claim, 2 its public historical rows, 3 rating labels
    # 1 claim with article and rating, 2 rating scale bounds
    ("/api/v1/claims/{claim}/claimreview/", 2),
    # 1 public claims page with article and rating, 2 rating scale bounds, 3 the feed's dateModified (the newest
    # change of any public claim)
    ("/api/v1/claimreview/", 3),
    ("/api/v1/articles/", 1),  # 1 articles with a public claim
    ("/api/v1/articles/{article}/", 3),  # 1 article, 2 its visible claims with ratings, 3 rating scale bounds
    ("/api/v1/ratings/", 1),  # 1 the scale
    ("/api/v1/factcheck/claims:search?query=Klaim", 1),  # 1 matching published claims with article and rating
    ("/api/v1/claims/{claim}/evidence/{evidence}/", 2),  # 1 claim, 2 the evidence
]


@pytest.mark.parametrize(("path", "queries"), ENDPOINTS, ids=[p for p, _ in ENDPOINTS])
def test_anonymous_query_count_is_pinned_and_independent_of_data_size(
    path, queries, many, published_claim, anon_client, django_assert_num_queries
):
    url = path.format(
        claim=published_claim.pk, article=published_claim.article_id, evidence=published_claim.evidence.get().pk
    )
    with django_assert_num_queries(queries):
        assert anon_client.get(url).status_code == 200

    many(5)
    clear_caches()  # throttle counters
    with django_assert_num_queries(queries):
        assert anon_client.get(url).status_code == 200


def test_a_partner_key_costs_one_query(many, partner_key, django_assert_num_queries):
    client = client_with(partner_key)
    with django_assert_num_queries(4):  # 1 the key with its partner, 2 claims page, 3 evidence, 4 scale
        assert client.get("/api/v1/claims/").status_code == 200


def test_the_delivery_log_query_count_is_pinned(
    partner, partner_key, many, article, editor, reviewer2, django_assert_num_queries
):
    endpoint = webhook_endpoint_create(partner=partner, url="https://hooks.example/a", events=["claim.published"])
    publish_claim(article, 60, editor=editor, reviewer=reviewer2)
    client = client_with(partner_key)
    url = f"/api/v1/webhooks/{endpoint.pk}/deliveries/"

    # 1 the key with its partner, 2 the endpoint, 3 its deliveries with their events, 4 their attempts
    with django_assert_num_queries(4):
        assert len(client.get(url).json()["results"]) == 1
    publish_claim(article, 61, editor=editor, reviewer=reviewer2)
    publish_claim(article, 62, editor=editor, reviewer=reviewer2)
    with django_assert_num_queries(4):
        assert len(client.get(url).json()["results"]) == 3


REVALIDATIONS = [
    ("/api/v1/claims/{claim}/", 1),  # 1 the claim's state: the claim is not read
    ("/api/v1/claims/", 3),  # the page's ETag is that of its rows: the page is read (as above), not rendered
    ("/api/v1/claimreview/", 3),
]


@pytest.mark.parametrize(("path", "queries"), REVALIDATIONS, ids=[p for p, _ in REVALIDATIONS])
def test_a_revalidation_is_pinned_and_renders_nothing(
    path, queries, many, published_claim, anon_client, django_assert_num_queries
):
    url = path.format(claim=published_claim.pk)
    first = anon_client.get(url)

    with django_assert_num_queries(queries):
        second = anon_client.get(url, headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 304 and second.content == b"" and second["ETag"] == first["ETag"]


def test_a_claim_revalidated_with_an_old_etag_reads_its_state_then_the_claim(
    published_claim, anon_client, django_assert_num_queries
):
    url = f"/api/v1/claims/{published_claim.pk}/"
    current = anon_client.get(url)["ETag"]

    # 1 the claim's state (no 304 for this tag), 2 the claim with everything its ETag needs, 3 evidence
    with django_assert_num_queries(3):
        answer = anon_client.get(url, headers={"If-None-Match": '"claim-1-v1-a0-r0-s0"'})

    assert answer.status_code == 200 and answer["ETag"] == current


@pytest.mark.parametrize("pk", [0, 2**31, 99999])
def test_a_claim_that_is_not_there_is_the_same_404_with_or_without_a_precondition(pk, db, anon_client):
    url = f"/api/v1/claims/{pk}/"
    plain = anon_client.get(url)
    revalidated = anon_client.get(url, headers={"If-None-Match": '"x"'})

    assert plain.status_code == revalidated.status_code == 404
    assert plain.json() == revalidated.json()
    assert "does not exist or is not visible to you" in plain.json()["detail"]


def test_a_correction_shows_in_the_api_on_the_next_request(published_claim, anon_client, reviewer, reviewer2):
    anon_client.get(f"/api/v1/claims/{published_claim.pk}/")
    anon_client.get("/api/v1/claims/")

    correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        changes={"verdict_en": "Corrected in the API."},
        note="Koreksi.",
    )

    assert anon_client.get(f"/api/v1/claims/{published_claim.pk}/").json()["verdict"]["en"] == "Corrected in the API."
    assert anon_client.get("/api/v1/claims/").json()["results"][0]["verdict"]["en"] == "Corrected in the API."
