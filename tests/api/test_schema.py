"""The OpenAPI schema validates, describes every operation, and matches what the endpoints answer."""

from __future__ import annotations

import re

import jsonschema
import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import validate

from factcheck.partners.services import webhook_endpoint_create

from .conftest import client_with, operations, user_key


def test_the_schema_is_valid_openapi_3_1(schema):
    assert schema["openapi"].startswith("3.1")
    validate(schema)  # openapi-spec-validator
    validate_schema(schema)  # drf-spectacular's own check


def test_every_operation_parameter_and_error_is_described(schema):
    assert "X-Factcheck-Signature" in schema["info"]["description"]  # the webhook verification snippet
    assert "hmac.compare_digest" in schema["info"]["description"]
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (path, method)
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, method, parameter["name"])
        statuses = set(operation["responses"])
        assert "429" in statuses, (path, method)
        assert {"401"} <= statuses, (path, method)  # a bad key is refused everywhere
        for status, response in operation["responses"].items():
            assert response.get("description"), (path, method, status)
        if method in {"patch", "delete"} or path.endswith(("transition/", "evidence/")) and method == "post":
            if path.startswith("/api/v1/claims/"):
                assert {"412", "428", "409"} <= statuses, (path, method)


def test_the_paths_are_the_documented_endpoints(schema):
    assert sorted(schema["paths"]) == [
        "/api/v1/",
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/claimreview/",
        "/api/v1/claims/",
        "/api/v1/claims/similar/",
        "/api/v1/claims/{id}/",
        "/api/v1/claims/{id}/claimreview/",
        "/api/v1/claims/{id}/evidence/",
        "/api/v1/claims/{id}/evidence/{evidence_pk}/",
        "/api/v1/claims/{id}/history/",
        "/api/v1/claims/{id}/revisions/",
        "/api/v1/claims/{id}/revisions/{revision_pk}/approve/",
        "/api/v1/claims/{id}/revisions/{revision_pk}/reject/",
        "/api/v1/claims/{id}/revisions/{revision_pk}/withdraw/",
        "/api/v1/claims/{id}/transition/",
        "/api/v1/factcheck/claims:search",
        "/api/v1/ratings/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
        "/api/v1/webhooks/{id}/deliveries/",
        "/api/v1/webhooks/{id}/deliveries/{delivery_pk}/redeliver/",
        "/api/v1/webhooks/{id}/ping/",
        "/api/v1/webhooks/{id}/rotate-secret/",
    ]


def response_schema(schema: dict, path: str, method: str, status: int, content_type: str = "application/json"):
    body = schema["paths"][path][method]["responses"][str(status)]["content"][content_type]["schema"]
    return {**body, "components": schema["components"]}


def test_responses_match_the_schema(schema, published_claim, second_claim, partner, partner_key, anon_client):
    endpoint = webhook_endpoint_create(partner=partner, url="https://hooks.example/a", events=["claim.published"])
    partner_client = client_with(partner_key)
    claim, article = published_claim.pk, published_claim.article_id
    evidence = published_claim.evidence.get().pk
    checks = [
        (anon_client, "/api/v1/claims/", "/api/v1/claims/", "application/json"),
        (anon_client, f"/api/v1/claims/{claim}/", "/api/v1/claims/{id}/", "application/json"),
        (anon_client, f"/api/v1/claims/{claim}/history/", "/api/v1/claims/{id}/history/", "application/json"),
        (
            anon_client,
            f"/api/v1/claims/{claim}/evidence/{evidence}/",
            "/api/v1/claims/{id}/evidence/{evidence_pk}/",
            "application/json",
        ),
        (anon_client, "/api/v1/claimreview/", "/api/v1/claimreview/", "application/ld+json"),
        (anon_client, "/api/v1/articles/", "/api/v1/articles/", "application/json"),
        (anon_client, f"/api/v1/articles/{article}/", "/api/v1/articles/{id}/", "application/json"),
        (anon_client, "/api/v1/ratings/", "/api/v1/ratings/", "application/json"),
        (
            anon_client,
            "/api/v1/factcheck/claims:search?pageSize=1",
            "/api/v1/factcheck/claims:search",
            "application/json",
        ),
        (partner_client, "/api/v1/webhooks/", "/api/v1/webhooks/", "application/json"),
        (partner_client, f"/api/v1/webhooks/{endpoint.pk}/", "/api/v1/webhooks/{id}/", "application/json"),
        (
            partner_client,
            f"/api/v1/webhooks/{endpoint.pk}/deliveries/",
            "/api/v1/webhooks/{id}/deliveries/",
            "application/json",
        ),
    ]
    for client, url, path, content_type in checks:
        response = client.get(url)
        assert response.status_code == 200, url
        jsonschema.validate(response.json(), response_schema(schema, path, "get", 200, content_type))

    missing = anon_client.get("/api/v1/claims/999999/")
    jsonschema.validate(missing.json(), response_schema(schema, "/api/v1/claims/{id}/", "get", 404))


def test_a_response_that_breaks_the_schema_is_caught(schema):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"next": None, "results": [{"id": "one"}]}, response_schema(schema, "/api/v1/claims/", "get", 200)
        )


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_interactive_docs_load_nothing_from_outside_the_portal(anon_client, path):
    response = anon_client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", html)
    assert assets
    for asset in assets:
        assert finders.find(asset), asset


def test_the_revision_responses_match_the_schema(schema, published_claim, editor, reviewer2):
    """The newsroom's revision endpoints answer what the schema says: the list, a proposal, a decision."""
    editor_client, reviewer2_client = client_with(user_key(editor)), client_with(user_key(reviewer2))
    base = f"/api/v1/claims/{published_claim.pk}/revisions/"
    proposed = editor_client.post(
        base,
        {"changes": {"verdict": "Benar: KTT pertama ASEM."}, "note": "Diperjelas.", "version": published_claim.version},
        format="json",
    )
    assert proposed.status_code == 201, proposed.json()
    jsonschema.validate(proposed.json(), response_schema(schema, "/api/v1/claims/{id}/revisions/", "post", 201))

    listed = editor_client.get(base)
    assert listed.status_code == 200
    jsonschema.validate(listed.json(), response_schema(schema, "/api/v1/claims/{id}/revisions/", "get", 200))

    approved = reviewer2_client.post(f"{base}{proposed.json()['id']}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    path = "/api/v1/claims/{id}/revisions/{revision_pk}/approve/"
    jsonschema.validate(approved.json(), response_schema(schema, path, "post", 200))


def test_every_operation_has_its_own_operation_id(schema):
    ids = [operation["operationId"] for _, _, operation in operations(schema)]
    assert not [name for name in ids if re.search(r"_\d+$", name)]  # drf-spectacular's suffix for a collision
    assert len(ids) == len(set(ids))
