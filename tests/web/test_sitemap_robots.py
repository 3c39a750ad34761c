"""sitemap.xml lists every public page in both languages; robots.txt points at it; ratings.css colours badges."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from factcheck.claims.models import Rating
from factcheck.web.colours import contrast_ratio, text_colour_on

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_pages(client) -> list[str]:
    """The addresses the index at /sitemap.xml lists, as paths on this site."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = [loc.text for loc in ET.fromstring(response.content).findall("s:sitemap/s:loc", NS)]
    return [
        urlsplit(location).path + (f"?{urlsplit(location).query}" if urlsplit(location).query else "")
        for location in locations
    ]


def sitemap_entries(client) -> list[ET.Element]:
    entries = []
    for page in sitemap_pages(client):
        response = client.get(page)
        assert response.status_code == 200
        entries += ET.fromstring(response.content).findall("s:url", NS)
    return entries


def sitemap_locations(client) -> list[str]:
    return [entry.findtext("s:loc", namespaces=NS) for entry in sitemap_entries(client)]


def test_the_sitemap_lists_every_public_page_in_both_languages(anon, two_public_claims, unpublished_claim, settings):
    locations = sitemap_locations(anon)
    site = settings.SITE_URL
    article = two_public_claims[0].article
    for path in ["/", "/methodology/", "/corrections/", f"/articles/{article.slug}/"] + [
        f"/claims/{claim.slug}/" for claim in two_public_claims
    ]:
        assert f"{site}{path}" in locations
        assert f"{site}/en{path}" in locations
    assert not any(unpublished_claim.slug in location for location in locations)
    assert len(locations) == 2 * (3 + 1 + 2)


def test_the_sitemap_leaves_out_drafts(anon, draft_claim):
    assert not any("/claims/" in location for location in sitemap_locations(anon))
    assert not any("/articles/" in location for location in sitemap_locations(anon))


def test_the_sitemap_has_language_alternates(anon, two_public_claims, settings):
    claim = two_public_claims[0]
    [entry] = [
        url
        for url in sitemap_entries(anon)
        if url.findtext("s:loc", namespaces=NS).endswith(f"/en/claims/{claim.slug}/")
    ]
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
    assert alternates["id"] == f"{settings.SITE_URL}/claims/{claim.slug}/"
    assert alternates["en"] == f"{settings.SITE_URL}/en/claims/{claim.slug}/"
    assert alternates["x-default"] == f"{settings.SITE_URL}/claims/{claim.slug}/"


def test_the_sitemap_index_lists_its_sections_on_the_site_url(anon, two_public_claims, settings):
    response = anon.get("/sitemap.xml")
    locations = [loc.text for loc in ET.fromstring(response.content).findall("s:sitemap/s:loc", NS)]

    assert locations == [f"{settings.SITE_URL}/sitemap-{section}.xml" for section in ("pages", "claims", "articles")]


def test_a_section_is_split_into_pages_read_a_slice_at_a_time(anon, two_public_claims, more_public_data, monkeypatch):
    from factcheck.claims.models import Claim
    from factcheck.web.sitemaps import ClaimSitemap

    monkeypatch.setattr(ClaimSitemap, "limit", 3)  # a page ends between a claim's two languages
    addresses = 2 * Claim.objects.public().count()
    pages = -(-addresses // 3)

    claim_pages = [page for page in sitemap_pages(anon) if "claims" in page]
    claim_locations = [location for location in sitemap_locations(anon) if "/claims/" in location]

    assert claim_pages == ["/sitemap-claims.xml"] + [f"/sitemap-claims.xml?p={n}" for n in range(2, pages + 1)]
    assert len(claim_locations) == len(set(claim_locations)) == addresses
    assert anon.get(f"/sitemap-claims.xml?p={pages + 1}").status_code == 404


@pytest.mark.parametrize("page", ["/sitemap-claims.xml", "/sitemap-articles.xml"])
def test_a_sitemap_page_costs_the_same_queries_whatever_the_data(
    anon, two_public_claims, more_public_data, page, django_assert_num_queries
):
    # 1. what the lists show (the validators), 2. how many rows (for the pages), 3. one page of them.
    with django_assert_num_queries(3):
        first = anon.get(page)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # a revalidation: the validators only
        assert anon.get(page, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_sitemap_index_costs_the_same_queries_whatever_the_data(
    anon, two_public_claims, more_public_data, django_assert_num_queries
):
    # The validators (what the lists show), then per section with rows: when it last changed, and how many rows it has.
    with django_assert_num_queries(5):
        sitemap_pages(anon)


def test_robots_txt_points_at_the_sitemap(anon, db, settings, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anon.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_ratings_css_gives_each_rating_its_colour_and_a_readable_text_colour(anon, db, django_assert_num_queries):
    # 1. the rating scale.
    with django_assert_num_queries(1):
        response = anon.get("/ratings.css")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    for rating in Rating.objects.all():
        assert f".rating-{rating.key} {{ --rating: {rating.colour}; --on-rating: #ffffff; }}" in css


def test_a_light_rating_colour_gets_dark_text(anon, db):
    Rating.objects.filter(key="half-true").update(colour="#fde047")
    assert ".rating-half-true { --rating: #fde047; --on-rating: #111111; }" in anon.get("/ratings.css").content.decode()


def test_a_malformed_colour_is_left_out(anon, db):
    Rating.objects.filter(key="false").update(colour="red;}")
    assert ".rating-false" not in anon.get("/ratings.css").content.decode()


def test_every_seeded_rating_colour_has_enough_contrast_for_its_label():
    for colour in ["#1a7f37", "#4d7c0f", "#a16207", "#c2410c", "#b91c1c", "#52525b"]:
        assert contrast_ratio(colour, text_colour_on(colour)) >= 4.5


def test_favicon_ico_points_at_the_site_icon(anon, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = anon.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


def test_a_new_verdict_shows_in_the_cached_sitemap_at_once(anon, two_public_claims, editor, reviewer):
    from .conftest import publish_claim

    before = sitemap_locations(anon)
    claim = publish_claim(two_public_claims[0].article, "Forum ini", editor=editor, reviewer=reviewer)

    after = sitemap_locations(anon)
    assert len(after) == len(before) + 2
    assert any(location.endswith(f"/claims/{claim.slug}/") for location in after)
