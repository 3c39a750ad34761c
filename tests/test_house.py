"""The house rules of the code base itself: parallel test runs stay apart, the layers point inward."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import WAIT_CEILING_SECONDS, worker_redis_url

ROOT = Path(__file__).resolve().parent.parent


def test_each_xdist_worker_gets_its_own_redis_database():
    assert worker_redis_url("redis://127.0.0.1:6379/8", None) == "redis://127.0.0.1:6379/8"
    assert worker_redis_url("redis://127.0.0.1:6379/8", "gw0") == "redis://127.0.0.1:6379/8"
    assert worker_redis_url("redis://127.0.0.1:6379/8", "gw1") == "redis://127.0.0.1:6379/9"
    assert worker_redis_url("redis://:secret@127.0.0.1:6379", "gw1") == "redis://:secret@127.0.0.1:6379/1"


def test_a_worker_past_the_last_redis_database_is_refused_by_name():
    with pytest.raises(pytest.UsageError, match="REDIS_URL 'redis://127.0.0.1:6379/15' with worker gw1"):
        worker_redis_url("redis://127.0.0.1:6379/15", "gw1")


def test_the_layers_point_inward():
    """pyproject.toml's import-linter contracts: lib <- claims <- partners <- api, web, and no cycles there."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.exists():
        pytest.skip(f"import-linter is not installed next to {sys.executable} (make install)")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=WAIT_CEILING_SECONDS
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_every_collected_test_has_a_node_id_of_its_own(request):
    """pytest-xdist hands tests out by node id: two tests under one id would run as one (see tests/conftest.py,
    which gives each API operation's fuzzing its own). Complete when the whole suite is collected."""
    ids = Counter(item.nodeid for item in request.session.items)
    assert [nodeid for nodeid, count in ids.items() if count > 1] == []
