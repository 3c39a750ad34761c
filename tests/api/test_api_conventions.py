"""What partners expect of any API: a root, Link headers, rate-limit headers, request ids, CORS for public
reads, machine-readable error codes, errors in the language asked for, Bearer keys, JSON errors everywhere."""

from __future__ import annotations

import datetime
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from factcheck.api.exceptions import ERROR_CODES, not_found
from factcheck.partners.services import key_create
from factcheck.request_id import RequestIdLogFilter, RequestIdMiddleware

from .conftest import client_with

REPO = Path(__file__).resolve().parents[2]


# --- the API root ---------------------------------------------------------------------------------------


def test_the_api_root_lists_every_endpoint_on_the_public_address(db, anon_client):
    response = anon_client.get("/api/v1/")

    assert response.status_code == 200
    body = response.json()
    assert response["ETag"]
    assert body["schema"] == f"{settings.SITE_URL}/api/schema/"
    urls = {name: entry["url"] for name, entry in body["endpoints"].items()}
    assert urls["claims"] == f"{settings.SITE_URL}/api/v1/claims/"
    assert {"claims", "claim", "claimreview", "articles", "ratings", "webhooks", "factcheck_claims_search"} <= set(urls)
    for name, url in urls.items():
        if "{" in url:
            continue
        path = url.removeprefix(settings.SITE_URL)
        answer = anon_client.get(path)
        assert answer.status_code in (200, 401), (name, answer.status_code)  # webhooks need a partner key
    assert anon_client.get("/api/v1/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


# --- Link headers ---------------------------------------------------------------------------------------


def test_list_pages_link_to_the_next_one_in_a_link_header(published_claim, second_claim, anon_client, editor_client):
    first = anon_client.get("/api/v1/claims/?page_size=1")
    next_url = first.json()["next"]

    assert next_url.startswith(settings.SITE_URL)
    assert first["Link"] == f'<{next_url}>; rel="next"'
    last = anon_client.get(next_url.removeprefix(settings.SITE_URL))
    assert last.json()["next"] is None
    assert not last.has_header("Link")
    again = anon_client.get("/api/v1/claims/?page_size=1")  # from the answer cache: the header was stored with it
    assert again["Link"] == first["Link"]
    articles = editor_client.get("/api/v1/articles/?page_size=1")
    assert articles.has_header("Link") == (articles.json()["next"] is not None)


# --- rate-limit headers ---------------------------------------------------------------------------------


def test_answers_say_how_much_of_the_limit_is_left(settings, partner_key):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "partner": "3/minute"}
    client = client_with(partner_key)

    answers = [client.get("/api/v1/ratings/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a["RateLimit-Limit"] == "3" and a["RateLimit-Policy"] == "3;w=60" for a in answers)
    assert 1 <= int(answers[0]["RateLimit-Reset"]) <= 60
    throttled = answers[-1]
    assert throttled.json()["code"] == "throttled"
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert throttled["RateLimit-Reset"] == throttled["Retry-After"]


def test_anonymous_clients_get_the_headers_of_their_address_limit(settings, db, anon_client):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "5/minute"}

    first, second = anon_client.get("/api/v1/ratings/"), anon_client.get("/api/v1/ratings/")

    assert (first["RateLimit-Limit"], first["RateLimit-Remaining"], second["RateLimit-Remaining"]) == ("5", "4", "3")


def test_a_tighter_limit_of_the_webhook_tools_is_the_one_reported(settings, partner, partner_key):
    from factcheck.partners.services import webhook_endpoint_create

    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "partner": "100/minute", "webhook_tools": "2/minute"}
    endpoint = webhook_endpoint_create(partner=partner, url="https://hooks.example/in", events=["claim.published"])

    answer = client_with(partner_key).post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/")

    assert answer.status_code == 200
    assert (answer["RateLimit-Limit"], answer["RateLimit-Remaining"]) == ("2", "1")


# --- X-Request-ID ---------------------------------------------------------------------------------------


def test_every_answer_has_a_request_id_new_or_the_clients_own(db, anon_client):
    generated = anon_client.get("/api/v1/ratings/")
    own = anon_client.get("/api/v1/ratings/", HTTP_X_REQUEST_ID="partner-7f3a:job=42")
    insane = anon_client.get("/api/v1/ratings/", HTTP_X_REQUEST_ID="two words")
    too_long = anon_client.get("/api/v1/ratings/", HTTP_X_REQUEST_ID="a" * 129)
    page = anon_client.get("/")  # the site too

    assert re.fullmatch(r"[0-9a-f]{32}", generated["X-Request-ID"])
    assert own["X-Request-ID"] == "partner-7f3a:job=42"
    assert re.fullmatch(r"[0-9a-f]{32}", insane["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", too_long["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", page["X-Request-ID"])
    assert generated["X-Request-ID"] != anon_client.get("/api/v1/ratings/")["X-Request-ID"]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdLogFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_log_records_carry_the_request_id(db, anon_client):
    """Django's own log of a 404 (written after the middleware returned) and a record logged inside a view."""
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id"]
    assert "%(request_id)s" in settings.LOGGING["formatters"]["plain"]["format"]
    collect = Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(collect)
    try:
        answer = anon_client.get("/api/v1/claims/999/", HTTP_X_REQUEST_ID="trace-404")
    finally:
        logger.removeHandler(collect)
    assert answer.status_code == 404
    assert [r.request_id for r in collect.records] == ["trace-404"]

    inside = Collect()
    view_logger = logging.getLogger("factcheck.test.view")
    view_logger.addHandler(inside)
    view_logger.propagate = False

    def view(request):
        view_logger.warning("inside the view")
        return HttpResponse("ok")

    try:
        response = RequestIdMiddleware(view)(RequestFactory().get("/api/v1/", HTTP_X_REQUEST_ID="trace-view"))
    finally:
        view_logger.removeHandler(inside)
    assert response["X-Request-ID"] == "trace-view"
    assert [r.request_id for r in inside.records] == ["trace-view"]
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "after", None, None)
    RequestIdLogFilter().filter(outside)
    assert outside.request_id == "-"


# --- CORS -----------------------------------------------------------------------------------------------

ORIGIN = "https://partner-newsroom.example"


def test_anyone_may_read_the_api_and_feeds_from_a_web_page_without_credentials(published_claim, anon_client):
    for path in ("/api/v1/claims/", "/api/v1/claims/", f"/api/v1/claims/{published_claim.pk}/", "/feeds/verdicts.rss"):
        answer = anon_client.get(path, HTTP_ORIGIN=ORIGIN)  # the second claims/ comes from the answer cache
        assert answer.status_code == 200, path
        assert answer["Access-Control-Allow-Origin"] == "*", path
        assert not answer.has_header("Access-Control-Allow-Credentials")
    exposed = {h.strip().lower() for h in answer["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "link", "ratelimit-remaining", "retry-after", "x-request-id"} <= exposed


def test_preflight_allows_reads_but_neither_writes_nor_keys(db, anon_client):
    read = anon_client.options(
        "/api/v1/claims/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert read.status_code == 200
    assert read["Access-Control-Allow-Origin"] == "*"
    allowed_methods = {m.strip() for m in read["Access-Control-Allow-Methods"].split(",")}
    allowed_headers = {h.strip() for h in read["Access-Control-Allow-Headers"].split(",")}
    assert allowed_methods == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in allowed_headers
    assert "authorization" not in allowed_headers  # a browser will not send a key cross-origin


def test_the_site_and_the_admin_are_not_opened_to_other_origins(db, anon_client):
    for path in ("/", "/admin/login/"):
        assert not anon_client.get(path, HTTP_ORIGIN=ORIGIN).has_header("Access-Control-Allow-Origin"), path


# --- error codes and Bearer keys ------------------------------------------------------------------------


def test_rejected_keys_get_401_with_a_code_saying_why_under_either_scheme(partner, anon_client):
    from factcheck.partners.services import key_revoke

    revoked_row, revoked = key_create(partner=partner, name="old")
    key_revoke(key=revoked_row)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        _, expired = key_create(partner=partner, name="short", expires_at=timezone.now() + datetime.timedelta(days=1))
    cases = {revoked: "api_key_revoked", expired: "api_key_expired", "fck_no-such-key": "api_key_invalid"}

    for raw, code in cases.items():
        for scheme in ("Api-Key", "Bearer", "bearer"):
            answer = anon_client.get("/api/v1/claims/", HTTP_AUTHORIZATION=f"{scheme} {raw}")
            assert answer.status_code == 401, (scheme, code)
            assert answer.json()["code"] == code
            assert answer.has_header("WWW-Authenticate")


def test_a_valid_key_works_as_a_bearer_token(partner_key, anon_client):
    answer = anon_client.get("/api/v1/webhooks/", HTTP_AUTHORIZATION=f"Bearer {partner_key}")

    assert answer.status_code == 200  # webhooks/ is for partners only: the key was taken
    assert anon_client.get("/api/v1/webhooks/").json()["code"] == "not_authenticated"


def test_every_kind_of_error_has_a_documented_code(published_claim, editor_client, partner_client, anon_client):
    claim = published_claim.pk
    answers = {
        "invalid": anon_client.get("/api/v1/claims/?page_size=0"),
        "not_found": anon_client.get("/api/v1/claims/999999/"),
        "not_authenticated": anon_client.post("/api/v1/claims/", {}, format="json"),
        "permission_denied": partner_client.post("/api/v1/claims/", {}, format="json"),
        "method_not_allowed": editor_client.put("/api/v1/claims/", {}, format="json"),
        "parse_error": editor_client.post("/api/v1/claims/", "{", content_type="application/json"),
        "unsupported_media_type": editor_client.post("/api/v1/claims/", "a=1", content_type="text/plain"),
        "needs_review": editor_client.patch(
            f"/api/v1/claims/{claim}/", {"claimant": "X", "version": published_claim.version}, format="json"
        ),
        "version_required": editor_client.patch(f"/api/v1/claims/{claim}/", {"claimant": "X"}, format="json"),
        "version_stale": editor_client.patch(
            f"/api/v1/claims/{claim}/", {"claimant": "X", "version": 1}, format="json"
        ),
    }
    for code, answer in answers.items():
        body = answer.json()
        assert body["code"] == code, (code, answer.status_code, body)
        assert set(body) >= {"detail", "code", "errors"}
        assert code in ERROR_CODES


# --- errors in the language asked for -------------------------------------------------------------------


def error_requests(claim_id: int, partner_key: str, revoked_key: str):
    """(what, method, path, body, key) of errors, each one in a field of its own."""
    return [
        ("bad page size", "get", "/api/v1/claims/?page_size=0", None, None),
        ("bad cursor", "get", "/api/v1/claims/?cursor=nonsense", None, None),
        ("bad date", "get", "/api/v1/claims/?updated_since=yesterday", None, None),
        ("unknown rating", "get", "/api/v1/claims/?rating=nonsense", None, None),
        ("bad language", "get", f"/api/v1/claims/{claim_id}/claimreview/?language=fr", None, None),
        ("no such claim", "get", "/api/v1/claims/999999/", None, None),
        ("no such address", "get", "/api/v1/nothing-here/", None, None),
        ("revoked key", "get", "/api/v1/claims/", None, revoked_key),
        ("anonymous write", "post", "/api/v1/claims/", {}, None),
        ("partner write", "post", "/api/v1/claims/", {}, partner_key),
        ("webhook without key", "get", "/api/v1/webhooks/", None, None),
        ("unknown field", "post", "/api/v1/webhooks/", {"url": "https://hooks.example/a", "colour": 1}, partner_key),
        ("missing fields", "post", "/api/v1/webhooks/", {}, partner_key),
        (
            "plain http webhook",
            "post",
            "/api/v1/webhooks/",
            {"url": "http://hooks.example/a", "events": []},
            partner_key,
        ),
        ("wrong method", "put", "/api/v1/claims/", {}, None),
    ]


def messages_of(body: dict) -> list[str]:
    return [body["detail"], *(m for messages in body["errors"].values() for m in messages)]


def test_errors_are_wholly_in_the_language_asked_for(published_claim, partner_key, revoked_key, anon_client):
    for what, method, path, body, key in error_requests(published_claim.pk, partner_key, revoked_key):
        answers = {}
        for language in ("en", "id"):
            client = client_with(key)
            answers[language] = getattr(client, method)(path, body, format="json", HTTP_ACCEPT_LANGUAGE=language)
        en, id_ = answers["en"].json(), answers["id"].json()
        assert answers["en"].status_code == answers["id"].status_code >= 400, what
        assert answers["id"]["Content-Language"] == "id", what
        assert en["code"] == id_["code"], what  # codes are never translated
        assert list(en["errors"]) == list(id_["errors"]), what  # nor are field names
        for english, indonesian in zip(messages_of(en), messages_of(id_), strict=True):
            assert english != indonesian, (what, english)


def test_an_indonesian_error_names_the_field_and_the_rule(db, anon_client):
    body = anon_client.get("/api/v1/claims/?page_size=0", HTTP_ACCEPT_LANGUAGE="id").json()

    assert body == {
        "detail": "Masukan tidak valid. page_size: Berikan bilangan bulat dari 1 sampai 100.",
        "code": "invalid",
        "errors": {"page_size": ["Berikan bilangan bulat dari 1 sampai 100."]},
    }


# --- JSON errors everywhere under /api/ -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/claims/a%0Ab/", "/api/v1/claims/%0A/", "/api/v1/nothing/", "/api/%0A", "/api/v1/claims/1/x%0D%0A/"],
)
def test_any_unknown_address_under_api_is_a_json_404_even_with_debug(settings, db, anon_client, path):
    settings.DEBUG = True  # Django's HTML debug page listing the URL patterns must never show

    answer = anon_client.get(path)

    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["code"] == "not_found"


def test_an_unknown_factcheck_address_with_a_newline_is_googles_404(settings, db, anon_client):
    settings.DEBUG = True

    answer = anon_client.get("/api/v1/factcheck/a%0Ab")

    assert answer.status_code == 404
    assert answer.json()["error"]["status"] == "NOT_FOUND"


def test_the_404_handler_answers_json_under_api_and_the_site_page_elsewhere(db):
    api = not_found(RequestFactory().get("/api/x"))
    site = not_found(RequestFactory().get("/nothing/"))

    assert api.status_code == 404 and api["Content-Type"] == "application/json"
    assert site.status_code == 404 and site["Content-Type"].startswith("text/html")


# --- make run -------------------------------------------------------------------------------------------


def make_run_commands(**env) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")} | env
    result = subprocess.run(
        ["make", "-n", "run"], cwd=REPO, env=environment, capture_output=True, text=True, check=True
    )
    return "\n".join(
        line for line in result.stdout.splitlines() if "manage.py db_worker" in line or "runserver" in line
    )


def test_make_run_serves_its_absolute_links_on_the_port_it_serves():
    commands = make_run_commands(PORT="8102")

    assert commands.count("SITE_URL=http://127.0.0.1:8102 ") == 2  # the server and the webhook worker
    assert "runserver 127.0.0.1:8102" in commands
    given = make_run_commands(PORT="8102", SITE_URL="https://cekfakta.example")
    assert given.count("SITE_URL=https://cekfakta.example ") == 2


# --- JSON types as the schema says ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", 5, "Not a valid string."),
        ("is_primary", "yes", "Must be a valid boolean."),
        ("position", "3", "A valid integer is required."),
        ("position", True, "A valid integer is required."),
        ("published_on", 20260101, "Not a valid string."),
    ],
)
def test_a_value_of_another_json_type_is_refused_naming_the_field(
    researched_claim, editor_client, field, value, message
):
    """DRF alone reads 5 as "5" and "yes" as true: the schema promises JSON types, and generated clients and
    validators rely on a value of another type being refused."""
    evidence = researched_claim.evidence.get()

    answer = editor_client.patch(
        f"/api/v1/claims/{researched_claim.pk}/evidence/{evidence.pk}/",
        {field: value, "version": researched_claim.version},
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json()["errors"] == {field: [message]}
    assert answer.json()["code"] == "invalid"


def test_whole_numbers_written_as_floats_are_whole_numbers(researched_claim, editor_client):
    evidence = researched_claim.evidence.get()

    answer = editor_client.patch(
        f"/api/v1/claims/{researched_claim.pk}/evidence/{evidence.pk}/",
        {"position": 2.0, "version": float(researched_claim.version)},
        format="json",
    )

    assert answer.status_code == 200, answer.json()


def api_addresses(claim_id: int) -> list[str]:
    """An address for every route under /api/ in the URLconf (ids filled in), and unknown ones."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    addresses = set()
    for route in walk(get_resolver().url_patterns):
        if not route.startswith(("api/", "^api/")):
            continue
        address = re.sub(r"\(\?P<\w+>.*\)", "x", route)  # the catch-alls' regular expressions
        address = re.sub(r"<(?:int:)?[a-z_]*(?:pk|id)>", str(claim_id), address)
        address = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "x", address)
        addresses.add("/" + re.sub(r"[\^$\\]", "", address))
    return sorted(addresses | {"/api/", "/api/v2/", "/api/v1/nope", "/api/v1/claims/1", "/api/v1/factcheck/x"})


@pytest.mark.parametrize("method", ["options", "head", "get", "post", "put", "patch", "delete"])
def test_no_method_on_any_api_address_is_a_server_error(method, published_claim, anon_client):
    for address in api_addresses(published_claim.pk):
        answer = getattr(anon_client, method)(address)

        assert answer.status_code < 500, (method, address, answer.content[:300])
