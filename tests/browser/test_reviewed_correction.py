"""A correction as the newsroom makes it in a real browser: proposed by an editor, invisible to readers
until a second reviewer approves it, then shown with its note and source diff in both languages."""

import pytest

from factcheck.claims.models import Claim, Revision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_an_editor_proposes_a_correction_and_a_second_reviewer_makes_it_live(
    live_server, demo, open_page, screenshot_dir
):
    claim = Claim.objects.filter(status="published").exclude(evidence=None).order_by("pk").first()
    first_source = claim.evidence.order_by("position", "id").first()
    public_url = f"{live_server.url}/claims/{claim.slug}/"
    reader, _ = open_page()
    reader.goto(public_url)
    before = reader.locator("main").inner_text()

    editor, _ = open_page()
    sign_in(editor, live_server.url, "editor", "editor-demo-pass")
    editor.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    editor.fill("#id_verdict_en", "Corrected: the first summit was held in Bangkok in March 1996.")
    editor.select_option("#id_evidence-0-stance", "refutes")
    editor.fill("#id_note", "Sikap sumber pertama diperbaiki.")
    editor.fill("#id_note_en", "The stance of the first source was corrected.")
    editor.locator("input[name=_save]").click()
    editor.locator(".pending-revision").wait_for()
    editor.screenshot(path=screenshot_dir / "correction-proposed.png", full_page=True)
    assert Revision.objects.get(claim=claim).state == "pending"

    reader.goto(public_url)
    assert reader.locator("main").inner_text() == before  # readers see the live version, unchanged

    reviewer, _ = open_page()
    sign_in(reviewer, live_server.url, "reviewer2", "reviewer2-demo-pass")
    reviewer.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    reviewer.locator(".pending-revision").wait_for()
    pending = reviewer.locator(".pending-revision").inner_text()
    assert "sumber «" in pending and "sikap: Mendukung klaim → Membantah klaim" in pending  # in words, in Indonesian
    # The browser asks for Indonesian (id-ID): the desk answers in Indonesian.
    reviewer.get_by_role("button", name="Setujui: tayangkan").click()
    reviewer.locator(".messagelist").wait_for()
    assert "disetujui" in reviewer.locator(".messagelist").inner_text()

    reader.goto(public_url)
    history = reader.locator("#what-changed").locator("..").inner_text()
    assert "Sikap sumber pertama diperbaiki." in history
    assert first_source.title in history and "Membantah klaim" in history
    reader.screenshot(path=screenshot_dir / "correction-live-id.png", full_page=True)

    reader.goto(f"{live_server.url}/en/claims/{claim.slug}/")
    history = reader.locator("#what-changed").locator("..").inner_text()
    assert "The stance of the first source was corrected." in history
    assert "Refutes the claim" in history
    assert "Corrected: the first summit" in reader.locator(".verdict-summary").inner_text()
    reader.screenshot(path=screenshot_dir / "correction-live-en.png", full_page=True)
