"""The house rules of the code base itself: parallel test runs stay apart."""

import pytest

from tests.conftest import worker_redis_url


def test_each_xdist_worker_gets_its_own_redis_database():
    assert worker_redis_url("redis://127.0.0.1:6379/8", None) == "redis://127.0.0.1:6379/8"
    assert worker_redis_url("redis://127.0.0.1:6379/8", "gw0") == "redis://127.0.0.1:6379/8"
    assert worker_redis_url("redis://127.0.0.1:6379/8", "gw1") == "redis://127.0.0.1:6379/9"
    assert worker_redis_url("redis://:secret@127.0.0.1:6379", "gw1") == "redis://:secret@127.0.0.1:6379/1"


def test_a_worker_past_the_last_redis_database_is_refused_by_name():
    with pytest.raises(pytest.UsageError, match="REDIS_URL 'redis://127.0.0.1:6379/15' with worker gw1"):
        worker_redis_url("redis://127.0.0.1:6379/15", "gw1")
