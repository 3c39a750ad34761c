"""Fixtures of the reader site: public claims with evidence and corrections, built through the services."""

import re

import pytest
from django.test import Client
from django.utils import translation

from factcheck.claims import services
from factcheck.claims.importing import ArticleMetadata, article_import
from tests.conftest import correct, span_of

SECOND_ARTICLE_TEXT = (
    "Jakarta adalah ibu kota Indonesia sejak 1949. "
    "Kota ini berpenduduk lebih dari 10 juta jiwa.\n"
    "Monas dibangun pada tahun 1961.\n"
)


def publish_claim(
    article,
    text: str,
    *,
    editor,
    reviewer,
    rating: str = "true",
    evidence: int = 2,
    statement: str = "",
    statement_en: str = "",
    verdict: str = "Benar menurut sumber primer.",
    verdict_en: str = "True according to the primary source.",
    claimant: str = "Penulis",
):
    """A claim on ``text``, researched by ``editor`` with ``evidence`` links and published by ``reviewer``."""
    start, end = span_of(article, text)
    claim = services.claim_create(
        article=article,
        start=start,
        end=end,
        by=editor,
        statement=statement or text.rstrip("."),
        statement_en=statement_en,
        claimant=claimant,
    )
    claim = services.claim_start_research(claim=claim, by=editor)
    for n in range(evidence):
        services.evidence_add(
            claim=claim,
            by=editor,
            url=f"https://example.org/{claim.slug}/{n}",
            title=f"Source {n + 1}",
            publisher=f"Publisher {n + 1}",
            excerpt=f"What source {n + 1} says.",
            stance="supports" if n % 2 == 0 else "context",
            is_primary=n == 0,
            archived_url=f"https://archive.example.org/{claim.slug}/{n}" if n == 0 else "",
        )
    claim.refresh_from_db()
    claim = services.claim_update(
        claim=claim,
        by=editor,
        expected_version=claim.version,
        changes={"rating": rating, "verdict": verdict, "verdict_en": verdict_en},
    )
    claim = services.claim_send_to_review(claim=claim, by=editor)
    return services.claim_publish(claim=claim, by=reviewer)


def correct_claim(claim, *, by, approver, note: str, note_en: str = "", **changes):
    """A correction of the fields ``changes``: ``by`` proposes it, ``approver`` (another reviewer) makes it live."""
    return correct(claim, by=by, approver=approver, note=note, note_en=note_en, changes=changes)


@pytest.fixture
def anon() -> Client:
    """A reader: no session cookie, so no session or user queries."""
    return Client()


@pytest.fixture
def two_public_claims(article, editor, reviewer):
    """Two published claims, two evidence links each, the first corrected once (three public revisions)."""
    first = publish_claim(
        article,
        "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996.",
        editor=editor,
        reviewer=reviewer,
        statement="ASEM didirikan di Bangkok pada 1996",
        statement_en="ASEM was founded in Bangkok in 1996",
    )
    second = publish_claim(
        article,
        "Forum ini mencakup 53 negara mitra.",
        editor=editor,
        reviewer=reviewer,
        rating="mostly-true",
        statement="ASEM mencakup 53 negara mitra",
        verdict="Sebagian besar benar: 51 negara dan 2 organisasi.",
        verdict_en="",
    )
    first = correct_claim(
        first,
        by=editor,
        approver=reviewer,
        note="Tanggal KTT diperjelas.",
        verdict="Benar: KTT pertama di Bangkok, 1-2 Maret 1996.",
    )
    return [first, second]


@pytest.fixture
def more_public_data(two_public_claims, article, editor, reviewer, reviewer2):
    """More of everything: a third claim with three evidence links, another correction, a second article."""
    third = publish_claim(
        article,
        "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.",
        editor=editor,
        reviewer=reviewer,
        evidence=3,
    )
    correct_claim(two_public_claims[1], by=editor, approver=reviewer, note="Angka diperbarui.", rating="true")
    correct_claim(
        two_public_claims[0],
        by=reviewer2,
        approver=reviewer,
        note="Ringkasan diperjelas lagi.",
        verdict="Benar: 1–2 Maret 1996.",
    )
    other = article_import(
        data=SECOND_ARTICLE_TEXT.encode(),
        metadata=ArticleMetadata(headline="Tentang Jakarta", outlet="Contoh", author="Penulis", language="id"),
        by=editor,
    ).article
    publish_claim(other, "Monas dibangun pada tahun 1961.", editor=editor, reviewer=reviewer, evidence=2)
    return third


def json_ld_blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language and leaves no language active behind it.

    A request to an /en/ page activates English in the thread, and reverse() would follow it.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def unpublished_claim(article, editor):
    """A claim beside the public ones, researched and in review: not public."""
    start, end = span_of(article, "kemerdekaan Ukraina pada 28 Desember 1991")
    claim = services.claim_create(
        article=article, start=start, end=end, by=editor, statement="Klaim yang belum terbit", claimant="Penulis"
    )
    claim = services.claim_start_research(claim=claim, by=editor)
    services.evidence_add(claim=claim, by=editor, url="https://example.org/draft", title="Draft", publisher="P")
    claim.refresh_from_db()
    claim = services.claim_update(
        claim=claim, by=editor, expected_version=claim.version, changes={"rating": "false", "verdict": "Keliru."}
    )
    return services.claim_send_to_review(claim=claim, by=editor)
