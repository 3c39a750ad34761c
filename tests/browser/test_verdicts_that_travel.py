"""A true, a false, a corrected and a retracted claim in Chromium, on a phone (390 px) and a desktop (1280 px):
the verdict leads the title and the share card, a correction notice is above the fold, a retracted claim
shows its state and no current rating. Screenshots of each page and card go to test-artifacts/."""

import io
import json
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.models import Claim
from factcheck.web.cards import RETRACTED_COLOUR
from tests.conftest import correct, retract
from tests.web.conftest import publish_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}
DESKTOP_1280 = {"width": 1280, "height": 900}
FALSE_TEXT = "Monas dibangun pada tahun 1850.\n"


@pytest.fixture
def four_claims(demo):
    """The demo, with a false verdict on a second article, a corrected and a retracted claim."""
    users = {user.username: user for user in get_user_model().objects.all()}
    editor, reviewer, reviewer2 = users["editor"], users["reviewer"], users["reviewer2"]
    true = Claim.objects.filter(status="published", rating__key="true").order_by("pk").first()
    other = article_import(
        data=FALSE_TEXT.encode(),
        metadata=ArticleMetadata(headline="Tentang Monas", outlet="Contoh", author="Penulis", language="id"),
        by=editor,
    ).article
    false = publish_claim(
        other,
        "Monas dibangun pada tahun 1850.",
        editor=editor,
        reviewer=reviewer,
        rating="false",
        statement="Monas dibangun pada tahun 1850",
        statement_en="The National Monument was built in 1850",
        verdict="Keliru. Pembangunan Monas dimulai pada 1961.",
        verdict_en="False. Construction of the monument began in 1961.",
    )
    corrected = Claim.objects.filter(status="published", rating__key="mostly-true").order_by("pk").first()
    corrected = correct(
        corrected,
        by=reviewer2,
        approver=reviewer,
        note="Ringkasan diperjelas: tanggal yang tepat ditambahkan.",
        note_en="Summary clarified: the exact date was added.",
        changes={"rating": "true"},
    )
    retracted = Claim.objects.filter(status="published", rating__key="unproven").order_by("pk").first()
    retracted = retract(
        retracted,
        by=reviewer,
        approver=reviewer2,
        note="Sumber utama ternyata tidak dapat diverifikasi.",
        note_en="The main source turned out to be unverifiable.",
    )
    return {"true": true, "false": false, "corrected": corrected, "retracted": retracted}


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def card_colours(page, base: str, og_image: str, path) -> set:
    response = page.request.get(base + urlsplit(og_image).path)  # og:image names SITE_URL, not the live server
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    path.write_bytes(response.body())
    image = Image.open(io.BytesIO(response.body()))
    assert image.size == (1200, 630)
    return {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1200 * 630)}


def in_first_screen(page, selector: str, viewport: dict) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 120) <= viewport["height"]


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP_1280], ids=["390px", "1280px"])
def test_verdicts_lead_titles_cards_and_the_first_screen(live_server, four_claims, open_page, screenshot_dir, viewport):
    page, watch = open_page(viewport)
    width = viewport["width"]
    for kind, claim in four_claims.items():
        claim.refresh_from_db()
        for prefix, language in (("", "id"), ("/en", "en")):
            page.goto(f"{live_server.url}{prefix}/claims/{claim.slug}/")
            label = "Dicabut" if kind == "retracted" else claim.rating.label_id
            if language == "en":
                label = "Retracted" if kind == "retracted" else claim.rating.label_en
            expected = f"[{label.upper()}] {claim.statement_in(language)}"
            assert page.title().startswith(expected), (kind, page.title())
            og_title = page.locator('meta[property="og:title"]').get_attribute("content")
            assert og_title == expected
            assert page.locator('meta[name="twitter:card"]').get_attribute("content") == "summary_large_image"
            og_image = page.locator('meta[property="og:image"]').get_attribute("content")
            colours = card_colours(page, live_server.url, og_image, screenshot_dir / f"card-{kind}-{language}.png")
            # The Claim / Fact box is on the first screen, phones included.
            assert in_first_screen(page, ".claim-fact-fact", viewport), (kind, width)
            # Nothing wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if kind == "retracted":
                fact = page.locator(".claim-fact-fact")
                assert ("Dicabut" if language == "id" else "Retracted") in fact.inner_text()
                assert page.locator(".claim-header .badge[class*='rating-']").count() == 0  # no current rating
                review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
                assert "ratingValue" not in review["reviewRating"]
                assert rgb(RETRACTED_COLOUR) in colours and rgb(claim.rating.colour) not in colours
                assert page.locator(".banner-retracted").is_visible()
            else:
                assert page.locator(".claim-fact-fact .badge").inner_text() == claim.rating.label(language)
                assert rgb(claim.rating.colour) in colours
            if kind == "corrected":
                assert in_first_screen(page, ".correction-notice", viewport), width
                notice = page.locator(".correction-notice").inner_text()
                assert ("Ringkasan diperjelas" if language == "id" else "Summary clarified") in notice
                page.locator(".correction-notice a").click()
                page.wait_for_url(f"**#version-{claim.corrections.get().claim_version}")
            else:
                assert page.locator(".correction-notice").count() == 0
            page.goto(f"{live_server.url}{prefix}/claims/{claim.slug}/")
            page.screenshot(path=screenshot_dir / f"verdict-{kind}-{language}-{width}.png")
            page.screenshot(path=screenshot_dir / f"verdict-{kind}-{language}-{width}-full.png", full_page=True)
    assert watch.problems == []


def test_two_columns_at_desktop_width_one_on_a_phone(live_server, four_claims, open_page):
    claim = four_claims["true"]
    desktop, _ = open_page(DESKTOP_1280)
    desktop.goto(f"{live_server.url}/claims/{claim.slug}/")
    main, side = desktop.locator(".claim-main").bounding_box(), desktop.locator(".claim-side").bounding_box()
    assert side["x"] >= main["x"] + main["width"]  # the sources beside the text
    assert abs(side["y"] - main["y"]) < 5
    phone, _ = open_page(PHONE_390)
    phone.goto(f"{live_server.url}/claims/{claim.slug}/")
    main, side = phone.locator(".claim-main").bounding_box(), phone.locator(".claim-side").bounding_box()
    assert side["y"] >= main["y"] + main["height"]  # one column: the sources below


def test_rating_chips_and_share_links_are_big_enough_to_tap_on_a_phone(live_server, four_claims, open_page):
    claim = four_claims["true"]
    page, watch = open_page(PHONE_390)
    page.goto(f"{live_server.url}/articles/{claim.article.slug}/")
    chips = page.locator("a.chip")
    assert chips.count() >= 15
    for index in range(chips.count()):
        box = chips.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    page.goto(f"{live_server.url}/claims/{claim.slug}/")
    links = page.locator(".share a")
    assert links.count() == 5
    for index in range(links.count()):
        assert links.nth(index).bounding_box()["height"] >= 44
    assert watch.problems == []
