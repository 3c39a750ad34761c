"""A small world for the fuzzer: a published claim with evidence, a draft, and a partner's webhook endpoint."""

from __future__ import annotations

import inspect

import pytest
import schemathesis.pytest._test_builder as test_builder

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


def build_when_first_run(*, test_func, **options):
    """schemathesis builds each operation's test at collection, its coverage phase's cases included: seconds of
    work in every pytest-xdist worker, though one worker runs the file. Here the test is built when it first runs,
    by schemathesis' own builder with the same arguments; collection only needs its fixtures' names.
    """
    built = None

    def test(*args, **kwargs):
        nonlocal built
        if built is None:
            built = build_at_collection(test_func=test_func, **options)
            test.__dict__.update(built.__dict__)  # schemathesis' marks on the test, read after the call
        return built(*args, **kwargs)

    signature = inspect.signature(test_func)  # without the generated ``case``, as hypothesis' @given leaves it
    test.__signature__ = signature.replace(parameters=[p for p in signature.parameters.values() if p.name != "case"])
    test.__name__ = test_func.__name__
    return test


build_at_collection = test_builder.build_operation_test
test_builder.build_operation_test = build_when_first_run
