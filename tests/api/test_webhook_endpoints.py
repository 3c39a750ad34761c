"""Partners register webhook endpoints and read their delivery log through the API, over real HTTP."""

from __future__ import annotations

import pytest

from factcheck.claims import services
from factcheck.partners.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from factcheck.partners.services import create_partner_with_key, webhook_deliver

from .conftest import Http


@pytest.fixture
def partner_http(http, partner_key) -> Http:
    return Http(http.base, key=partner_key)


def test_a_partner_registers_an_https_endpoint_and_sees_its_secret_once(partner_http, frozen):
    created = partner_http.post(
        "/api/v1/webhooks/",
        json={"url": "https://hooks.mitra.example/factcheck", "events": ["claim.retracted", "claim.published"]},
    )

    assert created.status_code == 201, created.text
    endpoint = WebhookEndpoint.objects.get()
    assert created.json() == {
        "id": endpoint.pk,
        "url": "https://hooks.mitra.example/factcheck",
        "events": ["claim.published", "claim.retracted"],
        "description": "",
        "is_active": True,
        "created_at": "2026-03-02T09:30:00Z",
        "secret": endpoint.secret,
    }
    assert endpoint.secret.startswith("whsec_")
    shown = partner_http.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert "secret" not in shown
    assert partner_http.get("/api/v1/webhooks/").json() == {"results": [shown]}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"url": "http://hooks.mitra.example/x", "events": ["claim.published"]},
            {"url": ["A webhook URL must use https."]},
        ),
        ({"url": "not a url", "events": ["claim.published"]}, {"url": ["Enter a valid URL."]}),
        (
            {"url": "https://hooks.mitra.example/x", "events": ["claim.deleted"]},
            {"events.0": ['"claim.deleted" is not a valid choice.']},
        ),
        (
            {"url": "https://hooks.mitra.example/x", "events": []},
            {"events": ["Ensure this field has at least 1 elements."]},
        ),
        (
            {"url": "https://hooks.mitra.example/x", "events": ["claim.published"], "secret": "mine"},
            {"secret": ["Unknown field; it cannot be set here."]},
        ),
    ],
)
def test_an_invalid_endpoint_is_refused_naming_the_field(partner_http, body, errors):
    response = partner_http.post("/api/v1/webhooks/", json=body, headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_to_this_machine_only_in_development(partner_http, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # a receiver on this machine, as in the project's own tests
    local = {"url": "http://127.0.0.1:9000/hooks", "events": ["claim.published"]}
    assert partner_http.post("/api/v1/webhooks/", json=local).status_code == 201

    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    refused = partner_http.post("/api/v1/webhooks/", json=local)
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "url": ["Plain http is accepted only for 127.0.0.1 or localhost in development; use https."]
    }


def test_a_partner_changes_and_removes_its_endpoint(partner_http):
    endpoint = partner_http.post(
        "/api/v1/webhooks/", json={"url": "https://hooks.mitra.example/a", "events": ["claim.published"]}
    ).json()
    url = f"/api/v1/webhooks/{endpoint['id']}/"

    changed = partner_http.patch(url, json={"events": ["claim.corrected"], "is_active": False})
    assert changed.status_code == 200
    assert (changed.json()["events"], changed.json()["is_active"]) == (["claim.corrected"], False)

    assert partner_http.delete(url).status_code == 204
    assert partner_http.get(url).status_code == 404


def test_a_partner_sees_only_its_own_endpoints(http, partner_http):
    endpoint = partner_http.post(
        "/api/v1/webhooks/", json={"url": "https://hooks.mitra.example/a", "events": ["claim.published"]}
    ).json()
    other = Http(http.base, key=create_partner_with_key(name="Lain")[1])

    assert other.get("/api/v1/webhooks/").json() == {"results": []}
    assert other.get(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 404
    assert other.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 404


def test_the_delivery_log_shows_every_attempt(partner_http, frozen, settings, in_review_claim, reviewer):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    endpoint = partner_http.post(
        "/api/v1/webhooks/", json={"url": "http://127.0.0.1:9/refused", "events": ["claim.published"]}
    ).json()
    claim = services.claim_publish(claim=in_review_claim, by=reviewer)
    delivery = WebhookDelivery.objects.get()
    webhook_deliver(delivery_id=delivery.pk)  # port 9 (discard) is closed: the connection is refused

    log = partner_http.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/")

    assert log.status_code == 200
    attempt = WebhookAttempt.objects.get()
    assert attempt.error == "connection failed"  # the kind of failure, not the exception's words
    assert log.json() == {
        "next": None,
        "results": [
            {
                "id": delivery.pk,
                "event_id": str(delivery.event_id),
                "event_type": "claim.published",
                "claim": claim.pk,
                "claim_version": claim.version,
                "status": "pending",
                "attempt_count": 1,
                "next_attempt_at": "2026-03-02T09:31:00Z",
                "delivered_at": None,
                "created_at": "2026-03-02T09:30:00Z",
                "attempts": [
                    {
                        "number": 1,
                        "started_at": "2026-03-02T09:30:00Z",
                        "duration_ms": attempt.duration_ms,
                        "status_code": None,
                        "error": attempt.error,
                        "succeeded": False,
                    }
                ],
            }
        ],
    }
