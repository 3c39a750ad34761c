"""Each process's own copy of current cached answers, kept true by Redis pub/sub.

A cached answer from Redis costs a round trip, which is most of what a warm
request costs. So each process also keeps the answers it served recently, with
the content generation they are current in (see factcheck.caching), and serves
them without asking Redis while it *knows* the generation has not changed since.

It knows because every change of the generation is announced on a Redis
channel to which each process subscribes. Redis writes the announcement to
every subscriber in the same pass in which it answers the writer, so it is in
each process's socket before the writer's own request has even finished; each
request first takes whatever announcements are waiting (a non-blocking read of
that socket, no round trip) and, if there is one, forgets what it knew and asks
Redis again. The generation a process learns from Redis is adopted only if no
announcement came while it was asking.

If the subscription breaks, nothing is known until it is made again (and the
local answers are dropped); every request asks Redis meanwhile, and the first
one after it is made again sets a new generation (Redis may have restarted
with an older one). Even a subscription that silently stops delivering (a
half-open connection) cannot mislead a process for long: what it knows is
confirmed with Redis at least once every ``VERIFY_SECONDS``, and a
subscription that does not answer a PING within that time is made anew.

Redis being down or frozen costs little here: subscribing waits at most the
socket timeout for the confirmation, is not tried while the cache's circuit
breaker is open (factcheck/redis_cache.py) nor more often than every
``RESUBSCRIBE_SECONDS``, and an announcement that cannot be sent is logged and
trips the breaker. The generation itself is checked against the database
(factcheck/caching.py), so even a Redis restarted with older data serves no
outdated answer.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

if TYPE_CHECKING:
    from factcheck.caching import CachedResponse

VERIFY_SECONDS = 1.0
RESUBSCRIBE_SECONDS = 1.0

logger = logging.getLogger(__name__)


class LocalAnswers:
    """The most recently used answers, bounded in count and in bytes."""

    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: CachedResponse) -> None:
        size = len(entry.content)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.content)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


class GenerationWatch:
    """What this process knows of the current content generation, and the answers current in it."""

    def __init__(self, client, channel: str, answers: LocalAnswers, breaker=None, confirm_seconds: float = 2) -> None:
        self._client = client
        self._breaker = breaker  # the cache's circuit breaker: while open, Redis is not tried
        self._confirm_seconds = confirm_seconds
        self.channel = channel
        self.answers = answers
        self._pubsub = None
        self._lock = threading.Lock()
        self._known: str | None = None
        self._known_at = 0.0
        self._retry_at = 0.0
        self._pinged_at = self._ponged_at = 0.0
        self._was_dropped = False
        self._reconnected = False
        # Counts what could have made a generation read from Redis outdated: announcements and
        # (re)subscriptions. A read is adopted only if this did not move while it was made.
        self.epoch = 0
        # Counts subscriptions made and lost: a Redis restart moves it (factcheck.caching then trusts no
        # generation it checked before).
        self.subscriptions = 0

    def known(self) -> str | None:
        """The current generation without a round trip, or None if it must be read from Redis."""
        if not self._lock.acquire(blocking=False):
            return None  # another thread is (re)subscribing or listening: ask Redis rather than wait
        try:
            if not self._listen():
                return None
            now = time.monotonic()
            if now - self._pinged_at >= VERIFY_SECONDS and not self._alive(now):
                return None
            if self._known is not None and now - self._known_at > VERIFY_SECONDS:
                self._known = None
            return self._known
        finally:
            self._lock.release()

    def reconnected(self) -> bool:
        """True once after a lost subscription was made again: the generation should be set anew."""
        if not self._reconnected or not self._lock.acquire(blocking=False):
            return False
        try:
            reconnected, self._reconnected = self._reconnected, False
            return reconnected
        finally:
            self._lock.release()

    def learned(self, generation: str, epoch: int) -> None:
        """Adopt ``generation``, read from Redis by a request that started at ``epoch``."""
        if not self._lock.acquire(blocking=False):
            return  # busy (re)subscribing: a later request will learn it
        try:
            if self._pubsub is not None and epoch == self.epoch:
                self._known, self._known_at = generation, time.monotonic()
        finally:
            self._lock.release()

    def changed(self) -> None:
        """This process changed the generation: forget it at once (its announcement follows)."""
        with self._lock:
            self._forget()

    def announce(self) -> None:
        """Tell every process (this one at once) that the generation changed; call after setting it."""
        self.changed()
        if self._breaker is not None and self._breaker.is_open():
            return  # Redis failed a moment ago: the others check their generation with the database
        try:
            self._client.publish(self.channel, b"")
        except redis.RedisError as error:
            # The others learn it from Redis within VERIFY_SECONDS; the change itself must not fail.
            if self._breaker is not None:
                self._breaker.trip("publish", error)
            else:
                logger.warning("could not announce a new content generation", exc_info=True)

    def close(self) -> None:
        with self._lock:
            self._drop_subscription()

    def _forget(self) -> None:
        self.epoch += 1
        self._known = None

    def _listen(self) -> bool:
        """Subscribe if needed and take the waiting announcements; False while there is no subscription."""
        subscribing = self._pubsub is None
        try:
            if subscribing:
                if time.monotonic() < self._retry_at or (self._breaker is not None and self._breaker.is_open()):
                    return False
                self._subscribe()
            while (message := self._pubsub.get_message(timeout=0)) is not None:
                if message["type"] == "pong":
                    self._ponged_at = time.monotonic()
                elif message["type"] in ("message", "subscribe"):  # a change, or subscribed anew by redis-py
                    self._forget()
                    if message["type"] == "subscribe":
                        self.answers.clear()
            return True
        except (OSError, redis.RedisError) as error:
            self._lost()
            # Redis could not be reached: spare the other calls the timeout. (A subscription that broke is
            # made anew in RESUBSCRIBE_SECONDS; Redis may well be back already.)
            if subscribing and self._breaker is not None and isinstance(error, redis.RedisError):
                self._breaker.trip("subscribe", error)
            return False

    def _alive(self, now: float) -> bool:
        """Whether the PING sent last time was answered; sends the next one. False drops the subscription."""
        if self._pinged_at > self._ponged_at:
            logger.warning("the content generation subscription went quiet; subscribing again")
            self._lost()
            return False
        try:
            self._pubsub.ping()
        except (OSError, redis.RedisError):
            self._lost()
            return False
        self._pinged_at = now
        return True

    def _lost(self) -> None:
        self._drop_subscription()
        self._was_dropped = True
        self._retry_at = time.monotonic() + RESUBSCRIBE_SECONDS

    def _subscribe(self) -> None:
        pubsub = self._client.pubsub()
        try:
            pubsub.subscribe(self.channel)
            # Announcements count from the confirmation on: wait for it.
            deadline = time.monotonic() + self._confirm_seconds
            while (message := pubsub.get_message(timeout=0.1)) is None or message["type"] != "subscribe":
                if time.monotonic() > deadline:
                    raise redis.ConnectionError("no confirmation of the subscription")
        except BaseException:
            pubsub.close()
            raise
        self._pubsub = pubsub
        self.subscriptions += 1
        self._pinged_at = self._ponged_at = 0.0
        self._reconnected, self._was_dropped = self._was_dropped, False
        self.answers.clear()
        self._forget()

    def _drop_subscription(self) -> None:
        if self._pubsub is not None:
            try:
                self._pubsub.close()
            except Exception:  # noqa: BLE001 - it is being dropped because it is broken
                pass
            self.subscriptions += 1
        self._pubsub = None
        self.answers.clear()
        self._forget()


_watch: tuple[int, GenerationWatch | None] | None = None
_watch_lock = threading.Lock()


def watch() -> GenerationWatch | None:
    """This process's watch; None where the cache is not Redis or local answers are turned off."""
    global _watch
    current = _watch
    if current is not None and current[0] == os.getpid():
        return current[1]
    with _watch_lock:
        if _watch is None or _watch[0] != os.getpid():  # first use, or a forked worker
            _watch = (os.getpid(), _new_watch())
        return _watch[1]


def _new_watch() -> GenerationWatch | None:
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if settings.LOCAL_ANSWERS_MAX_BYTES <= 0 or client_of is None:
        return None
    client = client_of(write=True)
    connection_kwargs = client.connection_pool.connection_kwargs
    database = connection_kwargs.get("db", 0)
    # Channels are not per database: name the portal's key prefix and database.
    channel = f"{cache.make_key('content-generation-changed')}@{database}"
    answers = LocalAnswers(max_entries=settings.LOCAL_ANSWERS_MAX_ENTRIES, max_bytes=settings.LOCAL_ANSWERS_MAX_BYTES)
    # A frozen Redis must not hold a request longer than its socket timeout while subscribing.
    confirm_seconds = connection_kwargs.get("socket_timeout") or 2
    return GenerationWatch(client, channel, answers, getattr(cache, "breaker", None), confirm_seconds)


def announce_change() -> None:
    """Tell every process the generation changed (after it was set in Redis)."""
    current = watch()
    if current is not None:
        current.announce()


def reset() -> None:
    """Forget the watch (tests, and a changed cache configuration)."""
    global _watch
    with _watch_lock:
        if _watch is not None and _watch[1] is not None and _watch[0] == os.getpid():
            _watch[1].close()
        _watch = None


@receiver(setting_changed)
def _configuration_changed(*, setting: str, **kwargs) -> None:
    if setting in ("CACHES", "LOCAL_ANSWERS_MAX_BYTES", "LOCAL_ANSWERS_MAX_ENTRIES"):
        reset()
