"""In Chromium: a reader's Indonesian search finds a verdict by its stem, ranked, counted and marked; an editor's
draft that paraphrases a published verdict shows it under "Already checked?" with its rating and a working link."""

import pytest
from django.contrib.auth import get_user_model

from factcheck.claims import services
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECOGNISED = "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991"
PARAPHRASE = "Benarkah RI mengakui Ukraina merdeka 28 Desember 1991?"


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_a_reader_searches_in_indonesian(live_server, demo, open_page, screenshot_dir):
    page, watch = open_page()
    page.goto(f"{live_server.url}/search/?q=pengakuan+kemerdekaan")

    assert "cocok dengan “pengakuan kemerdekaan”" in page.locator(".results-count").inner_text()
    first = page.locator(".claim-card").first
    assert first.locator(".claim-card-title").inner_text() == RECOGNISED
    assert first.locator(".claim-card-excerpt mark").first.inner_text().lower() in {"mengakui", "kemerdekaan"}
    page.screenshot(path=str(screenshot_dir / "search-pengakuan.png"), full_page=True)
    assert watch.problems == []


def test_an_editor_sees_the_verdict_already_checked(live_server, demo, open_page, screenshot_dir):
    editor = get_user_model().objects.get(username="editor")
    article = article_import(
        data=f"Sebuah unggahan viral menulis: {PARAPHRASE}\n".encode(),
        metadata=ArticleMetadata(headline="Unggahan viral", outlet="Media sosial", author="", language="id"),
        by=editor,
    ).article
    start = article.body.index(PARAPHRASE)
    draft = services.claim_create(
        article=article, start=start, end=start + len(PARAPHRASE), by=editor, statement=PARAPHRASE
    )
    published = Claim.objects.get(statement=RECOGNISED)

    page, watch = open_page()
    sign_in(page, live_server.url, "editor", "editor-demo-pass")
    page.goto(f"{live_server.url}/admin/claims/claim/{draft.pk}/change/")
    panel = page.locator("section.already-checked")
    assert panel.locator("h2").inner_text() == "Sudah pernah dicek?"
    item = panel.locator("li").first
    assert RECOGNISED in item.inner_text()
    assert published.rating.label_id in item.inner_text()
    page.screenshot(path=str(screenshot_dir / "already-checked-panel.png"), full_page=True)
    item.get_by_role("link", name="halaman publik").click()
    page.wait_for_url(f"**/claims/{published.slug}/")
    assert RECOGNISED in page.locator("h1").inner_text()
    assert watch.problems == []
