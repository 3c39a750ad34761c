"""Anonymous reads come from the response cache in front of DRF; credentials always go through the API's checks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.api.claims import ClaimDetailView
from factcheck.claims import services
from tests.conftest import clear_caches

from .conftest import claim_etag, client_with


def claim_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/"


def test_a_warm_claim_is_served_without_drf_with_the_same_bytes_and_headers(published_claim, anon_client, monkeypatch):
    calls = []
    original = ClaimDetailView.initial
    monkeypatch.setattr(ClaimDetailView, "initial", lambda view, *a, **kw: calls.append(1) or original(view, *a, **kw))

    first = anon_client.get(claim_url(published_claim))
    second = anon_client.get(claim_url(published_claim))

    assert len(calls) == 1  # DRF's authentication, throttles and negotiation ran for the miss only

    assert second.content == first.content
    for header in ("ETag", "Last-Modified", "Content-Type", "Vary", "Content-Language"):
        assert second[header] == first[header], header
    assert second["ETag"] == claim_etag(published_claim)


def test_an_invalid_key_is_refused_even_when_the_answer_is_cached(published_claim, anon_client):
    anon_client.get(claim_url(published_claim))

    response = client_with("not-a-real-key").get(claim_url(published_claim))

    assert response.status_code == 401


def test_a_draft_stays_hidden_from_the_cache(article, editor, anon_client, editor_client):
    draft = services.claim_create(article=article, start=0, end=10, by=editor, statement="Draf")
    assert editor_client.get(claim_url(draft)).status_code == 200

    assert anon_client.get(claim_url(draft)).status_code == 404
    assert anon_client.get(claim_url(draft)).status_code == 404


@pytest.mark.parametrize("warm", [True, False], ids=["warm", "cold"])
def test_a_304_carries_the_validators(warm, published_claim, anon_client, django_assert_num_queries):
    first = anon_client.get(claim_url(published_claim))
    if not warm:
        clear_caches()

    with django_assert_num_queries(0 if warm else 1):  # cold: the claim's state; the claim itself is not read
        response = anon_client.get(claim_url(published_claim), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 304
    assert response["ETag"] == first["ETag"]
    assert response["Last-Modified"] == first["Last-Modified"]
    assert "Authorization" in response["Vary"]


def test_the_feed_is_cached_per_media_type(published_claim, anon_client):
    for _ in range(2):
        json_ld = anon_client.get("/api/v1/claimreview/")
        plain = anon_client.get("/api/v1/claimreview/", headers={"Accept": "application/json"})

        assert json_ld["Content-Type"] == "application/ld+json"
        assert plain["Content-Type"] == "application/json"


def test_cached_answers_do_not_count_against_the_anonymous_limit(published_claim, anon_client, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "2/minute"}

    statuses = [anon_client.get(claim_url(published_claim)).status_code for _ in range(6)]

    assert statuses == [200] * 6  # one miss went through DRF's throttle; the hits did not
    assert [anon_client.get("/api/v1/ratings/").status_code for _ in range(2)] == [200, 429]


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claimreview/"])
def test_a_bad_filter_is_refused_every_time_and_never_cached(path, published_claim, anon_client):
    for _ in range(2):
        response = anon_client.get(f"{path}?page_size=0")
        assert response.status_code == 400
        assert "page_size" in response.json()["errors"]


def test_a_signed_in_editor_bypasses_the_cache(published_claim, anon_client, editor):
    from rest_framework.test import APIClient

    anon_client.get(claim_url(published_claim))
    session = APIClient()
    session.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        response = session.get(claim_url(published_claim))

    assert response.status_code == 200
    assert any("claims_claim" in q["sql"] for q in queries.captured_queries)  # read afresh, not from the cache


@pytest.mark.parametrize("path", ["/api/v1/claims/?page_size=1", "/api/v1/claimreview/?page_size=1"])
def test_a_cached_page_links_on_the_sites_address_whatever_host_filled_the_cache(
    path, published_claim, second_claim, anon_client, settings
):
    settings.SITE_URL = "https://cekfakta.example"
    anon_client.get(path, headers={"Host": "localhost"})  # fills the cache

    response = anon_client.get(path, headers={"Host": "127.0.0.1"})

    # The DataFeed gives its next page in the Link header only (no schema.org property says "next").
    next_url = response.json().get("next") or response.headers["Link"].removeprefix("<").split(">")[0]
    assert next_url.startswith(f"https://cekfakta.example{path.split('?')[0]}?")
