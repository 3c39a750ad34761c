"""Rate limits: per IP for anonymous clients, per key for partners, per user for the newsroom; 429 with Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from factcheck.partners.services import key_create

from .conftest import client_with, user_key

RATES = {"anonymous": "3/minute", "partner": "5/minute", "user": "4/minute"}


@pytest.fixture(autouse=True)
def low_rates(settings):
    settings.API_THROTTLE_RATES = RATES


def hits_until_throttled(client, path: str = "/api/v1/ratings/", limit: int = 10) -> tuple[int, object]:
    for n in range(1, limit + 1):
        response = client.get(path)
        if response.status_code == 429:
            return n, response
        assert response.status_code == 200
    raise AssertionError("never throttled")


def test_anonymous_clients_are_throttled_per_ip_with_retry_after(http):
    statuses = [http.get("/api/v1/ratings/").status_code for _ in range(4)]
    throttled = http.get("/api/v1/claims/", headers={"Accept-Language": "en"})

    assert statuses == [200, 200, 200, 429]
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60
    assert throttled.json()["detail"].startswith("Request was throttled.")
    assert throttled.json()["errors"] == {}


def test_each_partner_key_has_its_own_higher_limit(db, partner, partner_key, anon_client):
    other_key = key_create(partner=partner, name="second")[1]
    hits_until_throttled(anon_client)

    n, response = hits_until_throttled(client_with(partner_key))
    assert n == 6  # five allowed, the sixth refused, although anonymous access from this address is used up
    assert int(response["Retry-After"]) >= 1
    assert client_with(other_key).get("/api/v1/ratings/").status_code == 200


def test_newsroom_users_are_counted_per_user(editor, reviewer):
    n, _ = hits_until_throttled(client_with(user_key(editor)))

    assert n == 5
    assert client_with(user_key(reviewer)).get("/api/v1/ratings/").status_code == 200


def test_throttle_state_lives_in_the_shared_cache(db, anon_client):
    anon_client.get("/api/v1/ratings/")

    assert cache.get("throttle_anonymous_127.0.0.1") is not None
