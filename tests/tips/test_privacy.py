"""Nothing a reader sent appears anywhere public: every address of the URL conf and the sitemaps, in both
languages, read as an anonymous reader and as an API partner, is searched for a unique marker."""

from __future__ import annotations

import itertools
import re
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from factcheck.partners.services import create_partner_with_key
from factcheck.tips.models import Tip
from factcheck.tips.services import tip_set_status

from .conftest import tip_form, unique_address

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")
NOT_PUBLIC = ("admin/",)


def url_templates(patterns, prefix: str = "") -> list[str]:
    """Every address of the URL conf as a template such as ``en/claims/<slug:slug>/``."""
    found = []
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            pieces = ["", "en/"]
        elif isinstance(pattern, RoutePattern):
            pieces = [str(pattern)]
        elif isinstance(pattern, RegexPattern):
            pieces = [REGEX_GROUP.sub("", str(pattern).lstrip("^").rstrip("$"))]
        else:  # pragma: no cover - Django has no other kind
            raise AssertionError(f"unknown pattern {pattern!r}")
        for piece in pieces:
            if isinstance(entry, URLResolver):
                found += url_templates(entry.url_patterns, prefix + piece)
            elif isinstance(entry, URLPattern):
                found.append(prefix + piece)
    return found


def addresses(template: str, values: dict[str, list[str]]) -> list[str]:
    names = [match.group("name") for match in PARAMETER.finditer(template)]
    choices = [values.get(name, ["1"]) for name in names]
    result = []
    for combination in itertools.product(*choices):
        replacements = iter(combination)
        result.append("/" + PARAMETER.sub(lambda _match, values=replacements: str(next(values)), template))
    return result


def sitemap_paths(client: Client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    paths = []
    for location in ET.fromstring(index.content).findall("s:sitemap/s:loc", NS):
        section = client.get(urlsplit(location.text).path + "?" + urlsplit(location.text).query)
        paths.append(urlsplit(location.text).path + "?" + urlsplit(location.text).query)
        paths += [urlsplit(loc.text).path for loc in ET.fromstring(section.content).findall("s:url/s:loc", NS)]
    return paths


def test_nothing_a_reader_sent_appears_on_any_public_address(settings, published_claim, reviewer, article):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "100000/minute"}
    settings.TIP_RATE = "100/hour"
    marker = f"tip{uuid.uuid4().hex}"
    reader = Client(REMOTE_ADDR=unique_address())
    sent = [
        reader.post("/tips/", tip_form(text=f"{marker} klaim", link=f"https://{marker}.example/", contact=marker)),
        reader.post(
            f"/en/tips/correction/{published_claim.slug}/",
            tip_form(text=f"Correction {marker}", link=f"https://example.org/{marker}", contact=f"{marker}@x.example"),
        ),
    ]
    assert [response.status_code for response in sent] == [302, 302]
    tips = list(Tip.objects.all())
    assert len(tips) == 2
    tip_set_status(tip=tips[0], status="accepted", by=reviewer, note=f"note {marker}")
    references = [tip.reference for tip in tips]

    values = {
        "slug": [published_claim.slug, article.slug],
        "pk": [str(published_claim.pk), str(article.pk)],
        "section": ["claims", "articles", "pages"],
    }
    templates = [t for t in url_templates(get_resolver().url_patterns) if not t.startswith(NOT_PUBLIC)]
    paths = sorted({path for template in templates for path in addresses(template, values)})
    anonymous = Client()
    paths += sitemap_paths(anonymous)
    assert any(path.startswith("/en/claims/") for path in paths) and "/api/v1/claims/" in paths
    _, key = create_partner_with_key(name="Mitra")
    partner = Client(headers={"Authorization": f"Api-Key {key}"})

    answered = []
    for path in paths:
        for client in (anonymous, partner):
            response = client.get(path, follow=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            assert marker not in text, f"{path} shows what a reader sent"
            for reference in references:
                assert reference not in text, f"{path} shows a tip's reference"
            answered.append((path, response.status_code))
    # The walk read real pages, not only refusals.
    ok = {path for path, status in answered if status == 200}
    assert {f"/claims/{published_claim.slug}/", f"/en/claims/{published_claim.slug}/", "/api/v1/claims/"} <= ok
    assert {"/feeds/verdicts.rss", "/en/feeds/corrections.atom", "/tips/", "/en/tips/"} <= ok
    assert len(ok) >= 30, sorted(ok)
