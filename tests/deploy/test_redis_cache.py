"""The Redis cache backend keeps one client per connection pool, and works as Django's does."""

import os

import pytest
import redis

from factcheck.redis_cache import RedisCache

# The run's Redis database when it names one (it is emptied between tests), else database 15.
URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = RedisCache(URL, {"KEY_PREFIX": "test-redis-cache"})
    yield backend
    backend.clear()


def test_one_client_serves_every_operation(backend):
    client = backend._cache.get_client()

    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client


def test_values_round_trip(backend):
    backend.set("answer", {"claims": 53}, 30)

    assert backend.get("answer") == {"claims": 53}
    assert backend.get_many(["answer", "missing"]) == {"answer": {"claims": 53}}
