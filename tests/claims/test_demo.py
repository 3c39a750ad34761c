"""load_demo: the seed article, every researched claim with its verdict and evidence, the demo accounts."""

import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from factcheck.claims.demo import DEMO_DIR, demo_claims
from factcheck.claims.models import Article, Claim, Evidence

# The research notes, as shipped with the project (a fresh clone has no ../shared).
NOTES = {entry["ref"]: entry for entry in demo_claims()}
EXPECTED_RATINGS = {
    "C01": "misleading",
    "C02": "mostly-true",
    "C03": None,
    "C04": "true",
    "C05": "unproven",
    "C06": "mostly-true",
    "C07": None,
    "C08": "true",
    "C09": "true",
    "C10": "half-true",
    "C11": "mostly-true",
    "C12": "true",
    "C13": "mostly-true",
    "C14": "mostly-true",
    "C15": "true",
    "C16": "mostly-true",
    "C17": "true",
}


@pytest.fixture
def demo(demo_loaded, db):
    """The demo, loaded once for the module (tests/claims/conftest.py); what load_demo printed."""
    return demo_loaded


def claim_for(ref: str) -> Claim:
    article = Article.objects.get()
    quote = NOTES[ref]["quote"]
    start = article.body.index(quote)
    return Claim.objects.select_related("rating").get(article=article, start=start, end=start + len(quote))


def test_seed_article_is_loaded_with_its_real_metadata(demo):
    article = Article.objects.get()

    assert article.headline.startswith("Diplomasi Pertahanan Ukraina-Indonesia")
    assert article.outlet == "Kompasiana"
    assert article.author == "Laila Al muna"
    assert str(article.published_on) == "2022-04-18"
    assert article.language == "id"
    assert article.url.startswith("https://kompasiana.com/lailaalmuna1102/625cdb26bb44867c35676fa5/")
    assert "Â" not in article.body
    assert bytes(article.original) == (DEMO_DIR / "ukraina-asem.txt").read_bytes()


def test_the_shipped_seed_is_the_article_exactly_as_received():
    shared = Path(__file__).resolve().parents[3] / "shared" / "seed" / "ukraina-asem.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside this clone (it is only at CI and development time)")
    assert (DEMO_DIR / "ukraina-asem.txt").read_bytes() == shared.read_bytes()


def test_every_researched_claim_is_present_with_its_rating_and_evidence(demo):
    for ref, rating in EXPECTED_RATINGS.items():
        claim = claim_for(ref)
        notes = NOTES[ref]

        assert claim.quote == notes["quote"], ref
        assert claim.statement and claim.statement_en, ref
        assert (claim.rating.key if claim.rating else None) == rating, ref
        assert sorted(claim.evidence.values_list("url", flat=True)) == sorted(e["url"] for e in notes["evidence"]), ref
        if rating is None:
            assert claim.status == Claim.Status.DISMISSED, ref
            assert not claim.checkable and claim.not_checkable_reason and claim.not_checkable_reason_en, ref
        else:
            assert claim.status == Claim.Status.PUBLISHED, ref
            assert claim.verdict and claim.verdict_en and claim.published_at, ref


def test_claims_are_published_through_the_workflow_with_four_eyes(demo):
    claim = claim_for("C15")

    reasons = list(claim.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True))
    assert reasons[0].startswith("Demo: claim C15")
    assert "Sent to review" in reasons
    assert reasons[-1].startswith("Published")
    assert claim.researcher.username == "editor"
    assert claim.reviewer.username == "reviewer"


def test_the_c13_verdict_says_the_sources_disagree_on_the_day(demo):
    claim = claim_for("C13")

    assert "6" in claim.verdict_en and "11" in claim.verdict_en
    assert "Juni" in claim.verdict


def test_demo_accounts_are_created_and_printed(demo):
    users = {u.username: u for u in get_user_model().objects.all()}

    assert users["admin"].is_superuser
    assert users["editor"].groups.filter(name="Editors").exists()
    assert users["reviewer"].groups.filter(name="Reviewers").exists()
    for username in ("editor", "reviewer", "admin"):
        assert username in demo
    assert "password" in demo


def test_a_second_run_changes_nothing(demo):
    counts = (Article.objects.count(), Claim.objects.count(), Evidence.objects.count(), Claim.history.count())

    out = io.StringIO()
    call_command("load_demo", stdout=out)

    assert "nothing changed" in out.getvalue()
    assert (Article.objects.count(), Claim.objects.count(), Evidence.objects.count(), Claim.history.count()) == counts
    assert counts[1] == 17 and counts[2] == sum(len(e["evidence"]) for e in NOTES.values())


def test_demo_notes_file_is_valid_and_complete():
    data = json.loads((DEMO_DIR / "claims.json").read_text(encoding="utf-8"))

    assert [entry["ref"] for entry in data] == [f"C{n:02d}" for n in range(1, 18)]
    for entry in data:
        assert len(entry["statement_id"]) <= 75 and len(entry["statement_en"]) <= 75


def test_demo_sources_have_real_titles_and_hosts():
    data = json.loads((DEMO_DIR / "claims.json").read_text(encoding="utf-8"))
    for entry in data:
        for source in entry["evidence"]:
            assert source["title"].strip() and source["title"].lower() != "untitled page", source["url"]
            host = urlsplit(source["url"]).hostname
            assert host and not host.endswith("."), source["url"]


def test_the_demo_articles_description_counts_only_checked_claims(demo, client):
    article = Article.objects.get()
    html = client.get(f"/articles/{article.slug}/").content.decode()
    assert "dengan 15 klaim yang sudah diperiksa. 2 klaim lain tidak dapat diperiksa." in html
