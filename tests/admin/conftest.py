"""Fixtures of the admin tests: logged-in browsers per role and claims with evidence and revisions."""

import pytest
from django.test import Client

from factcheck.claims import services
from factcheck.claims.models import Claim
from tests.conftest import span_of


@pytest.fixture
def client():
    """These tests read the desk in English, as a browser asking for English gets it (the admin follows
    ``Accept-Language``); a test that reads it in Indonesian asks for it. Changing ``LANGUAGE_CODE`` instead
    would leave Django's URL resolver with cached language prefixes ("/id/…") for the tests that follow."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def login(client):
    """``login(user)`` returns the test client logged in as ``user``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def add_evidence(claim, by, n: int) -> Claim:
    services.evidence_add(
        claim=claim,
        by=by,
        url=f"https://example.org/source-{claim.pk}-{n}",
        title=f"Source {n}",
        publisher="Arsip Nasional",
        stance="supports",
        excerpt=f"What source {n} says.",
    )
    claim.refresh_from_db()
    return claim


def make_claim(article, by, text: str, *, evidence: int = 0, **fields) -> Claim:
    start, end = span_of(article, text)
    claim = services.claim_create(article=article, start=start, end=end, by=by, statement=text[:60], **fields)
    for n in range(evidence):
        add_evidence(claim, by, n)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def second_claim(article, editor):
    """Another claim of the article, researched by ``editor``, with two evidence links and several revisions."""
    claim = make_claim(article, editor, "Forum ini mencakup 53 negara mitra.", evidence=2, researcher=editor)
    claim = services.claim_start_research(claim=claim, by=editor)
    return services.claim_update(
        claim=claim,
        by=editor,
        expected_version=claim.version,
        changes={"rating": "mostly-true", "verdict": "Sebagian besar benar: kini 53 mitra."},
    )


@pytest.fixture
def rich_claim(researched_claim, editor):
    """The fixture claim with two evidence links and many revisions."""
    return add_evidence(researched_claim, editor, 2)


def change_url(claim) -> str:
    return f"/admin/claims/claim/{claim.pk}/change/"


def transition_url(claim, target: str) -> str:
    return f"/admin/claims/claim/{claim.pk}/transition/{target}/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def draft_claim_2(article, editor):
    return make_claim(article, editor, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")


@pytest.fixture
def own_in_review(article, reviewer):
    """A claim in review that ``reviewer`` researched themselves."""
    claim = make_claim(article, reviewer, "Forum ini mencakup 53 negara mitra.", evidence=1, researcher=reviewer)
    claim = services.claim_start_research(claim=claim, by=reviewer)
    claim = services.claim_update(
        claim=claim, by=reviewer, expected_version=claim.version, changes={"rating": "false", "verdict": "Keliru."}
    )
    return services.claim_send_to_review(claim=claim, by=reviewer)


@pytest.fixture
def published_claim_2(own_in_review, reviewer2):
    return services.claim_publish(claim=own_in_review, by=reviewer2)


def revision_url(claim, revision, decision: str) -> str:
    """A button of the "pending review" panel: approve, reject or withdraw ``revision``."""
    return f"/admin/claims/claim/{claim.pk}/revision/{revision.pk}/{decision}/"


def retraction_url(claim) -> str:
    return f"/admin/claims/claim/{claim.pk}/retraction/"
