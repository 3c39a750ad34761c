"""Public addresses of claims and articles, absolute and built from ``settings.SITE_URL``.

Used by the reader pages (canonical links, OpenGraph), the ClaimReview markup,
the feeds and sitemap, and the API; none of them needs a request.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from factcheck.claims.models import Article, Claim


def absolute_url(path: str) -> str:
    """``path`` (starting with a slash) on the public site."""
    return settings.SITE_URL + path


def claim_path(claim: Claim, language: str) -> str:
    with translation.override(language):
        return reverse("web:claim", kwargs={"slug": claim.slug})


def article_path(article: Article, language: str) -> str:
    with translation.override(language):
        return reverse("web:article", kwargs={"slug": article.slug})


def claim_anchor(claim: Claim) -> str:
    """The id of the claim's highlight on its article page."""
    return f"claim-{claim.slug}"


def claim_url(claim: Claim, language: str) -> str:
    """The claim's page for readers of ``language`` ("id" or "en")."""
    return absolute_url(claim_path(claim, language))


def article_url(article: Article, language: str) -> str:
    """The annotated article page for readers of ``language``."""
    return absolute_url(article_path(article, language))
