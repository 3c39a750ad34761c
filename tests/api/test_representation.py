"""A claim's representation is written out by hand for speed (``ClaimSerializer.to_representation``); it is
exactly what its declared fields, which the OpenAPI schema describes, give field by field."""

import datetime

import pytest
from rest_framework import serializers

from factcheck.api.claim_reads import claim_read
from factcheck.api.serializers import ClaimSerializer
from factcheck.claims import services
from factcheck.claims.models import Claim
from tests.conftest import correct, dismiss, retract


def by_field(claim: Claim, scale=(3, -2)) -> dict:
    """DRF's own way: each declared field's representation, in the order declared."""
    serializer = ClaimSerializer(context={"scale": scale})
    return serializers.Serializer.to_representation(serializer, claim)


def written_out(claim: Claim, scale=(3, -2)) -> dict:
    return ClaimSerializer(claim, context={"scale": scale}).data


def read(claim: Claim) -> Claim:
    return claim_read(claim.pk, newsroom=True)


@pytest.fixture
def claim_with_sources(published_claim, reviewer, reviewer2):
    """A corrected claim with its source."""
    assert published_claim.evidence.exists()
    return correct(
        published_claim, by=reviewer2, approver=reviewer, changes={"verdict": "Benar, dengan catatan."}, note="Koreksi."
    )


def test_a_draft_without_rating_or_sources(draft_claim):
    claim = read(draft_claim)
    assert written_out(claim) == by_field(claim)
    assert list(written_out(claim)) == list(ClaimSerializer().fields)
    assert written_out(claim)["rating"] is None and written_out(claim)["evidence"] == []


def test_a_published_claim(published_claim):
    claim = read(published_claim)
    assert written_out(claim) == by_field(claim)
    assert written_out(claim)["rating"]["best"] == 3


def test_a_corrected_claim_with_sources(claim_with_sources):
    claim = read(claim_with_sources)
    claim.article.published_on = None  # an undated article
    for item in claim.evidence.all():
        item.published_on = datetime.date(2024, 5, 1)
    assert written_out(claim) == by_field(claim)
    assert written_out(claim)["evidence"][0]["published_on"] == "2024-05-01"


def test_a_claim_whose_english_verdict_is_pending(published_claim):
    claim = read(published_claim)
    claim.english_pending = True
    assert written_out(claim) == by_field(claim)
    assert written_out(claim)["verdict"]["en"] == ""


def test_a_retracted_claim(published_claim, reviewer, reviewer2):
    retracted = read(retract(published_claim, by=reviewer2, approver=reviewer, note="Ditarik."))
    assert written_out(retracted) == by_field(retracted)


def test_a_dismissed_claim_on_a_scale_without_values(draft_claim, editor, reviewer):
    dismissed = read(dismiss(draft_claim, by=editor, approver=reviewer, reason="Opini."))
    assert written_out(dismissed, scale=(None, None)) == by_field(dismissed, scale=(None, None))


def test_a_page_of_claims_is_each_claim_written_out(published_claim, article, editor):
    other = services.claim_create(article=article, start=0, end=5, by=editor, statement="Klaim lain")
    claims = [read(published_claim), read(other)]
    assert ClaimSerializer(claims, many=True, context={"scale": (3, -2)}).data == [by_field(c) for c in claims]
