"""The API docs run under the Content-Security-Policy: no inline script, nothing from outside the portal.

The browser test (tests/browser/test_csp.py) shows them working; these pin why, without a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def test_swagger_ui_starts_from_a_script_file_not_an_inline_script(db):
    """Found in the browser: Swagger UI's inline start-up script was refused (script-src 'self'), so no
    operation was shown."""
    response = Client().get("/api/docs/")

    scripts = SCRIPT.findall(response.content.decode())
    assert scripts and all('src="/' in attributes and not body.strip() for attributes, body in scripts)
    start = [a for a, _ in scripts if "script=" in a]
    assert len(start) == 1
    script = Client().get(re.search(r'src="([^"]+)"', start[0]).group(1).replace("&amp;", "&"))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_redoc_may_start_its_search_worker_from_a_blob_and_nothing_else_may(db):
    """Found in the browser: Redoc's search worker (a blob: URL) was refused."""
    redoc = Client().get("/api/redoc/")["Content-Security-Policy"]
    elsewhere = [Client().get(path)["Content-Security-Policy"] for path in ("/", "/api/docs/", "/admin/login/")]

    assert "worker-src 'self' blob:" in redoc
    assert "script-src 'self'" in redoc and "unsafe" not in redoc.split("style-src")[0]
    assert all("blob:" not in policy for policy in elsewhere)


def test_redoc_does_not_fetch_redoclys_logo_from_their_cdn(db):
    """Found in the browser: Redoc's sidebar loads https://cdn.redoc.ly/redoc/logo-mini.svg (refused)."""
    html = Client().get("/api/redoc/").content.decode()
    first, *_ = (attributes for attributes, _ in SCRIPT.findall(html))

    assert 'src="/static/js/redoc-offline.js"' in first  # before Redoc's bundle
    bundle = Path(finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")).read_text()
    assert "https://cdn.redoc.ly/redoc/logo-mini.svg" in bundle  # still there: the script above is needed
