"""Anonymous API reads say that a shared cache may keep them, and are checked with one query; credentials
always go through the API's checks and get private answers. (The HTTP cache in front: tests/edge/.)"""

from __future__ import annotations

import datetime

import pytest
from django.utils.http import http_date, parse_http_date

from factcheck.claims import revisions
from factcheck.claims.services import claim_create

from .conftest import NOW, claim_etag, client_with, user_key

PUBLIC_READS = [
    "/api/v1/claims/",
    "/api/v1/claims/{claim}/",
    "/api/v1/claims/{claim}/claimreview/",
    "/api/v1/claimreview/",
]
LATER = NOW + datetime.timedelta(hours=1)


def claim_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/"


def directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_an_anonymous_read_may_be_kept_by_shared_caches(path, published_claim, anon_client):
    response = anon_client.get(path.format(claim=published_claim.pk))

    assert response.status_code == 200
    assert directives(response) == {"public", "max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"}
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert response.has_header("xkey") and response.has_header("ETag")


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_partners_and_the_newsroom_get_private_answers(path, published_claim, partner_key, editor):
    for client in (client_with(partner_key), client_with(user_key(editor))):
        response = client.get(path.format(claim=published_claim.pk))

        assert response.status_code == 200
        assert "private" in directives(response) and "public" not in directives(response)
        assert not response.has_header("xkey")


def test_an_invalid_key_is_refused(published_claim, anon_client):
    anon_client.get(claim_url(published_claim))

    response = client_with("not-a-real-key").get(claim_url(published_claim))

    assert response.status_code == 401
    assert "public" not in directives(response)


def test_a_draft_answers_404_to_anyone_without_a_right_to_it(article, editor, anon_client, editor_client):
    draft = claim_create(article=article, start=0, end=10, by=editor, statement="Draf")
    assert editor_client.get(claim_url(draft)).status_code == 200

    for headers in ({}, {"If-None-Match": "*"}, {"If-Modified-Since": http_date(LATER.timestamp())}):
        response = anon_client.get(claim_url(draft), headers=headers)
        assert response.status_code == 404
        assert "public" not in directives(response)


def test_if_none_match_is_answered_304_with_one_query(published_claim, anon_client, django_assert_num_queries):
    first = anon_client.get(claim_url(published_claim))

    with django_assert_num_queries(1):  # the claim's state; the claim itself is not read
        response = anon_client.get(claim_url(published_claim), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 304
    assert response["ETag"] == first["ETag"] == claim_etag(published_claim)
    assert response["Last-Modified"] == first["Last-Modified"]
    assert "public" in directives(response) and "Authorization" in response["Vary"]


def test_if_modified_since_is_answered_304_with_one_query(
    frozen, published_claim, anon_client, django_assert_num_queries
):
    first = anon_client.get(claim_url(published_claim))
    assert parse_http_date(first["Last-Modified"]) == int(NOW.timestamp())

    with django_assert_num_queries(1):
        response = anon_client.get(claim_url(published_claim), headers={"If-Modified-Since": first["Last-Modified"]})

    assert response.status_code == 304 and response["ETag"] == first["ETag"]


def correct_the_article(claim, *, by, approver) -> bytes:
    revision = revisions.revision_propose_article(
        article=claim.article, by=by, changes={"headline": "ASEM, Ukraina dan Indonesia"}, note="Judul diperbaiki."
    )
    revisions.revision_approve(revision=revision, by=approver)
    return b"ASEM, Ukraina dan Indonesia"


@pytest.mark.parametrize("path", ["/api/v1/claims/{claim}/", "/api/v1/claims/{claim}/claimreview/"])
def test_a_correction_of_the_article_makes_an_old_if_modified_since_answer_200(
    path, frozen, published_claim, anon_client, reviewer, reviewer2
):
    url = path.format(claim=published_claim.pk)
    held = anon_client.get(url)["Last-Modified"]

    frozen.move_to(LATER)
    shown = correct_the_article(published_claim, by=reviewer2, approver=reviewer)
    response = anon_client.get(url, headers={"If-Modified-Since": held})

    assert response.status_code == 200 and shown in response.content
    assert parse_http_date(response["Last-Modified"]) == int(LATER.timestamp())


def test_a_change_to_the_scale_makes_an_old_if_modified_since_answer_200(frozen, published_claim, anon_client):
    url = claim_url(published_claim)
    held = anon_client.get(url)["Last-Modified"]

    frozen.move_to(LATER)
    rating = published_claim.rating
    rating.label_en, rating._change_reason = "Entirely true", "Relabelled"
    rating.save()
    response = anon_client.get(url, headers={"If-Modified-Since": held})

    assert response.status_code == 200 and b"Entirely true" in response.content


def test_the_feed_varies_on_the_media_type(published_claim, anon_client):
    json_ld = anon_client.get("/api/v1/claimreview/")
    plain = anon_client.get("/api/v1/claimreview/", headers={"Accept": "application/json"})

    assert json_ld["Content-Type"] == "application/ld+json"
    assert plain["Content-Type"] == "application/json"
    assert "Accept" in json_ld["Vary"]  # a shared cache keeps one copy per media type


def test_every_anonymous_read_that_reaches_the_origin_counts_against_the_limit(published_claim, anon_client, settings):
    """Behind Varnish, the answers it gives never reach the origin and count for nothing."""
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "2/minute"}

    statuses = [anon_client.get(claim_url(published_claim)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claimreview/"])
def test_a_bad_filter_is_refused_and_never_public(path, published_claim, anon_client):
    response = anon_client.get(f"{path}?page_size=0")

    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]
    assert "public" not in directives(response)


@pytest.mark.parametrize("path", ["/api/v1/claims/?page_size=1", "/api/v1/claimreview/?page_size=1"])
def test_a_public_page_links_on_the_sites_address_whatever_host_asked(
    path, published_claim, second_claim, anon_client, settings
):
    """A shared cache keeps one copy for every host it answers: the links in it must not name the asker's."""
    settings.SITE_URL = "https://cekfakta.example"

    response = anon_client.get(path, headers={"Host": "127.0.0.1"})

    # The DataFeed gives its next page in the Link header only (no schema.org property says "next").
    next_url = response.json().get("next") or response.headers["Link"].removeprefix("<").split(">")[0]
    assert next_url.startswith(f"https://cekfakta.example{path.split('?')[0]}?")
