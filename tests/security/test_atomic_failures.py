"""A failure in the middle of a publish or a retraction leaves nothing half-written and no webhook event."""

import pytest
from django.test import Client

from factcheck.claims import revisions, services
from factcheck.claims.models import Claim, Correction, Revision
from factcheck.partners import services as partner_services
from factcheck.partners.models import WebhookEvent


def explode_after(real):
    def wrapper(*args, **kwargs):
        real(*args, **kwargs)  # the write happens…
        raise RuntimeError("crash after the write")  # …and then the process fails

    return wrapper


def test_a_crash_after_the_event_is_recorded_rolls_back_the_publish_and_the_event(
    in_review_claim, reviewer, monkeypatch
):
    history = in_review_claim.history.count()
    monkeypatch.setattr(partner_services, "webhook_event_record", explode_after(partner_services.webhook_event_record))

    with pytest.raises(RuntimeError):
        services.claim_publish(claim=in_review_claim, by=reviewer)

    claim = Claim.objects.get(pk=in_review_claim.pk)
    assert claim.status == Claim.Status.IN_REVIEW and claim.version == in_review_claim.version
    assert claim.history.count() == history
    assert WebhookEvent.objects.count() == 0


def test_a_crash_after_the_event_rolls_back_the_retraction_its_note_and_the_event(
    published_claim, reviewer, reviewer2, monkeypatch
):
    events = WebhookEvent.objects.count()
    history = published_claim.history.count()
    proposed = revisions.revision_propose(
        claim=published_claim,
        by=reviewer2,
        expected_version=published_claim.version,
        kind="retraction",
        note="Sumber ditarik.",
    )
    monkeypatch.setattr(partner_services, "webhook_event_record", explode_after(partner_services.webhook_event_record))

    with pytest.raises(RuntimeError):
        revisions.revision_approve(revision=proposed, by=reviewer)

    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.status == Claim.Status.PUBLISHED and claim.version == published_claim.version
    assert claim.public_note == ""
    assert claim.history.count() == history
    assert Correction.objects.count() == 0
    assert Revision.objects.get(pk=proposed.pk).state == Revision.State.PENDING
    assert WebhookEvent.objects.count() == events


def test_a_partner_key_does_not_open_the_admin(db):
    partner = partner_services.partner_create(name="Mitra")
    key = partner_services.key_create(partner=partner, name="k")[1]

    response = Client().get("/admin/", headers={"Authorization": f"Api-Key {key}"})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
