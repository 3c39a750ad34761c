"""What partners expect from a webhook provider: a test ping, redelivery, secret rotation, the endpoint's id.

Against a real receiver on 127.0.0.1 and the real worker.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from factcheck.claims import services
from factcheck.partners.models import WebhookDelivery, WebhookEndpoint
from factcheck.partners.services import create_partner_with_key, webhook_endpoint_create

from .conftest import run_worker
from .test_webhooks import documented_verify


@pytest.fixture
def partner_and_key(db):
    return create_partner_with_key(name="Mitra Alat")


@pytest.fixture
def api(partner_and_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {partner_and_key[1]}")
    return client


@pytest.fixture
def hook_url(receiver) -> str:
    return receiver.url


@pytest.fixture
def endpoint(partner_and_key, hook_url) -> WebhookEndpoint:
    return webhook_endpoint_create(partner=partner_and_key[0], url=hook_url, events=["claim.published"])


def signatures(received) -> list[str]:
    return received.headers["X-Factcheck-Signature"].split(",")


def verifies(received, secret: str) -> bool:
    headers = received.headers
    return documented_verify()(
        secret, received.body, headers["X-Factcheck-Timestamp"], headers["X-Factcheck-Signature"]
    )


# --- ping -------------------------------------------------------------------------------------------


def test_a_ping_is_delivered_now_and_its_outcome_reported(api, receiver, endpoint):
    response = api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["event_type"], body["status"], body["attempt_count"], body["claim"]) == ("ping", "succeeded", 1, None)
    assert [(a["status_code"], a["error"], a["succeeded"]) for a in body["attempts"]] == [(200, "", True)]
    [received] = receiver.received
    assert received.json == {
        "id": body["event_id"],
        "type": "ping",
        "created_at": received.json["created_at"],
        "data": {"endpoint": endpoint.pk},
    }
    assert received.headers["X-Factcheck-Event-Type"] == "ping"
    assert received.headers["X-Factcheck-Endpoint"] == str(endpoint.pk)
    assert verifies(received, endpoint.secret)
    # In the delivery log like any event.
    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()
    assert [d["id"] for d in log["results"]] == [body["id"]]


def test_a_failed_ping_says_why_and_is_not_retried(api, receiver, endpoint):
    receiver.plan = [503]

    body = api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/").json()

    assert (body["status"], body["next_attempt_at"]) == ("failed", None)
    assert [(a["status_code"], a["error"]) for a in body["attempts"]] == [(503, "HTTP 503")]
    assert not DBTaskResult.objects.exists()


def test_a_ping_to_a_private_address_is_refused(api, endpoint, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    body = api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/").json()

    assert [(a["status_code"], a["error"]) for a in body["attempts"]] == [(None, "address not allowed")]


def test_a_partner_cannot_ping_another_partners_endpoint(endpoint):
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Api-Key {create_partner_with_key(name='Lain')[1]}")

    assert other.post(f"/api/v1/webhooks/{endpoint.pk}/ping/").status_code == 404


def test_endpoints_cannot_subscribe_to_pings(api):
    response = api.post("/api/v1/webhooks/", {"url": "https://hooks.x.test/", "events": ["ping"]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"events.0": ['"ping" is not a valid choice.']}


# --- redelivery -------------------------------------------------------------------------------------


def test_a_partner_redelivers_a_failed_delivery_with_the_same_event_id(
    tx, api, receiver, fast_retries, endpoint, in_review_claim, reviewer
):
    receiver.plan = [500] * 4
    services.claim_publish(claim=in_review_claim, by=reviewer)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"

    response = api.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202, response.content
    assert (response.json()["id"], response.json()["status"]) == (delivery.pk, "pending")
    run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("succeeded", 5)
    assert len({r.headers["X-Factcheck-Event-Id"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1


def test_a_pending_delivery_is_not_queued_twice(api, endpoint, in_review_claim, reviewer):
    services.claim_publish(claim=in_review_claim, by=reviewer)
    delivery = WebhookDelivery.objects.get()
    queued = DBTaskResult.objects.count()

    response = api.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 409
    assert response.json()["errors"] == {"status": ["Only a delivery that succeeded or gave up can be sent again."]}
    assert DBTaskResult.objects.count() == queued


def test_a_delivery_is_redelivered_only_through_its_own_endpoint(api, endpoint, hook_url, in_review_claim, reviewer):
    services.claim_publish(claim=in_review_claim, by=reviewer)
    delivery = WebhookDelivery.objects.get()
    other = webhook_endpoint_create(partner=endpoint.partner, url=hook_url + "?other", events=["claim.corrected"])

    assert api.post(f"/api/v1/webhooks/{other.pk}/deliveries/{delivery.pk}/redeliver/").status_code == 404


# --- secret rotation ----------------------------------------------------------------------------------


def test_after_a_rotation_deliveries_verify_with_the_old_and_the_new_secret(api, receiver, endpoint, settings):
    old_secret = endpoint.secret

    rotated = api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/")

    assert rotated.status_code == 200
    body = rotated.json()
    new_secret = body["secret"]
    assert new_secret.startswith("whsec_") and new_secret != old_secret
    assert body["id"] == endpoint.pk
    assert "secret" not in api.get(f"/api/v1/webhooks/{endpoint.pk}/").json()  # shown once
    api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/")
    received = receiver.received[-1]
    assert len(signatures(received)) == 2
    assert all(value.startswith("sha256=") for value in signatures(received))
    assert verifies(received, new_secret)
    assert verifies(received, old_secret)
    assert not verifies(received, "whsec_wrong")


def test_the_old_secret_stops_signing_after_the_overlap(api, receiver, endpoint, settings):
    settings.WEBHOOK_SECRET_OVERLAP_HOURS = 24
    old_secret = endpoint.secret
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        body = api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").json()
    assert body["previous_secret_expires_at"] == (now + datetime.timedelta(hours=24)).isoformat().replace("+00:00", "Z")

    with time_machine.travel(now + datetime.timedelta(hours=24, seconds=1)):
        endpoint.refresh_from_db()
        assert endpoint.signing_secrets() == [body["secret"]]
        api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/")
        received = receiver.received[-1]
        assert len(signatures(received)) == 1
        assert verifies(received, body["secret"])
        assert not verifies(received, old_secret)


def test_without_a_rotation_the_signature_header_is_unchanged(api, receiver, endpoint):
    api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/")

    [value] = signatures(receiver.received[0])
    assert value.startswith("sha256=") and len(value) == len("sha256=") + 64


def test_rotating_twice_keeps_only_the_two_newest_secrets(api, endpoint):
    first = endpoint.secret
    second = api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").json()["secret"]
    third = api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").json()["secret"]

    endpoint.refresh_from_db()
    assert endpoint.signing_secrets() == [third, second]
    assert first not in endpoint.signing_secrets()


def test_pings_and_rotations_have_a_tighter_limit(api, endpoint, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "webhook_tools": "2/minute"}

    assert api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/").status_code == 200
    assert api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").status_code == 200
    refused = api.post(f"/api/v1/webhooks/{endpoint.pk}/ping/")

    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert api.get(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 200  # the rest of the API is not affected


def test_staff_redelivering_a_pending_delivery_are_told_it_is_already_queued(
    endpoint, in_review_claim, reviewer, superuser, client
):
    services.claim_publish(claim=in_review_claim, by=reviewer)
    delivery = WebhookDelivery.objects.get()
    queued = DBTaskResult.objects.count()
    client.force_login(superuser)

    page = client.post(
        "/admin/partners/webhookdelivery/", {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
    )

    assert page.status_code == 200
    # The desk speaks the site's language (no Accept-Language): the refusal comes in Indonesian.
    assert "percobaan berikutnya sudah diantrekan" in page.content.decode()
    assert DBTaskResult.objects.count() == queued
