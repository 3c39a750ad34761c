"""The schema.org ClaimReview of a public claim: one document for the claim page and the API.

Built from the claim alone (no request): absolute URLs come from ``settings.SITE_URL``.
Every value is a plain string, number or dict, so the JSON is the same whoever serialises it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from factcheck.claims.models import Claim
from factcheck.claims.selectors import rating_scale_bounds

from .links import absolute_url, article_url, claim_url

# Google's guideline: claimReviewed under 75 characters; longer statements are shortened at a word boundary.
CLAIM_REVIEWED_MAX = 74


def shorten(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """``text`` cut at a word boundary so that, with an ellipsis, it has at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def _iso_datetime(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _organization() -> dict:
    return {"@type": "Organization", "name": settings.PUBLISHER_NAME, "url": absolute_url("/")}


def review_rating(claim: Claim, *, language: str, bounds: tuple[int | None, int | None]) -> dict:
    """``reviewRating``: the numeric value and scale, or only ``alternateName`` when off the scale.

    A retracted verdict is withdrawn, so it is given no number either: its textual
    rating says that it was retracted.
    """
    rating = claim.rating
    label = rating.label(language) if rating else ""
    if claim.status == Claim.Status.RETRACTED:
        with translation.override(language):
            label = gettext("Retracted (was: %(rating)s)") % {"rating": label}
        return {"@type": "Rating", "alternateName": label}
    best, worst = bounds
    if rating is None or rating.value is None or best is None or worst is None:
        return {"@type": "Rating", "alternateName": label}
    return {
        "@type": "Rating",
        "ratingValue": rating.value,
        "bestRating": best,
        "worstRating": worst,
        "alternateName": label,
    }


def claim_review(claim: Claim, *, language: str, bounds: tuple[int | None, int | None] | None = None) -> dict:
    """The ClaimReview of a public ``claim`` for readers of ``language`` ("id" or "en").

    ``claim`` should come with its article and rating (select_related). ``bounds``
    (best, worst) of the rating scale may be passed to save a query per claim in lists.
    """
    article = claim.article
    if bounds is None:
        bounds = rating_scale_bounds()
    appearance: dict = {
        "@type": "NewsArticle",
        "url": article.url or article_url(article, language),
        "headline": article.headline,
        "inLanguage": article.language,
    }
    if article.published_on:
        appearance["datePublished"] = article.published_on.isoformat()
    if article.author:
        appearance["author"] = {"@type": "Person", "name": article.author}
    if article.outlet:
        appearance["publisher"] = {"@type": "Organization", "name": article.outlet}
    item_reviewed: dict = {"@type": "Claim", "appearance": appearance}
    if claim.claimant:
        # The outlet itself as claimant is an organisation; anyone else is taken to be a person.
        kind = "Organization" if article.outlet and claim.claimant == article.outlet else "Person"
        item_reviewed["author"] = {"@type": kind, "name": claim.claimant}
    if article.published_on:
        item_reviewed["datePublished"] = article.published_on.isoformat()
    document = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(claim, language),
        "claimReviewed": shorten(claim.statement_in(language)),
        "reviewRating": review_rating(claim, language=language, bounds=bounds),
        "itemReviewed": item_reviewed,
        "author": _organization(),
        "datePublished": _iso_datetime(claim.published_at),
        "dateModified": _iso_datetime(claim.updated_at),
        "inLanguage": language,
    }
    return {key: value for key, value in document.items() if value is not None}
