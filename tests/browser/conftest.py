"""Playwright driving Debian's Chromium, headless, against pytest-django's live server.

Screenshots go to $SCREENSHOT_DIR, by default test-artifacts/screenshots/<time of the run>/.
"""

import datetime
import importlib
import os
from pathlib import Path

import pytest

from tests.conftest import REQUEST_CEILING_SECONDS, load_demo_or_copy

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
RUN_NAME = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def demo(transactional_db):
    """The demo data of `make run`, loaded through the services.

    Live-server tests run in a transactional database that is flushed after each of them,
    taking the rating scale seeded by a migration with it; it is put back first. A flush after a
    serialized-rollback test also skips post_migrate, so content types and permissions are put back too.
    On SQLite the demo is loaded once per worker and copied back after (tests/conftest.py: load_demo_or_copy).
    """

    def put_back_what_migrations_made():
        from django.core.management.sql import emit_post_migrate_signal

        from factcheck.claims.models import Rating

        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        seed = importlib.import_module("factcheck.claims.migrations.0002_rating_scale")
        for position, row in enumerate(seed.SCALE):
            Rating.objects.update_or_create(key=row["key"], defaults={**row, "position": position})

    return load_demo_or_copy("after a flush", prepare=put_back_what_migrations_made)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-artifacts" / "screenshots" / RUN_NAME)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser tests skipped.")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')"
    )
    # Assertions that wait (expect(...).to_be_visible()) wait up to the ceiling too, not Playwright's 5 s.
    sync_api.expect.set_options(timeout=REQUEST_CEILING_SECONDS * 1000)
    # Playwright's sync API keeps an event loop in the test thread; Django would take the test's
    # own database calls for calls from async code. They are not: everything runs in this thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ConsoleWatch:
    """Every console error, uncaught exception, failed request and error response of a page."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.problems.append(f"console: {message.text} ({message.location.get('url')})")
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"exception: {error}"))
        # ERR_ABORTED: the page navigated away before a request (say, the favicon) finished; not a fault.
        page.on(
            "requestfailed",
            lambda request: (
                request.failure != "net::ERR_ABORTED"
                and self.problems.append(f"failed: {request.url} {request.failure}")
            ),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.request.resource_type != "document"
                and self.problems.append(f"{response.status}: {response.url}")
            ),
        )


@pytest.fixture
def open_page(browser):
    """A new page at a viewport size, with a ConsoleWatch attached; closed after the test."""
    contexts = []

    def make(viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport, locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(REQUEST_CEILING_SECONDS * 1000)
        return page, ConsoleWatch(page)

    yield make
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-artifacts" / "screenshots" / RUN_NAME)
    if folder.exists() and any(folder.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {folder}")
