"""The desk at a laptop's width (issue 17): the claim list without sideways scrolling, the statement
as wide as its form row."""

import pytest

from factcheck.claims.models import Claim

from .test_reviewed_correction import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}


def test_the_claim_list_fits_1280_pixels_without_scrolling_sideways(live_server, demo, open_page, screenshot_dir):
    page, console = open_page(LAPTOP)
    sign_in(page, live_server.url, "reviewer", "reviewer-demo-pass")
    page.goto(live_server.url + "/admin/claims/claim/")
    page.locator("#result_list").wait_for()
    page.screenshot(path=screenshot_dir / "admin-claim-list-1280.png", full_page=True)
    assert page.locator("#result_list tbody tr").count() == Claim.objects.count()
    widths = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth,"
        " table: document.querySelector('#result_list').getBoundingClientRect().right,"
        " results: document.querySelector('#changelist .results').scrollWidth,"
        " resultsClient: document.querySelector('#changelist .results').clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], widths
    assert widths["table"] <= widths["client"], widths
    # Django's admin scrolls a wide table inside its box: that would be sideways scrolling too.
    assert widths["results"] <= widths["resultsClient"], widths
    assert console.problems == []


def test_the_statement_input_is_as_wide_as_its_form_row(live_server, demo, open_page, screenshot_dir):
    claim = Claim.objects.filter(status="researching").order_by("pk").first() or Claim.objects.order_by("pk").first()
    page, console = open_page(LAPTOP)
    sign_in(page, live_server.url, "editor", "editor-demo-pass")
    page.goto(live_server.url + f"/admin/claims/claim/{claim.pk}/change/")
    statement = page.locator("#id_statement")
    statement.wait_for()
    page.screenshot(path=screenshot_dir / "admin-claim-change-1280.png", full_page=True)
    widths = page.evaluate(
        "() => { const input = document.querySelector('#id_statement');"
        " const row = input.closest('.form-row'); const label = row.querySelector('label');"
        " return {input: input.getBoundingClientRect().width, row: row.getBoundingClientRect().width,"
        " label: label.getBoundingClientRect().width,"
        " scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth}; }"
    )
    # The input takes the row but for its label beside it (and the row's padding).
    assert widths["input"] >= widths["row"] - widths["label"] - 80, widths
    assert widths["input"] >= 600, widths
    assert widths["scroll"] <= widths["client"], widths
    assert console.problems == []
