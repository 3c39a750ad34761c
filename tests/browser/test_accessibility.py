"""axe-core, injected into Chromium, finds no serious or critical accessibility violation on the reader pages
(home, a claim, a corrected claim, an article, search, methodology, corrections, the tip forms with and without
errors) in Indonesian and in English.

axe-core comes bundled with the axe-playwright-python package (dev extra; axe-core is MPL-2.0).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from factcheck.claims.models import Claim
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import correct, retract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed (pip install -e '.[dev]')"
)

BLOCKING = {"serious", "critical"}


def reader_pages(claim: Claim, corrected: Claim, retracted: Claim) -> dict[str, str]:
    return {
        "home": "",
        "claim": f"claims/{claim.slug}/",
        "corrected claim": f"claims/{corrected.slug}/",
        "retracted claim": f"claims/{retracted.slug}/",
        "article": f"articles/{claim.article.slug}/",
        "search": "search/?q=Bangkok",
        "search, nothing found": "search/?q=zzzzzz",
        "methodology": "methodology/",
        "corrections": "corrections/",
        "tip form": "tips/",
        "correction request": f"tips/correction/{claim.slug}/",
    }


def blocking_violations(page) -> list[str]:
    results = axe_playwright.Axe().run(page)
    assert results.response["testEngine"]["name"] == "axe-core"
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}")
    return found


@pytest.mark.parametrize("prefix", ["", "en/"], ids=["id", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reader_pages_have_no_serious_or_critical_violations(live_server, demo, open_page, settings, prefix, viewport):
    settings.TIP_RATE = "1000/hour"  # the form is sent from 127.0.0.1 by every run of this test
    claim, corrected, retracted = Claim.objects.public().select_related("article").order_by("pk")[:3]
    users = get_user_model().objects
    reviewer, reviewer2 = users.get(username="reviewer"), users.get(username="reviewer2")
    correct(
        corrected,
        by=reviewer2,
        approver=reviewer,
        note="Tanggalnya kami perbaiki.",
        note_en="We fixed the date.",
        changes={"verdict": corrected.verdict + " (diperbarui)"},
    )
    retract(retracted, by=reviewer2, approver=reviewer, note="Sumber utamanya ternyata palsu.")
    page, watch = open_page(viewport)
    report = {}
    for name, path in reader_pages(claim, corrected, retracted).items():
        response = page.goto(f"{live_server.url}/{prefix}{path}")
        assert response.status == 200, f"{name}: {response.status}"
        report[name] = blocking_violations(page)

    assert not watch.problems, watch.problems

    # The tip form showing its errors (sent empty: every message and aria-invalid field on screen; a 400).
    page.goto(f"{live_server.url}/{prefix}tips/")
    page.locator(".tip-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".tip-error").count() >= 2
    report["tip form with errors"] = blocking_violations(page)

    failures = {name: found for name, found in report.items() if found}
    assert not failures, "\n".join(f"{name}: {item}" for name, found in failures.items() for item in found)


def test_the_run_finds_a_serious_violation_when_there_is_one(browser, open_page):
    """The check can fail: a page with an unlabelled field and an image without a text alternative."""
    page, _ = open_page(DESKTOP)
    page.set_content('<html lang="id"><body><main><img src="data:,"><input type="text"></main></body></html>')
    found = blocking_violations(page)
    assert any(item.startswith("image-alt (critical") for item in found), found
    assert any(item.startswith("label (critical") for item in found), found
