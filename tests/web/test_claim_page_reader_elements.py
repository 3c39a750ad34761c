"""What readers of fact-checks expect on a claim page: a correction notice at the top, a Claim / Fact box,
the byline, plain share links, related fact-checks, and the right lang on every mixed-language fragment."""

import json
import re

from django.utils import timezone

from factcheck.claims import services
from factcheck.people.models import StaffProfile
from tests.conftest import dismiss, retract, span_of

from .conftest import correct_claim, json_ld_blocks, publish_claim


def page(client, claim, prefix: str = "") -> str:
    response = client.get(f"{prefix}/claims/{claim.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_corrected_claim_shows_the_correction_at_the_top(anon, two_public_claims):
    claim = two_public_claims[0]  # corrected once: "Tanggal KTT diperjelas."
    html = page(anon, claim)
    notice = re.search(r'<div class="correction-notice" role="note">(.*?)</div>', html, re.S).group(1)
    assert html.index('class="correction-notice"') < html.index('<h1 id="claim-title"')
    assert "Dikoreksi" in notice and "Tanggal KTT diperjelas." in notice
    assert "(yang diubah: Ringkasan penilaian (bahasa Indonesia))" in notice  # what changed, in one line
    version = claim.corrections.get().claim_version
    assert f'href="#version-{version}"' in notice and f'id="version-{version}"' in html
    assert f'datetime="{timezone.localtime(claim.corrections.get().created_at).isoformat()[:10]}' in notice


def test_a_claim_never_corrected_has_no_notice(anon, two_public_claims):
    assert "correction-notice" not in page(anon, two_public_claims[1])


def test_a_retracted_claim_shows_dicabut_and_no_current_rating(anon, two_public_claims, reviewer, reviewer2):
    claim = retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Sumbernya ternyata keliru.")
    html = page(anon, claim)
    fact = re.search(r'<div class="claim-fact-fact verdict-box is-retracted">(.*?)</div>', html, re.S).group(1)
    assert '<span class="badge badge-retracted">Dicabut</span>' in fact
    assert "rating-mostly-true" not in fact and "Sebagian besar benar" not in fact
    assert "Penilaian kami:" not in html  # the withdrawn rating is never shown as the current one
    header = html[: html.index('class="claim-body"')]
    assert "badge rating-" not in header
    review = json.loads(json_ld_blocks(html)[0])
    assert "ratingValue" not in review["reviewRating"]
    assert review["reviewRating"]["alternateName"].startswith("Dicabut")


def test_the_claim_fact_box_sits_above_the_sources(anon, two_public_claims):
    html = page(anon, two_public_claims[1])
    box = html.index('class="claim-fact"')
    assert box < html.index('id="verdict-title"') < html.index('id="evidence-title"')
    assert ">Klaim</p>" in html[box:] and ">Fakta</p>" in html[box:]


def test_the_byline_names_researcher_and_reviewer_by_their_public_names(anon, two_public_claims, editor, reviewer):
    claim = two_public_claims[1]
    StaffProfile.objects.create(user=editor, display_name="Dewi Lestari")
    html = page(anon, claim)
    assert "Diteliti oleh <strong>Dewi Lestari</strong>" in html
    assert "ditinjau oleh <strong>Reviewer</strong>" in html  # no profile: the full name
    assert editor.username not in re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)


def test_a_new_display_name_shows_at_once(anon, two_public_claims, reviewer, django_capture_on_commit_callbacks):
    claim = two_public_claims[1]
    page(anon, claim)
    with django_capture_on_commit_callbacks(execute=True):  # as it commits
        StaffProfile.objects.create(user=reviewer, display_name="Rudi Hartono")
    assert "ditinjau oleh <strong>Rudi Hartono</strong>" in page(anon, claim)


def test_share_links_are_plain_links_without_scripts(anon, two_public_claims, settings):
    claim = two_public_claims[1]
    html = page(anon, claim)
    share = re.search(r'<nav class="share"[^>]*>(.*?)</nav>', html, re.S).group(1)
    for host in (
        "https://wa.me/?text=",
        "https://x.com/intent/post?",
        "https://www.facebook.com/sharer/",
        "https://t.me/share/url?",
    ):
        assert host in share
    url = f"{settings.SITE_URL}/claims/{claim.slug}/"
    assert f'href="{url}" data-copy-link' in share
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
    assert scripts == ["/static/js/site.js"]


def test_related_fact_checks_list_the_same_article_first(anon, two_public_claims, more_public_data):
    first, second = two_public_claims
    html = page(anon, first)
    related = html[html.index('id="related-title"') :]
    same = related[related.index("Dari artikel yang sama") :]
    assert f'href="/claims/{second.slug}/"' in same and f'href="/claims/{more_public_data.slug}/"' in same
    assert f'href="/claims/{first.slug}/"' not in related


def test_similar_claims_of_other_articles_follow(anon, two_public_claims, editor, reviewer):
    from factcheck.claims.importing import ArticleMetadata, article_import

    other = article_import(
        data=b"KTT ASEM pertama didirikan di Bangkok oleh 25 negara.\n",
        metadata=ArticleMetadata(headline="ASEM lagi", outlet="Contoh", author="Penulis", language="id"),
        by=editor,
    ).article
    similar = publish_claim(
        other,
        "KTT ASEM pertama didirikan di Bangkok oleh 25 negara.",
        editor=editor,
        reviewer=reviewer,
        statement="ASEM didirikan di Bangkok oleh 25 negara",
    )
    html = page(anon, two_public_claims[0])
    related = html[html.index('id="related-title"') :]
    assert related.index("Dari artikel yang sama") < related.index("Klaim serupa")
    assert f'href="/claims/{similar.slug}/"' in related[related.index("Klaim serupa") :]


def test_a_not_checkable_claim_has_a_page_that_says_why(anon, two_public_claims, article, editor, reviewer):
    start, end = span_of(article, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")
    claim = services.claim_create(article=article, start=start, end=end, by=editor, statement="Klaim opini")
    claim = dismiss(claim, by=editor, approver=reviewer, reason="Ini opini penulis.", reason_en="An opinion.")
    html = page(anon, claim)
    assert "Tidak dapat diperiksa" in html and "Ini opini penulis." in html
    assert json_ld_blocks(html) == []
    assert 'id="what-changed"' not in html
    assert page(anon, claim, "/en").count("An opinion.") >= 1


def test_english_pages_mark_indonesian_fallbacks_and_indonesian_pages_mark_english_excerpts(
    anon, article, editor, reviewer
):
    claim = publish_claim(
        article, "Forum ini mencakup 53 negara mitra.", editor=editor, reviewer=reviewer, verdict_en=""
    )
    # The excerpts of publish_claim are in English ("What source 1 says.").
    english = page(anon, claim, "/en")
    assert f'<h1 id="claim-title" lang="id">{claim.statement}</h1>' in english
    assert '<p lang="id">Benar menurut sumber primer.</p>' in english
    indonesian = page(anon, claim)
    assert '<p class="evidence-excerpt" lang="en">What source 1 says.</p>' in indonesian
    assert '<p class="evidence-excerpt">What source 1 says.</p>' in english  # the page's own language


def test_its_correction_notice_uses_the_english_note_on_english_pages(anon, two_public_claims, reviewer, reviewer2):
    claim = correct_claim(
        two_public_claims[1],
        by=reviewer2,
        approver=reviewer,
        note="Angka diperbaiki.",
        note_en="Figure fixed.",
        verdict="Benar.",
    )
    english = page(anon, claim, "/en")
    notice = re.search(r'<div class="correction-notice" role="note">(.*?)</div>', english, re.S).group(1)
    assert "Corrected" in notice and '<span lang="en">Figure fixed.</span>' in notice
