"""Editors and reviewers write through the services: version checks, workflow, four-eyes, one error format."""

from __future__ import annotations

import pytest

from factcheck.claims import services
from factcheck.claims.models import Claim, Evidence

from .conftest import Http, claim_etag, user_key


@pytest.fixture
def editor_http(http, editor) -> Http:
    return Http(http.base, key=user_key(editor))


@pytest.fixture
def reviewer2_http(http, reviewer2) -> Http:
    return Http(http.base, key=user_key(reviewer2))


def test_editor_creates_a_draft_claim_whose_quote_comes_from_the_span(editor_http, article):
    response = editor_http.post(
        "/api/v1/claims/",
        json={"article": article.pk, "start": 60, "end": 95, "statement": "Forum ASEM mencakup 53 negara"},
    )

    assert response.status_code == 201, response.text
    claim = Claim.objects.get()
    assert response.headers["Location"] == f"http://127.0.0.1:8000/api/v1/claims/{claim.pk}/"
    assert response.headers["ETag"] == claim_etag(claim)
    body = response.json()
    assert (body["status"], body["quote"], body["span"], body["version"]) == (
        "draft",
        "Forum ini mencakup 53 negara mitra.",
        {"start": 60, "end": 95},
        1,
    )


def test_a_span_outside_the_article_is_refused_naming_the_field(editor_http, article):
    response = editor_http.post("/api/v1/claims/", json={"article": article.pk, "start": 10, "end": 9999})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The claim's span does not fit the article body.",
        "code": "invalid",
        "errors": {"end": ["The end must be at most 158, the length of the article body."]},
    }


def test_edit_with_if_match_succeeds_and_returns_the_new_etag(editor_http, draft_claim):
    response = editor_http.patch(
        f"/api/v1/claims/{draft_claim.pk}/",
        json={"claimant": "Kemlu"},
        headers={"If-Match": f'"claim-{draft_claim.pk}-v1"'},
    )

    assert response.status_code == 200, response.text
    assert response.json()["claimant"] == "Kemlu"
    draft_claim.refresh_from_db()
    assert response.headers["ETag"] == claim_etag(draft_claim)
    assert draft_claim.version == 2


def test_a_stale_version_gets_412_with_the_current_version_and_changes_nothing(editor_http, draft_claim, editor):
    services.claim_update(claim=draft_claim, by=editor, expected_version=1, changes={"claimant": "Someone"})

    response = editor_http.patch(f"/api/v1/claims/{draft_claim.pk}/", json={"claimant": "Kemlu", "version": 1})

    assert response.status_code == 412
    body = response.json()
    assert body["current_version"] == 2
    assert body["errors"] == {"version": ["Version 1 is stale; the current version is 2."]}
    assert body["detail"].startswith("This claim was changed by Editor at ")
    draft_claim.refresh_from_db()
    assert draft_claim.claimant == "Someone"


def test_an_edit_without_a_version_gets_428(editor_http, draft_claim):
    response = editor_http.patch(f"/api/v1/claims/{draft_claim.pk}/", json={"claimant": "Kemlu"})

    assert response.status_code == 428
    assert response.json() == {
        "detail": "An edit must say which version of the claim it is based on.",
        "code": "version_required",
        "errors": {"version": ["Send If-Match with the claim's ETag, or the version field."]},
    }


def test_the_workflow_runs_through_transitions_and_the_four_eyes_rule_holds(http, editor, reviewer, reviewer2, article):
    editor_http = Http(http.base, key=user_key(editor))
    reviewer_http = Http(http.base, key=user_key(reviewer))
    created = editor_http.post(
        "/api/v1/claims/", json={"article": article.pk, "start": 0, "end": 59, "statement": "ASEM di Bangkok 1996"}
    ).json()
    pk, version = created["id"], created["version"]

    moved = editor_http.post(f"/api/v1/claims/{pk}/transition/", json={"status": "researching", "version": version})
    assert moved.status_code == 200, moved.text
    version = moved.json()["version"]
    added = editor_http.post(
        f"/api/v1/claims/{pk}/evidence/",
        json={"url": "https://example.org/asem", "title": "ASEM 1996", "publisher": "ASEM", "stance": "supports"},
        headers={"If-Match": moved.headers["ETag"]},
    )
    assert added.status_code == 201, added.text
    assert [e["title"] for e in added.json()["evidence"]] == ["ASEM 1996"]
    version = added.json()["version"]
    edited = editor_http.patch(
        f"/api/v1/claims/{pk}/", json={"rating": "true", "verdict": "Benar.", "version": version}
    ).json()
    in_review = editor_http.post(
        f"/api/v1/claims/{pk}/transition/", json={"status": "in_review", "version": edited["version"]}
    )
    assert in_review.json()["status"] == "in_review"

    # The editor may not publish; a reviewer who did not research it may.
    refused = editor_http.post(
        f"/api/v1/claims/{pk}/transition/", json={"status": "published", "version": in_review.json()["version"]}
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Editor may not publish verdicts: that needs the permission claims.publish_claim."
    )
    published = reviewer_http.post(
        f"/api/v1/claims/{pk}/transition/", json={"status": "published", "version": in_review.json()["version"]}
    )
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"

    # A published verdict is not edited in place: a correction is proposed with a public note and approved by
    # a reviewer other than its proposer (the reviewer who published is not barred).
    version = published.json()["version"]
    in_place = reviewer_http.patch(f"/api/v1/claims/{pk}/", json={"verdict": "Benar, 1–2 Maret.", "version": version})
    assert in_place.status_code == 409
    assert in_place.json()["detail"].startswith(
        f"Claim {pk} is published: what readers see changes only through a correction"
    )
    reviewer2_http = Http(http.base, key=user_key(reviewer2))
    correction = {"changes": {"verdict": "Benar, 1–2 Maret."}, "version": version}
    no_note = reviewer2_http.post(f"/api/v1/claims/{pk}/revisions/", json=correction)
    assert no_note.status_code == 400
    assert set(no_note.json()["errors"]) == {"note"}
    proposed = reviewer2_http.post(f"/api/v1/claims/{pk}/revisions/", json={**correction, "note": "Tanggal KTT."})
    assert proposed.status_code == 201, proposed.text
    approve = f"/api/v1/claims/{pk}/revisions/{proposed.json()['id']}/approve/"
    own = reviewer2_http.post(approve, json={})
    assert own.status_code == 403
    assert own.json()["detail"] == "Four-eyes rule: you proposed this revision, so another reviewer must approve it."
    approved = reviewer_http.post(approve, json={})
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert (body["status"], body["verdict"]["id"], body["version"]) == ("published", "Benar, 1–2 Maret.", version + 1)
    assert body["public_note"] == "Tanggal KTT."


def test_reviewer_cannot_publish_a_claim_they_researched(http, reviewer, article):
    reviewer_http = Http(http.base, key=user_key(reviewer))
    claim = services.claim_create(article=article, start=0, end=59, by=reviewer, statement="ASEM", researcher=reviewer)
    claim = services.claim_start_research(claim=claim, by=reviewer)
    services.evidence_add(claim=claim, by=reviewer, url="https://example.org/a", title="A", publisher="P")
    claim.refresh_from_db()
    claim = services.claim_update(
        claim=claim, by=reviewer, expected_version=claim.version, changes={"rating": "true", "verdict": "Benar."}
    )
    claim = services.claim_send_to_review(claim=claim, by=reviewer)

    response = reviewer_http.post(
        f"/api/v1/claims/{claim.pk}/transition/", json={"status": "published", "version": claim.version}
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Four-eyes rule: you wrote part of what would be made public")


def test_an_impossible_transition_is_409(editor_http, draft_claim):
    response = editor_http.post(
        f"/api/v1/claims/{draft_claim.pk}/transition/", json={"status": "in_review", "version": 1}
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "A claim cannot go from draft to in_review (allowed from draft: researching).",
        "code": "invalid_transition",
        "errors": {"status": ["Cannot go from draft to in_review."]},
    }


def test_evidence_is_edited_and_removed_with_the_claims_version(reviewer2_http, researched_claim, editor):
    # Evidence is edited in place while the claim is researched (a published claim's takes a correction).
    services.evidence_add(
        claim=researched_claim, by=editor, url="https://example.org/asem2", title="ASEM2", publisher="P"
    )
    researched_claim.refresh_from_db()
    evidence = researched_claim.evidence.order_by("id").first()
    url = f"/api/v1/claims/{researched_claim.pk}/evidence/{evidence.pk}/"

    edited = reviewer2_http.patch(url, json={"title": "Nota diplomatik", "version": researched_claim.version})
    assert edited.status_code == 200, edited.text
    assert [e["title"] for e in edited.json()["evidence"]] == ["Nota diplomatik", "ASEM2"]

    stale = reviewer2_http.delete(f"{url}?version={researched_claim.version}")
    assert stale.status_code == 412
    removed = reviewer2_http.delete(url, headers={"If-Match": edited.headers["ETag"]})
    assert removed.status_code == 200, removed.text
    assert [e["title"] for e in removed.json()["evidence"]] == ["ASEM2"]
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize("written", ["full-width", "underscored", "signed"])
def test_a_removal_s_version_is_written_in_ascii_digits(reviewer2_http, researched_claim, written):
    # int() reads "１", "1_0" and "+1" as numbers; the schema's integer is none of them.
    version = str(researched_claim.version)
    raw = {
        "full-width": "".join(chr(0xFF10 + int(digit)) for digit in version),
        "underscored": "_".join(version) if len(version) > 1 else f"0_{version}",
        "signed": f"+{version}",
    }[written]
    evidence = researched_claim.evidence.order_by("id").first()

    response = reviewer2_http.delete(f"/api/v1/claims/{researched_claim.pk}/evidence/{evidence.pk}/?version={raw}")

    assert response.status_code == 400, response.text
    assert list(response.json()["errors"]) == ["version"]
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_of_a_published_claim_is_not_edited_in_place(reviewer2_http, published_claim, second_claim):
    evidence = second_claim.evidence.order_by("id").first()
    url = f"/api/v1/claims/{second_claim.pk}/evidence/{evidence.pk}/"
    rule = f"Claim {second_claim.pk} is published: what readers see changes only through a correction"

    edited = reviewer2_http.patch(url, json={"title": "Nota diplomatik", "version": second_claim.version})
    removed = reviewer2_http.delete(f"{url}?version={second_claim.version}")
    added = reviewer2_http.post(
        f"/api/v1/claims/{second_claim.pk}/evidence/",
        json={"url": "https://example.org/baru", "title": "Baru", "publisher": "P", "version": second_claim.version},
    )

    for response in (edited, removed, added):
        assert response.status_code == 409, response.text
        assert response.json()["detail"].startswith(rule)
        assert f"POST /api/v1/claims/{second_claim.pk}/revisions/" in response.json()["detail"]
    assert [e.title for e in second_claim.evidence.order_by("id")] == ["Nota 1", "Nota 2"]
    version = second_claim.version
    second_claim.refresh_from_db()
    assert second_claim.version == version


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "field"),
    [
        ("post", "/api/v1/claims/", {"data": "{not json", "headers": {"Content-Type": "application/json"}}, None),
        ("post", "/api/v1/claims/", {"json": ["a", "list"]}, "non_field_errors"),
        ("post", "/api/v1/claims/", {"json": {"article": "x", "start": 0, "end": 5}}, "article"),
        ("post", "/api/v1/claims/", {"json": {"article": 99999999999999999999, "start": 0, "end": 5}}, "article"),
        ("post", "/api/v1/claims/", {"json": {"article": 1, "start": -1, "end": 5}}, "start"),
        ("post", "/api/v1/claims/", {"json": {"article": 1, "start": 0, "end": 5, "status": "published"}}, "status"),
        ("post", "/api/v1/claims/", {"json": {"article": 1, "start": 0, "end": 5, "rating": "bogus"}}, "rating"),
        ("post", "/api/v1/claims/", {"json": {"article": 1, "start": 0, "end": 5, "statement": "\x00"}}, "statement"),
        (
            "post",
            "/api/v1/claims/",
            {"data": "a=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
            None,
        ),
        ("patch", "/api/v1/claims/{pk}/", {"json": {"version": "one"}}, "version"),
        ("patch", "/api/v1/claims/{pk}/", {"json": {"checkable": "maybe", "version": 1}}, "checkable"),
        ("patch", "/api/v1/claims/{pk}/", {"json": {"claimant": "x"}, "headers": {"If-Match": "garbage"}}, "If-Match"),
        (
            "patch",
            "/api/v1/claims/{pk}/",
            {"json": {"claimant": "x"}, "headers": {"If-Match": '"claim-999-v1"'}},
            "If-Match",
        ),
        ("post", "/api/v1/claims/{pk}/transition/", {"json": {"status": "flying", "version": 1}}, "status"),
        (
            "post",
            "/api/v1/claims/{pk}/evidence/",
            {"json": {"url": "javascript:alert(1)", "title": "t", "publisher": "p", "version": 1}},
            "url",
        ),
        (
            "post",
            "/api/v1/claims/{pk}/evidence/",
            {
                "json": {
                    "url": "https://a.example",
                    "title": "t",
                    "publisher": "p",
                    "published_on": "yesterday",
                    "version": 1,
                }
            },
            "published_on",
        ),
        ("get", "/api/v1/claims/?updated_since=last+tuesday", {}, "updated_since"),
        ("get", "/api/v1/claims/?article=abc", {}, "article"),
        ("get", "/api/v1/claims/?article=99999999999999999999999", {}, "article"),
        ("get", "/api/v1/claims/?rating=bogus", {}, "rating"),
        ("get", "/api/v1/claims/?language=fr", {}, "language"),
        ("get", "/api/v1/claims/?q=%00", {}, "q"),
        ("get", "/api/v1/claims/?page_size=1000", {}, "page_size"),
        ("get", "/api/v1/claims/?cursor=not-a-cursor", {}, "cursor"),
        ("get", "/api/v1/claims/?cursor=WyJ4IiwxXQ", {}, "cursor"),
        ("get", "/api/v1/claims/{pk}/claimreview/?language=xx", {}, "language"),
        ("get", "/api/v1/claims/99999999999999999999999/", {}, None),
    ],
)
def test_bad_input_is_a_4xx_in_the_one_error_format_never_a_500(editor_http, draft_claim, method, path, kwargs, field):
    response = getattr(editor_http, method)(path.format(pk=draft_claim.pk), **kwargs)

    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert set(body) >= {"detail", "errors"} and body["detail"]
    if field:
        assert response.status_code == 400
        assert field in body["errors"], body


def test_only_the_newsroom_may_filter_by_a_status_that_is_not_public(http, editor_http, draft_claim):
    refused = http.get("/api/v1/claims/?status=draft")
    drafts = editor_http.get("/api/v1/claims/?status=draft")

    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Invalid input. status: Only editors and reviewers may list claims that are not public.",
        "code": "invalid",
        "errors": {"status": ["Only editors and reviewers may list claims that are not public."]},
    }
    assert [c["id"] for c in drafts.json()["results"]] == [draft_claim.pk]


def test_an_unknown_api_path_is_a_json_404(http):
    response = http.get("/api/v2/claims/")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No API endpoint at /api/v2/claims/. See /api/docs/.",
        "code": "not_found",
        "errors": {},
    }
