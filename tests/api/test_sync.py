"""A partner keeps a copy in sync with updated_since and the cursor; ETags answer If-None-Match with 304."""

from __future__ import annotations

import datetime

from factcheck.claims import services
from tests.conftest import correct, retract

from .conftest import Http, claim_etag


def sync(http: Http, copy: dict, since: str | None, page_size: int = 1) -> str | None:
    """What a partner's client does: follow `next` from updated_since, upsert by id, keep the newest updated_at."""
    url = f"/api/v1/claims/?page_size={page_size}" + (f"&updated_since={since}" if since else "")
    newest = since
    while url:
        response = http.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        for claim in body["results"]:
            if claim["id"] not in copy or copy[claim["id"]]["version"] <= claim["version"]:
                copy[claim["id"]] = claim
            newest = max(newest or "", claim["updated_at"])
        url = body["next"]
    return newest


def test_incremental_sync_follows_publications_corrections_and_retractions(
    frozen, http, partner_key, published_claim, second_claim, reviewer, reviewer2, editor, article
):
    http.session.headers["Authorization"] = f"Api-Key {partner_key}"
    copy: dict = {}
    since = sync(http, copy, None)
    assert {c["id"]: (c["status"], c["version"]) for c in copy.values()} == {
        published_claim.pk: ("published", published_claim.version),
        second_claim.pk: ("published", second_claim.version),
    }

    # Between two syncs: a correction, a retraction, and a new publication.
    frozen.shift(datetime.timedelta(minutes=5))
    corrected = correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        changes={"rating": "mostly-true"},
        note="Rating disesuaikan.",
    )
    frozen.shift(datetime.timedelta(seconds=1))
    retracted = retract(second_claim, by=reviewer, approver=reviewer2, note="Sumber ditarik.")
    frozen.shift(datetime.timedelta(seconds=1))
    start = article.body.index("Forum ini")
    third = services.claim_create(
        article=article, start=start, end=start + 35, by=editor, statement="Forum ASEM mencakup 53 mitra"
    )
    services.claim_start_research(claim=third, by=editor)
    services.evidence_add(claim=third, by=editor, url="https://example.org/asem53", title="Mitra", publisher="ASEM")
    third.refresh_from_db()
    third = services.claim_update(
        claim=third, by=editor, expected_version=third.version, changes={"rating": "true", "verdict": "Benar."}
    )
    third = services.claim_send_to_review(claim=third, by=editor)
    third = services.claim_publish(claim=third, by=reviewer)

    second_since = sync(http, copy, since)

    assert second_since > since
    assert copy[published_claim.pk]["version"] == corrected.version
    assert copy[published_claim.pk]["rating"]["key"] == "mostly-true"
    assert copy[published_claim.pk]["corrected"] is True
    assert copy[published_claim.pk]["public_note"] == "Rating disesuaikan."
    assert copy[second_claim.pk]["status"] == "retracted"
    assert copy[second_claim.pk]["version"] == retracted.version
    assert copy[third.pk]["status"] == "published"
    # The copy now matches the portal exactly.
    fresh: dict = {}
    sync(http, fresh, None, page_size=100)
    assert copy == fresh


def test_a_claim_changed_while_paging_is_not_skipped(frozen, http, published_claim, second_claim, reviewer, reviewer2):
    first_page = http.get("/api/v1/claims/?page_size=1").json()
    assert [c["id"] for c in first_page["results"]] == [published_claim.pk]

    # The first claim changes while the partner is between pages: it moves to the end, nothing shifts.
    frozen.shift(datetime.timedelta(minutes=1))
    correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        changes={"verdict": "Benar, KTT pertama ASEM."},
        note="Ringkasan diperjelas.",
    )

    second_page = http.get(first_page["next"]).json()
    third_page = http.get(second_page["next"]).json()
    assert [c["id"] for c in second_page["results"]] == [second_claim.pk]
    assert [(c["id"], c["verdict"]["id"]) for c in third_page["results"]] == [
        (published_claim.pk, "Benar, KTT pertama ASEM.")
    ]
    assert third_page["next"] is None


def test_every_get_has_an_etag_and_a_matching_if_none_match_gets_304(
    http, published_claim, second_claim, reviewer, reviewer2
):
    paths = [
        f"/api/v1/claims/{published_claim.pk}/",
        "/api/v1/claims/",
        f"/api/v1/claims/{published_claim.pk}/history/",
        f"/api/v1/claims/{published_claim.pk}/claimreview/",
        "/api/v1/claimreview/",
        "/api/v1/articles/",
        f"/api/v1/articles/{published_claim.article_id}/",
        "/api/v1/ratings/",
        "/api/v1/factcheck/claims:search",
        f"/api/v1/claims/{published_claim.pk}/evidence/{published_claim.evidence.get().pk}/",
    ]
    etags = {}
    for path in paths:
        first = http.get(path)
        assert first.status_code == 200, path
        etags[path] = first.headers["ETag"]
        again = http.get(path, headers={"If-None-Match": etags[path]})
        assert again.status_code == 304, path
        assert again.content == b""
        assert again.headers["ETag"] == etags[path]
        assert http.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200

    correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        changes={"statement_en": "ASEM was founded in Bangkok, 1996"},
        note="English statement clarified.",
    )
    changed = [p for p in paths if http.get(p, headers={"If-None-Match": etags[p]}).status_code == 200]
    assert changed == [
        f"/api/v1/claims/{published_claim.pk}/",
        "/api/v1/claims/",
        f"/api/v1/claims/{published_claim.pk}/history/",
        f"/api/v1/claims/{published_claim.pk}/claimreview/",
        "/api/v1/claimreview/",
        f"/api/v1/articles/{published_claim.article_id}/",
        "/api/v1/factcheck/claims:search",
    ]


def test_claim_etag_is_its_version_and_what_it_shows_and_last_modified_its_update_time(http, published_claim):
    response = http.get(f"/api/v1/claims/{published_claim.pk}/")

    assert response.headers["ETag"] == claim_etag(published_claim)
    assert response.headers["Last-Modified"] == published_claim.updated_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
