"""The desk made for a day's work (issue 17, "rough admin"): one language throughout, people by their full
names, a claim list that fits a laptop, times in the site's time zone, a refusal said once, history reasons
in words, and a claimant that starts blank."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client

from factcheck.claims import services
from factcheck.claims.admin.forms import person_label
from factcheck.claims.importing import ACCEPT_ALL, ArticleMetadata, article_import
from factcheck.claims.models import Claim
from tests.conftest import correct

from .conftest import change_url
from .test_claim_change_page import form_data

PO_FILE = Path(django_settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
# Project templates and code of the admin whose strings the pages below show.
ADMIN_SOURCES = ("factcheck/claims/admin/", "factcheck/claims/labels.py", "templates/admin/claims/")


def po_entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every singular entry of the Indonesian catalogue (strings split over lines joined)."""
    text = PO_FILE.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if "msgctxt" in block or "msgid_plural" in block:
            continue
        msgid, msgstr = po_string(block, "msgid"), po_string(block, "msgstr")
        if msgid and msgstr is not None:
            entries.append((msgid, msgstr))
    return entries


def po_string(block: str, keyword: str) -> str | None:
    """The string after ``keyword`` in a catalogue entry: its quoted parts, one a line, joined."""
    found = re.search(rf'^{keyword} ((?:"(?:[^"\\]|\\.)*"\n?)+)', block, re.M)
    if found is None:
        return None
    return "".join(unescape(part) for part in re.findall(r'"((?:[^"\\]|\\.)*)"', found.group(1)))


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
    correct(
        published_claim, by=reviewer2, approver=reviewer, note="Nama lembaga dilengkapi.", changes={"claimant": "Kemlu"}
    )
    correct_pending = Claim.objects.get(pk=published_claim.pk)
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
        "/admin/claims/correction/",
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


def test_the_desk_speaks_indonesian_to_a_browser_asking_for_nothing(reviewer, published_claim):
    browser = Client()  # no Accept-Language: the site's language, Indonesian
    browser.force_login(reviewer)
    text = visible_text(browser.get(change_url(published_claim)))
    assert "Pernyataan (bahasa Indonesia)" in text and "Statement (Indonesian)" not in text
    assert "Pembuat klaim" in text and "Kutipan dalam konteksnya" in text


def test_every_project_string_of_the_desk_has_its_translation():
    """The catalogue holds an Indonesian text for every message of the admin's code and templates."""
    sources = [Path(django_settings.BASE_DIR) / path for path in ADMIN_SOURCES]
    found = [p for source in sources for p in ([source] if source.is_file() else source.rglob("*.*"))]
    files = [p for p in found if p.suffix in (".py", ".html")]  # not the bytecode beside them
    marked = set()
    for path in files:
        content = path.read_text(encoding="utf-8")
        marked.update(re.findall(r'(?:gettext_lazy|gettext_noop|_)\(\s*"([^"]+)"\s*\)', content))
        marked.update(re.findall(r'{% translate "([^"]+)" %}', content))
    catalogue = dict(po_entries())
    untranslated = [m for m in sorted(marked) if not catalogue.get(m)]
    assert untranslated == []


# --- people by their full names ------------------------------------------------------------------


def test_researchers_are_chosen_by_full_name_with_the_username(login, editor, reviewer, draft_claim):
    editor.first_name, editor.last_name = "Dewi", "Lestari"
    editor.save()
    response = login(reviewer).get(change_url(draft_claim))
    choices = dict(response.context["adminform"].form.fields["researcher"].choices)
    assert choices[editor.pk] == "Dewi Lestari (editor)"
    assert choices[reviewer.pk] == "Reviewer (reviewer)"
    assert person_label(type(editor)(username="nameless")) == "nameless"


def test_the_bulk_assignment_and_the_add_form_name_researchers_the_same_way(login, editor, reviewer, draft_claim):
    editor.last_name = "Lestari"
    editor.save()
    client = login(reviewer)
    add = client.get("/admin/claims/claim/add/").context["adminform"].form
    assert dict(add.fields["researcher"].choices)[editor.pk] == "Editor Lestari (editor)"
    response = client.post(
        "/admin/claims/claim/",
        {"action": "assign_researcher", "_selected_action": [draft_claim.pk], f"_version_{draft_claim.pk}": "1"},
    )
    assert "Editor Lestari (editor)" in response.content.decode()


def test_the_reviewer_is_shown_by_full_name(login, editor, reviewer, published_claim):
    reviewer.last_name = "Santoso"
    reviewer.save()
    html_text = login(editor).get(change_url(published_claim)).content.decode()
    assert '<div class="readonly">Reviewer Santoso</div>' in html_text


# --- times in the site's time zone, a refusal said once ------------------------------------------


def test_a_stale_save_says_when_in_wib_once(login, editor, editor2, rich_claim):
    client = login(editor)
    data = form_data(client, rich_claim, claimant="Kemlu", _save="1")
    # 03:04 UTC is 10:04 in Jakarta (WIB, UTC+7); later than the fixtures, so the latest change.
    with time_machine.travel(datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), tick=False):
        services.claim_update(
            claim=rich_claim, by=editor2, expected_version=rich_claim.version, changes={"claimant": "Kemlu RI"}
        )
    response = client.post(change_url(rich_claim), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by Editor2 at 2030-01-02 10:04:05 WIB since you opened it" in page
    assert "03:04:05" not in page and "UTC" not in page
    # Once: above the form, not also as a message nor next to the (hidden) version field.
    assert page.count("since you opened it") == 1
    assert page.count(f"Version {rich_claim.version} is stale") == 0
    assert list(response.context["messages"]) == []


def test_a_stale_save_is_said_in_indonesian_to_an_indonesian_desk(login, editor, editor2, rich_claim):
    client = login(editor)
    data = form_data(client, rich_claim, claimant="Kemlu", _save="1")
    with time_machine.travel(datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), tick=False):
        services.claim_update(
            claim=rich_claim, by=editor2, expected_version=rich_claim.version, changes={"claimant": "Kemlu RI"}
        )
    page = client.post(change_url(rich_claim), data, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Klaim ini diubah oleh Editor2 pada 2030-01-02 10:04:05 WIB setelah Anda membukanya" in page
    assert page.count("setelah Anda membukanya") == 1


def test_a_refusal_naming_fields_is_said_once_above_and_particulars_beside_them(login, reviewer2, published_claim):
    client = login(reviewer2)
    data = form_data(client, published_claim, verdict="Koreksi tanpa catatan.", _save="1")
    response = client.post(change_url(published_claim), data)
    form = response.context["adminform"].form
    general = form.non_field_errors()
    assert len(general) == 1 and "needs a public note" in general[0]
    assert form.errors["note"] == ["Readers see this note; it is required."]
    assert response.content.decode().count(general[0]) == 1


def test_a_stale_bulk_action_says_when_in_wib(login, editor, editor2, in_review_claim, reviewer):
    client = login(reviewer)
    shown = in_review_claim.version
    with time_machine.travel(datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), tick=False):
        services.claim_send_back(claim=in_review_claim, by=reviewer, note="Sumber kurang")
    response = client.post(
        "/admin/claims/claim/",
        {
            "action": "publish_selected",
            "_selected_action": [in_review_claim.pk],
            f"_version_{in_review_claim.pk}": shown,
        },
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("at 2030-01-02 10:04:05 WIB since the list was shown" in t for t in texts), texts


def test_the_list_shows_times_in_wib(login, reviewer, draft_claim):
    Claim.objects.filter(pk=draft_claim.pk).update(
        updated_at=datetime.datetime(2026, 11, 30, 20, 30, tzinfo=ZoneInfo("UTC"))
    )
    page = login(reviewer).get("/admin/claims/claim/").content.decode()
    assert "01/12/2026 03:30" in page or "12/01/2026 3:30" in page or "2026-12-01 03:30" in page, page


# --- history reasons in words ---------------------------------------------------------------------


def test_history_reasons_name_fields_in_words(login, editor, draft_claim):
    services.claim_update(
        claim=draft_claim,
        by=editor,
        expected_version=draft_claim.version,
        changes={"statement_en": "ASEM was founded in 1996", "claimant": "Kemlu"},
    )
    client = login(editor)
    url = f"/admin/claims/claim/{draft_claim.pk}/history/"
    english = client.get(url).content.decode()
    assert "Edited: claimant, statement (English)" in english
    assert "statement_en" not in english
    indonesian = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Disunting: pembuat klaim, pernyataan (bahasa Inggris)" in indonesian
    assert "Klaim dibuat" in indonesian  # the reason of the first revision, a known one, translated


def test_history_keeps_a_note_after_a_known_reason_and_names_source_fields(login, editor, researched_claim):
    evidence = researched_claim.evidence.get()
    services.evidence_update(
        evidence=evidence.pk, by=editor, expected_version=None, changes={"title": "ASEM1", "publisher": "ASEM"}
    )
    services.claim_send_to_review(claim=Claim.objects.get(pk=researched_claim.pk), by=editor, note="")
    # Sources have no admin of their own: the claim's history names the source by its publisher and title.
    claim_page = login(editor).get(f"/admin/claims/claim/{researched_claim.pk}/history/", HTTP_ACCEPT_LANGUAGE="id")
    text = claim_page.content.decode()
    assert "Sumber disunting: ASEM — ASEM1" in text and "Dikirim untuk ditinjau" in text


# --- the claimant starts blank ------------------------------------------------------------------


def test_imported_drafts_start_without_a_claimant(editor):
    result = article_import(
        data=b"Menteri itu berkata bahwa ekspor naik 20 persen pada 2024. Angka itu dibantah BPS.",
        metadata=ArticleMetadata(headline="Ekspor", outlet="Contoh", author="Tim Cek Fakta", language="id"),
        by=editor,
        accept=ACCEPT_ALL,
    )
    assert result.claims, "the text has a candidate"
    assert {claim.claimant for claim in result.claims} == {""}


def test_the_add_form_starts_without_a_claimant(login, editor):
    form = login(editor).get("/admin/claims/claim/add/").context["adminform"].form
    assert form["claimant"].value() in (None, "")


def test_an_approved_correction_reads_in_indonesian_with_its_note_as_written(
    login, reviewer, reviewer2, published_claim
):
    correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        note="Ringkasan diperjelas.",
        changes={"verdict_en": "True: the first summit was in Bangkok."},
    )
    page = login(reviewer).get(f"/admin/claims/claim/{published_claim.pk}/history/", HTTP_ACCEPT_LANGUAGE="id")
    text = page.content.decode()
    assert "Koreksi diusulkan oleh Reviewer2, disetujui oleh Reviewer: Ringkasan diperjelas." in text
    assert "Ringkasan penilaian (bahasa Inggris)" in text  # the changed field, by its name in words
