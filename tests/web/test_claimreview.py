"""The ClaimReview document (schema.org) of a claim page, shared with the API."""

import json

from django.urls import reverse

from factcheck.claims.models import Rating
from factcheck.web.claimreview import claim_review, shorten
from factcheck.web.links import article_url, claim_url
from tests.conftest import correct, retract
from tests.web.conftest import json_ld_blocks


def test_it_has_the_required_and_recommended_fields(two_public_claims, settings):
    claim = two_public_claims[0]
    claim.article.url = "https://contoh.example/asem"
    claim.article.published_on = "2022-04-18"
    claim.article.save()
    claim.refresh_from_db()
    document = claim_review(claim, language="id")
    assert document == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{settings.SITE_URL}/claims/{claim.slug}/",
        "claimReviewed": "ASEM didirikan di Bangkok pada 1996",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Benar",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Penulis"},
            "datePublished": "2022-04-18",
            "appearance": {
                "@type": "NewsArticle",
                "url": "https://contoh.example/asem",
                "headline": "ASEM dan Ukraina",
                "inLanguage": "id",
                "datePublished": "2022-04-18",
                "author": {"@type": "Person", "name": "Penulis"},
                "publisher": {"@type": "Organization", "name": "Contoh"},
            },
        },
        "author": {"@type": "Organization", "name": settings.PUBLISHER_NAME, "url": f"{settings.SITE_URL}/"},
        "datePublished": document["datePublished"],
        "dateModified": document["dateModified"],
        "inLanguage": "id",
    }
    assert document["datePublished"].startswith(str(claim.published_at.astimezone().year))


def test_it_follows_the_readers_language(two_public_claims, settings):
    english = claim_review(two_public_claims[0], language="en")
    assert english["claimReviewed"] == "ASEM was founded in Bangkok in 1996"
    assert english["reviewRating"]["alternateName"] == "True"
    assert english["url"] == f"{settings.SITE_URL}/en/claims/{two_public_claims[0].slug}/"
    assert english["inLanguage"] == "en"
    # No English statement: the Indonesian one stands in.
    assert claim_review(two_public_claims[1], language="en")["claimReviewed"] == "ASEM mencakup 53 negara mitra"


def test_an_unproven_verdict_has_only_alternate_name(two_public_claims, reviewer, reviewer2):
    claim = correct(
        two_public_claims[1], by=reviewer2, approver=reviewer, note="Bukti kurang.", changes={"rating": "unproven"}
    )
    assert claim_review(claim, language="en")["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


def test_a_retracted_verdict_has_no_number_and_says_it_was_retracted(two_public_claims, reviewer, reviewer2):
    claim = retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Salah sumber.")
    assert claim_review(claim, language="en")["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Retracted (was: Mostly true)",
    }


def test_the_scale_bounds_come_from_the_data(two_public_claims):
    Rating.objects.filter(key="true").update(value=7)
    assert claim_review(two_public_claims[0], language="id")["reviewRating"]["bestRating"] == 7


def test_without_an_article_url_the_appearance_is_our_article_page(two_public_claims):
    claim = two_public_claims[0]
    assert claim.article.url == ""
    appearance = claim_review(claim, language="en")["itemReviewed"]["appearance"]
    assert appearance["url"] == article_url(claim.article, "en")


def test_claim_reviewed_is_kept_under_75_characters():
    long = "Kata " * 30
    short = shorten(long)
    assert len(short) <= 75
    assert short.endswith("…")
    assert shorten("Singkat saja.") == "Singkat saja."


def test_the_page_embeds_the_same_document(anon, two_public_claims):
    claim = two_public_claims[0]
    html = anon.get(reverse("web:claim", kwargs={"slug": claim.slug})).content.decode()
    assert json.loads(json_ld_blocks(html)[0]) == claim_review(claim, language="id")


def test_no_text_in_a_claim_can_break_out_of_the_script_element(anon, two_public_claims, reviewer, reviewer2):
    hostile = '</script><script>alert("x")</script> & <!--'
    claim = correct(two_public_claims[1], by=reviewer2, approver=reviewer, note="Uji.", changes={"statement": hostile})
    claim.article.headline = "</SCRIPT><img src=x onerror=alert(1)>"
    claim.article.save()
    html = anon.get(reverse("web:claim", kwargs={"slug": claim.slug})).content.decode()
    head = html[: html.index("</head>")]
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert head.count("<script") == 1  # the JSON-LD; site.js is loaded at the end of the body
    assert head.lower().count("</script>") == 1
    claim.refresh_from_db()
    assert json.loads(json_ld_blocks(html)[0]) == claim_review(claim, language="id")


def test_the_url_helpers_are_absolute(two_public_claims, settings):
    claim = two_public_claims[0]
    assert claim_url(claim, "id") == f"{settings.SITE_URL}/claims/{claim.slug}/"
    assert claim_url(claim, "en") == f"{settings.SITE_URL}/en/claims/{claim.slug}/"
    assert article_url(claim.article, "en") == f"{settings.SITE_URL}/en/articles/{claim.article.slug}/"
