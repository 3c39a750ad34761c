"""Hostile and malformed input through the API: refused with a 4xx that names the field, or stored verbatim
and served as JSON (never HTML) that browsers will not sniff."""

from __future__ import annotations

import json
import math

import pytest
from django.conf import settings

from factcheck.claims.models import Claim, Evidence
from factcheck.lib.text_repair import MAX_ARTICLE_BYTES
from factcheck.partners.services import create_partner_with_key
from tests.api.conftest import client_with, user_key

from .hostile import CLAIM_TEXT_LIMITS, URLS_REFUSED, hostile

EVIDENCE_TEXT_FIELDS = {"title": 400, "publisher": 200, "excerpt": 10_000}


@pytest.fixture
def api(editor):
    return client_with(user_key(editor))


def evidence_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/evidence/"


def good_evidence(claim, **overrides) -> dict:
    return {"url": "https://example.org/a", "title": "t", "publisher": "p", "version": claim.version, **overrides}


def post_evidence(api, claim, **fields):
    return api.post(evidence_url(claim), good_evidence(claim, **fields), format="json")


def assert_refused(response, field: str, status: int = 400) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"]
    assert field in body["errors"], body


# --- stored verbatim, served as JSON ---------------------------------------------------------------


def test_hostile_text_in_every_claim_and_evidence_field_is_stored_verbatim_and_served_as_json(api, article):
    fields = {name: hostile(name, limit) for name, limit in CLAIM_TEXT_LIMITS.items()}
    created = api.post("/api/v1/claims/", {"article": article.pk, "start": 0, "end": 10, **fields}, format="json")
    assert created.status_code == 201, created.content
    claim = Claim.objects.get(pk=created.json()["id"])
    evidence = {name: hostile(name, limit) for name, limit in EVIDENCE_TEXT_FIELDS.items()}
    added = api.post(evidence_url(claim), good_evidence(claim, **evidence), format="json")
    assert added.status_code == 201, added.content

    response = api.get(f"/api/v1/claims/{claim.pk}/")

    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.json()
    assert data["statement"] == {"id": fields["statement"], "en": fields["statement_en"]}
    assert data["verdict"] == {"id": fields["verdict"], "en": fields["verdict_en"]}
    assert data["claimant"] == fields["claimant"]
    assert {k: data["evidence"][0][k] for k in evidence} == evidence
    claim.refresh_from_db()
    assert claim.statement == fields["statement"] and claim.evidence.get().excerpt == evidence["excerpt"]


# --- refused, naming the field ---------------------------------------------------------------------


@pytest.mark.parametrize("field", ["url", "archived_url"])
@pytest.mark.parametrize("url", URLS_REFUSED)
def test_evidence_urls_must_be_http_or_https(api, draft_claim, field, url):
    response = post_evidence(api, draft_claim, **{field: url})

    assert_refused(response, field)
    assert response.json()["errors"][field] == ["Enter a valid http:// or https:// URL."]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("url", URLS_REFUSED)
def test_evidence_urls_cannot_be_changed_to_another_scheme(api, researched_claim, reviewer2, url):
    evidence = researched_claim.evidence.get()
    reviewer_api = client_with(user_key(reviewer2))

    response = reviewer_api.patch(
        f"/api/v1/claims/{researched_claim.pk}/evidence/{evidence.pk}/",
        {"url": url, "version": researched_claim.version},
        format="json",
    )

    assert_refused(response, "url")
    evidence.refresh_from_db()
    assert evidence.url == "https://example.org/asem1"


@pytest.mark.parametrize("url", URLS_REFUSED)
def test_a_correction_cannot_change_an_evidence_url_to_another_scheme(api, published_claim, reviewer2, url):
    """A published claim's sources change through a proposed revision: its URLs are checked the same way."""
    evidence = published_claim.evidence.get()
    reviewer_api = client_with(user_key(reviewer2))

    response = reviewer_api.post(
        f"/api/v1/claims/{published_claim.pk}/revisions/",
        {"evidence": [{"id": evidence.pk, "url": url}], "note": "Tautan diganti.", "version": published_claim.version},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"]
    assert body["errors"] == {"evidence.0.url": ["Enter a valid http:// or https:// URL."]}
    assert not published_claim.revisions.exists()
    evidence.refresh_from_db()
    assert evidence.url == "https://example.org/asem1"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:,x", "ftp://example.org/"])
def test_webhook_urls_must_be_web_addresses(db, url):
    partner_api = client_with(create_partner_with_key(name="Mitra")[1])

    response = partner_api.post("/api/v1/webhooks/", {"url": url, "events": ["claim.published"]}, format="json")

    assert_refused(response, "url")


@pytest.mark.parametrize(("field", "limit"), [*CLAIM_TEXT_LIMITS.items()][:3])
def test_over_long_claim_fields_are_refused_naming_the_limit(api, article, field, limit):
    response = api.post(
        "/api/v1/claims/", {"article": article.pk, "start": 0, "end": 10, field: "x" * (limit + 1)}, format="json"
    )

    assert_refused(response, field)
    assert response.json()["errors"][field] == [f"Ensure this field has no more than {limit} characters."]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x" * 401),
        ("publisher", "x" * 201),
        ("url", "https://e.org/" + "x" * 990),
        ("archived_url", "x" * 1001),
    ],
)
def test_over_long_evidence_fields_are_refused(api, draft_claim, field, value):
    assert_refused(post_evidence(api, draft_claim, **{field: value}), field)


@pytest.mark.parametrize("field", [*CLAIM_TEXT_LIMITS, "rating"])
def test_nul_bytes_in_claim_fields_are_refused(api, article, field):
    response = api.post(
        "/api/v1/claims/", {"article": article.pk, "start": 0, "end": 10, field: "a\x00b"}, format="json"
    )

    assert_refused(response, field)
    assert not Claim.objects.exists()


@pytest.mark.parametrize("field", [*EVIDENCE_TEXT_FIELDS, "url", "archived_url"])
def test_nul_bytes_in_evidence_fields_are_refused(api, draft_claim, field):
    value = "https://example.org/\x00" if "url" in field else "a\x00b"
    assert_refused(post_evidence(api, draft_claim, **{field: value}), field)


def test_nul_bytes_in_notes_and_reasons_are_refused(api, draft_claim):
    path = f"/api/v1/claims/{draft_claim.pk}/"
    version = draft_claim.version
    assert_refused(api.patch(path, {"claimant": "x", "reason": "a\x00", "version": version}, format="json"), "reason")
    assert_refused(api.patch(path, {"claimant": "x", "note": "a\x00", "version": version}, format="json"), "note")
    assert_refused(
        api.post(path + "transition/", {"status": "dismissed", "note": "a\x00", "version": version}, format="json"),
        "note",
    )


def test_lone_surrogates_are_refused_naming_the_field(api, article):
    body = '{"article": ARTICLE, "start": 0, "end": 10, "claimant": "a\\ud800b"}'.replace("ARTICLE", str(article.pk))

    assert_refused(api.post("/api/v1/claims/", body, content_type="application/json"), "claimant")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"stance": "\\ud800"}', "stance"),  # a choice: its error quotes the value back
        ('{"\\ud800": 1}', "\ud800"),  # an unknown field: its error is named by it
    ],
)
def test_a_lone_surrogate_quoted_back_in_an_error_is_a_400_with_json_escapes(api, draft_claim, body, field):
    """Found: UTF-8 cannot encode the surrogate the error quotes, and DRF's renderer failed outside Django."""
    fields = json.loads(body) | {"url": "https://example.org/a", "title": "t", "publisher": "p"}
    raw = json.dumps(fields | {"version": draft_claim.version})  # ASCII, with the surrogate as \ud800

    response = api.post(evidence_url(draft_claim), raw, content_type="application/json")

    assert_refused(response, field)
    assert b"\\ud800" in response.content


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (-1, 10, "start"),
        (0, -5, "end"),
        (20, 10, "end"),  # crossed
        (10, 10, "end"),  # empty
        (0, 10**6, "end"),  # past the body
        (2**31, 2**31 + 1, "start"),
    ],
)
def test_negative_crossed_and_outside_spans_are_refused(api, article, start, end, field):
    response = api.post("/api/v1/claims/", {"article": article.pk, "start": start, "end": end}, format="json")

    assert_refused(response, field)
    assert not Claim.objects.exists()


def test_an_edit_cannot_cross_the_span(api, draft_claim):
    response = api.patch(
        f"/api/v1/claims/{draft_claim.pk}/",
        {"start": draft_claim.end, "end": draft_claim.start, "version": draft_claim.version},
        format="json",
    )

    assert_refused(response, "end")
    draft_claim.refresh_from_db()
    assert draft_claim.version == 1


@pytest.mark.parametrize("rating", ["bogus", "TRUE", "<script>", "1"])
def test_unknown_ratings_are_refused(api, draft_claim, rating):
    response = api.patch(
        f"/api/v1/claims/{draft_claim.pk}/", {"rating": rating, "version": draft_claim.version}, format="json"
    )

    assert_refused(response, "rating")


@pytest.mark.parametrize("status", ["flying", "PUBLISHED", "", "<script>"])
def test_unknown_statuses_are_refused(api, draft_claim, status):
    response = api.post(
        f"/api/v1/claims/{draft_claim.pk}/transition/",
        {"status": status, "version": draft_claim.version},
        format="json",
    )

    assert_refused(response, "status")
    draft_claim.refresh_from_db()
    assert draft_claim.status == "draft"


def test_a_status_cannot_be_set_by_creating_or_editing(api, article, draft_claim):
    assert_refused(
        api.post(
            "/api/v1/claims/", {"article": article.pk, "start": 0, "end": 10, "status": "published"}, format="json"
        ),
        "status",
    )
    assert_refused(
        api.patch(f"/api/v1/claims/{draft_claim.pk}/", {"status": "published", "version": 1}, format="json"), "status"
    )


@pytest.mark.parametrize("stance", ["bogus", "<script>"])
def test_unknown_evidence_stances_are_refused(api, draft_claim, stance):
    assert_refused(post_evidence(api, draft_claim, stance=stance), "stance")


# --- malformed bodies ------------------------------------------------------------------------------


def test_the_request_body_limit_is_set_and_carries_the_largest_article_to_the_import_confirm(settings):
    largest_confirm = math.ceil(MAX_ARTICLE_BYTES / 3) * 4 + 64 * 1024  # the text as base64, metadata and spans

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 3_145_728 >= largest_confirm


def test_a_huge_json_body_is_a_413_in_the_error_format(api, article):
    """Found: over DATA_UPLOAD_MAX_MEMORY_SIZE, Django's HTML "Bad Request (400)" page came back."""
    body = json.dumps(
        {"article": article.pk, "start": 0, "end": 10, "verdict": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    )

    response = api.post("/api/v1/claims/", body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The request body is too large: the API accepts at most 3,145,728 bytes.",
        "code": "request_too_large",
        "errors": {},
    }
    assert not Claim.objects.exists()


def test_a_large_body_under_the_limit_is_judged_on_its_fields(api, article):
    body = json.dumps({"article": article.pk, "start": 0, "end": 10, "statement": "x" * 2_000_000})

    assert_refused(api.post("/api/v1/claims/", body, content_type="application/json"), "statement")


def test_413_is_documented_for_every_operation_with_a_body(api):
    schema = api.get("/api/schema/?format=json").json()
    with_body = [op for item in schema["paths"].values() for op in item.values() if "requestBody" in op]

    assert len(with_body) == 11  # with a revision's proposal and its approval, rejection and withdrawal
    assert all("413" in op["responses"] for op in with_body)


@pytest.mark.parametrize("depth", [10_000, 100_000])
@pytest.mark.parametrize("opener, closer", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json_is_a_400_not_a_500(api, draft_claim, depth, opener, closer):
    """Found: Python's JSON decoder raised RecursionError, which DRF let through as a 500."""
    body = opener * depth + "1" + closer * depth

    response = api.patch(f"/api/v1/claims/{draft_claim.pk}/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - the body is nested too deeply.",
        "code": "parse_error",
        "errors": {},
    }


def test_nested_json_inside_a_field_is_refused_naming_the_field(api, draft_claim):
    nested = json.loads("[" * 200 + "]" * 200)

    response = api.patch(
        f"/api/v1/claims/{draft_claim.pk}/", {"verdict": nested, "version": draft_claim.version}, format="json"
    )

    assert_refused(response, "verdict")


@pytest.mark.parametrize(
    "body",
    [b'{"claimant": "a\xff\xfeb"}', b"\xef\xbb\xbf{}", b'{"claimant": "x",}', b"", b"null", b'"text"', b"[1, 2]"],
)
def test_malformed_json_bodies_are_4xx(api, draft_claim, body):
    response = api.patch(f"/api/v1/claims/{draft_claim.pk}/", body, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
