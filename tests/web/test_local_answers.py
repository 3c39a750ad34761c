"""Each process serves current answers from its own memory while Redis pub/sub tells it nothing changed,
and asks Redis again the moment anything might have: an announcement, a lost subscription, or time."""

import os
import time

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from factcheck import caching, local_answers
from factcheck.caching import CachedResponse
from factcheck.local_answers import LocalAnswers
from factcheck.redis_cache import RedisCache
from tests.conftest import clear_caches, worker_redis_url

from .conftest import correct_claim

# The run's Redis database when it names one (it is emptied between tests), else database 12 (13 for the
# second pytest-xdist worker).
URL = os.environ.get("REDIS_URL") or worker_redis_url("redis://127.0.0.1:6379/12")


@pytest.fixture(autouse=True)
def redis_cache(settings, monkeypatch):
    try:
        redis.Redis.from_url(URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "factcheck.redis_cache.RedisCache", "LOCATION": URL, "KEY_PREFIX": "local-answers"}
    }
    # Known generations are confirmed with Redis every VERIFY_SECONDS: not within a test, however slow
    # the machine, unless the test says so.
    monkeypatch.setattr(local_answers, "VERIFY_SECONDS", 60)
    monkeypatch.setattr(local_answers, "RESUBSCRIBE_SECONDS", 0)
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def redis_reads(monkeypatch):
    calls = []
    original = RedisCache.get_many
    monkeypatch.setattr(
        RedisCache, "get_many", lambda self, keys, **kwargs: calls.append(keys) or original(self, keys, **kwargs)
    )
    return calls


@pytest.fixture
def claim(two_public_claims):
    return two_public_claims[0]


def path_of(claim) -> str:
    return f"/en/claims/{claim.slug}/"


def another_process_changes_the_generation() -> None:
    """What ``content_changed`` does in another process: a new token in Redis, then the announcement."""
    other = RedisCache(URL, {"KEY_PREFIX": "local-answers"})
    other.set(caching.GENERATION_KEY, caching.generation_token(caching.committed_changes()), None)
    channel = local_answers.watch().channel
    redis.Redis.from_url(URL).publish(channel, b"")


def test_a_warm_answer_costs_no_round_trip_and_no_query(claim, redis_reads, django_assert_num_queries):
    anon = Client()
    first = anon.get(path_of(claim))
    redis_reads.clear()

    with django_assert_num_queries(0):
        again = anon.get(path_of(claim))
        not_modified = anon.get(path_of(claim), headers={"If-None-Match": first["ETag"]})

    assert redis_reads == []
    assert again.content == first.content and not_modified.status_code == 304


def test_a_change_announced_by_another_process_is_checked_on_the_next_request(
    claim, redis_reads, django_assert_num_queries
):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))
    redis_reads.clear()

    another_process_changes_the_generation()
    with django_assert_num_queries(1):  # the page's stamp: unchanged, so the answer is confirmed
        anon.get(path_of(claim))

    assert len(redis_reads) == 1
    with django_assert_num_queries(0):
        anon.get(path_of(claim))
    assert len(redis_reads) == 1  # known again, from this process's memory


def lose_the_subscription() -> None:
    """Close this process's subscriber connection from the Redis side, as a restart or a network failure does."""
    host, port = local_answers.watch()._pubsub.connection._sock.getsockname()[:2]
    redis.Redis.from_url(URL).client_kill_filter(_type="pubsub", addr=f"{host}:{port}")


def test_a_correction_made_in_this_process_is_visible_on_its_next_request(claim, reviewer, reviewer2):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))

    correct_claim(
        claim, by=reviewer2, approver=reviewer, note="Fixed at once.", verdict_en="Corrected in every process."
    )

    assert b"Corrected in every process." in anon.get(path_of(claim)).content


def test_a_lost_subscription_drops_the_local_answers_then_a_new_one_sets_a_new_generation(claim, redis_reads):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))
    watch = local_answers.watch()
    generation = cache.get(caching.GENERATION_KEY)
    redis_reads.clear()

    lose_the_subscription()
    anon.get(path_of(claim))  # finds it lost: asks Redis

    assert len(redis_reads) == 1 and watch._pubsub is None
    anon.get(path_of(claim))  # subscribes again; Redis may have restarted with an old generation
    assert cache.get(caching.GENERATION_KEY) != generation
    anon.get(path_of(claim))
    redis_reads.clear()
    anon.get(path_of(claim))
    assert redis_reads == []  # served from memory again


def test_a_subscription_that_goes_quiet_is_made_anew(claim, redis_reads):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))
    watch = local_answers.watch()
    quiet = watch._pubsub
    redis_reads.clear()

    watch._ponged_at = 0.0  # the PING sent a while ago was never answered
    watch._pinged_at = time.monotonic() - local_answers.VERIFY_SECONDS - 1
    anon.get(path_of(claim))

    assert len(redis_reads) == 1
    assert watch._pubsub is not quiet


def test_what_a_process_knows_is_confirmed_with_redis_every_so_often(claim, redis_reads):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))
    redis_reads.clear()
    local_answers.watch()._known_at -= local_answers.VERIFY_SECONDS + 1  # a second has passed

    anon.get(path_of(claim))
    anon.get(path_of(claim))

    assert len(redis_reads) == 1


def test_a_change_is_saved_even_if_it_cannot_be_announced(claim, reviewer, reviewer2, monkeypatch):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))

    def refused(*args, **kwargs):
        raise redis.ResponseError("NOPERM this user has no permissions to access the channel")

    monkeypatch.setattr(redis.Redis, "publish", refused)
    correct_claim(
        claim, by=reviewer2, approver=reviewer, note="Fixed quietly.", verdict_en="Corrected without an announcement."
    )

    assert b"Corrected without an announcement." in anon.get(path_of(claim)).content


def test_a_generation_read_while_a_change_was_announced_is_not_adopted():
    watch = local_answers.watch()
    assert watch.known() is None
    epoch = watch.epoch
    watch.changed()  # an announcement arrived while the read was on its way

    watch.learned("read-before-the-change", epoch)

    assert watch.known() is None
    watch.learned("read-after-the-change", watch.epoch)
    assert watch.known() == "read-after-the-change"


def test_the_local_answers_are_bounded_in_count_and_bytes():
    def entry(size: int) -> CachedResponse:
        return CachedResponse(200, {}, b"x" * size, stamp="s", generation="g")

    answers = LocalAnswers(max_entries=2, max_bytes=100)
    answers.put("a", entry(10))
    answers.put("b", entry(10))
    answers.get("a")  # used: "b" is now the oldest
    answers.put("c", entry(10))
    assert (answers.get("a"), answers.get("b")) != (None, None) and answers.get("b") is None

    answers.put("d", entry(95))
    assert len(answers) == 1 and answers.get("d") is not None
    answers.put("e", entry(101))  # larger than the whole budget: never kept
    assert answers.get("e") is None


def test_the_generation_set_at_a_change_expires_unless_its_commit_sets_another(db, django_capture_on_commit_callbacks):
    client = redis.Redis.from_url(URL)
    key = cache.make_and_validate_key(caching.GENERATION_KEY)

    with django_capture_on_commit_callbacks() as callbacks:
        caching.content_changed()
    at_change = client.ttl(key)
    for callback in callbacks:
        callback()

    assert 0 < at_change <= caching.UNCOMMITTED_GENERATION_SECONDS  # lost commit bump: checked again soon
    assert client.ttl(key) == -1
