"""An ETag changes with everything its representation shows: a partner that polls with If-None-Match
sees a corrected headline or a renamed rating on its next request, never a 304 for the old one."""

from __future__ import annotations

import re

import pytest

from tests.conftest import correct

# Each endpoint shows the claim's article and its rating.
ENDPOINTS = [
    "/api/v1/claims/{claim}/",
    "/api/v1/claims/",
    "/api/v1/claims/{claim}/claimreview/",
    "/api/v1/claimreview/",
    "/api/v1/articles/{article}/",
    "/api/v1/factcheck/claims:search?query=Bangkok",
]


def rename_rating(claim) -> str:
    rating = claim.rating
    rating.label_en = rating.label_id = "Benar sekali"
    rating.save()
    return "Benar sekali"


def correct_headline(claim) -> str:
    article = claim.article
    article.headline = "ASEM, Ukraina dan Indonesia"
    article.save()
    return "ASEM, Ukraina dan Indonesia"


def shows_article(path: str) -> bool:
    return "claims:search" not in path  # a search result shows the article's date, not its headline


def edits_for(path: str):
    return [rename_rating, correct_headline] if shows_article(path) else [rename_rating]


CASES = [(path, edit) for path in ENDPOINTS for edit in edits_for(path)]


@pytest.mark.parametrize(("path", "edit"), CASES, ids=[f"{p} {e.__name__}" for p, e in CASES])
def test_an_edit_the_claim_shows_changes_its_etag(path, edit, published_claim, anon_client):
    url = path.format(claim=published_claim.pk, article=published_claim.article_id)
    first = anon_client.get(url)
    assert first.status_code == 200
    assert anon_client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304

    shown = edit(published_claim)
    response = anon_client.get(url, headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert shown in response.content.decode()
    assert anon_client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_the_history_etag_follows_the_labels_it_shows(published_claim, anon_client, reviewer, reviewer2):
    corrected = correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        changes={"rating": "mostly-true"},
        note="Sebagian besar benar.",
    )
    url = f"/api/v1/claims/{corrected.pk}/history/"
    first = anon_client.get(url)
    assert anon_client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304

    shown = rename_rating(corrected)
    response = anon_client.get(url, headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    assert shown in response.content.decode()


def test_an_edit_may_send_the_etag_it_read(published_claim, reviewer2_client, reviewer_client):
    """The ETag carries the revisions of what the claim shows; If-Match needs only its version."""
    etag = reviewer2_client.get(f"/api/v1/claims/{published_claim.pk}/")["ETag"]
    assert re.fullmatch(rf'"claim-{published_claim.pk}-v{published_claim.version}-a\d+-r\d+-s\d+"', etag)

    correct_headline(published_claim)  # the article moves on; the claim the reviewer read did not
    # A published claim changes through a correction: proposed with the ETag read, approved by another reviewer.
    proposed = reviewer2_client.post(
        f"/api/v1/claims/{published_claim.pk}/revisions/",
        {"changes": {"verdict": "Benar: KTT pertama ASEM di Bangkok, 1996."}, "note": "Kalimat diperjelas."},
        format="json",
        headers={"If-Match": etag},
    )
    assert proposed.status_code == 201, proposed.json()
    assert proposed.json()["base_version"] == published_claim.version
    response = reviewer_client.post(
        f"/api/v1/claims/{published_claim.pk}/revisions/{proposed.json()['id']}/approve/", {}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response["ETag"].startswith(f'"claim-{published_claim.pk}-v{published_claim.version + 1}-a')
