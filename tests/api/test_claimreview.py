"""The ClaimReview builder shared by the claim page and the API (factcheck/web/claimreview.py)."""

from __future__ import annotations

from factcheck.claims.models import Claim, Rating
from factcheck.web.claimreview import claim_review, shorten
from factcheck.web.links import claim_url
from tests.conftest import correct, retract


def test_claim_reviewed_stays_under_75_characters_cut_at_a_word():
    long = "Forum Asia-Eropa ini didirikan di Bangkok pada tahun 1996 dan kini mencakup lima puluh tiga mitra"

    short = shorten(long)

    assert len(short) < 75
    assert short == "Forum Asia-Eropa ini didirikan di Bangkok pada tahun 1996 dan kini…"
    assert shorten("Pendek saja") == "Pendek saja"


def test_an_unproven_verdict_has_only_alternate_name(published_claim, reviewer, reviewer2):
    claim = correct(
        published_claim, by=reviewer2, approver=reviewer, note="Bukti belum cukup.", changes={"rating": "unproven"}
    )

    review = claim_review(claim, language="en")

    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}


def test_the_claimant_is_an_organization_when_it_is_the_outlet(published_claim, reviewer, reviewer2):
    # The claimant is shown to readers: changing it on a published claim is a correction.
    claim = correct(
        published_claim, by=reviewer2, approver=reviewer, note="Pengklaim diperbaiki.", changes={"claimant": "Contoh"}
    )

    assert claim_review(claim, language="id")["itemReviewed"]["author"] == {"@type": "Organization", "name": "Contoh"}


def test_the_scale_bounds_come_from_the_rating_data(published_claim, django_assert_num_queries):
    best, worst = Rating.objects.get(key="true").value, Rating.objects.get(key="false").value
    claim = Claim.objects.select_related("article", "rating").get(pk=published_claim.pk)

    with django_assert_num_queries(1):  # the scale, when not passed in
        rating = claim_review(claim, language="id")["reviewRating"]

    assert (rating["bestRating"], rating["worstRating"]) == (best, worst)


def test_the_public_url_is_the_claim_page_in_that_language(published_claim, settings):
    settings.SITE_URL = "https://cekfakta.example"

    assert claim_url(published_claim, "en") == f"https://cekfakta.example/en/claims/{published_claim.slug}/"
    assert claim_review(published_claim, language="id")["url"] == (
        f"https://cekfakta.example/claims/{published_claim.slug}/"
    )


def test_the_api_serves_exactly_what_the_claim_page_embeds(client, published_claim):
    import json
    import re

    page = client.get(f"/en/claims/{published_claim.slug}/").content.decode()
    embedded = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1)

    served = client.get(f"/api/v1/claims/{published_claim.pk}/claimreview/?language=en")

    assert served["Content-Type"].startswith("application/ld+json")
    assert served.json() == json.loads(embedded)


def test_a_retracted_verdict_keeps_its_claimreview_saying_it_was_retracted(
    client, published_claim, reviewer, reviewer2
):
    retract(published_claim, by=reviewer2, approver=reviewer, note="Sumber ditarik.")

    served = client.get(f"/api/v1/claims/{published_claim.pk}/claimreview/?language=en").json()

    assert served["reviewRating"] == {"@type": "Rating", "alternateName": "Retracted (was: True)"}
