"""Django's stock Redis cache, for which a Redis failure is a miss.

What the portal keeps in the cache since Varnish became the answer cache: API throttle counters, the tip
forms' rate limit and django-axes' login lock-outs. None of them is needed to answer correctly, but the
stock ``django.core.cache.backends.redis.RedisCache`` lets every ``redis.RedisError`` through to its
caller: with Redis refusing connections, frozen or still loading its data, every throttled API read, every
tip and every admin login answered 500 (tests/deploy/test_redis_failures.py). Wrapping each of those
callers (DRF's throttles, axes' handler) would scatter the rule; so this subclass overrides the backend's
public methods only: each catches ``redis.RedisError``, logs a warning (at most one every
``WARNING_INTERVAL_SECONDS`` per process) and answers as a miss (``get`` the default, ``add`` False,
``set`` nothing, ``incr`` the delta: throttles and lock-outs fail open).

A frozen Redis costs each call the socket timeout (``REDIS_TIMEOUT_SECONDS``, settings ``OPTIONS``), and
every request makes several (two per API throttle, more for an admin login), so a worker would spend most
of its time waiting. So after a failure a circuit breaker skips Redis for ``cooldown`` seconds
(``OPTIONS["CIRCUIT_BREAKER_SECONDS"]``, shared by every thread of the process), and the first call after
it tries again. Measured with tests/deploy/test_redis_failures.py's frozen Redis (pages, API reads, two
logins, a write): 7.0 s without the breaker, 3.5 s with it. ``ping`` bypasses both, for the health check.
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
    """The stock backend; each public operation answers a miss when Redis fails (see the module's docstring).

    ``OPTIONS`` as Django's, plus ``CIRCUIT_BREAKER_SECONDS``.
    """

    def __init__(self, server, params) -> None:
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        cooldown = float(params["OPTIONS"].pop("CIRCUIT_BREAKER_SECONDS", DEFAULT_COOLDOWN_SECONDS))
        super().__init__(server, params)
        self.breaker = breaker_for(server if isinstance(server, str) else ",".join(server), cooldown)

    def _guarded(self, operation: str, call: Callable[[], T], miss: T) -> T:
        if self.breaker.is_open():
            return miss
        try:
            return call()
        except redis.RedisError as error:
            self.breaker.trip(operation, error)
            return miss

    def ping(self) -> None:
        """Raises ``redis.RedisError`` unless Redis answers now (the health check; ignores the breaker)."""
        try:
            super().has_key("healthz")
        except redis.RedisError as error:
            self.breaker.trip("ping", error)
            raise
        self.breaker.reset()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._guarded("add", lambda: super(RedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None) -> Any:
        return self._guarded("get", lambda: super(RedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        return self._guarded("set", lambda: super(RedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._guarded("touch", lambda: super(RedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None) -> bool:
        return self._guarded("delete", lambda: super(RedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None) -> dict:
        return self._guarded("get_many", lambda: super(RedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None) -> bool:
        return self._guarded("has_key", lambda: super(RedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None) -> int:
        # Counters (login failures) fail open: as if this were the first.
        return self._guarded("incr", lambda: super(RedisCache, self).incr(key, delta, version), delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self._guarded("set_many", lambda: super(RedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None) -> None:
        return self._guarded("delete_many", lambda: super(RedisCache, self).delete_many(keys, version), None)

    def clear(self) -> bool:
        return self._guarded("clear", lambda: super(RedisCache, self).clear(), False)
