"""Webhooks end to end, against a real HTTP server on 127.0.0.1 and the real background worker.

Signed deliveries that verify with the documented snippet, retries after 500s and timeouts with a stable
event id, exponential backoff with a cap, nothing for a rolled-back change, and every attempt logged.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from factcheck.claims import revisions, services
from factcheck.claims.models import Claim
from factcheck.partners.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from factcheck.partners.services import webhook_endpoint_create, webhook_retry_delay
from tests.conftest import retract

from .conftest import run_worker

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_verify():
    """The verification snippet exactly as docs/api.md (and the OpenAPI description) shows it to partners."""
    snippet = re.search(r"```python\n(import hashlib.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation
    return namespace["verify"]


def verifies(received, secret: str) -> bool:
    headers = received.headers
    return documented_verify()(
        secret, received.body, headers["X-Factcheck-Timestamp"], headers["X-Factcheck-Signature"]
    )


def test_publishing_delivers_a_signed_event_that_verifies(tx, receiver, partner, in_review_claim, reviewer):
    endpoint = webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])

    claim = services.claim_publish(claim=in_review_claim, by=reviewer)
    run_worker()

    assert len(receiver.received) == 1
    delivery = receiver.received[0]
    event = WebhookEvent.objects.get()
    assert verifies(delivery, endpoint.secret)
    assert not verifies(delivery, "whsec_wrong")
    assert delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["X-Factcheck-Event-Id"] == str(event.id)
    assert delivery.headers["X-Factcheck-Event-Type"] == "claim.published"
    assert delivery.headers["X-Factcheck-Attempt"] == "1"
    assert delivery.headers["X-Factcheck-Endpoint"] == str(endpoint.pk)
    body = delivery.json
    assert (body["id"], body["type"]) == (str(event.id), "claim.published")
    # The claim exactly as the API shows it.
    assert body["data"]["claim"] == APIClient().get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["data"]["claim"]["status"] == "published"
    attempt = WebhookAttempt.objects.get()
    assert (attempt.number, attempt.status_code, attempt.error, attempt.succeeded) == (1, 200, "", True)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED


def test_a_tampered_body_or_an_old_timestamp_does_not_verify(tx, receiver, partner, in_review_claim, reviewer):
    endpoint = webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])
    services.claim_publish(claim=in_review_claim, by=reviewer)
    run_worker()
    received = receiver.received[0]
    verify = documented_verify()
    headers = received.headers

    tampered = received.body.replace(b"published", b"retracted")
    assert not verify(endpoint.secret, tampered, headers["X-Factcheck-Timestamp"], headers["X-Factcheck-Signature"])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        assert not verify(
            endpoint.secret, received.body, headers["X-Factcheck-Timestamp"], headers["X-Factcheck-Signature"]
        )


def test_failed_deliveries_are_retried_after_a_500_and_a_timeout_with_the_same_event_id(
    tx, receiver, fast_retries, partner, in_review_claim, reviewer
):
    endpoint = webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])
    receiver.plan = [500, "timeout", 200]

    services.claim_publish(claim=in_review_claim, by=reviewer)
    run_worker()

    assert len(receiver.received) == 3
    assert {r.headers["X-Factcheck-Event-Id"] for r in receiver.received} == {str(WebhookEvent.objects.get().id)}
    assert [r.headers["X-Factcheck-Attempt"] for r in receiver.received] == ["1", "2", "3"]
    assert all(verifies(r, endpoint.secret) for r in receiver.received)
    assert len({r.body for r in receiver.received}) == 1  # the same event, byte for byte
    attempts = list(
        WebhookAttempt.objects.order_by("number").values_list("number", "status_code", "error", "succeeded")
    )
    assert attempts == [
        (1, 500, "HTTP 500", False),
        (2, None, "timed out", False),
        (3, 200, "", True),
    ]
    assert WebhookAttempt.objects.get(number=2).duration_ms >= 500
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempt_count, delivery.next_attempt_at) == ("succeeded", 3, None)


def test_retries_back_off_exponentially_and_stop_at_the_cap(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    settings.WEBHOOK_RETRY_MAX_SECONDS = 600

    assert [webhook_retry_delay(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_a_retry_waits_for_its_backoff(tx, receiver, settings, partner, in_review_claim, reviewer):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])
    receiver.plan = [503]

    with time_machine.travel(timezone.now(), tick=True) as clock:
        services.claim_publish(claim=in_review_claim, by=reviewer)
        run_worker()
        delivery = WebhookDelivery.objects.get()
        assert (len(receiver.received), delivery.status) == (1, "pending")
        assert 59 <= (delivery.next_attempt_at - timezone.now()).total_seconds() <= 60

        run_worker()  # too early: nothing is sent
        assert len(receiver.received) == 1

        clock.shift(datetime.timedelta(seconds=61))
        run_worker()
    assert len(receiver.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("succeeded", 2)


def test_a_delivery_gives_up_after_the_last_attempt(tx, receiver, fast_retries, partner, in_review_claim, reviewer):
    webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])
    receiver.plan = [500] * 10

    services.claim_publish(claim=in_review_claim, by=reviewer)
    run_worker()

    assert len(receiver.received) == 4  # WEBHOOK_MAX_ATTEMPTS
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempt_count, delivery.next_attempt_at) == ("failed", 4, None)


def test_nothing_is_delivered_for_a_rolled_back_change(tx, receiver, partner, in_review_claim, reviewer):
    webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])

    with pytest.raises(RuntimeError), transaction.atomic():
        services.claim_publish(claim=in_review_claim, by=reviewer)
        assert WebhookEvent.objects.count() == 1  # written with the change...
        raise RuntimeError("something later in the same transaction failed")
    run_worker()

    assert receiver.received == []  # ...and gone with it
    assert WebhookEvent.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert Claim.objects.get(pk=in_review_claim.pk).status == "in_review"


def test_corrections_and_retractions_go_only_to_endpoints_that_subscribed(
    tx, receiver, partner, published_claim, reviewer, reviewer2
):
    corrections = webhook_endpoint_create(partner=partner, url=receiver.url + "?c", events=["claim.corrected"])
    retractions = webhook_endpoint_create(partner=partner, url=receiver.url + "?r", events=["claim.retracted"])
    switched_off = webhook_endpoint_create(partner=partner, url=receiver.url + "?off", events=["claim.retracted"])
    switched_off.is_active = False
    switched_off.save()

    # A proposed correction is not public: partners hear of it only once a second reviewer approves it.
    proposed = revisions.revision_propose(
        claim=published_claim,
        by=reviewer2,
        expected_version=published_claim.version,
        changes={"verdict": "Benar: KTT pertama ASEM, 1996."},
        note="Diperjelas.",
    )
    run_worker()
    assert WebhookDelivery.objects.count() == 0
    claim = revisions.revision_approve(revision=proposed, by=reviewer)
    retract(claim, by=reviewer2, approver=reviewer, note="Sumber ditarik.")
    run_worker()

    sent = sorted(WebhookDelivery.objects.values_list("endpoint_id", "event__type"))
    assert sent == [(corrections.pk, "claim.corrected"), (retractions.pk, "claim.retracted")]
    bodies = sorted((r.json["type"], r.json["data"]["claim"]["status"]) for r in receiver.received)
    assert bodies == [("claim.corrected", "published"), ("claim.retracted", "retracted")]
    corrected = next(r.json for r in receiver.received if r.json["type"] == "claim.corrected")
    assert corrected["data"]["claim"]["public_note"] == "Diperjelas."
    assert corrected["data"]["claim"]["corrected"] is True


def test_staff_see_every_attempt_in_the_admin(
    tx, receiver, fast_retries, partner, in_review_claim, reviewer, superuser, client
):
    webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])
    receiver.plan = [500, 200]
    services.claim_publish(claim=in_review_claim, by=reviewer)
    run_worker()
    client.force_login(superuser)

    listing = client.get("/admin/partners/webhookdelivery/")
    page = client.get(f"/admin/partners/webhookdelivery/{WebhookDelivery.objects.get().pk}/change/")

    assert listing.status_code == 200
    html = page.content.decode()
    assert html.count('class="field-status_code"') == 2  # both attempts, each with its status code
    assert "HTTP 500" in html


def test_staff_can_queue_a_failed_delivery_again_with_the_same_event_id(
    tx, receiver, fast_retries, partner, in_review_claim, reviewer, superuser, client
):
    webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])
    receiver.plan = [500] * 4
    services.claim_publish(claim=in_review_claim, by=reviewer)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    client.force_login(superuser)

    client.post(
        "/admin/partners/webhookdelivery/", {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
    )
    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert len({r.headers["X-Factcheck-Event-Id"] for r in receiver.received}) == 1
