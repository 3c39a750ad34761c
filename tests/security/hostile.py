"""The hostile-input corpus and the checks that a page rendered it harmlessly.

Each payload tries a different way out of the text it is put in: a script element, an event handler on
an element, closing a script element (as JSON-LD inside a page), and closing an attribute value.
"""

from __future__ import annotations

import json
import re

SCRIPT = '<script>alert("xss")</script>'
HANDLER = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>"
ATTRIBUTE = '" onmouseover="alert(3)" x="'
SVG = "<svg/onload=alert(4)>"
PAYLOAD = f"{SCRIPT} {HANDLER} {BREAKOUT} {ATTRIBUTE} {SVG}"

# What a page would contain if a payload had been written into it unescaped.
RAW_MARKERS = ["<script>alert", "<img src=x onerror", "<svg/onload", 'onmouseover="alert', "</script><script>"]
# The escaped payload, proof that the text was shown rather than dropped.
ESCAPED_MARKER = "&lt;script&gt;alert("

# A claim's free-text fields and the longest text each takes: hostile input is sent at those lengths.
CLAIM_TEXT_LIMITS = {
    "statement": 300,
    "statement_en": 300,
    "claimant": 200,
    "verdict": 10_000,
    "verdict_en": 10_000,
    "not_checkable_reason": 10_000,
    "not_checkable_reason_en": 10_000,
}

URLS_REFUSED = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "ftp://example.org/file",
    "//evil.example/path",
    "vbscript:msgbox(1)",
]


def hostile(label: str, limit: int = 300) -> str:
    """``label`` followed by every payload, cut to the field's ``limit``."""
    text = f"{label} {PAYLOAD}"
    assert len(text) <= limit, (label, len(text), limit)
    return text


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def json_scripts(html: str) -> list:
    """The parsed contents of every JSON script element (JSON-LD and json_script data) in ``html``."""
    found = []
    for attributes, content in SCRIPT_TAG.findall(html):
        if re.search(r'type="application/(ld\+)?json"', attributes):
            found.append(json.loads(content))
    return found


def assert_inert_html(html: str, *, shown: bool = True) -> None:
    """No payload is live in ``html``: every script element is ours, JSON inside them cannot end them."""
    for marker in RAW_MARKERS:
        assert marker not in html, f"raw {marker!r} in the page"
    for attributes, content in SCRIPT_TAG.findall(html):
        if re.search(r'type="application/(ld\+)?json"', attributes):
            # json_script-style escaping: no "<", ">" or "&" can close the element or open another.
            assert not re.search(r"[<>&]", content), content[:200]
            json.loads(content)
        else:
            assert re.search(r'\bsrc="/(?!/)', attributes), f"a script element not from this site: {attributes!r}"
            assert not content.strip(), "inline script"
    if shown:
        assert ESCAPED_MARKER in html, "the hostile text was not shown at all"
