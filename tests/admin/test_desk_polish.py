"""The desk made for a day's work (issue 17, "rough admin"): one language throughout, people by their full
names, a claim list that fits a laptop, times in the site's time zone, a refusal said once, history reasons
in words, and a claimant that starts blank."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from factcheck.claims import services

from .conftest import change_url

PO_FILE = Path(django_settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
# Project templates and code of the admin whose strings the pages below show.
ADMIN_SOURCES = ("factcheck/claims/admin/", "factcheck/claims/labels.py", "templates/admin/claims/")


def po_entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every singular entry of the Indonesian catalogue."""
    text = PO_FILE.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if "msgctxt" in block or "msgid_plural" in block:
            continue
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.M)
        if msgid and msgstr and msgid.group(1):
            entries.append((unescape(msgid.group(1)), unescape(msgstr.group(1))))
    return entries


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


def fragments(text: str, min_length: int) -> list[str]:
    """The fixed parts of a message around its placeholders and markup, long enough to be telling."""
    parts = [part.strip(" :.,()«»—") for part in re.split(r"%\(\w+\)s|%s|<[^>]+>", text)]
    return [part for part in parts if len(part) >= min_length]


def visible_text(response) -> str:
    """What a person sees of a page: the text outside tags, scripts and styles, entities decoded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def leftovers(text: str, messages: list[str], min_length: int) -> list[str]:
    """The messages of ``messages`` (in part) that the text shows, as whole words."""
    return sorted(
        {
            fragment
            for message in messages
            for fragment in fragments(message, min_length)
            if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text)
        }
    )


@pytest.fixture
def desk_pages(login, editor, reviewer, reviewer2, published_claim, second_claim, article):
    """The main screens of the desk, as a reviewer sees them: a published claim with a pending correction
    (the change page shows the workflow panel with the decision buttons), its history, the list, the review
    queue, an article and its history."""
    services.claim_send_to_review(claim=second_claim, by=editor)
    correct_pending = published_claim
    from factcheck.claims import revisions

    revisions.revision_propose(
        claim=correct_pending.pk,
        by=reviewer2,
        expected_version=correct_pending.version,
        changes={"verdict_en": "True: the first summit was in Bangkok."},
        note="Ringkasan bahasa Inggris diperjelas.",
    )
    return [
        "/admin/claims/claim/",
        "/admin/claims/claim/add/",
        change_url(published_claim),
        change_url(second_claim),
        f"/admin/claims/claim/{published_claim.pk}/history/",
        f"/admin/claims/claim/{second_claim.pk}/history/",
        "/admin/claims/claim/review-queue/",
        f"/admin/claims/article/{article.pk}/change/",
        f"/admin/claims/article/{article.pk}/history/",
    ]


def test_in_indonesian_no_english_string_of_the_desk_remains(login, reviewer, desk_pages):
    english = [msgid for msgid, msgstr in po_entries() if msgstr and msgstr != msgid]
    client = login(reviewer)
    for url in desk_pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code == 200, url
        # The test users are called Editor (editor) and Reviewer (reviewer): names, not the desk's words;
        # the sources of second_claim are titled "Source 0", "Source 1" and say "What source 0 says.".
        data = r"\b(?:editor|reviewer|Editor|Reviewer)2?\b|\bSource \d\b|What source \d says|https?://\S+"
        text = re.sub(data, "", visible_text(response))
        # Any English word of the desk's messages (the test data is Indonesian, but for two English statements).
        assert leftovers(text, english, 6) == [], (url, leftovers(text, english, 6))
        assert "Claims" not in text.split() and "Review queue" not in text, url


def test_in_english_no_indonesian_string_of_the_desk_remains(login, reviewer, desk_pages):
    indonesian = [msgstr for msgid, msgstr in po_entries() if msgstr and msgstr != msgid]
    client = login(reviewer)
    for url in desk_pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        text = visible_text(response)
        # Phrases only: the articles and claims themselves are Indonesian.
        assert leftovers(text, indonesian, 12) == [], (url, leftovers(text, indonesian, 12))


def test_the_desk_speaks_indonesian_to_a_browser_asking_for_nothing(login, reviewer, published_claim, settings):
    settings.LANGUAGE_CODE = "id"  # the site's language, as deployed
    text = visible_text(login(reviewer).get(change_url(published_claim)))
    assert "Pernyataan (bahasa Indonesia)" in text and "Statement (Indonesian)" not in text
    assert "Pembuat klaim" in text and "Kutipan dalam konteksnya" in text


def test_every_project_string_of_the_desk_has_its_translation():
    """The catalogue holds an Indonesian text for every message of the admin's code and templates."""
    text = PO_FILE.read_text(encoding="utf-8")
    sources = [Path(django_settings.BASE_DIR) / path for path in ADMIN_SOURCES]
    files = [p for source in sources for p in ([source] if source.is_file() else source.rglob("*.*"))]
    marked = set()
    for path in files:
        content = path.read_text(encoding="utf-8")
        marked.update(re.findall(r'(?:gettext_lazy|gettext_noop|_)\(\s*"([^"]+)"\s*\)', content))
        marked.update(re.findall(r'{% translate "([^"]+)" %}', content))
    untranslated = [m for m in sorted(marked) if f'msgid "{m}"\nmsgstr ""' in text or f'msgid "{m}"' not in text]
    assert untranslated == []
