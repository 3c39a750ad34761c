"""Each process serves current answers from its own memory while Redis pub/sub tells it nothing changed,
and asks Redis again the moment anything might have: an announcement, a lost subscription, or time."""

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from factcheck import caching, local_answers
from factcheck.caching import CachedResponse
from factcheck.local_answers import LocalAnswers
from factcheck.redis_cache import RedisCache
from tests.conftest import clear_caches

from .conftest import correct_claim

URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(autouse=True)
def redis_cache(settings):
    try:
        redis.Redis.from_url(URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "factcheck.redis_cache.RedisCache", "LOCATION": URL, "KEY_PREFIX": "local-answers"}
    }
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
    other.set(caching.GENERATION_KEY, "set-elsewhere", None)
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


def test_a_correction_is_visible_on_the_next_request(claim, reviewer2):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))

    correct_claim(claim, by=reviewer2, note="Fixed at once.", verdict_en="Corrected in every process.")

    assert b"Corrected in every process." in anon.get(path_of(claim)).content


def test_a_lost_subscription_drops_the_local_answers_and_asks_redis(claim, redis_reads):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))
    watch = local_answers.watch()
    assert len(watch.answers) == 1
    redis_reads.clear()

    redis.Redis.from_url(URL).client_kill_filter(_type="pubsub")  # Redis restarted, or the network failed
    anon.get(path_of(claim))

    assert len(redis_reads) == 1
    assert len(watch.answers) <= 1  # dropped, then refilled once subscribed again


def test_what_a_process_knows_is_confirmed_with_redis_every_so_often(claim, redis_reads, monkeypatch):
    anon = Client()
    anon.get(path_of(claim))
    anon.get(path_of(claim))
    redis_reads.clear()
    monkeypatch.setattr(local_answers, "VERIFY_SECONDS", 0)  # a subscription may go quiet without breaking

    anon.get(path_of(claim))

    assert len(redis_reads) == 1


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


def test_processes_of_other_portals_are_not_disturbed():
    assert local_answers.watch().channel == f"{cache.make_key('content-generation-changed')}@14"
