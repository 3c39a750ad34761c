"""Hostile text in every field is shown as text on every public page, and stays inert inside JSON-LD."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.test import Client

from .hostile import PAYLOAD, RAW_MARKERS, SCRIPT, assert_inert_html, json_scripts

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def reader() -> Client:
    return Client()


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("which", ["corrected", "retracted"])
def test_the_claim_page_shows_hostile_text_escaped(reader, hostile_world, prefix, which):
    claim = getattr(hostile_world, which)

    html = page(reader, f"{prefix}/claims/{claim.slug}/")

    assert_inert_html(html)
    suffix = "_en" if prefix else ""
    for field in (f"statement{suffix}", "claimant", f"verdict{suffix}", "public_note"):
        assert getattr(claim, field).split(" <")[0] in html  # the label before the payload is shown
    for evidence in claim.evidence.all():
        assert evidence.title.split(" <")[0] in html and evidence.publisher.split(" <")[0] in html
        assert 'href="https://example.org/' in html and "?q=&lt;script&gt;" in html  # the URL, escaped


def test_the_claim_page_json_ld_keeps_the_text_but_cannot_end_its_script_element(reader, hostile_world):
    html = page(reader, f"/claims/{hostile_world.corrected.slug}/")

    (review,) = [data for data in json_scripts(html) if data.get("@type") == "ClaimReview"]
    assert review["itemReviewed"]["author"]["name"] == hostile_world.corrected.claimant  # verbatim once parsed
    assert review["itemReviewed"]["appearance"]["headline"] == hostile_world.article.headline
    raw = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "\\u003C/script\\u003E" in raw and "</" not in raw


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_article_page_highlights_hostile_body_text_as_text(reader, hostile_world, prefix):
    html = page(reader, f"{prefix}/articles/{hostile_world.article.slug}/")

    assert_inert_html(html)
    assert "Pejabat itu menulis &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
    assert '<mark class="claim' in html  # the hostile sentence is still highlighted as a claim


@pytest.mark.parametrize("url", ["/", "/en/", "/corrections/", "/en/corrections/", "/search/?q=Klaim"])
def test_listing_pages_show_hostile_claims_escaped(reader, hostile_world, url):
    assert_inert_html(page(reader, url))


def test_a_hostile_search_query_is_echoed_escaped(reader, hostile_world):
    html = page(reader, f"/search/?q={quote(PAYLOAD)}")

    assert_inert_html(html)
    assert 'value="&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;' in html


@pytest.mark.parametrize(
    "url",
    ["/feeds/verdicts.rss", "/feeds/verdicts.atom", "/feeds/corrections.rss", "/feeds/corrections.atom"],
)
def test_feeds_escape_hostile_text_for_readers_that_render_html(reader, hostile_world, url):
    """Found: a description is HTML to feed readers (Atom says type="html"), and the verdict went in raw."""
    response = reader.get(url)
    assert response.status_code == 200
    xml = response.content.decode()
    for marker in RAW_MARKERS:
        if "<" in marker:  # quotes in XML text are only text
            assert marker not in xml
    root = ET.fromstring(response.content)
    html_fields = root.findall("./channel/item/description") + root.findall(f"{ATOM}entry/{ATOM}summary")
    assert html_fields
    for field in html_fields:
        # What a reader gets after XML decoding is HTML: it must show the script, not contain one.
        assert "<script" not in field.text and "&lt;script&gt;" in field.text
    titles = [t.text for t in root.iter() if t.tag in ("title", f"{ATOM}title")]
    assert any(SCRIPT in title for title in titles)  # plain-text fields carry the text itself


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-claims.xml", "/sitemap-articles.xml"])
def test_the_sitemap_has_no_markup_from_hostile_text(reader, hostile_world, path):
    xml = reader.get(path).content.decode()

    assert "<script" not in xml
    ET.fromstring(xml)  # still well-formed


def test_the_api_serves_hostile_text_as_json_that_browsers_will_not_sniff(reader, hostile_world):
    response = reader.get(f"/api/v1/claims/{hostile_world.corrected.pk}/claimreview/")

    assert response["Content-Type"] == "application/ld+json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["itemReviewed"]["author"]["name"] == hostile_world.corrected.claimant
