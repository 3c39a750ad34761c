"""A small world for the fuzzer: a published claim with evidence, a draft, and a partner's webhook endpoint."""

from __future__ import annotations

import pytest

from factcheck.claims import services
from factcheck.partners.services import create_partner_with_key, key_create, webhook_endpoint_create
from tests.conftest import span_of


@pytest.fixture
def fuzz_world(published_claim, article, editor, reviewer):
    start, end = span_of(article, "Forum ini mencakup 53 negara mitra.")
    draft = services.claim_create(
        article=article, start=start, end=end, by=editor, statement="ASEM punya 53 mitra", claimant="Penulis"
    )
    partner, partner_key = create_partner_with_key(name="Mitra Fuzz", contact_email="fuzz@mitra.example")
    endpoint = webhook_endpoint_create(partner=partner, url="https://hooks.example/fuzz", events=["claim.published"])
    return {
        "claims": [published_claim.pk, draft.pk],
        "evidence": [published_claim.evidence.get().pk],
        "articles": [article.pk],
        "webhooks": [endpoint.pk],
        "keys": {
            "anonymous": None,
            "editor": key_create(user=editor, name="fuzz")[1],
            "reviewer": key_create(user=reviewer, name="fuzz")[1],
            "partner": partner_key,
        },
    }
