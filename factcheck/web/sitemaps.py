"""sitemap.xml: every public page, in both languages, with absolute URLs from SITE_URL."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from factcheck.claims.models import Article, Claim


class SiteSitemap(Sitemap):
    """Builds its addresses on SITE_URL rather than on the host a request came in on."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path


class PageSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["web:home", "web:methodology", "web:corrections"]

    def location(self, item: str) -> str:
        return reverse(item)


class ClaimSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> list[Claim]:
        return list(Claim.objects.public().only("slug", "updated_at").order_by("-published_at", "-id"))

    def location(self, item: Claim) -> str:
        return reverse("web:claim", kwargs={"slug": item.slug})

    def lastmod(self, item: Claim) -> datetime.datetime:
        return item.updated_at


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> list[dict]:
        # One row per article with a public verdict; it changes whenever one of those verdicts does.
        return list(
            Article.objects.filter(claims__status__in=Claim.PUBLIC_STATUSES)
            .values("slug")
            .annotate(lastmod=Max("claims__updated_at"))
            .order_by("slug")
        )

    def location(self, item: dict) -> str:
        return reverse("web:article", kwargs={"slug": item["slug"]})

    def lastmod(self, item: dict) -> datetime.datetime:
        return item["lastmod"]


SITEMAPS = {"pages": PageSitemap, "claims": ClaimSitemap, "articles": ArticleSitemap}
