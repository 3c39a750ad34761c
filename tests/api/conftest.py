"""API fixtures: a partner with a key, keys for the newsroom, clients, and a live server speaking real HTTP."""

from __future__ import annotations

import datetime

import pytest
import requests
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from rest_framework.test import APIClient

from factcheck.claims import services
from factcheck.claims.models import Claim, Rating
from factcheck.partners.services import create_partner_with_key, key_create, key_revoke
from tests.browser.conftest import demo  # noqa: F401  (the demo data of `make run`, for live-server tests)
from tests.conftest import REQUEST_CEILING_SECONDS, span_of

NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache (Redis on CI): every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    """Freeze the clock so dates in literal payloads are known."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def partner_and_key(db):
    return create_partner_with_key(name="Mitra Data", contact_email="data@mitra.example")


@pytest.fixture
def partner(partner_and_key):
    return partner_and_key[0]


@pytest.fixture
def partner_key(partner_and_key) -> str:
    return partner_and_key[1]


@pytest.fixture
def revoked_key(partner) -> str:
    key, raw = key_create(partner=partner, name="old")
    key_revoke(key=key)
    return raw


def claim_etag(claim) -> str:
    """A claim's ETag as docs/api.md describes it: its id and version, the newest revisions of its article
    and of the rating scale, and its change number (which anything its representation shows moves)."""
    article_revision = claim.article.history.aggregate(newest=Max("history_id", default=0))["newest"]
    scale_revision = Rating.history.aggregate(newest=Max("history_id", default=0))["newest"]  # 0: never edited
    change_seq = Claim.objects.values_list("change_seq", flat=True).get(pk=claim.pk)
    return f'"claim-{claim.pk}-v{claim.version}-a{article_revision}-r{scale_revision}-s{change_seq}"'


def user_key(user) -> str:
    return key_create(user=user, name="tools")[1]


def client_with(key: str | None = None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def partner_client(partner_key) -> APIClient:
    return client_with(partner_key)


@pytest.fixture
def editor_client(editor) -> APIClient:
    return client_with(user_key(editor))


@pytest.fixture
def reviewer_client(reviewer) -> APIClient:
    return client_with(user_key(reviewer))


@pytest.fixture
def reviewer2_client(reviewer2) -> APIClient:
    return client_with(user_key(reviewer2))


class Http:
    """requests against the live server, with the API prefix and an optional key."""

    def __init__(self, base: str, key: str | None = None) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        if key:
            self.session.headers["Authorization"] = f"Api-Key {key}"

    def url(self, path: str) -> str:
        """A path, or an address the API gave, on the portal's public address (SITE_URL): the live server
        stands in for it, as a load balancer would."""
        path = path.removeprefix(settings.SITE_URL)
        return path if path.startswith("http") else f"{self.base}{path}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.url(path), timeout=REQUEST_CEILING_SECONDS, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.session.post(self.url(path), timeout=REQUEST_CEILING_SECONDS, **kwargs)

    def patch(self, path: str, **kwargs) -> requests.Response:
        return self.session.patch(self.url(path), timeout=REQUEST_CEILING_SECONDS, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.session.delete(self.url(path), timeout=REQUEST_CEILING_SECONDS, **kwargs)


@pytest.fixture
def http(live_server, django_db_reset_sequences, django_db_serialized_rollback) -> Http:
    """Anonymous real HTTP; ids start at 1, and the rating scale (migration data) is restored."""
    return Http(live_server.url)


@pytest.fixture
def second_claim(article, editor, reviewer2):
    """Another published claim of the same article, with two evidence links, researched by editor."""
    return publish_second_claim(article, editor, reviewer2)


def publish_second_claim(article, editor, reviewer2):
    start, end = span_of(article, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")
    claim = services.claim_create(
        article=article,
        start=start,
        end=end,
        by=editor,
        statement="Indonesia mengakui Ukraina pada 28 Desember 1991",
        claimant="Penulis",
    )
    claim = services.claim_start_research(claim=claim, by=editor)
    for n in (1, 2):
        services.evidence_add(
            claim=claim, by=editor, url=f"https://example.org/mofa{n}", title=f"Nota {n}", publisher="Kemlu"
        )
    claim.refresh_from_db()
    claim = services.claim_update(
        claim=claim,
        by=editor,
        expected_version=claim.version,
        changes={"rating": "false", "verdict": "Keliru: pengakuan pada 1991 tanggal lain."},
    )
    claim = services.claim_send_to_review(claim=claim, by=editor)
    return services.claim_publish(claim=claim, by=reviewer2)


@pytest.fixture
def schema(anon_client) -> dict:
    """The OpenAPI schema as an anonymous client reads it."""
    response = anon_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    """(path, method, operation) of every operation in ``schema``."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation
