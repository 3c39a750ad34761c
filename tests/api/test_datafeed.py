"""The ClaimReview DataFeed read as an importer of Google's Data Commons fact-check feeds reads it.

Data Commons publishes ``{"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement":
[{"@type": "DataFeedItem", "dateCreated", "dateModified", "item": [<ClaimReview>]}]}``; an element with
schema.org's ``dateDeleted`` is a tombstone: the importer removes the review it names.
"""

from __future__ import annotations

import datetime

import jsonschema
import pytest

from factcheck.api.datafeed import DATAFEED_SCHEMA
from tests.conftest import retract

from .conftest import client_with

FEED = "/api/v1/claimreview/"


def parse_time(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value} has no time zone"
    return parsed


def check_claim_review(review: dict) -> None:
    """What Google's ClaimReview guidelines require of a review, with the fields Data Commons reads."""
    assert review["@type"] == "ClaimReview"
    assert review["@id"] == review["url"] and review["url"].startswith("http")
    assert review["claimReviewed"].strip()
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"].strip()
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    appearance = review["itemReviewed"]["appearance"]
    assert review["itemReviewed"]["@type"] == "Claim" and appearance["headline"] and appearance["url"]
    parse_time(review["datePublished"])
    parse_time(review["dateModified"])


class Importer:
    """A Data Commons feed importer: follows the Link header, upserts items by @id, applies tombstones."""

    def __init__(self, client) -> None:
        self.client = client
        self.reviews: dict[str, dict] = {}
        self.deleted: dict[str, dict] = {}
        self.newest: str | None = None

    def run(self, query: str = "") -> int:
        url, elements = f"{FEED}?page_size=1{query}", 0
        while url:
            response = self.client.get(url)
            assert response.status_code == 200, response.content
            feed = response.json()
            jsonschema.validate(feed, DATAFEED_SCHEMA)
            assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
            assert feed["name"] and feed["publisher"]["@type"] == "Organization"
            assert "next" not in feed
            for element in feed["dataFeedElement"]:
                elements += 1
                assert element["@type"] == "DataFeedItem"
                assert parse_time(element["dateCreated"]) <= parse_time(element["dateModified"])
                assert isinstance(element["item"], list) and element["item"]
                for review in element["item"]:
                    check_claim_review(review)
                    if "dateDeleted" in element:
                        parse_time(element["dateDeleted"])
                        self.reviews.pop(review["@id"], None)
                        self.deleted[review["@id"]] = review
                    else:
                        self.reviews[review["@id"]] = review
                self.newest = max(self.newest or "", element["dateModified"])
            link = response.headers.get("Link")
            url = link.removeprefix("<").removesuffix('>; rel="next"') if link else None
        return elements


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_importer_reads_every_review_and_applies_a_retraction_tombstone(
    language, frozen, published_claim, second_claim, reviewer, reviewer2, anon_client
):
    importer = Importer(anon_client)
    query = f"&language={language}"
    assert importer.run(query) == 2
    assert len(importer.reviews) == 2 and not importer.deleted
    retracted_url = next(url for url, review in importer.reviews.items() if "Ukraina" in review["claimReviewed"])

    frozen.shift(datetime.timedelta(hours=1))
    retract(second_claim, by=reviewer2, approver=reviewer, note="Sumber ditarik.")

    # The incremental import brings the tombstone (and, updated_since being inclusive, the review it saw
    # last again); the importer removes the retracted review.
    assert importer.run(f"{query}&updated_since={importer.newest}") == 2
    assert importer.run(f"{query}&updated_since={importer.newest}") == 1  # only the tombstone is that new
    assert list(importer.reviews) != [] and retracted_url not in importer.reviews
    tombstone = importer.deleted[retracted_url]
    label = "Dicabut (sebelumnya: Keliru)" if language == "id" else "Retracted (was: False)"
    assert tombstone["reviewRating"] == {"@type": "Rating", "alternateName": label}

    # A fresh import of the whole feed ends in the same state: the tombstone stays in the feed.
    fresh = Importer(anon_client)
    assert fresh.run(query) == 2
    assert fresh.reviews == importer.reviews and set(fresh.deleted) == {retracted_url}


def test_a_tombstone_says_when_the_review_was_retracted(frozen, published_claim, reviewer, reviewer2, anon_client):
    frozen.shift(datetime.timedelta(days=2))
    retract(published_claim, by=reviewer2, approver=reviewer, note="Sumber ditarik.")

    (element,) = anon_client.get(FEED).json()["dataFeedElement"]

    assert element["dateDeleted"] == "2026-03-04T09:30:00Z"
    assert element["dateModified"] == "2026-03-04T09:30:00Z"
    assert element["dateCreated"] == "2026-03-02T09:30:00Z"


def test_the_feed_says_who_publishes_it_and_when_it_last_changed(frozen, published_claim, anon_client):
    feed = anon_client.get(FEED + "?language=en").json()

    assert feed["dateModified"] == "2026-03-02T09:30:00Z"
    assert feed["inLanguage"] == "en"
    assert feed["url"].endswith(FEED)
    assert feed["publisher"] == feed["dataFeedElement"][0]["item"][0]["author"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2026-13-01", "updated_since"),
        ("since=-1", "since"),
        ("since=abc", "since"),
        ("page_size=0", "page_size"),
        ("cursor=nonsense", "cursor"),
        ("language=fr", "language"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(query, field, published_claim, anon_client):
    response = anon_client.get(f"{FEED}?{query}")

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_updated_since_and_since_select_the_changed_reviews(frozen, published_claim, second_claim, anon_client):
    everything = anon_client.get(FEED).json()["dataFeedElement"]
    assert len(everything) == 2
    newest = max(e["dateModified"] for e in everything)

    assert len(anon_client.get(f"{FEED}?updated_since={newest}").json()["dataFeedElement"]) == 2  # inclusive
    frozen.shift(datetime.timedelta(seconds=1))
    later = (frozen_now := datetime.datetime.now(datetime.UTC)).isoformat()
    assert anon_client.get(FEED, {"updated_since": later}).json()["dataFeedElement"] == []
    assert frozen_now > parse_time(newest)

    second_claim.refresh_from_db()
    after_first = min(published_claim.change_seq, second_claim.change_seq)
    (element,) = anon_client.get(f"{FEED}?since={after_first}").json()["dataFeedElement"]
    assert element["item"][0]["claimReviewed"] == (
        second_claim.statement if second_claim.change_seq > after_first else published_claim.statement
    )


def test_the_feed_query_count_is_pinned(
    published_claim, second_claim, reviewer, reviewer2, partner_key, db, django_assert_num_queries
):
    client = client_with(partner_key)
    # 1 the key with its partner, 2 the page, 3 the scale, 4 the feed's newest change
    with django_assert_num_queries(4):
        assert client.get(FEED).status_code == 200

    retract(second_claim, by=reviewer2, approver=reviewer, note="Sumber ditarik.")
    # and 5 when the page has a retracted review: when it was retracted
    with django_assert_num_queries(5):
        assert client.get(FEED).status_code == 200
