"""Bahasa Indonesia by default, English under /en/: interface, content, switcher and compiled catalogues."""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation
from jinja2.ext import GETTEXT_FUNCTIONS, babel_extract

from factcheck.web.jinja import url

LOCALE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES"


def test_the_interface_is_indonesian_by_default_and_english_under_en(anon, db):
    indonesian = anon.get("/").content.decode()
    english = anon.get("/en/").content.decode()
    assert '<html lang="id">' in indonesian
    assert "Hasil cek fakta terbaru" in indonesian
    assert '<html lang="en">' in english
    assert "Latest verdicts" in english


def test_the_default_language_ignores_the_browser_setting(anon, db):
    html = anon.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in html


def test_the_switcher_links_the_same_page_in_the_other_language(anon, two_public_claims):
    claim = two_public_claims[0]
    html = anon.get(f"/claims/{claim.slug}/").content.decode()
    assert f'<a href="/en/claims/{claim.slug}/" hreflang="en" lang="en">English</a>' in html
    english = anon.get(f"/en/claims/{claim.slug}/").content.decode()
    assert f'<a href="/claims/{claim.slug}/" hreflang="id" lang="id">Bahasa Indonesia</a>' in english


def test_the_switcher_keeps_the_search(anon, db):
    html = anon.get("/search/", {"q": "Bangkok"}).content.decode()
    assert 'href="/en/search/?q=Bangkok"' in html


def test_content_shows_english_where_there_is_one(anon, two_public_claims):
    first, second = two_public_claims
    english = anon.get(f"/en/claims/{first.slug}/").content.decode()
    assert '<h1 id="claim-title" lang="en">ASEM was founded in Bangkok in 1996</h1>' in english
    assert '<span class="badge rating-true">True</span>' in english
    assert "The claim is accurate and nothing significant is missing." in english


def test_content_falls_back_to_indonesian(anon, two_public_claims):
    second = two_public_claims[1]
    english = anon.get(f"/en/claims/{second.slug}/").content.decode()
    assert '<h1 id="claim-title" lang="id">ASEM mencakup 53 negara mitra</h1>' in english  # no English statement
    assert "Sebagian besar benar: 51 negara dan 2 organisasi." in english  # no English verdict
    assert '<span class="badge rating-mostly-true">Mostly true</span>' in english


def test_the_quote_stays_in_the_articles_language(anon, two_public_claims):
    claim = two_public_claims[0]
    english = anon.get(f"/en/claims/{claim.slug}/").content.decode()
    assert f'<blockquote lang="id" cite="">\n        <p><mark class="claim rating-true">{claim.quote}</mark>' in english


def test_links_stay_in_the_readers_language(anon, two_public_claims):
    claim = two_public_claims[0]
    english = anon.get("/en/").content.decode()
    assert f'href="/en/claims/{claim.slug}/"' in english
    with translation.override("en"):
        assert reverse("web:article", kwargs={"slug": claim.article.slug}).startswith("/en/")


def test_a_templates_addresses_follow_the_language_the_prefix_and_the_urlconf(db):
    # The reader templates' url() keeps what it reversed: each thing an address depends on is in its key.
    with translation.override("id"):
        assert url("web:methodology") == reverse("web:methodology")
        assert url("web:article", "x") == "/articles/x/"
    with translation.override("en"):
        assert url("web:methodology") == reverse("web:methodology") and url("web:methodology").startswith("/en/")
        assert url("web:article", "x") == "/en/articles/x/"
    set_script_prefix("/portal/")
    try:
        assert url("web:article", "x") == "/portal/articles/x/"
    finally:
        clear_script_prefix()
    with override_settings(ROOT_URLCONF="tests.web.urls_without_languages"), translation.override("en"):
        assert url("web:article", "x") == reverse("web:article", args=["x"]) == "/reader/articles/x/"


def po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr of the simple (non-plural, context-free) entries of a .po file."""
    text = path.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        if "msgctxt" in block or "msgid_plural" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, flags=re.M)
        if match:
            msgid, msgstr = (
                "".join(re.findall(r'"(.*)"', part)).encode().decode("unicode_escape").encode("latin-1").decode()
                for part in match.groups()
            )
            if msgid:
                entries[msgid] = msgstr
    return entries


def test_every_interface_string_has_an_indonesian_translation():
    entries = po_entries(LOCALE / "django.po")
    assert len(entries) > 100
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_the_committed_mo_file_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for msgid, msgstr in po_entries(LOCALE / "django.po").items():
        assert catalogue.gettext(msgid) == msgstr, msgid


def reader_template_messages() -> set[str]:
    """Every message of the reader pages' Jinja2 templates (``_()`` and ``{% trans %}``, singular and plural),
    as Jinja2's own extractor reads them, with the environment's trimming."""
    messages = set()
    for path in sorted((Path(settings.BASE_DIR) / "templates" / "jinja2").rglob("*.html")):
        with path.open("rb") as template:
            for _line, _function, message, _comments in babel_extract(
                template, GETTEXT_FUNCTIONS, [], {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
            ):
                messages.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    return messages


def po_plural_entries(path: Path) -> dict[str, str]:
    """msgid and msgid_plural → msgstr[0] of the plural entries of a .po file."""

    def text(part: str) -> str:
        return "".join(re.findall(r'"(.*)"', part)).encode().decode("unicode_escape").encode("latin-1").decode()

    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(
            r'^msgid ((?:".*"\n?)+)msgid_plural ((?:".*"\n?)+)msgstr\[0\] ((?:".*"\n?)+)', block, flags=re.M
        )
        if match:
            singular, plural, translated = (text(part) for part in match.groups())
            entries[singular] = entries[plural] = translated
    return entries


def test_every_message_of_the_reader_templates_has_an_indonesian_translation():
    # The .po file is not made by makemessages, which reads Django's templates only: a message added to a
    # reader template must be added there by hand, and this names the ones that are not.
    translations = {**po_entries(LOCALE / "django.po"), **po_plural_entries(LOCALE / "django.po")}
    messages = reader_template_messages()
    assert len(messages) > 100
    assert sorted(message for message in messages if not translations.get(message)) == []
