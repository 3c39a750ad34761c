"""The API docs and the admin work under the Content-Security-Policy: rendered, and nothing refused."""

import json

import pytest

from factcheck.claims.models import Claim
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects every CSP violation the page reports (the init script runs before the page's own, outside the policy).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def open_watched(open_page):
    page, watch = open_page(DESKTOP)
    page.add_init_script(WATCH_CSP)
    return page, watch


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def assert_clean(page, watch) -> None:
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], "\n".join(violations(page))
    assert watch.problems == []


def operation_count(live_server, page) -> int:
    schema = json.loads(page.request.get(live_server.url + "/api/schema/?format=json").text())
    return sum(
        1 for item in schema["paths"].values() for method in item if method in {"get", "post", "patch", "delete"}
    )


def test_swagger_ui_renders_every_operation_under_the_policy(live_server, demo, open_page, screenshot_dir, settings):
    settings.SITE_URL = live_server.url  # the schema's server, where "Try it out" sends its request
    page, watch = open_watched(open_page)

    response = page.goto(live_server.url + "/api/docs/")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for(state="visible")
    # 22, and the revisions: list, propose, approve, reject, withdraw.
    assert page.locator(".opblock").count() == operation_count(live_server, page)
    assert page.locator(".info .title").inner_text().startswith("Fact-check portal API")
    # Try one out: the request goes to the portal and the answer is shown.
    page.locator(".opblock-get", has_text="/api/v1/ratings/").locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table .response-col_status", has_text="200").wait_for()
    page.screenshot(path=screenshot_dir / "api-docs-swagger.png")
    assert_clean(page, watch)


def test_redoc_renders_every_operation_under_the_policy(live_server, demo, open_page, screenshot_dir):
    page, watch = open_watched(open_page)

    page.goto(live_server.url + "/api/redoc/")

    page.locator("[data-section-id^='operation/']").first.wait_for(state="attached")
    assert page.locator("[data-section-id^='operation/']").count() == operation_count(live_server, page)
    assert "X-Factcheck-Signature" in page.locator(".api-content").inner_text()
    page.screenshot(path=screenshot_dir / "api-docs-redoc.png")
    assert_clean(page, watch)


def test_the_admin_login_and_a_claim_change_page_work_under_the_policy(live_server, demo, open_page, screenshot_dir):
    claim = Claim.objects.public().order_by("pk").first()
    page, watch = open_watched(open_page)

    page.goto(live_server.url + "/admin/login/?next=/admin/")
    assert violations(page) == []
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-demo-pass")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + f"/admin/claims/claim/{claim.pk}/change/")

    page.locator("#claim_form").wait_for()
    # The admin's own scripts ran: the inline evidence formset got its JavaScript controls.
    page.locator(".inline-group").first.wait_for()
    page.screenshot(path=screenshot_dir / "admin-claim-change.png", full_page=True)
    assert_clean(page, watch)
