"""Google Fact Check Tools compatibility: claims:search as Google's clients call it, with Google's errors."""

from __future__ import annotations

import json

import httplib2
import pytest
from django.conf import settings
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from factcheck.claims.models import Claim
from factcheck.partners.services import create_partner_with_key
from tests.conftest import REQUEST_CEILING_SECONDS

from .conftest import client_with, user_key

SEARCH = "/api/v1/factcheck/claims:search"
GOOGLE_PATH = "/api/v1/factcheck/v1alpha1/claims:search"


@pytest.fixture
def google_http():
    """Google's client keeps its connection open: closed before the live server's database goes away."""
    http = httplib2.Http(timeout=REQUEST_CEILING_SECONDS, proxy_info=None)
    yield http
    http.close()


def google_client(live_server, http: httplib2.Http, key: str):
    """Google's own client, from the discovery document it ships, given the base URL docs/api.md gives."""
    return build(
        "factchecktools",
        "v1alpha1",
        developerKey=key,
        static_discovery=True,
        client_options={"api_endpoint": live_server.url + "/api/v1/factcheck/"},
        http=http,
    )


def texts(answer: dict) -> list[str]:
    return [claim["text"] for claim in answer.get("claims", [])]


def test_googles_client_pages_through_the_search_with_offset_and_page_tokens(
    live_server, demo, django_db_serialized_rollback, google_http
):
    _, key = create_partner_with_key(name="Mitra Google", contact_email="google@mitra.example")
    newest_first = Claim.objects.filter(status=Claim.Status.PUBLISHED).order_by("-published_at", "-id")
    expected = [claim.statement_en for claim in newest_first]
    assert len(expected) == 15 and all(expected)
    claims = google_client(live_server, google_http, key).claims()

    request = claims.search(query="Ukraina", languageCode="en-US", pageSize=2, offset=3)
    assert request.uri.startswith(f"{live_server.url}{GOOGLE_PATH}?")  # the documented base URL, unchanged
    assert f"key={key}" in request.uri and "alt=json" in request.uri
    pages = []
    while request is not None:
        answer = request.execute()
        pages.append(answer)
        request = claims.search_next(request, answer)

    assert [len(page["claims"]) for page in pages] == [2, 2, 2, 2, 2, 2]
    assert [t for page in pages for t in texts(page)] == expected[3:]  # none skipped, none repeated
    assert "nextPageToken" not in pages[-1]
    assert {review["languageCode"] for page in pages for c in page["claims"] for review in c["claimReview"]} == {"en"}

    everything, request = [], claims.search(query="Ukraina", languageCode="id-ID", pageSize=4)
    while request is not None:
        answer = request.execute()
        everything += texts(answer)
        request = claims.search_next(request, answer)
    assert everything == [claim.statement for claim in newest_first]


def test_googles_client_gets_googles_errors(live_server, demo, django_db_serialized_rollback, google_http):
    _, key = create_partner_with_key(name="Mitra Google", contact_email="google@mitra.example")

    with pytest.raises(HttpError) as unknown_language:
        google_client(live_server, google_http, key).claims().search(query="Ukraina", languageCode="fr-FR").execute()
    assert unknown_language.value.status_code == 400
    error = json.loads(unknown_language.value.content)["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert "fr-FR" in unknown_language.value.reason

    with pytest.raises(HttpError) as bad_key:
        google_client(live_server, google_http, "not-a-key").claims().search(query="Ukraina").execute()
    assert bad_key.value.status_code == 400
    assert json.loads(bad_key.value.content) == {
        "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
        }
    }


def test_both_addresses_answer_the_same_search(anon_client, published_claim, second_claim):
    ours = anon_client.get(SEARCH, {"query": "Bangkok"})
    googles = anon_client.get(GOOGLE_PATH, {"query": "Bangkok"})

    assert ours.status_code == googles.status_code == 200
    assert ours.json() == googles.json()
    assert texts(ours.json()) == ["ASEM didirikan di Bangkok pada 1996"]


def test_language_codes_are_bcp47_and_the_region_is_ignored(anon_client, published_claim, second_claim):
    def reviews(code: str) -> list[tuple[str, list[str]]]:
        answer = anon_client.get(SEARCH, {"languageCode": code}).json()
        return [(c["text"], [r["languageCode"] for r in c["claimReview"]]) for c in answer["claims"]]

    english = [("ASEM was founded in Bangkok in 1996", ["en"])]
    assert reviews("en") == reviews("en-US") == reviews("EN-gb") == reviews("en_US") == english
    indonesian = [
        ("Indonesia mengakui Ukraina pada 28 Desember 1991", ["id"]),
        ("ASEM didirikan di Bangkok pada 1996", ["id"]),
    ]
    assert reviews("id") == reviews("id-ID") == reviews("in") == indonesian


@pytest.mark.parametrize("code", ["fr", "fr-FR", "english", "e", "en-", "12"])
def test_an_unknown_language_is_googles_400(anon_client, published_claim, code):
    response = anon_client.get(SEARCH, {"languageCode": code})

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["message"].startswith("languageCode: ") and code in error["message"]
    assert error["details"][0]["fieldViolations"][0]["field"] == "languageCode"


def test_review_publisher_site_filter_is_our_host_exactly(anon_client, published_claim, settings):
    settings.SITE_URL = "https://cekfakta.example"

    def found(site: str) -> int:
        return len(anon_client.get(SEARCH, {"reviewPublisherSiteFilter": site}).json().get("claims", []))

    for ours in ["cekfakta.example", "www.cekfakta.example", "CekFakta.Example", "https://www.cekfakta.example/"]:
        assert found(ours) == 1, ours
    for other in ["fakta.example", "example", "cekfakta.example.evil.org", "evilcekfakta.example", "cekfakta.exam"]:
        assert found(other) == 0, other
    assert found("cekfakta.example:8443") == 0 and found("cekfakta.example:443") == 1


def test_offset_skips_results_on_a_first_page_only(anon_client, published_claim, second_claim):
    assert texts(anon_client.get(SEARCH, {"offset": 1}).json()) == ["ASEM didirikan di Bangkok pada 1996"]
    assert anon_client.get(SEARCH, {"offset": 2}).json() == {}

    first = anon_client.get(SEARCH, {"pageSize": 1, "offset": 0}).json()
    assert texts(first) == ["Indonesia mengakui Ukraina pada 28 Desember 1991"]
    # Google's clients keep every parameter but the token: the token already holds the position.
    second = anon_client.get(SEARCH, {"pageSize": 1, "offset": 1, "pageToken": first["nextPageToken"]}).json()
    assert second == {"claims": second["claims"]} and texts(second) == ["ASEM didirikan di Bangkok pada 1996"]


def test_googles_standard_parameters_are_accepted(partner_key, anon_client, published_claim):
    standard = {
        "key": partner_key,
        "alt": "json",
        "fields": "claims,nextPageToken",
        "prettyPrint": "false",
        "$.xgafv": "2",
        "access_token": "token",
        "oauth_token": "token",
        "callback": "cb",
        "quotaUser": "someone",
        "upload_protocol": "raw",
        "uploadType": "media",
    }
    response = anon_client.get(SEARCH, {"query": "Bangkok", "pageSize": 0, "maxAgeDays": 0, **standard})

    assert response.status_code == 200
    assert texts(response.json()) == ["ASEM didirikan di Bangkok pada 1996"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("pageSize=ten", "pageSize", "pageSize: Invalid value at 'pageSize' (TYPE_INT32), \"ten\"."),
        ("pageSize=-1", "pageSize", "pageSize: pageSize must not be negative."),
        ("pageSize=%EF%BC%91%EF%BC%92", "pageSize", "pageSize: Invalid value at 'pageSize' (TYPE_INT32), \"１２\"."),
        ("offset=99999999999", "offset", "offset: Invalid value at 'offset' (TYPE_INT32), \"99999999999\"."),
        ("maxAgeDays=soon", "maxAgeDays", "maxAgeDays: Invalid value at 'maxAgeDays' (TYPE_INT32), \"soon\"."),
        ("pageToken=%25%25%25", "pageToken", "pageToken: Invalid cursor; use the one from the previous page."),
        ("alt=proto", "alt", "alt: alt=proto is not supported: the answers are JSON (alt=json)."),
        ("q=Bangkok", "q", None),
        ("query=%00", "query", "query: A NUL character is not allowed."),
    ],
)
def test_invalid_parameters_are_googles_400_naming_the_parameter(anon_client, published_claim, query, field, message):
    response = anon_client.get(f"{GOOGLE_PATH}?{query}")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["details"] == [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": error["message"].removeprefix(f"{field}: ")}],
        }
    ]
    if message:
        assert error["message"] == message
    else:
        assert error["message"].startswith(f'{field}: Invalid JSON payload received. Unknown name "{field}"')


def test_a_partner_key_as_the_key_parameter_is_the_partners_key(anon_client, partner_key, published_claim, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/minute"}

    for _ in range(3):  # counted against the partner's limit, not the anonymous one
        assert anon_client.get(SEARCH, {"key": partner_key}).status_code == 200


@pytest.mark.parametrize("which", ["revoked", "newsroom", "unknown"])
def test_a_key_parameter_that_is_not_a_valid_partner_key_is_googles_400(
    anon_client, revoked_key, editor, published_claim, which
):
    key = {"revoked": revoked_key, "newsroom": user_key(editor), "unknown": "nope"}[which]
    response = anon_client.get(SEARCH, {"key": key})

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["message"].startswith("API key not valid. Please pass a valid API key.")
    assert ("revoked" in error["message"]) is (which == "revoked")


def test_the_key_parameter_is_not_a_key_anywhere_else(anon_client, partner_key, published_claim, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/minute"}

    assert anon_client.get("/api/v1/articles/", {"key": partner_key}).status_code == 200
    assert anon_client.get("/api/v1/articles/", {"key": partner_key}).status_code == 429


def test_every_error_on_these_paths_is_googles(anon_client, partner_key, revoked_key, published_claim, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/minute"}
    assert anon_client.get(SEARCH).status_code == 200
    throttled = anon_client.get(SEARCH)
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert throttled.json()["error"]["code"] == 429
    assert throttled.json()["error"]["status"] == "RESOURCE_EXHAUSTED"

    revoked = client_with(revoked_key).get(SEARCH)
    assert revoked.status_code == 401
    assert revoked.json() == {
        "error": {"code": 401, "message": "This API key was revoked.", "status": "UNAUTHENTICATED"}
    }
    written = client_with(partner_key).post(GOOGLE_PATH, {}, format="json")
    assert written.status_code == 403
    assert written.json() == {
        "error": {"code": 403, "message": "Partner keys are read-only.", "status": "PERMISSION_DENIED"}
    }
    missing = client_with(partner_key).get("/api/v1/factcheck/v1alpha1/claims:lookup")
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == "NOT_FOUND"
    assert missing.json()["error"]["message"].startswith("No method at /api/v1/factcheck/v1alpha1/claims:lookup.")


def test_an_empty_answer_is_an_empty_object_as_googles(anon_client, published_claim):
    assert anon_client.get(SEARCH, {"query": "tidak-ada-yang-cocok"}).json() == {}


def test_fields_selects_a_partial_response_as_at_google(anon_client, published_claim, second_claim):
    def search(fields: str) -> dict:
        return anon_client.get(SEARCH, {"languageCode": "en", "pageSize": 1, "fields": fields}).json()

    assert search("claims(text,claimReview(url,textualRating))") == {
        "claims": [
            {
                "text": "ASEM was founded in Bangkok in 1996",
                "claimReview": [
                    {
                        "url": f"{settings.SITE_URL}/en/claims/asem-was-founded-in-bangkok-in-1996/",
                        "textualRating": "True",
                    }
                ],
            }
        ]
    }
    assert search("claims/claimReview/publisher/name") == {
        "claims": [{"claimReview": [{"publisher": {"name": "Cek Fakta Portal"}}]}]
    }
    assert search("nextPageToken") == {}  # the last page
    assert search("claims/text, nextPageToken") == search("claims(text),nextPageToken") != {}

    nested = anon_client.get(SEARCH, {"fields": "a(" * 5000})
    assert nested.status_code == 400
    assert nested.json()["error"]["message"] == "fields: The field selection is longer than 500 characters."
    broken = anon_client.get(SEARCH, {"fields": "claims(text"})
    assert broken.status_code == 400
    assert broken.json()["error"]["message"] == "fields: Invalid field selection 'claims(text': a ( is not closed."
