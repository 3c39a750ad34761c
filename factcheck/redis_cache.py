"""Django's Redis cache backend, keeping one client per connection pool, for which a Redis failure is a miss.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` object for every
operation, which costs about as much as the round trip to Redis itself. A
``redis.Redis`` client is thread-safe (it borrows a connection from the pool per
command), so one per pool is enough.

Django's stock ``RedisCache`` lets every Redis error through to the caller: with
Redis refusing connections, frozen or still loading its data, every page, API
read, login (django-axes counts failures in the cache), throttled API call and
write (a change sets a new content generation) answered 500. Nothing the portal
keeps in the cache is needed to answer correctly: pages and API representations
are rendered again, throttles and login lock-outs fail open, the content
generation is checked against the database. So here each operation catches
``redis.RedisError`` (connection refused or reset, timeouts, ``BusyLoadingError``…),
logs a warning (at most one every ``WARNING_INTERVAL_SECONDS`` per process) and
answers as a miss: ``get`` the default, ``add`` False, ``set`` nothing, ``get_many`` nothing.

The sockets have short timeouts (``REDIS_TIMEOUT_SECONDS``, settings ``OPTIONS``), so
a frozen Redis costs a request at most that; and after a failure a circuit
breaker skips Redis altogether for ``cooldown`` seconds (shared by every thread
of the process), so a frozen Redis does not cost the timeout on every call. The
first call after the cool-down tries Redis again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

logger = logging.getLogger(__name__)

DEFAULT_COOLDOWN_SECONDS = 5.0
WARNING_INTERVAL_SECONDS = 30.0

T = TypeVar("T")


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class CircuitBreaker:
    """Open for ``cooldown`` seconds after a failure: meanwhile callers skip Redis. One per server, per process."""

    def __init__(self, cooldown: float) -> None:
        self.cooldown = cooldown
        self._open_until = 0.0
        self._warned_at = -WARNING_INTERVAL_SECONDS
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        self._open_until = now + self.cooldown
        with self._lock:
            warn = now - self._warned_at >= WARNING_INTERVAL_SECONDS
            if warn:
                self._warned_at = now
        if warn:
            logger.warning(
                "Redis cache unavailable (%s: %s: %s); treated as a miss, skipping Redis for %.1f s"
                " (this warning repeats at most every %d s)",
                operation,
                type(error).__name__,
                error,
                self.cooldown,
                WARNING_INTERVAL_SECONDS,
            )

    def reset(self) -> None:
        self._open_until = 0.0


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, cooldown: float) -> CircuitBreaker:
    # Django makes one backend object per thread: the breaker is the process's, by server.
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None or breaker.cooldown != cooldown:
            breaker = _breakers[location] = CircuitBreaker(cooldown)
        return breaker


def reset_breakers() -> None:
    """Close every circuit breaker (tests, and a changed cache configuration)."""
    with _breakers_lock:
        for breaker in _breakers.values():
            breaker.reset()


class RedisCache(django_redis.RedisCache):
    """The stock backend, with one client per pool; a Redis error is a miss (see the module's docstring).

    ``OPTIONS["CIRCUIT_BREAKER_SECONDS"]`` sets the cool-down (default 5 s); the other options go to
    redis-py's connection pool as in Django (``socket_timeout``, ``socket_connect_timeout``).
    """

    def __init__(self, server, params) -> None:
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        cooldown = float(params["OPTIONS"].pop("CIRCUIT_BREAKER_SECONDS", DEFAULT_COOLDOWN_SECONDS))
        super().__init__(server, params)
        self._class = RedisCacheClient
        self.breaker = breaker_for(server if isinstance(server, str) else ",".join(server), cooldown)

    def available(self) -> bool:
        """False while the circuit breaker is open: the last call failed less than the cool-down ago."""
        return not self.breaker.is_open()

    def guarded(self, operation: str, call: Callable[[], T], miss: T) -> T:
        """``call()``, or ``miss`` if Redis fails or failed within the cool-down (for direct redis-py use too)."""
        if self.breaker.is_open():
            return miss
        try:
            return call()
        except redis.RedisError as error:
            self.breaker.trip(operation, error)
            return miss

    def ping(self) -> None:
        """Raises ``redis.RedisError`` unless Redis answers now (health checks; ignores the breaker)."""
        try:
            self._cache.get_client(write=True).ping()
        except redis.RedisError as error:
            self.breaker.trip("ping", error)
            raise
        self.breaker.reset()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self.guarded("add", lambda: super(RedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None) -> Any:
        return self.guarded("get", lambda: super(RedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        return self.guarded("set", lambda: super(RedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self.guarded("touch", lambda: super(RedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None) -> bool:
        return self.guarded("delete", lambda: super(RedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None) -> dict:
        return self.guarded("get_many", lambda: super(RedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None) -> bool:
        return self.guarded("has_key", lambda: super(RedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None) -> int:
        # Counters (login failures) fail open: as if this were the first.
        return self.guarded("incr", lambda: super(RedisCache, self).incr(key, delta, version), delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self.guarded("set_many", lambda: super(RedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None) -> None:
        return self.guarded("delete_many", lambda: super(RedisCache, self).delete_many(keys, version), None)

    def clear(self) -> bool:
        return self.guarded("clear", lambda: super(RedisCache, self).clear(), False)
