"""The demo: the seed article with its researched claims, published through the editors' own workflow.

Idempotent: users, the article, each claim and each evidence link are created
only when missing, so running it twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from factcheck.partners.models import Partner
from factcheck.partners.services import create_partner_with_key

from . import services
from .importing import ArticleMetadata, article_import
from .models import Article, Claim, text_hash
from .roles import EDITORS, REVIEWERS, ensure_roles

DEMO_DIR = Path(__file__).resolve().parent / "demo"
ARTICLE_FILE = DEMO_DIR / "ukraina-asem.txt"

DEMO_ACCOUNTS = [
    # (username, password, full name, group or None for a superuser)
    ("editor", "editor-demo-pass", "Dewi Editor", EDITORS),
    ("reviewer", "reviewer-demo-pass", "Rudi Reviewer", REVIEWERS),
    ("reviewer2", "reviewer2-demo-pass", "Sari Reviewer", REVIEWERS),
    ("admin", "admin-demo-pass", "Admin Portal", None),
]
DEMO_PARTNER = "Demo Partner"


@dataclass
class DemoReport:
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    article: Article | None = None
    article_created: bool = False
    claims_created: int = 0
    evidence_created: int = 0
    partner: Partner | None = None
    # The demo partner's API key, only on the run that created it (only a digest is stored).
    partner_key: str | None = None

    @property
    def changed(self) -> bool:
        return self.article_created or self.claims_created > 0 or self.evidence_created > 0


def demo_claims() -> list[dict]:
    return json.loads((DEMO_DIR / "claims.json").read_text(encoding="utf-8"))


def demo_article_metadata() -> dict:
    return json.loads((DEMO_DIR / "article.json").read_text(encoding="utf-8"))


def _ensure_accounts(report: DemoReport) -> dict[str, AbstractBaseUser]:
    groups = ensure_roles()
    User = get_user_model()
    users = {}
    for username, password, full_name, group in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = full_name.split(" ", 1)
            if group is None:
                user = User.objects.create_superuser(
                    username, f"{username}@example.org", password, first_name=first, last_name=last
                )
            else:
                user = User.objects.create_user(
                    username, f"{username}@example.org", password, first_name=first, last_name=last, is_staff=True
                )
                user.groups.add(groups[group])
        users[username] = user
        report.accounts.append((username, password, group or "superuser"))
    return users


@transaction.atomic
def load_demo() -> DemoReport:
    report = DemoReport()
    users = _ensure_accounts(report)
    editor, reviewer = users["editor"], users["reviewer"]
    data = ARTICLE_FILE.read_bytes()
    result = article_import(
        data=data,
        metadata=ArticleMetadata.from_data(demo_article_metadata()),
        by=editor,
        reason="Demo: seed article imported",
    )
    article = result.article
    report.article, report.article_created = article, result.created
    assert article.body_hash == text_hash(article.body)
    for entry in demo_claims():
        start = article.body.find(entry["quote"])
        if start < 0:
            raise ValueError(f"Demo claim {entry['ref']}: its quote is not in the article body.")
        end = start + len(entry["quote"])
        if Claim.objects.filter(article=article, start=start, end=end).exists():
            continue
        _create_demo_claim(article, entry, start, end, editor=editor, reviewer=reviewer, report=report)
    report.partner = Partner.objects.filter(name=DEMO_PARTNER).first()
    if report.partner is None:
        report.partner, report.partner_key = create_partner_with_key(
            name=DEMO_PARTNER, contact_email="partner@example.org"
        )
    return report


def _create_demo_claim(
    article: Article,
    entry: dict,
    start: int,
    end: int,
    *,
    editor: AbstractBaseUser,
    reviewer: AbstractBaseUser,
    report: DemoReport,
) -> None:
    claim = services.claim_create(
        article=article,
        start=start,
        end=end,
        by=editor,
        reason=f"Demo: claim {entry['ref']} from the research notes",
        statement=entry["statement_id"],
        statement_en=entry["statement_en"],
        claimant=entry["claimant"],
        researcher=editor,
    )
    report.claims_created += 1
    claim = services.claim_start_research(claim=claim, by=editor)
    for evidence in entry["evidence"]:
        services.evidence_add(claim=claim, by=editor, **evidence)
        report.evidence_created += 1
    claim.refresh_from_db()
    if not entry["checkable"]:
        claim = services.claim_update(
            claim=claim,
            by=editor,
            expected_version=claim.version,
            changes={
                "checkable": False,
                "not_checkable_reason": entry["not_checkable_reason_id"],
                "not_checkable_reason_en": entry["not_checkable_reason_en"],
            },
            reason="Demo: marked not checkable from the research notes",
        )
        claim = services.claim_send_to_review(claim=claim, by=editor)
        services.claim_dismiss(claim=claim, by=reviewer, note="Demo: reviewed as not checkable")
        return
    claim = services.claim_update(
        claim=claim,
        by=editor,
        expected_version=claim.version,
        changes={"rating": entry["rating"], "verdict": entry["verdict_id"], "verdict_en": entry["verdict_en"]},
        reason="Demo: verdict written from the research notes",
    )
    claim = services.claim_send_to_review(claim=claim, by=editor)
    services.claim_publish(claim=claim, by=reviewer, note="Demo: reviewed and published")
