"""Share previews carry the verdict: title, OpenGraph and Twitter tags, and a 1200×630 card in the rating's colour."""

import io
from html.parser import HTMLParser

import pytest
from django.conf import settings
from PIL import Image

from factcheck.claims.demo import load_demo
from factcheck.claims.models import Claim, Rating
from factcheck.web.cards import RETRACTED_COLOUR
from tests.conftest import retract

from .conftest import correct_claim, publish_claim

SHARE_TAGS = (
    "og:title",
    "og:description",
    "og:image",
    "og:image:width",
    "og:image:height",
    "twitter:card",
    "twitter:title",
    "twitter:description",
    "twitter:image",
)


class MetaTags(HTMLParser):
    """The page's <title> and its <meta property|name=… content=…> tags, as a reader's preview bot sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and "content" in attributes:
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.tags.setdefault(key, attributes["content"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def meta_of(client, path: str) -> MetaTags:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def fetch_card(client, url: str) -> Image.Image:
    assert url.startswith(settings.SITE_URL + "/")
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    return image.convert("RGB")


def colours_of(image: Image.Image) -> set[tuple[int, int, int]]:
    return {colour for _, colour in image.getcolors(maxcolors=1200 * 630)}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_public_claim_page_shares_its_verdict_and_a_card_in_its_rating_colour(anon, db, prefix):
    load_demo()
    language = "en" if prefix else "id"
    claims = list(Claim.objects.public().select_related("rating"))
    assert len(claims) == 15
    for claim in claims:
        page = meta_of(anon, f"{prefix}/claims/{claim.slug}/")
        label = claim.rating.label(language).upper()
        statement = claim.statement_in(language)
        assert page.title.startswith(f"[{label}] {statement}")
        assert all(name in page.tags for name in SHARE_TAGS), sorted(page.tags)
        assert page.tags["og:title"] == page.tags["twitter:title"] == f"[{label}] {statement}"
        assert page.tags["twitter:card"] == "summary_large_image"
        assert (page.tags["og:image:width"], page.tags["og:image:height"]) == ("1200", "630")
        assert page.tags["og:description"] == page.tags["twitter:description"]
        assert page.tags["og:description"][:40] == claim.verdict_in(language)[:40]  # the verdict summary
        assert page.tags["twitter:image"] == page.tags["og:image"]
        assert f"{prefix}/claims/{claim.slug}/card-{claim.version}.png" in page.tags["og:image"]
        assert rgb(claim.rating.colour) in colours_of(fetch_card(anon, page.tags["og:image"]))


def test_the_english_title_leads_with_the_english_verdict(anon, article, editor, reviewer):
    claim = publish_claim(
        article,
        "Forum ini mencakup 53 negara mitra.",
        editor=editor,
        reviewer=reviewer,
        rating="false",
        statement="ASEM mencakup 53 negara mitra",
        statement_en="ASEM has 53 partner countries",
        verdict="Keliru: 51 negara.",
        verdict_en="False: 51 countries.",
    )
    english = meta_of(anon, f"/en/claims/{claim.slug}/")
    assert english.title == f"[FALSE] ASEM has 53 partner countries · {settings.PUBLISHER_NAME}"
    assert english.tags["og:description"] == "False: 51 countries."
    indonesian = meta_of(anon, f"/claims/{claim.slug}/")
    assert indonesian.tags["og:title"] == "[KELIRU] ASEM mencakup 53 negara mitra"
    # The meta description is the verdict summary, not "Keliru: Keliru: …".
    assert indonesian.tags["description"] == "Keliru: 51 negara."


def test_a_correction_gives_the_card_a_new_address_and_the_new_colour(
    anon, two_public_claims, editor, reviewer, reviewer2
):
    claim = two_public_claims[1]  # mostly-true
    before = meta_of(anon, f"/claims/{claim.slug}/")
    old_card = fetch_card(anon, before.tags["og:image"])
    mostly_true, false = Rating.objects.get(key="mostly-true"), Rating.objects.get(key="false")
    assert rgb(mostly_true.colour) in colours_of(old_card)

    correct_claim(claim, by=reviewer2, approver=reviewer, note="Jumlahnya keliru.", rating="false")

    after = meta_of(anon, f"/claims/{claim.slug}/")
    assert after.tags["og:title"].startswith("[KELIRU] ")
    assert after.tags["og:image"] != before.tags["og:image"]
    new_card = fetch_card(anon, after.tags["og:image"])
    assert rgb(false.colour) in colours_of(new_card)
    assert rgb(mostly_true.colour) not in colours_of(new_card)
    # The old address sends to the current card, never serves the old verdict.
    old = anon.get(before.tags["og:image"].removeprefix(settings.SITE_URL))
    assert old.status_code == 302 and old["Location"] == after.tags["og:image"].removeprefix(settings.SITE_URL)


def test_a_retracted_claim_shares_the_retraction_not_its_withdrawn_rating(anon, two_public_claims, reviewer, reviewer2):
    claim = two_public_claims[1]
    withdrawn = claim.rating
    retract(claim, by=reviewer, approver=reviewer2, note="Sumbernya ternyata keliru.")

    page = meta_of(anon, f"/claims/{claim.slug}/")
    assert page.tags["og:title"] == f"[DICABUT] {claim.statement}"
    assert page.title.startswith("[DICABUT] ")
    assert page.tags["og:description"] == "Hasil cek fakta ini telah dicabut. Sumbernya ternyata keliru."
    assert withdrawn.label_id not in page.tags["og:description"]
    card = colours_of(fetch_card(anon, page.tags["og:image"]))
    assert rgb(RETRACTED_COLOUR) in card
    assert rgb(withdrawn.colour) not in card
    english = meta_of(anon, f"/en/claims/{claim.slug}/")
    assert english.tags["og:title"].startswith("[RETRACTED] ")


def test_a_card_may_be_kept_a_day_and_is_revalidated_without_drawing(
    anon, two_public_claims, django_assert_num_queries
):
    claim = two_public_claims[0]
    path = f"/claims/{claim.slug}/card-{claim.version}.png"
    # The claim with its article, rating and people, read with what gives the card its validators; then drawing it.
    with django_assert_num_queries(1):
        first = anon.get(path)
    with django_assert_num_queries(1):  # the same read: nothing changed, nothing drawn
        again = anon.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert first["Cache-Control"] == "public, max-age=86400"
    assert again.status_code == 304


def test_a_hidden_claim_has_no_card(anon, unpublished_claim):
    path = f"/claims/{unpublished_claim.slug}/card-{unpublished_claim.version}.png"
    assert anon.get(path).status_code == 404
