"""A small world for the fuzzer: a published claim with evidence, a draft, and a partner's webhook endpoint."""

from __future__ import annotations

import pytest

from factcheck.claims import services
from factcheck.claims.roles import EDITORS, REVIEWERS
from factcheck.partners.services import create_partner_with_key, key_create, webhook_endpoint_create
from tests.conftest import import_article, make_user, publish_claim, shared_rows, span_of


@pytest.fixture(scope="module")
def shared_fuzz_world(request, django_db_blocker) -> dict:
    """Made once for the fuzz file (tests/conftest.py: shared_rows); each test's writes are rolled back after it."""
    with shared_rows(request, django_db_blocker) as rows_made_here:
        with rows_made_here():
            world = make_fuzz_world()
        yield world


@pytest.fixture
def fuzz_world(shared_fuzz_world, db) -> dict:
    return shared_fuzz_world


def make_fuzz_world() -> dict:
    editor = make_user("editor", EDITORS, is_staff=True)
    reviewer = make_user("reviewer", REVIEWERS, is_staff=True)
    article = import_article(editor)
    published_claim = publish_claim(article, editor, reviewer)
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
