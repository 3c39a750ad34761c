"""The OpenAPI schema is a contract generated clients can rely on: every filter and header, anonymous reads,
limits, error bodies and the server's address are declared, and what is declared is what the API does.

The fuzzing in tests/fuzz/test_api_fuzz.py then holds the API to it with every check of schemathesis.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.urls import URLResolver, get_resolver

from factcheck.api.exceptions import ERROR_CODES

from .conftest import client_with, operations


def parameters(operation: dict) -> dict[str, dict]:
    return {p["name"]: p for p in operation.get("parameters", [])}


def test_the_claims_list_declares_every_filter_and_header_it_takes(schema):
    declared = parameters(schema["paths"]["/api/v1/claims/"]["get"])

    assert {"updated_since", "rating", "article", "language", "status", "q", "cursor", "page_size"} <= set(declared)
    assert declared["If-None-Match"]["in"] == "header"
    assert declared["updated_since"]["schema"]["format"] == "date-time"
    assert declared["page_size"]["schema"].items() >= {"minimum": 1, "maximum": 100}.items()
    assert declared["article"]["schema"]["minimum"] == 1
    assert set(declared["language"]["schema"]["enum"]) == {"id", "en"}
    assert "published" in declared["status"]["schema"]["enum"]
    assert declared["q"]["schema"]["maxLength"] == 500
    # django-filter reads ?rating= as not given: the schema says an empty value is allowed.
    assert all(declared[name].get("allowEmptyValue") for name in ("updated_since", "rating", "cursor", "page_size"))
    patch = parameters(schema["paths"]["/api/v1/claims/{id}/"]["patch"])
    assert patch["If-Match"]["in"] == "header"


def filtered_lists() -> dict[str, type]:
    """Every API address whose view takes a filter set, found through the URL resolver, whichever module holds it."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), getattr(pattern.callback, "cls", None)

    return {
        f"/{route}": view
        for route, view in walk(get_resolver().url_patterns, "")
        if route.startswith("api/") and getattr(view, "filterset_class", None)
    }


def test_every_filter_a_list_takes_is_declared(schema):
    """Derived from the views' filter sets: a filter added to one and not to the schema fails here."""
    lists = filtered_lists()

    assert {"/api/v1/claims/", "/api/v1/articles/", "/api/v1/claimreview/"} <= set(lists)
    for path, view in lists.items():
        taken = set(view.filterset_class.base_filters)
        assert taken <= set(parameters(schema["paths"][path]["get"])), (path, taken)


def test_the_declared_filters_work(schema, published_claim, second_claim, anon_client):
    """Each filter the schema declares narrows the list as documented (a filter the server ignored would not)."""
    everything = {c["id"] for c in anon_client.get("/api/v1/claims/").json()["results"]}
    false_ones = {c["id"] for c in anon_client.get("/api/v1/claims/?rating=false").json()["results"]}
    english = {c["id"] for c in anon_client.get("/api/v1/claims/?language=en").json()["results"]}
    later = anon_client.get("/api/v1/claims/?updated_since=2999-01-01T00:00:00Z").json()["results"]

    assert everything == {published_claim.pk, second_claim.pk}
    assert false_ones == {second_claim.pk}
    assert english == {published_claim.pk}  # the second claim has no English statement
    assert later == []
    assert anon_client.get(f"/api/v1/claims/?article={published_claim.article_id + 1}").json()["results"] == []
    assert anon_client.get("/api/v1/claims/?status=draft").status_code == 400


def test_reads_are_declared_open_to_anonymous_clients_and_partner_tools_are_not(schema):
    anonymous_read = [{}, {"ApiKey": []}, {"cookieAuth": []}]
    for path, method, operation in operations(schema):
        if method == "get" and not path.startswith(("/api/v1/webhooks/", "/api/v1/claims/{id}/revisions/")):
            assert operation["security"][: len(anonymous_read)] == anonymous_read, (path, method)
        else:
            assert {} not in operation["security"], (path, method)


def test_limits_are_declared(schema):
    search = parameters(schema["paths"]["/api/v1/factcheck/claims:search"]["get"])
    webhook = schema["components"]["schemas"]["WebhookEndpointRequest"]["properties"]["url"]

    # 0 means the default, as at Google (pageSize) and "any age" (maxAgeDays): negatives are refused.
    assert search["pageSize"]["schema"]["minimum"] == 0
    assert search["maxAgeDays"]["schema"]["minimum"] == 0
    assert webhook["format"] == "uri"
    assert webhook["maxLength"] == 1000
    for path, _, operation in operations(schema):
        if "page_size" in parameters(operation):
            assert parameters(operation)["page_size"]["schema"].items() >= {"minimum": 1, "maximum": 100}.items(), path


def test_response_headers_are_declared(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        for status, response in responses.items():
            headers = response.get("headers", {})
            assert headers["X-Request-ID"]["required"] is True, (path, method, status)
            assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(headers)
            if status in ("429", "503"):
                assert headers["Retry-After"]["required"] is True, (path, method, status)
        if method == "get":
            assert responses["200"]["headers"]["ETag"]["required"] is True, path
            if "cursor" in parameters(operation):
                assert "Link" in responses["200"]["headers"], path


def test_every_error_answer_is_declared_as_a_json_body_with_a_code(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) >= {"detail", "code", "errors"}
    for code in ERROR_CODES:
        assert f"`{code}`" in error["properties"]["code"]["description"]
    for path, method, operation in operations(schema):
        assert {"401", "429", "500", "503"} <= set(operation["responses"]), (path, method)
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            body = response["content"]["application/json"]["schema"]
            expected = "GoogleError" if path.startswith("/api/v1/factcheck/") else ("StaleError", "Error")
            assert body["$ref"].rsplit("/", 1)[-1] in expected, (path, method, status)


def test_the_servers_are_the_portals_public_address(settings, anon_client):
    settings.SITE_URL = "https://cekfakta.example"

    served = anon_client.get("/api/schema/?format=json").json()

    assert served["servers"] == [{"url": "https://cekfakta.example", "description": "This portal (SITE_URL)."}]


def test_served_errors_match_the_declared_error_body(schema, published_claim, partner_key, revoked_key, anon_client):
    error = {**schema["components"]["schemas"]["Error"], "components": schema["components"]}
    answers = [
        anon_client.get("/api/v1/claims/?page_size=0"),
        anon_client.get("/api/v1/claims/a%0Ab/"),
        client_with(revoked_key).get("/api/v1/claims/"),
        anon_client.post("/api/v1/claims/", {}, format="json"),
        client_with(partner_key).post("/api/v1/claims/", {}, format="json"),
    ]
    for answer in answers:
        assert answer["Content-Type"] == "application/json"
        jsonschema.validate(answer.json(), error)
        assert answer.has_header("X-Request-ID")


# --- what the fuzzing found -----------------------------------------------------------------------------


@pytest.mark.parametrize("site", ["[", "[x]", "[]/a", "http://[::1", "example.org:99999"])
def test_a_publisher_site_that_is_no_address_matches_nothing(db, anon_client, site):
    """urlsplit raises on a bracketed host that is not an IP address: that was a 500."""
    answer = anon_client.get("/api/v1/factcheck/claims:search", {"reviewPublisherSiteFilter": site})

    assert answer.status_code == 200
    assert answer.json() == {}


def test_an_unexpected_error_under_factcheck_is_in_googles_shape(rf):
    from factcheck.api.exceptions import server_error

    google = server_error(rf.get("/api/v1/factcheck/v1alpha1/claims:search"))
    ours = server_error(rf.get("/api/v1/claims/"))

    assert google.status_code == ours.status_code == 500
    assert json.loads(google.content)["error"]["status"] == "INTERNAL"
    assert json.loads(ours.content)["code"] == "server_error"


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/articles/", "/api/v1/claimreview/"])
def test_a_time_with_any_offset_iso_8601_allows_is_read_not_a_500(db, anon_client, path):
    """Found by the fuzzing on PostgreSQL, which refuses offsets beyond ±15:59: the filter reads times in UTC."""
    for value in ("0671-09-29T06:17:59-17:10", "2026-01-31T08:00:00+23:59", "0001-01-01T00:00:00+01:00"):
        answer = anon_client.get(path, {"updated_since": value})
        assert answer.status_code in (200, 400), (value, answer.status_code)
