"""A reader in a real browser: search, verdict, highlighted article, English, feed; screenshots of every page."""

import json
import re

import pytest
from playwright.sync_api import expect

from factcheck.claims.models import Claim
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASEM_STATEMENT = "ASEM adalah forum dialog Asia-Eropa yang didirikan di Bangkok pada 1996"


def test_a_reader_searches_reads_the_verdict_the_article_in_english_and_the_feed(
    live_server, demo, open_page, screenshot_dir
):
    claim = Claim.objects.get(statement=ASEM_STATEMENT)
    page, watch = open_page(DESKTOP)

    # The home page, with the latest verdicts and a search box.
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Mendengar sebuah klaim? Periksa di sini."
    assert page.locator(".claim-card").count() == Claim.objects.public().count()

    # Search "Bangkok".
    page.get_by_label("Cari hasil cek fakta").fill("Bangkok")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url(re.compile(r"/search/\?q=Bangkok$"))
    result = page.locator(".claim-card a", has_text=ASEM_STATEMENT)
    assert result.count() == 1
    page.screenshot(path=screenshot_dir / "journey-1-search.png", full_page=True)

    # Open the ASEM claim: statement, rating badge and exactly one ClaimReview.
    result.click()
    page.wait_for_url(f"**/claims/{claim.slug}/")
    assert page.locator("h1").inner_text() == ASEM_STATEMENT
    assert page.locator(".verdict-box .badge").inner_text() == "Benar"
    scripts = page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    review = json.loads(scripts.text_content())
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Benar"

    # Follow the link to its place in the article: the claim is highlighted there, in view.
    page.get_by_role("link", name="Lihat tandanya di dalam artikel").click()
    page.wait_for_url(f"**/articles/{claim.article.slug}/#claim-{claim.slug}")
    highlight = page.locator(f"mark#claim-{claim.slug}")
    highlight.wait_for(state="visible")
    assert page.evaluate("document.querySelector(':target').id") == f"claim-{claim.slug}"
    # The label is in the text, with a prefix that only screen readers announce.
    assert highlight.locator("a.chip").text_content() == "Penilaian: Benar"
    assert highlight.locator("a.chip .visually-hidden").bounding_box()["width"] <= 1
    assert highlight.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert highlight.evaluate("el => getComputedStyle(el).borderBottomColor") == "rgb(26, 127, 55)"  # #1a7f37
    expect(highlight).to_be_in_viewport()  # retries: the browser scrolls to the fragment after load
    page.screenshot(path=screenshot_dir / "journey-2-article-highlight.png")

    # Switch to English: the same article, the interface and the verdict labels in English.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**/en/articles/{claim.article.slug}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#claims-title").inner_text() == "Claims in this article"
    assert page.locator(f"mark#claim-{claim.slug} a.chip").text_content() == "Verdict: True"
    page.screenshot(path=screenshot_dir / "journey-3-article-english.png")

    # Open the feed of verdicts from the footer.
    feed_link = page.get_by_role("link", name="verdicts (RSS)")
    href = feed_link.get_attribute("href")
    assert href == "/en/feeds/verdicts.rss"
    with page.expect_response(lambda response: response.url.endswith(href)) as feed:
        try:
            feed_link.click()
            page.wait_for_load_state()
        except Exception as error:  # Chromium may download a feed rather than display it
            assert "Download" in str(error), error
    response = feed.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    body = response.text()
    assert "<rss" in body
    assert "[True] ASEM is an Asia-Europe dialogue forum founded in Bangkok in 1996" in body

    assert watch.problems == []


PAGES = [
    ("home", "/"),
    ("home-filtered", "/?rating=mostly-true"),
    ("search", "/search/?q=ASEM"),
    ("claim", "/claims/{claim}/"),
    ("claim-en", "/en/claims/{claim}/"),
    ("article", "/articles/{article}/"),
    ("methodology", "/methodology/"),
    ("methodology-en", "/en/methodology/"),
    ("corrections", "/corrections/"),
    ("not-found", "/no-such-page/"),
]


def test_the_main_pages_render_without_errors_at_desktop_and_phone_width(live_server, demo, open_page, screenshot_dir):
    claim = Claim.objects.get(statement=ASEM_STATEMENT)
    for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page, watch = open_page(viewport)
        for name, path in PAGES:
            response = page.goto(live_server.url + path.format(claim=claim.slug, article=claim.article.slug))
            assert response.status == (404 if name == "not-found" else 200), path
            assert page.locator("main h1").count() == 1, path
            assert page.locator("header.site-header").count() == 1
            assert page.locator("footer.site-footer").count() == 1
            # Readable on a phone: nothing wider than the screen.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} is {width}px wide at {viewport['width']}px"
            page.screenshot(path=screenshot_dir / f"{name}-{width_name}.png", full_page=True)
        # The browser reports the 404 page's own status as a console error; that one is expected.
        expected = [problem for problem in watch.problems if problem.endswith("/no-such-page/)")]
        assert len(expected) <= 1
        assert [problem for problem in watch.problems if problem not in expected] == [], width_name


def test_keyboard_focus_is_visible_and_the_skip_link_works(live_server, demo, open_page):
    page, watch = open_page(DESKTOP)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0  # on screen once focused
    page.keyboard.press("Enter")
    page.wait_for_url("**/#main")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert watch.problems == []
