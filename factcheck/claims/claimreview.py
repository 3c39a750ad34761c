"""schema.org ClaimReview for a published verdict: one builder for the claim page and the API.

See PRODUCT.md ("The standards we follow"): ``claimReviewed`` (under 75
characters), ``reviewRating`` with ``alternateName`` (and integer
``ratingValue``/``bestRating``/``worstRating`` for verdicts on the scale; only
``alternateName`` for an unproven one), ``url``, ``author``, ``datePublished``,
``itemReviewed`` (a ``Claim`` with ``author``, ``datePublished`` and
``appearance``) and ``inLanguage``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from .models import Claim, Language, Rating

CLAIM_REVIEWED_MAX = 74  # "Keep claimReviewed under 75 characters."
DEFAULT_LANGUAGE = Language.INDONESIAN


def claim_public_url(claim: Claim, language: str = DEFAULT_LANGUAGE) -> str:
    """The canonical address of the claim page in ``language``: ``{SITE_URL}/{language}/claims/{slug}/``."""
    return f"{settings.SITE_URL}/{language}/claims/{claim.slug}/"


def shorten(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def rating_scale_bounds(ratings: list[Rating]) -> tuple[int, int]:
    values = [r.value for r in ratings if r.value is not None]
    return max(values), min(values)


def review_rating(rating: Rating, language: str, *, best: int, worst: int) -> dict:
    data: dict = {"@type": "Rating"}
    if rating.value is not None:
        data.update({"ratingValue": rating.value, "bestRating": best, "worstRating": worst})
    data["alternateName"] = rating.label(language)
    return data


def claimant_entity(claim: Claim) -> dict | None:
    """The claimant as a Person, or as an Organization when it is the article's own outlet."""
    if not claim.claimant:
        return None
    kind = "Organization" if claim.article.outlet and claim.claimant == claim.article.outlet else "Person"
    return {"@type": kind, "name": claim.claimant}


def local_date(value) -> str:
    return timezone.localtime(value).date().isoformat()


def claim_review(claim: Claim, *, language: str = DEFAULT_LANGUAGE, scale: tuple[int, int] | None = None) -> dict:
    """The ClaimReview JSON-LD of a published (or corrected) claim, in ``language``.

    ``scale`` is (best, worst) of the rating scale; pass it when building many
    reviews to save a query each. ``claim.article`` and ``claim.rating`` should be
    loaded with ``select_related``.
    """
    if scale is None:
        scale = rating_scale_bounds(list(Rating.objects.all()))
    best, worst = scale
    article = claim.article
    item: dict = {"@type": "Claim"}
    author = claimant_entity(claim)
    if author:
        item["author"] = author
    if article.published_on:
        item["datePublished"] = article.published_on.isoformat()
    appearance: dict = {"@type": "CreativeWork", "headline": article.headline}
    if article.url:
        appearance["url"] = article.url
    item["appearance"] = appearance
    review: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_public_url(claim, language),
        "claimReviewed": shorten(claim.statement_in(language)),
        "reviewRating": review_rating(claim.rating, language, best=best, worst=worst),
        "author": {"@type": "Organization", "name": settings.PUBLISHER_NAME, "url": settings.SITE_URL},
        "itemReviewed": item,
        "inLanguage": language,
    }
    if claim.published_at:
        review["datePublished"] = local_date(claim.published_at)
    return review
