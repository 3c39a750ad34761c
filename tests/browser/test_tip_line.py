"""A reader in a real browser asks for a correction from a claim page and sends a claim to check: the forms
work with the browser's own CSRF cookie, the reader gets a reference number, and the pages pass axe-core."""

import re

import pytest

from factcheck.claims.models import Claim
from factcheck.tips.models import Tip
from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_requests_a_correction_and_sends_a_claim(live_server, demo, open_page, settings, screenshot_dir):
    settings.TIP_MIN_SECONDS = 0  # a test types faster than a person; the check itself is tested in tests/tips
    settings.TIP_RATE = "1000/hour"
    claim = Claim.objects.public().order_by("pk").first()
    page, watch = open_page(PHONE)

    page.goto(f"{live_server.url}/claims/{claim.slug}/")
    page.get_by_role("link", name="Minta koreksi").click()
    page.wait_for_url(f"**/tips/correction/{claim.slug}/")
    page.get_by_label("Apa yang perlu kami periksa?").fill("Tahunnya keliru, seharusnya 1997.")
    page.get_by_label("Bagaimana kami dapat menghubungi Anda? (tidak wajib)").fill("pembaca@example.org")
    page.get_by_label(re.compile("^Saya setuju redaksi menyimpan kiriman saya")).check()
    page.screenshot(path=screenshot_dir / "tip-1-correction-request.png", full_page=True)
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/tips/thanks/?r=*")
    tip = Tip.objects.get()
    assert (tip.kind, tip.claim_id, tip.contact) == ("correction", claim.pk, "pembaca@example.org")
    assert page.locator(".tip-reference strong").inner_text() == tip.reference
    assert blocking_violations(page) == []
    page.screenshot(path=screenshot_dir / "tip-2-thanks.png", full_page=True)

    # The site-wide tip page, from the footer, in English.
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("contentinfo").get_by_role("link", name="Send us a claim to check").click()
    page.wait_for_url("**/en/tips/")
    page.get_by_label("What should we check?").fill("A viral post says rice prices tripled this week.")
    page.get_by_label("Link (optional)").fill("example.org/viral")
    page.get_by_label(re.compile("^I agree that the newsroom stores")).check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/en/tips/thanks/?r=*")
    second = Tip.objects.exclude(pk=tip.pk).get()
    assert (second.kind, second.link, second.language) == ("claim", "https://example.org/viral", "en")
    assert page.locator(".tip-reference strong").inner_text() == second.reference
    assert not watch.problems, watch.problems
