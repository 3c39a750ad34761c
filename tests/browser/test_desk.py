"""The newsroom desk in Chromium (issue 17): an editor imports a pasted fact-check, picks claims by selecting
words, adds one the detector missed, creates the drafts with exactly the selected spans, and edits the slug."""

from pathlib import Path

import pytest

from factcheck.claims.models import Article, Claim
from tests.browser.conftest import DESKTOP
from tests.browser.test_csp import WATCH_CSP, violations
from tests.browser.test_reviewed_correction import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (Path(__file__).resolve().parent.parent / "data" / "candidates" / "01-tbh-najwa-teror.txt").read_text(
    encoding="utf-8"
)

# The screen position of the first and last character of ``phrase`` inside ``selector``, scrolled into view.
FIND_PHRASE = """([selector, phrase]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const at = text.indexOf(phrase);
  if (at < 0) return null;
  const locate = (offset) => {
    for (const [node, base] of nodes) if (offset < base + node.data.length) return [node, offset - base];
  };
  const rect = (offset) => {
    const [node, inner] = locate(offset);
    const range = document.createRange();
    range.setStart(node, inner);
    range.setEnd(node, inner + 1);
    return range.getClientRects()[0];
  };
  locate(at)[0].parentElement.scrollIntoView({block: "center"});
  const first = rect(at), last = rect(at + phrase.length - 1);
  return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
}"""


def select_with_mouse(page, selector: str, phrase: str) -> None:
    """Drag the mouse over ``phrase`` as an editor would, from its first character to its last."""
    box = page.evaluate(FIND_PHRASE, [selector, phrase])
    assert box is not None, f"{phrase!r} is not shown in {selector}"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def candidate_items(page) -> list[str]:
    return [text.strip() for text in page.locator("#span-list li q").all_inner_texts()]


def test_an_editor_picks_claims_by_selecting_words_and_creates_exact_drafts(
    live_server, demo, open_page, screenshot_dir
):
    page, watch = open_page(DESKTOP)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, "editor", "editor-demo-pass")
    page.goto(live_server.url + "/admin/claims/article/import/")
    page.fill("#id_text", ARTICLE)
    page.fill("#id_headline", "Najwa Shihab diteror? Cek fakta")
    page.fill("#id_outlet", "TurnBackHoax")
    page.locator("input[name=preview]").click()
    page.locator("#span-list li").first.wait_for()
    detected = candidate_items(page)
    assert not any("KATEGORI" in quote or "http" in quote for quote in detected)

    # Going back keeps the text and the metadata; showing the candidates again gives the same list.
    page.locator("button[name=back]").click()
    assert page.locator("#id_text").input_value() == ARTICLE
    assert page.locator("#id_headline").input_value() == "Najwa Shihab diteror? Cek fakta"
    page.locator("input[name=preview]").click()
    page.locator("#span-list li").first.wait_for()
    assert candidate_items(page) == detected

    # Two candidates trimmed to the words that carry the claim, one the detector missed added.
    first = "Prabowo sempat menarik kerah jaket Menteri Investasi Bahlil Lahadalia"
    second = "redaksi Narasi kerap menerima ancaman dan peretasan akun redaksi"
    missed = "wawancara yang diunggah kanal YouTube Narasi Newsroom"
    assert missed not in " ".join(detected)
    for phrase in (first, second, missed):
        select_with_mouse(page, "#span-text", phrase)
        page.locator("#span-list li q", has_text=phrase).wait_for()
    quotes = candidate_items(page)
    assert first in quotes and second in quotes and missed in quotes
    assert len(quotes) == len(detected) + 1
    ticked = page.locator("#span-list input[name=accept]:checked")
    assert ticked.count() == 3
    page.screenshot(path=screenshot_dir / "desk-import-picked.png", full_page=True)

    page.get_by_role("button", name="Impor artikel dengan klaim yang dicentang sebagai draf").click()
    page.locator(".messagelist").wait_for()
    article = Article.objects.get(headline="Najwa Shihab diteror? Cek fakta")
    claims = list(Claim.objects.filter(article=article).order_by("start"))
    assert [c.quote for c in claims] == [first, second, missed]
    for claim in claims:
        assert article.body[claim.start : claim.end] == claim.quote

    # On the claim form: the slug is editable, and selecting words sets Start and End.
    claim = claims[0]
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.locator("#claim-span-text mark").wait_for()
    assert page.locator("#id_slug").is_editable()
    page.fill("#id_statement", "Prabowo menarik kerah jaket Bahlil Lahadalia")
    page.fill("#id_slug", "prabowo-tarik-kerah-bahlil")
    narrower = "menarik kerah jaket Menteri Investasi Bahlil Lahadalia"
    select_with_mouse(page, "#claim-span-text", narrower)
    start, end = int(page.locator("#id_start").input_value()), int(page.locator("#id_end").input_value())
    assert article.body[start:end] == narrower
    assert narrower in page.locator("#claim-span-preview mark").inner_text()
    # Leaving now would lose the typed statement: the page asks first.
    prevented = page.evaluate(
        "() => { const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e);"
        " return e.defaultPrevented; }"
    )
    assert prevented is True
    page.screenshot(path=screenshot_dir / "desk-claim-span.png", full_page=True)
    page.locator("input[name=_continue]").first.click()
    page.locator(".messagelist").wait_for()
    claim.refresh_from_db()
    assert (claim.quote, claim.slug) == (narrower, "prabowo-tarik-kerah-bahlil")
    assert claim.statement == "Prabowo menarik kerah jaket Bahlil Lahadalia"
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    assert watch.problems == []


def test_the_span_can_be_set_with_the_keyboard_by_its_offsets(live_server, demo, open_page):
    from django.contrib.auth import get_user_model

    from factcheck.claims import services

    article = Article.objects.order_by("pk").first()
    sentence = "Ukraina mengaku tidak ingin berpegangan kepada Rusia"
    start = article.body.index(sentence)
    editor = get_user_model().objects.get(username="editor")
    claim = services.claim_create(article=article, start=start, end=start + len(sentence), by=editor)
    page, watch = open_page(DESKTOP)
    sign_in(page, live_server.url, "editor", "editor-demo-pass")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.locator("#claim-span-text mark").wait_for()

    page.locator("#id_start").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(claim.start + 1))
    page.keyboard.press("Tab")

    body = claim.article.body
    assert page.locator("#claim-span-text mark").inner_text() == body[claim.start + 1 : claim.end]
    assert watch.problems == []


def test_candidates_are_split_merged_trimmed_and_removed_before_the_drafts_are_made(live_server, demo, open_page):
    page, watch = open_page(DESKTOP)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, "editor", "editor-demo-pass")
    page.goto(live_server.url + "/admin/claims/article/import/")
    text = (
        "TRIBUNNEWS.COM, AMBON - Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024), "
        "kata Kepala BPBD Rudi Latuconsina. Sebanyak 1.140 warga mengungsi ke enam titik.\n"
        "“Hujan turun 11 jam tanpa henti sejak Rabu malam,” ujar Rudi.\n"
    )
    page.fill("#id_text", text)
    page.fill("#id_headline", "Banjir Ambon")
    page.locator("input[name=preview]").click()
    items = page.locator("#span-list li")
    items.first.wait_for()
    assert candidate_items(page) == [
        "Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024), kata Kepala BPBD Rudi Latuconsina.",
        "Sebanyak 1.140 warga mengungsi ke enam titik.",
        "“Hujan turun 11 jam tanpa henti sejak Rabu malam,” ujar Rudi.",
    ]

    # Split the first at its clause boundary, merge the second part back, trim the quote marks, remove one.
    items.nth(0).locator("button.span-action").nth(0).click()  # Split
    assert candidate_items(page)[:2] == [
        "Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024)",
        "kata Kepala BPBD Rudi Latuconsina.",
    ]
    items.nth(1).locator("button.span-action").nth(1).click()  # Merge with next
    assert (
        candidate_items(page)[1] == "kata Kepala BPBD Rudi Latuconsina. Sebanyak 1.140 warga mengungsi ke enam titik."
    )
    items.nth(1).locator("button.span-action").nth(3).click()  # Remove
    items.nth(1).locator("button.span-action").nth(2).click()  # Trim
    assert candidate_items(page) == [
        "Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024)",
        "Hujan turun 11 jam tanpa henti sejak Rabu malam,” ujar Rudi.",
    ]
    page.locator("#span-list input[name=accept]").nth(0).check()
    page.locator("#span-list input[name=accept]").nth(1).check()
    page.get_by_role("button", name="Impor artikel dengan klaim yang dicentang sebagai draf").click()
    page.locator(".messagelist").wait_for()

    article = Article.objects.get(headline="Banjir Ambon")
    assert [c.quote for c in Claim.objects.filter(article=article).order_by("start")] == [
        "Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024)",
        "Hujan turun 11 jam tanpa henti sejak Rabu malam,” ujar Rudi.",
    ]
    assert violations(page) == [] and watch.problems == []


def test_the_import_preview_shows_the_demos_verdict_for_a_paraphrase(live_server, demo, open_page, screenshot_dir):
    # Issue 17: "already checked?" under the candidates, before the editor checks the claim twice; a span the
    # editor trims by selecting words gets its own list from the server.
    published = Claim.objects.get(statement="Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991")
    paraphrase = "Unggahan di Facebook menyebut RI mengakui Ukraina merdeka pada 28 Desember 1991."
    page, watch = open_page(DESKTOP)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, "editor", "editor-demo-pass")
    page.goto(live_server.url + "/admin/claims/article/import/")
    page.fill("#id_text", f"{paraphrase}\nBanjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024).\n")
    page.fill("#id_headline", "Unggahan viral")
    page.locator("input[name=preview]").click()
    page.locator("#span-list li").first.wait_for()

    item = page.locator("#span-list li", has=page.locator("q", has_text=paraphrase))
    panel = item.locator("section.already-checked")
    assert panel.locator("h3").inner_text() == "Sudah pernah dicek?"
    assert published.statement in panel.inner_text() and published.rating.label_id in panel.inner_text()
    other = page.locator("#span-list li", has=page.locator("q", has_text="Banjir merendam"))
    assert other.locator("section.already-checked").count() == 0
    page.screenshot(path=screenshot_dir / "desk-import-already-checked.png", full_page=True)

    trimmed = "RI mengakui Ukraina merdeka pada 28 Desember 1991"
    select_with_mouse(page, "#span-text", trimmed)
    item = page.locator("#span-list li", has=page.locator("q", has_text=trimmed))
    item.locator("section.already-checked li").first.wait_for()
    assert candidate_items(page)[0] == trimmed
    assert published.statement in item.locator("section.already-checked").inner_text()
    item.locator("section.already-checked").get_by_role("link", name="halaman publik").click()
    page.wait_for_url(f"**/claims/{published.slug}/")
    assert violations(page) == [] and watch.problems == []
