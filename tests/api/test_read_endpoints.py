"""Each read endpoint over real HTTP, with the literal payload a partner receives."""

from __future__ import annotations

import datetime

import pytest

from factcheck.claims import services
from factcheck.claims.models import Claim
from tests.conftest import correct, retract

from .conftest import claim_etag

SITE = "http://127.0.0.1:8000"
TRUE_RATING = {"key": "true", "value": 5, "label": {"id": "Benar", "en": "True"}, "best": 5, "worst": 1}
FALSE_RATING = {"key": "false", "value": 1, "label": {"id": "Keliru", "en": "False"}, "best": 5, "worst": 1}
ARTICLE_BRIEF = {
    "id": 1,
    "api_url": f"{SITE}/api/v1/articles/1/",
    "headline": "ASEM dan Ukraina",
    "outlet": "Contoh",
    "url": "https://contoh.example/asem",
    "published_on": "2026-02-20",
}


@pytest.fixture
def dated_article(article, editor):
    article.url = "https://contoh.example/asem"
    article.published_on = datetime.date(2026, 2, 20)
    article._history_user = editor
    article.save()
    return article


@pytest.fixture
def published(frozen, dated_article, published_claim):
    return published_claim


def asem_claim(**overrides) -> dict:
    claim = {
        "id": 1,
        "api_url": f"{SITE}/api/v1/claims/1/",
        "public_url": {
            "id": f"{SITE}/claims/asem-was-founded-in-bangkok-in-1996/",
            "en": f"{SITE}/en/claims/asem-was-founded-in-bangkok-in-1996/",
        },
        "slug": "asem-was-founded-in-bangkok-in-1996",
        "statement": {"id": "ASEM didirikan di Bangkok pada 1996", "en": "ASEM was founded in Bangkok in 1996"},
        "quote": "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996.",
        "span": {"start": 0, "end": 59},
        "claimant": "Penulis",
        "checkable": True,
        "not_checkable_reason": {"id": "", "en": ""},
        "status": "published",
        "corrected": False,
        "rating": TRUE_RATING,
        "verdict": {"id": "Benar: KTT pertama di Bangkok, 1996.", "en": "True."},
        "public_note": "",
        "article": ARTICLE_BRIEF,
        "evidence": [
            {
                "id": 1,
                "url": "https://example.org/asem1",
                "title": "ASEM1 Bangkok",
                "publisher": "ASEM InfoBoard",
                "published_on": None,
                "excerpt": "",
                "stance": "supports",
                "is_primary": True,
                "archived_url": "",
                "position": 0,
            }
        ],
        "published_at": "2026-03-02T09:30:00Z",
        "updated_at": "2026-03-02T09:30:00Z",
        "version": 6,
        "change_seq": 6,
    }
    claim.update(overrides)
    return claim


def test_claim_detail_shows_the_verdict_with_its_article_evidence_and_version(http, published):
    response = http.get("/api/v1/claims/1/")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["ETag"] == claim_etag(Claim.objects.get(pk=1))
    assert response.headers["Last-Modified"] == "Mon, 02 Mar 2026 09:30:00 GMT"
    assert response.json() == asem_claim()


def test_claim_list_pages_through_public_claims_in_update_order(http, published, draft_claim_2):
    response = http.get("/api/v1/claims/")

    assert response.status_code == 200
    assert response.json() == {"next": None, "results": [asem_claim()]}  # the draft is not public


@pytest.fixture
def draft_claim_2(dated_article, editor):
    start = dated_article.body.index("Forum ini")
    return services.claim_create(
        article=dated_article, start=start, end=start + 35, by=editor, statement="Forum ini mencakup 53 negara"
    )


def test_claim_history_lists_publication_and_corrections_with_notes_and_changes(http, published, reviewer, reviewer2):
    correct(
        published,
        by=reviewer2,
        approver=reviewer,
        changes={"verdict": "Benar: KTT pertama ASEM di Bangkok, 1–2 Maret 1996."},
        note="Menambahkan tanggal KTT.",
        note_en="Added the summit's dates.",
    )

    response = http.get("/api/v1/claims/1/history/")

    assert response.status_code == 200
    assert response.json() == {
        "claim": 1,
        "versions": [
            {
                "version": 6,
                "date": "2026-03-02T09:30:00Z",
                "kind": "published",
                "note": "",
                "note_en": "",
                "changes": [],
            },
            {
                "version": 7,
                "date": "2026-03-02T09:30:00Z",
                "kind": "correction",
                "note": "Menambahkan tanggal KTT.",
                "note_en": "Added the summit's dates.",
                "changes": [
                    {
                        "field": "verdict",
                        "old": "Benar: KTT pertama di Bangkok, 1996.",
                        "new": "Benar: KTT pertama ASEM di Bangkok, 1–2 Maret 1996.",
                        "words_added": ["ASEM", "1–2 Maret"],
                        "words_removed": [],
                    }
                ],
            },
        ],
    }


def test_claimreview_is_json_ld_in_the_language_asked(http, published):
    response = http.get("/api/v1/claims/1/claimreview/?language=en")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/ld+json"
    assert response.json() == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{SITE}/en/claims/asem-was-founded-in-bangkok-in-1996/",
        "claimReviewed": "ASEM was founded in Bangkok in 1996",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "True",
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": {
                "@type": "NewsArticle",
                "url": "https://contoh.example/asem",
                "headline": "ASEM dan Ukraina",
                "inLanguage": "id",
                "datePublished": "2026-02-20",
                "author": {"@type": "Person", "name": "Penulis"},
                "publisher": {"@type": "Organization", "name": "Contoh"},
            },
            "author": {"@type": "Person", "name": "Penulis"},
            "datePublished": "2026-02-20",
        },
        "author": {"@type": "Organization", "name": "Cek Fakta Portal", "url": f"{SITE}/"},
        "datePublished": "2026-03-02T16:30:00+07:00",
        "dateModified": "2026-03-02T16:30:00+07:00",
        "inLanguage": "en",
    }


def test_claimreview_of_a_retracted_claim_says_it_was_retracted(http, published, reviewer, reviewer2):
    retract(published, by=reviewer2, approver=reviewer, note="Sumber utama ditarik.")

    response = http.get("/api/v1/claims/1/claimreview/")

    assert response.status_code == 200
    assert response.json()["reviewRating"] == {"@type": "Rating", "alternateName": "Dicabut (sebelumnya: Benar)"}


def test_claimreview_feed_is_a_paginated_schema_org_datafeed(http, published, second_claim):
    first = http.get("/api/v1/claimreview/?page_size=1")

    assert first.status_code == 200
    assert first.headers["Content-Type"] == "application/ld+json"
    body = first.json()
    assert body["@context"] == "https://schema.org"
    assert body["@type"] == "DataFeed"
    assert "next" not in body  # not a schema.org property: the next page is in the Link header
    assert [e["item"][0]["claimReviewed"] for e in body["dataFeedElement"]] == ["ASEM didirikan di Bangkok pada 1996"]
    next_url = first.headers["Link"].removeprefix("<").removesuffix('>; rel="next"')

    second = http.get(next_url)
    assert [e["item"][0]["claimReviewed"] for e in second.json()["dataFeedElement"]] == [
        "Indonesia mengakui Ukraina pada 28 Desember 1991"
    ]
    assert second.json()["dataFeedElement"][0]["item"][0]["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Keliru",
    }
    assert "Link" not in second.headers


def test_articles_list_and_detail_with_claim_spans_and_ratings(http, published, second_claim):
    listing = http.get("/api/v1/articles/")
    detail = http.get("/api/v1/articles/1/")

    article = {**ARTICLE_BRIEF, "author": "Penulis", "language": "id", "updated_at": "2026-03-02T09:30:00Z"}
    assert listing.json() == {"next": None, "results": [article]}
    assert detail.json() == {
        **article,
        "body": (
            "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996. Forum ini mencakup 53 negara mitra.\n"
            "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.\n"
        ),
        "claims": [
            {
                "id": 1,
                "api_url": f"{SITE}/api/v1/claims/1/",
                "span": {"start": 0, "end": 59},
                "statement": {"id": "ASEM didirikan di Bangkok pada 1996", "en": "ASEM was founded in Bangkok in 1996"},
                "status": "published",
                "rating": TRUE_RATING,
            },
            {
                "id": 2,
                "api_url": f"{SITE}/api/v1/claims/2/",
                "span": {"start": 96, "end": 157},
                "statement": {"id": "Indonesia mengakui Ukraina pada 28 Desember 1991", "en": ""},
                "status": "published",
                "rating": FALSE_RATING,
            },
        ],
    }


def test_ratings_are_the_scale_as_data(http, db):
    response = http.get("/api/v1/ratings/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["key"], r["value"], r["label"]["en"]) for r in results] == [
        ("true", 5, "True"),
        ("mostly-true", 4, "Mostly true"),
        ("half-true", 3, "Half true"),
        ("misleading", 2, "Misleading"),
        ("false", 1, "False"),
        ("unproven", None, "Unproven"),
    ]
    assert results[0] == {
        "key": "true",
        "value": 5,
        "label": {"id": "Benar", "en": "True"},
        "best": 5,
        "worst": 1,
        "definition": {
            "id": "Klaim akurat dan tidak ada hal penting yang terlewat.",
            "en": "The claim is accurate and nothing significant is missing.",
        },
        "colour": "#1a7f37",
        "position": 0,
    }


def test_claims_search_answers_in_the_google_fact_check_tools_shape(http, published, second_claim):
    response = http.get("/api/v1/factcheck/claims:search?query=Bangkok")

    assert response.status_code == 200
    assert response.json() == {
        "claims": [
            {
                "text": "ASEM didirikan di Bangkok pada 1996",
                "claimant": "Penulis",
                "claimDate": "2026-02-20T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Cek Fakta Portal", "site": "127.0.0.1:8000"},
                        "url": f"{SITE}/claims/asem-was-founded-in-bangkok-in-1996/",
                        "title": "ASEM didirikan di Bangkok pada 1996",
                        "reviewDate": "2026-03-02T09:30:00Z",
                        "textualRating": "Benar",
                        "languageCode": "id",
                    },
                    {
                        "publisher": {"name": "Cek Fakta Portal", "site": "127.0.0.1:8000"},
                        "url": f"{SITE}/en/claims/asem-was-founded-in-bangkok-in-1996/",
                        "title": "ASEM was founded in Bangkok in 1996",
                        "reviewDate": "2026-03-02T09:30:00Z",
                        "textualRating": "True",
                        "languageCode": "en",
                    },
                ],
            }
        ]
    }


def test_claims_search_pages_with_page_size_and_token_and_filters_by_language_and_age(
    http, published, second_claim, frozen
):
    first = http.get("/api/v1/factcheck/claims:search?pageSize=1").json()
    assert [c["text"] for c in first["claims"]] == ["Indonesia mengakui Ukraina pada 28 Desember 1991"]  # newest first
    second = http.get(f"/api/v1/factcheck/claims:search?pageSize=1&pageToken={first['nextPageToken']}").json()
    assert [c["text"] for c in second["claims"]] == ["ASEM didirikan di Bangkok pada 1996"]
    assert "nextPageToken" not in second

    english = http.get("/api/v1/factcheck/claims:search?languageCode=en").json()
    assert [(c["text"], [r["languageCode"] for r in c["claimReview"]]) for c in english["claims"]] == [
        ("ASEM was founded in Bangkok in 1996", ["en"])
    ]

    frozen.shift(datetime.timedelta(days=3))
    assert http.get("/api/v1/factcheck/claims:search?maxAgeDays=2").json() == {}  # Google leaves out empty fields
    assert len(http.get("/api/v1/factcheck/claims:search?maxAgeDays=4").json()["claims"]) == 2
    other_site = http.get("/api/v1/factcheck/claims:search?reviewPublisherSiteFilter=example.com").json()
    assert other_site == {}
