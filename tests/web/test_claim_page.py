"""The claim page: statement, rating, verdict, quote in context, article, evidence and what changed."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import dismiss, retract
from tests.web.conftest import json_ld_blocks


def claim_page(client, claim, prefix: str = ""):
    return client.get(prefix + reverse("web:claim", kwargs={"slug": claim.slug}))


def test_it_shows_statement_rating_label_definition_and_verdict(anon, two_public_claims):
    claim = two_public_claims[0]
    response = claim_page(anon, claim)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 id="claim-title" lang="id">{claim.statement}</h1>' in html
    assert 'class="claim-fact-fact verdict-box rating-true"' in html
    assert '<span class="badge rating-true">Benar</span>' in html
    assert claim.rating.definition_id in html
    assert "Benar: KTT pertama di Bangkok, 1-2 Maret 1996." in html


def test_it_shows_the_quote_in_context_with_a_link_to_its_place(anon, two_public_claims):
    claim = two_public_claims[1]
    html = claim_page(anon, claim).content.decode()
    # The paragraph around the quote, with the quote marked.
    assert "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996. <mark" in html
    assert f">{claim.quote}</mark>" in html
    article_link = reverse("web:article", kwargs={"slug": claim.article.slug}) + f"#claim-{claim.slug}"
    assert f'href="{article_link}"' in html


def test_it_names_claimant_and_article(anon, two_public_claims):
    claim = two_public_claims[0]
    claim.article.url = "https://contoh.example/asem"
    claim.article.save()
    html = claim_page(anon, claim).content.decode()
    assert "Diklaim oleh <strong>Penulis</strong>" in html
    assert "ASEM dan Ukraina" in html
    assert "<dd>Contoh</dd>" in html
    assert 'href="https://contoh.example/asem"' in html


def test_it_lists_the_evidence(anon, two_public_claims):
    claim = two_public_claims[0]
    html = claim_page(anon, claim).content.decode()
    for evidence in claim.evidence.all():
        assert f'href="{evidence.url}"' in html
        assert evidence.title in html
        assert evidence.publisher in html
        assert evidence.excerpt in html
    assert "Mendukung klaim" in html
    assert "Konteks" in html
    assert "Sumber primer" in html
    assert f'href="https://archive.example.org/{claim.slug}/0"' in html
    assert "Salinan arsip" in html


def test_it_shows_what_changed_with_the_correction_note_and_word_diff(anon, two_public_claims):
    claim = two_public_claims[0]
    html = claim_page(anon, claim).content.decode()
    section = html[html.index('id="what-changed"') :]
    assert "Pertama diterbitkan" in section
    assert "Koreksi" in section
    assert "Tanggal KTT diperjelas." in section
    assert "Ringkasan penilaian (bahasa Indonesia):" in section
    # Words removed and added, marked for sighted readers and screen readers alike.
    assert '<ins><span class="visually-hidden">[ditambahkan: </span>di Bangkok, 1-2 Maret 1996.<' in section
    assert '<del><span class="visually-hidden">[dihapus: </span>primer.<' in section
    assert section.index("version-correction") < section.index("version-published")


def test_a_retracted_claim_says_so_at_the_top(anon, two_public_claims, reviewer, reviewer2):
    claim = retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Sumbernya ternyata keliru.")
    response = claim_page(anon, claim)
    assert response.status_code == 200
    html = response.content.decode()
    banner = html.index("banner-retracted")
    assert banner < html.index("<main")
    assert "Hasil cek fakta ini telah dicabut." in html
    assert "Sumbernya ternyata keliru." in html
    assert "Pencabutan" in html[html.index('id="what-changed"') :]


def test_a_draft_is_a_404_for_readers(anon, draft_claim, in_review_claim):
    assert claim_page(anon, in_review_claim).status_code == 404


def test_a_dismissed_claim_has_no_page_for_readers(anon, draft_claim, editor, reviewer):
    claim = dismiss(draft_claim, by=editor, approver=reviewer, reason="Opini.")
    assert claim_page(anon, claim).status_code == 404


def test_an_outsider_without_staff_status_gets_a_404(client, outsider, in_review_claim):
    client.force_login(outsider)
    assert claim_page(client, in_review_claim).status_code == 404


def test_staff_preview_a_draft_with_a_banner_and_never_cache(client, editor, in_review_claim):
    client.force_login(editor)
    response = claim_page(client, in_review_claim)
    assert response.status_code == 200
    html = response.content.decode()
    assert "banner-preview" in html
    assert "Belum diterbitkan." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert json_ld_blocks(html) == []


def test_a_public_page_is_not_marked_never_cache(anon, two_public_claims):
    response = claim_page(anon, two_public_claims[0])
    assert "no-store" not in response.get("Cache-Control", "")
    assert "banner-preview" not in response.content.decode()


def test_an_unknown_slug_is_a_404(anon, db):
    assert anon.get("/claims/no-such-claim/").status_code == 404


def test_it_embeds_exactly_one_claim_review(anon, two_public_claims):
    html = claim_page(anon, two_public_claims[0]).content.decode()
    blocks = json_ld_blocks(html)
    assert len(blocks) == 1
    assert json.loads(blocks[0])["@type"] == "ClaimReview"


def test_it_has_opengraph_twitter_and_canonical_meta(anon, two_public_claims, settings):
    claim = two_public_claims[0]
    html = claim_page(anon, claim).content.decode()
    url = f"{settings.SITE_URL}/claims/{claim.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<meta property="og:title" content="[BENAR] {claim.statement}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="id_ID">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:title" content="[BENAR] {claim.statement}">' in html
    card = f"{settings.SITE_URL}/claims/{claim.slug}/card-{claim.version}.png"
    assert f'<meta property="og:image" content="{card}">' in html
    assert f'<meta name="twitter:image" content="{card}">' in html
    assert '<meta property="og:description" content="Benar: KTT pertama' in html
    assert f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}/en/claims/{claim.slug}/">' in html


def test_the_canonical_url_follows_site_url(anon, two_public_claims, settings):
    settings.SITE_URL = "https://cekfakta.example"
    claim = two_public_claims[0]
    html = claim_page(anon, claim, prefix="/en").content.decode()
    assert f'<link rel="canonical" href="https://cekfakta.example/en/claims/{claim.slug}/">' in html
    assert json.loads(json_ld_blocks(html)[0])["url"] == f"https://cekfakta.example/en/claims/{claim.slug}/"


def test_its_query_count_with_two_claims(anon, two_public_claims, django_assert_num_queries):
    # 1. the claim with its article, rating, byline, the scale's best and worst values (ClaimReview) and its
    # first publication (history), read with what gives the page its validators (the newest change of any
    # claim and of the scale), then 2. its evidence, 3. its corrections (notes and changes), 4. the rating
    # scale (labels in the history), 5. the other public claims of its article, 6. similar claims of other
    # articles (related fact-checks).
    with django_assert_num_queries(6):
        assert claim_page(anon, two_public_claims[0]).status_code == 200


def test_its_query_count_is_constant(anon, two_public_claims, more_public_data, django_assert_num_queries):
    # The same six queries with more claims, evidence links and corrections (the first claim now has two).
    with django_assert_num_queries(6):
        assert claim_page(anon, two_public_claims[0]).status_code == 200
    # A claim never corrected needs no rating labels for its history: one query fewer.
    with django_assert_num_queries(5):
        assert claim_page(anon, more_public_data).status_code == 200


def reads_of_the_claim(client, claim) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert claim_page(client, claim).status_code == 200
    return [query["sql"] for query in queries.captured_queries if '"claims_claim"."slug" =' in query["sql"]]


def test_the_claim_is_read_once_with_its_validators(anon, two_public_claims, editor):
    claim = two_public_claims[0]
    assert len(reads_of_the_claim(anon, claim)) == 1
    # A signed-in editor's page has no validators: the view reads the claim itself, once too.
    staff = Client()
    staff.force_login(editor)
    assert len(reads_of_the_claim(staff, claim)) == 1


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_claim_without_history_rows_still_renders(anon, published_claim, prefix):
    assert claim_page(anon, published_claim, prefix=prefix).status_code == 200
