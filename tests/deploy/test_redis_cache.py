"""The Redis cache backend works as Django's does, and a Redis failure is a miss."""

import os

import pytest
import redis

from factcheck.redis_cache import RedisCache
from tests.conftest import worker_redis_url

# The run's Redis database when it names one (it is emptied between tests), else database 12 (13 to 15 for
# the second to fourth pytest-xdist worker).
URL = os.environ.get("REDIS_URL") or worker_redis_url("redis://127.0.0.1:6379/12")


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = RedisCache(URL, {"KEY_PREFIX": "test-redis-cache"})
    yield backend
    backend.clear()


def test_values_round_trip(backend):
    backend.set("answer", {"claims": 53}, 30)

    assert backend.get("answer") == {"claims": 53}
    assert backend.get_many(["answer", "missing"]) == {"answer": {"claims": 53}}


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when this returns: connections are refused


def test_a_redis_failure_is_a_miss_logged_once_then_skipped_for_the_cool_down(caplog):
    from factcheck import redis_cache

    url = f"redis://127.0.0.1:{closed_port()}/0"
    backend = RedisCache(url, {"OPTIONS": {"socket_connect_timeout": 0.25, "CIRCUIT_BREAKER_SECONDS": 60}})
    redis_cache.reset_breakers()

    with caplog.at_level("WARNING", logger="factcheck.redis_cache"):
        assert backend.get("answer", "default") == "default"
        assert backend.breaker.is_open()  # the circuit breaker is open: the next calls skip Redis
        assert backend.set("answer", 1) is None
        assert backend.add("answer", 1) is False
        assert backend.get_many(["a", "b"]) == {}
        assert backend.incr("failures") == 1  # counters fail open: as if this were the first
        assert backend.get_or_set("answer", lambda: "computed") == "computed"
        assert backend.delete("answer") is False

    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "treated as a miss" in caplog.records[0].getMessage()
    redis_cache.reset_breakers()


def test_after_the_cool_down_redis_is_tried_again(backend):
    import time

    from factcheck import redis_cache

    backend.breaker = redis_cache.CircuitBreaker(cooldown=0.05)
    backend.breaker.trip("get", redis.ConnectionError("refused"))
    backend.set("answer", 53)
    assert backend.get("answer") is None and backend.breaker.is_open()  # skipped: nothing was stored
    time.sleep(0.06)

    backend.set("answer", 53)
    assert backend.get("answer") == 53 and not backend.breaker.is_open()


def test_ping_asks_redis_whatever_the_breaker_says(backend):
    from factcheck import redis_cache

    backend.breaker.trip("get", redis.ConnectionError("refused"))

    backend.ping()  # Redis answers: the health check says so, and the breaker closes

    assert not backend.breaker.is_open()
    redis_cache.reset_breakers()
