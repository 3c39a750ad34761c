"""A portal whose every text field is hostile: built through the same services the admin and the API use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from factcheck.claims import services
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.models import Article, Claim
from tests.conftest import correct, retract, span_of

from .hostile import BREAKOUT, PAYLOAD, hostile

HOSTILE_SENTENCE = f"Pejabat itu menulis {PAYLOAD} pada tahun 1996."
HOSTILE_BODY = (
    "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996.\n"
    f"{HOSTILE_SENTENCE}\n"
    f"Forum ini mencakup 53 negara mitra {BREAKOUT}.\n"
)


@dataclass
class HostileWorld:
    article: Article
    corrected: Claim  # published, then corrected with a hostile note
    retracted: Claim  # published, then retracted with a hostile note


def _publish(article, text, *, editor, reviewer, label):
    start, end = span_of(article, text)
    claim = services.claim_create(
        article=article,
        start=start,
        end=end,
        by=editor,
        statement=hostile(f"Klaim {label}"),
        statement_en=hostile(f"Claim {label}"),
        claimant=hostile("Pejabat", limit=200),
    )
    claim = services.claim_start_research(claim=claim, by=editor)
    for n in (1, 2):
        services.evidence_add(
            claim=claim,
            by=editor,
            url=f"https://example.org/{label}/{n}?q=<script>alert({n})</script>",
            title=hostile(f"Sumber {n}", limit=400),
            publisher=hostile("Penerbit", limit=200),
            excerpt=hostile("Kutipan", limit=10_000),
            stance="supports",
            is_primary=n == 1,
            published_on=datetime.date(2020, 1, n),
        )
    claim.refresh_from_db()
    claim = services.claim_update(
        claim=claim,
        by=editor,
        expected_version=claim.version,
        changes={"rating": "false", "verdict": hostile("Keliru"), "verdict_en": hostile("False")},
    )
    claim = services.claim_send_to_review(claim=claim, by=editor)
    return services.claim_publish(claim=claim, by=reviewer)


@pytest.fixture
def hostile_world(editor, reviewer, reviewer2) -> HostileWorld:
    article = article_import(
        data=HOSTILE_BODY.encode(),
        metadata=ArticleMetadata(
            headline=hostile("Judul"),
            outlet=hostile("Media", limit=200),
            author=hostile("Penulis", limit=200),
            url="https://news.example/artikel?id=1&x=<script>",
            published_on=datetime.date(2022, 4, 18),
            language="id",
        ),
        by=editor,
    ).article
    corrected = _publish(article, HOSTILE_SENTENCE, editor=editor, reviewer=reviewer, label="satu")
    corrected = correct(
        corrected,
        by=reviewer2,
        approver=reviewer,
        changes={"verdict": hostile("Keliru, diperbaiki")},
        note=hostile("Catatan koreksi"),
    )
    retracted = _publish(
        article,
        "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996.",
        editor=editor,
        reviewer=reviewer,
        label="dua",
    )
    retracted = retract(retracted, by=reviewer2, approver=reviewer, note=hostile("Catatan pencabutan"))
    return HostileWorld(article=article, corrected=corrected, retracted=retracted)
