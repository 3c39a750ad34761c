"""The Jinja2 environment of the reader pages (``templates/jinja2/``; settings.TEMPLATES names it).

The reader pages are rendered by Jinja2 through Django's own backend, the admin by Django's engine. A
reader page is rendered on every miss of the HTTP cache in front; its template took a quarter of a claim
page's miss with Django's engine, which walks a template's nodes on every render, and about half that with
Jinja2, which compiles a template to Python once (docs/performance.md, "The tenth session").

What Django's engine did on its own is done here in the same way: interface strings through Django's
translation catalogue (``_()`` and ``{% trans %}``, whose placeholders are Django's ``%(name)s``, so the
``.po`` file serves both engines), dates shown in the site's time zone (as Django's ``date`` filter does
with ``expects_localtime``), addresses from the URLconf, static files through the storage's manifest.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import linebreaksbr, truncatechars
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment, Undefined, pass_context
from jinja2.runtime import Context

from . import reader

FILTERS = {
    name: getattr(reader, name)
    for name in (
        "statement",
        "verdict",
        "verdict_lang",
        "note_text",
        "note_lang",
        "not_checkable_reason",
        "label",
        "definition",
        "other_label",
        "stance_label",
        "version_kind",
        "field_label",
        "status_label",
        "json_ld",
        "statement_lang",
        "reason_lang",
        "lang_if_other",
        "changed_fields",
    )
}


def date(value: Any, format_string: str) -> str:
    """Django's ``date`` filter, in the current time zone as Django's engine shows a datetime."""
    return date_format(template_localtime(value), format_string)


def url(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``, kept per name, arguments, language, script prefix and URLconf (what an
    address depends on): a claim page reverses about thirty (its navigation and footer the same on every
    page), which took a tenth of its template's time."""
    return _address(name, args, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _address(name: str, args: tuple, language: str | None, prefix: str, urlconf: str) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def site_name() -> str:
    return settings.PUBLISHER_NAME


@pass_context
def canonical_url(context: Context) -> str:
    return reader.canonical_url(context["request"])


@pass_context
def language_links(context: Context) -> list[dict]:
    return reader.language_links(context["request"])


@pass_context
def page_url(context: Context, number: int) -> str:
    return reader.page_url(context["request"], number)


def environment(**options: Any) -> Environment:
    options.setdefault("keep_trailing_newline", True)  # as Django's engine, which keeps a file's last line break
    # A missing value is shown as nothing, as Django's engine shows it (not as its name, as Django's backend
    # would under DEBUG): ``make run`` shows what production shows.
    options["undefined"] = Undefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.policies["ext.i18n.trimmed"] = True  # as Django's {% blocktranslate trimmed %}: one line per message
    env.filters.update(FILTERS, date=date, linebreaksbr=linebreaksbr, truncatechars=truncatechars)
    env.globals.update(
        url=url,
        static=static,
        site_name=site_name,
        canonical_url=canonical_url,
        language_links=language_links,
        page_url=page_url,
        share_links=reader.share_links,
        og_locale=reader.og_locale,
        get_language=get_language,
    )
    return env
