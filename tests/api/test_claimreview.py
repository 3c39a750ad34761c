"""The ClaimReview builder shared by the claim page and the API."""

from __future__ import annotations

from factcheck.claims import services
from factcheck.claims.claimreview import claim_public_url, claim_review, shorten
from factcheck.claims.models import Claim, Rating


def test_claim_reviewed_stays_under_75_characters_cut_at_a_word():
    long = "Forum Asia-Eropa ini didirikan di Bangkok pada tahun 1996 dan kini mencakup lima puluh tiga mitra"

    short = shorten(long)

    assert len(short) < 75
    assert short == "Forum Asia-Eropa ini didirikan di Bangkok pada tahun 1996 dan kini…"
    assert shorten("Pendek saja") == "Pendek saja"


def test_an_unproven_verdict_has_only_alternate_name(published_claim, reviewer2):
    claim = services.claim_update(
        claim=published_claim,
        by=reviewer2,
        expected_version=published_claim.version,
        changes={"rating": "unproven"},
        note="Bukti belum cukup.",
    )

    review = claim_review(claim, language="en")

    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


def test_the_claimant_is_an_organization_when_it_is_the_outlet(published_claim, reviewer2):
    claim = services.claim_update(
        claim=published_claim, by=reviewer2, expected_version=published_claim.version, changes={"claimant": "Contoh"}
    )

    assert claim_review(claim)["itemReviewed"]["author"] == {"@type": "Organization", "name": "Contoh"}


def test_the_scale_bounds_come_from_the_rating_data(published_claim, django_assert_num_queries):
    best, worst = Rating.objects.get(key="true").value, Rating.objects.get(key="false").value
    claim = Claim.objects.select_related("article", "rating").get(pk=published_claim.pk)

    with django_assert_num_queries(1):  # the scale, when not passed in
        rating = claim_review(claim)["reviewRating"]

    assert (rating["bestRating"], rating["worstRating"]) == (best, worst)


def test_the_public_url_is_language_prefixed(published_claim, settings):
    settings.SITE_URL = "https://cekfakta.example"

    assert claim_public_url(published_claim, "en") == f"https://cekfakta.example/en/claims/{published_claim.slug}/"
    assert claim_review(published_claim)["url"] == f"https://cekfakta.example/id/claims/{published_claim.slug}/"
