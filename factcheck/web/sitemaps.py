"""sitemap.xml: an index of sitemap pages listing every public page, in both languages, with absolute
URLs from SITE_URL.

A section pages through its rows with LIMIT and OFFSET (Django's i18n sitemaps would load every row
to pair it with each language), so a page costs the same at a thousand claims or a million.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from factcheck import surrogate
from factcheck.caching import content_shown, public_page
from factcheck.claims.models import Article, Claim


class LanguagePairs(Sequence):
    """The (row, language) pairs of a queryset in order, read a slice at a time."""

    def __init__(self, queryset: QuerySet, languages: list[str]) -> None:
        self.queryset = queryset
        self.languages = languages

    def count(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1) or (index.start or 0) < 0 or index.stop is None:
            raise TypeError("LanguagePairs supports only forward slices with an end, as the paginator takes them.")
        start, stop, width = index.start or 0, index.stop, len(self.languages)
        rows = self.queryset[start // width : -(-stop // width)]
        pairs = [(row, language) for row in rows for language in self.languages]
        first = start - (start // width) * width
        return pairs[first : first + stop - start]


def public_claims_lastmod() -> datetime.datetime | None:
    """When a public claim last changed: the end of the index on public claims by update time."""
    return Claim.objects.public().aggregate(lastmod=Max("updated_at"))["lastmod"]


class SiteSitemap(Sitemap):
    """Builds its addresses on SITE_URL rather than on the host a request came in on."""

    i18n = True
    alternates = True
    x_default = True
    limit = 10000  # addresses per page (Google takes up to 50,000); each takes a few reverse() calls to build

    def _items(self):
        # Django pairs every item with every language in a list; a queryset is paired a page at a time.
        items = self.items()
        if self.i18n and isinstance(items, QuerySet):
            return LanguagePairs(items, self._languages())
        return super()._items()

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

    def items(self) -> QuerySet[Claim]:
        return Claim.objects.public().only("slug", "updated_at").order_by("-published_at", "-id")

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return public_claims_lastmod()

    def location(self, item: Claim) -> str:
        return reverse("web:claim", kwargs={"slug": item.slug})

    def lastmod(self, item: Claim) -> datetime.datetime:
        return item.updated_at


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet:
        # One row per article with a public verdict; it changes whenever one of those verdicts does.
        public = Claim.objects.public().filter(article=OuterRef("pk"))
        newest = public.order_by("-updated_at").values("updated_at")[:1]
        return (
            Article.objects.filter(Exists(public))
            .annotate(lastmod=Subquery(newest))
            .values("slug", "lastmod")
            .order_by("slug")
        )

    def get_latest_lastmod(self) -> datetime.datetime | None:
        return public_claims_lastmod()

    def location(self, item: dict) -> str:
        return reverse("web:article", kwargs={"slug": item["slug"]})

    def lastmod(self, item: dict) -> datetime.datetime:
        return item["lastmod"]


SITEMAPS = {"pages": PageSitemap, "claims": ClaimSitemap, "articles": ArticleSitemap}


@require_safe
@public_page(content_shown, keys=lambda: [surrogate.LISTS])
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """sitemap.xml: every page of every section, on SITE_URL (Django's index would use the request's host)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        entries += [
            SitemapIndexItem(location if page == 1 else f"{location}?p={page}", lastmod)
            for page in sitemap.paginator.page_range
        ]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


@require_safe
@public_page(lambda section: content_shown(), keys=lambda section: [surrogate.LISTS])
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page of a section: 10,000 addresses take about a second to build; the HTTP cache in front keeps it."""
    return sitemap(request, SITEMAPS, section=section)
