"""Template helpers of the reader pages: content in the reader's language, links, JSON-LD.

The filters and functions of the reader pages' Jinja2 environment (factcheck/web/jinja.py names them there)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, QueryDict
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy

from factcheck.claims.models import Claim, Evidence, Rating
from factcheck.lib.language import guess_language

STANCES = {
    Evidence.Stance.SUPPORTS: gettext_lazy("Supports the claim"),
    Evidence.Stance.REFUTES: gettext_lazy("Refutes the claim"),
    Evidence.Stance.CONTEXT: gettext_lazy("Context"),
}
VERSION_KINDS = {
    "published": gettext_lazy("First published"),
    "correction": gettext_lazy("Correction"),
    "retraction": gettext_lazy("Retraction"),
}
FIELD_LABELS = {
    "statement": gettext_lazy("Statement (Indonesian)"),
    "statement_en": gettext_lazy("Statement (English)"),
    "rating": gettext_lazy("Rating"),
    "verdict": gettext_lazy("Verdict summary (Indonesian)"),
    "verdict_en": gettext_lazy("Verdict summary (English)"),
    "quote": gettext_lazy("Quote"),
    "status": gettext_lazy("Status"),
    "claimant": gettext_lazy("Claimant"),
    "not_checkable_reason": gettext_lazy("Why not checkable (Indonesian)"),
    "not_checkable_reason_en": gettext_lazy("Why not checkable (English)"),
    "evidence.url": gettext_lazy("address"),
    "evidence.title": gettext_lazy("title"),
    "evidence.publisher": gettext_lazy("publisher"),
    "evidence.published_on": gettext_lazy("date"),
    "evidence.excerpt": gettext_lazy("excerpt"),
    "evidence.stance": gettext_lazy("stance"),
    "evidence.is_primary": gettext_lazy("primary source"),
    "evidence.archived_url": gettext_lazy("archived copy"),
    "evidence.position": gettext_lazy("order"),
    "article.headline": gettext_lazy("Headline of the article"),
    "article.outlet": gettext_lazy("Outlet"),
    "article.author": gettext_lazy("Author"),
    "article.url": gettext_lazy("Address of the article"),
    "article.published_on": gettext_lazy("Date of the article"),
    "article.language": gettext_lazy("Language of the article"),
}
SOURCES_LABEL = gettext_lazy("Sources")
OG_LOCALES = {"id": "id_ID", "en": "en_GB"}

# The same escapes as Django's json_script: no "<", ">" or "&" can end the script element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def statement(claim: Claim) -> str:
    return claim.statement_in(get_language())


def verdict(claim: Claim) -> str:
    return claim.verdict_in(get_language())


def verdict_lang(claim: Claim) -> str:
    """The language of the verdict shown: Indonesian while an English translation is pending."""
    return claim.verdict_language(get_language())


def note_text(version) -> str:
    """A correction note in the reader's language, or the Indonesian one while its translation is pending."""
    return version.note_in(get_language()) if version else ""


def note_lang(version) -> str:
    return "en" if version and get_language() == "en" and version.note_en else "id"


def not_checkable_reason(claim: Claim) -> str:
    return claim.not_checkable_reason_in(get_language())


def label(rating: Rating | None) -> str:
    return rating.label(get_language()) if rating else ""


def definition(rating: Rating | None) -> str:
    return rating.definition(get_language()) if rating else ""


def other_label(rating: Rating) -> str:
    """The rating's label in the language the reader is not reading."""
    return rating.label("id" if get_language() == "en" else "en")


def stance_label(stance: str) -> str:
    return STANCES.get(stance, stance)


def version_kind(kind: str) -> str:
    return VERSION_KINDS.get(kind, kind)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def status_label(status: str) -> str:
    """A stored status in the reader's words (``Claim.Status.reader_label``); an unknown value as stored."""
    try:
        return Claim.Status(status).reader_label
    except ValueError:
        return status


def json_ld(value: dict) -> SafeString:
    """``value`` as a JSON-LD script element; text inside cannot close the element."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(data))


def site_name() -> str:
    return settings.PUBLISHER_NAME


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def canonical_url(request: HttpRequest) -> str:
    return settings.SITE_URL + request.path


def language_links(request: HttpRequest) -> list[dict]:
    """The current page in each language of the site (for the switcher and hreflang links)."""
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        path = translate_url(request.get_full_path(), code)
        links.append(
            {"code": code, "name": name, "path": path, "url": settings.SITE_URL + path, "active": code == current}
        )
    return links


def og_locale(code: str | None = None) -> str:
    return OG_LOCALES.get(code or get_language(), "id_ID")


def page_url(request: HttpRequest, number: int) -> str:
    """The current address with ``page`` set to ``number`` (other parameters kept)."""
    query: QueryDict = request.GET.copy()
    if number <= 1:
        query.pop("page", None)
    else:
        query["page"] = str(number)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


def statement_lang(claim: Claim) -> str:
    """The language of the statement shown: Indonesian where an English page has no English statement."""
    if get_language() == "en" and claim.statement_en:
        return "en"
    return "id" if claim.statement else "en"


def reason_lang(claim: Claim) -> str:
    """The language of the not-checkable reason shown (as ``statement_lang``)."""
    if get_language() == "en" and claim.not_checkable_reason_en:
        return "en"
    return "id" if claim.not_checkable_reason else "en"


def lang_if_other(text: str) -> SafeString:
    """A ``lang`` attribute for stored text without a language (a source's title or excerpt), where it is
    recognisably not in the page's language; nothing otherwise."""
    guessed = guess_language(text)
    if guessed and guessed != get_language():
        return format_html(' lang="{}"', guessed)
    return SafeString("")


def changed_fields(version) -> str:
    """What a correction changed, in one line: "Rating, Verdict summary (Indonesian), Sources"."""
    labels: list[str] = []
    for change in version.changes if version else []:
        name = str(SOURCES_LABEL) if change.field.startswith("evidence") else str(field_label(change.field))
        if name not in labels:
            labels.append(name)
    return ", ".join(labels)


def share_links(url: str, title: str) -> list[dict]:
    """Plain share links (no third-party script): WhatsApp, X, Facebook and Telegram."""
    text = f"{title} {url}"
    return [
        {"name": "WhatsApp", "key": "whatsapp", "href": "https://wa.me/?" + urlencode({"text": text})},
        {"name": "X", "key": "x", "href": "https://x.com/intent/post?" + urlencode({"text": title, "url": url})},
        {
            "name": "Facebook",
            "key": "facebook",
            "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "name": "Telegram",
            "key": "telegram",
            "href": "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        },
    ]
