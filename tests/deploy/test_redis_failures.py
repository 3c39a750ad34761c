"""Redis is optional at run time: refusing connections, frozen, or restarted with older data, the portal
answers correctly (a cache failure is a miss), quickly, and never serves an outdated answer (Redis holds
throttle counters and login lock-outs, never an answer: the HTTP cache in front holds those).

Each test points the cache at a redis-server of its own (one per module), which it stops, freezes
(SIGSTOP) or restarts from an older snapshot; the shared Redis is never touched.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from axes.handlers.proxy import AxesProxyHandler
from django.test import Client

from factcheck import redis_cache
from factcheck.claims.demo import load_demo
from factcheck.claims.models import Claim, Rating
from tests.conftest import WAIT_CEILING_SECONDS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="redis-server is not on PATH (apt-get install redis-server)"
    ),
]

TIMEOUT_SECONDS = 0.25
CEILING_SECONDS = 2.0  # a generous bound for a request while Redis is frozen, not a benchmark


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of this test module's own, on a free port, snapshots in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory, self.port, self.process = directory, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, dbfilename: str = "dump.rdb") -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.directory), "--dbfilename", dbfilename, "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + WAIT_CEILING_SECONDS
        while True:
            try:
                redis.Redis(port=self.port, socket_timeout=1).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait()
            self.process = None

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def snapshot(self, dbfilename: str) -> None:
        """Write the data set, as it is now, to ``dbfilename`` (a backup to restore later)."""
        redis.Redis(port=self.port).save()
        shutil.copy(self.directory / "dump.rdb", self.directory / dbfilename)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


def forget_clients() -> None:
    """Drop what the process keeps of the previous cache: its breakers and axes' handler."""
    redis_cache.reset_breakers()
    AxesProxyHandler.implementation = None


@pytest.fixture
def own_redis(redis_server, settings):
    if redis_server.process is None:
        redis_server.start()
    redis_server.thaw()
    settings.CACHES = {
        "default": {
            "BACKEND": "factcheck.redis_cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "redis-failures",
            "OPTIONS": {
                "socket_connect_timeout": TIMEOUT_SECONDS,
                "socket_timeout": TIMEOUT_SECONDS,
                "CIRCUIT_BREAKER_SECONDS": 5.0,
            },
        }
    }
    settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"  # as with REDIS_URL: lock-outs in Redis
    forget_clients()
    redis.Redis.from_url(redis_server.url).flushdb()
    yield redis_server
    if redis_server.process is not None:
        redis_server.thaw()
    forget_clients()


@pytest.fixture
def demo(db):
    return load_demo()


def public_claim() -> Claim:
    return Claim.objects.filter(status__in=Claim.PUBLIC_STATUSES).order_by("pk").first()


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def reader_requests(claim: Claim) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("claim page", f"/en/claims/{claim.slug}/"),
        ("article page", f"/en/articles/{claim.article.slug}/"),
        ("API list", "/api/v1/claims/"),
        ("API claim", f"/api/v1/claims/{claim.pk}/"),
    ]


def assert_the_portal_answers(*, ceiling: float | None = None) -> None:
    """Readers' pages and API reads, an admin login with a right and a wrong password, and an editor's write."""
    claim = public_claim()
    anon = Client()

    def timed(name, call):
        started = time.monotonic()
        response = call()
        elapsed = time.monotonic() - started
        assert response.status_code < 500, f"{name}: {response.status_code}"
        if ceiling is not None:
            assert elapsed < ceiling, f"{name} took {elapsed:.2f} s"
        return response

    for name, path in reader_requests(claim):
        response = timed(name, lambda path=path: anon.get(path))
        assert response.status_code == 200, f"{name}: {response.status_code}"
    assert claim.statement_en.encode() in anon.get(f"/en/claims/{claim.slug}/").content

    wrong = timed(
        "login, wrong password",
        lambda: Client().post("/admin/login/", {"username": "editor", "password": "not-the-password"}),
    )
    assert wrong.status_code == 200 and b"errornote" in wrong.content
    right = timed(
        "login, right password",
        lambda: Client().post("/admin/login/", {"username": "editor", "password": "editor-demo-pass"}),
    )
    assert right.status_code == 302, right.status_code

    editor = Client()
    editor.force_login(_user("editor"))
    article = claim.article
    span = article.body.index("Indonesia")
    created = timed(
        "an editor's write",
        lambda: editor.post(
            "/api/v1/claims/",
            {"article": article.pk, "start": span, "end": span + len("Indonesia")},
            content_type="application/json",
        ),
    )
    assert created.status_code == 201, created.content
    assert created["Content-Type"].startswith("application/json")


def test_with_redis_refusing_connections_everything_answers_and_readiness_says_degraded(own_redis, db):
    own_redis.stop()

    report = load_demo()  # the demo loads: no write depends on Redis

    assert report.article is not None and Claim.objects.filter(status__in=Claim.PUBLIC_STATUSES).exists()
    assert_the_portal_answers()
    ready = Client().get("/healthz/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["cache"]["status"] == "down"
    assert ready.json()["checks"]["database"]["status"] == "ok"
    assert Client().get("/healthz/live").status_code == 200


def test_with_redis_frozen_every_request_completes_quickly(own_redis, demo):
    Client().get("/api/v1/claims/")  # connections in the pool, throttle counters in Redis, as in a running process
    own_redis.freeze()

    assert_the_portal_answers(ceiling=CEILING_SECONDS)
    started = time.monotonic()
    ready = Client().get("/healthz/ready")
    assert time.monotonic() - started < CEILING_SECONDS
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"


def test_the_api_answers_a_server_error_in_its_error_format(client, monkeypatch, db):
    client.raise_request_exception = False
    from factcheck.api.ratings import RatingListView

    monkeypatch.setattr(RatingListView, "get", lambda self, request: 1 / 0)

    response = client.get("/api/v1/ratings/")

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Internal server error; nothing more is known. Please try again.",
        "code": "server_error",
        "errors": {},
    }


def test_a_redis_restarted_from_an_older_snapshot_serves_nothing_outdated(
    own_redis, demo, django_capture_on_commit_callbacks
):
    claim = public_claim()
    anon = Client()
    paths = [path for _, path in reader_requests(claim)]
    for path in paths * 2:  # throttle counters and whatever else the portal keeps in Redis
        assert anon.get(path).status_code == 200
    own_redis.snapshot("older.rdb")  # the backup

    rating = Rating.objects.get(pk=claim.rating_id)
    with django_capture_on_commit_callbacks(execute=True):
        rating.label_id = rating.label_en = "Relabelled after the backup"
        rating.save()
    showing = {path for path in paths if b"Relabelled after the backup" in anon.get(path).content}
    assert f"/en/claims/{claim.slug}/" in showing and "/" in showing

    own_redis.stop()
    own_redis.start(dbfilename="older.rdb")  # Redis comes back from the backup
    older = redis.Redis.from_url(own_redis.url)
    assert older.keys("*")  # the backup holds what the portal kept there...
    stored = b"".join(older.dump(key) or b"" for key in older.keys("*"))
    assert claim.statement_en.encode() not in stored  # ...and no answer

    for path in paths * 2:
        response = anon.get(path)
        assert response.status_code == 200
        if path in showing:
            assert b"Relabelled after the backup" in response.content, path
