"""What the schemathesis fuzzing (tests/fuzz) found in the API and its schema, each pinned here."""

from __future__ import annotations

import jsonschema
import pytest
from rest_framework.test import APIClient


@pytest.fixture
def schema(db) -> dict:
    return APIClient().get("/api/schema/?format=json").json()


@pytest.mark.parametrize("path", ["/api/v1/claims/{id}/claimreview/", "/api/v1/claimreview/"])
def test_claimreview_as_plain_json_is_documented(schema, published_claim, path):
    """Found: ?format=json answered application/json, which the schema did not list (only application/ld+json)."""
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    response = APIClient().get(path.format(id=published_claim.pk) + "?format=json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(content) == {"application/ld+json", "application/json"}
    assert content["application/json"]["schema"] == content["application/ld+json"]["schema"]
    jsonschema.validate(response.json(), {**content["application/json"]["schema"], **schema})


@pytest.mark.parametrize(
    "url, choices",
    [
        ("/api/v1/claimreview/?format=AAA", "json, jsonld"),
        ("/api/v1/claims/{pk}/claimreview/?format=xml", "json, jsonld"),
        ("/api/v1/claims/?format=api", "json"),
        ("/api/v1/claims/{pk}/?format=yaml", "json"),
    ],
)
def test_an_unknown_format_is_a_400_naming_the_parameter_not_a_404(published_claim, url, choices):
    """Found: DRF answered ?format=AAA with a bare 404 "Not found.", undocumented and misleading."""
    response = APIClient().get(url.format(pk=published_claim.pk))

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Invalid input. format: Choose one of: {choices}.",
        "code": "invalid",
        "errors": {"format": [f"Choose one of: {choices}."]},
    }


def test_request_bodies_in_the_schema_refuse_unknown_fields_as_the_api_does(schema, editor, draft_claim):
    """Found: the schema let any extra field through (so the fuzzer's valid bodies were refused with 400)."""
    requests = {name: s for name, s in schema["components"]["schemas"].items() if name.endswith("Request")}

    assert sorted(requests) == [
        "ClaimChangesRequest",
        "ClaimCreateRequest",
        "EvidenceWriteRequest",
        "PatchedClaimUpdateRequest",
        "PatchedEvidenceUpdateRequest",
        "PatchedWebhookEndpointUpdateRequest",
        "RevisionDecisionRequest",
        "RevisionProposeRequest",
        "RevisionSourceRequest",
        "TransitionRequest",
        "WebhookEndpointRequest",
    ]
    assert all(body["additionalProperties"] is False for body in requests.values())

    client = APIClient()
    client.force_authenticate(editor)
    refused = client.patch(
        f"/api/v1/claims/{draft_claim.pk}/",
        {"claimant": "x", "verdikt": "typo"},
        format="json",
        HTTP_IF_MATCH=f'"claim-{draft_claim.pk}-v{draft_claim.version}"',
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"verdikt": ["Unknown field; it cannot be set here."]}


@pytest.mark.parametrize("evidence", [[None], [{"url": "https://example.org/a", "title": "A", "publisher": "P"}, None]])
def test_a_null_source_in_a_proposed_revision_is_a_400_naming_the_field(published_claim, reviewer2, evidence):
    """Found: ``"evidence": [null]`` in a proposed revision was a 500 (TypeError iterating over None)."""
    client = APIClient()
    client.force_authenticate(reviewer2)

    response = client.post(
        f"/api/v1/claims/{published_claim.pk}/revisions/",
        {"evidence": evidence, "note": "Sumber diganti.", "version": published_claim.version},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert set(response.json()) == {"detail", "code", "errors"}
    assert any(name.startswith("evidence") for name in response.json()["errors"]), response.json()
    assert not published_claim.revisions.exists()
