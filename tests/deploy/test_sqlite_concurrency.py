"""The embedded default (SQLite, `make run`) under a small newsroom's concurrent writes, over real HTTP.

Each test serves the portal with the threaded `manage.py runserver` on its own SQLite file, as `make run`
does: WAL, IMMEDIATE transactions and a busy timeout let writers wait their turn, and a lock that outlasts
the timeout answers 503 with Retry-After, never 500.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError

from factcheck.middleware import database_busy
from tests.conftest import REQUEST_CEILING_SECONDS, WAIT_CEILING_SECONDS, load_settings

pytestmark = pytest.mark.slow  # runserver subprocesses

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8

# Run by `manage.py shell` on a new database file (one process for both): the tables, then an editor with
# an API key and a draft claim.
SETUP = """
import json
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from factcheck.claims import services
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.partners.services import key_create
from tests.conftest import ARTICLE_TEXT, make_user, span_of
from factcheck.claims.roles import EDITORS

editor = make_user("editor", EDITORS, is_staff=True)
article = article_import(
    data=ARTICLE_TEXT.encode(),
    metadata=ArticleMetadata(headline="ASEM dan Ukraina", outlet="Contoh", author="Penulis", language="id"),
    by=editor,
).article
start, end = span_of(article, "Forum ini mencakup 53 negara mitra.")
claim = services.claim_create(
    article=article, start=start, end=end, by=editor, statement="ASEM mencakup 53 negara", claimant="Penulis"
)
print(json.dumps({"claim": claim.pk, "key": key_create(user=editor, name="desk")[1]}))
"""


def manage(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_CEILING_SECONDS,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def portal_env(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL"}}
    return {**env, "DJANGO_ENV": "test", "SQLITE_PATH": str(database), "PYTHONUNBUFFERED": "1", **extra}


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory) -> tuple[Path, dict]:
    """A migrated SQLite file with an editor, their API key and a draft claim; each test serves a copy."""
    database = tmp_path_factory.mktemp("sqlite") / "seed.sqlite3"
    env = portal_env(database)
    seeded = json.loads(manage("shell", "-c", SETUP, env=env).strip().splitlines()[-1])
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file, so a copy has it all
    return database, seeded


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Portal:
    base: str
    database: Path
    claim: int
    key: str

    def api(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Api-Key {self.key}"
        return session


def serve(seeded_database, tmp_path, **env: str) -> Iterator[Portal]:
    seed, seeded = seeded_database
    database = tmp_path / "portal.sqlite3"
    shutil.copy(seed, database)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=portal_env(database, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_CEILING_SECONDS
        while True:
            try:
                requests.get(f"{base}/healthz/live", timeout=REQUEST_CEILING_SECONDS)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.2)
        yield Portal(base, database, seeded["claim"], seeded["key"])
    finally:
        server.terminate()
        server.wait(timeout=WAIT_CEILING_SECONDS)


@pytest.fixture
def portal(seeded_database, tmp_path) -> Iterator[Portal]:
    yield from serve(seeded_database, tmp_path)


@pytest.fixture(scope="module")
def impatient_portal(seeded_database, tmp_path_factory) -> Iterator[Portal]:
    """The portal waiting at most 0.2 s for the database's write lock (one server: its tests write nothing)."""
    yield from serve(seeded_database, tmp_path_factory.mktemp("impatient"), SQLITE_BUSY_TIMEOUT_SECONDS="0.2")


def append_token(portal: Portal, token: str, statuses: list[int]) -> None:
    """One newsroom client: read the claim, append its token to the claimant with If-Match; on 412 read again."""
    session = portal.api()
    url = f"{portal.base}/api/v1/claims/{portal.claim}/"
    for _ in range(100):
        read = session.get(url, timeout=REQUEST_CEILING_SECONDS)
        statuses.append(read.status_code)
        if read.status_code != 200:
            return
        claimant = read.json()["claimant"]
        written = session.patch(
            url,
            json={"claimant": f"{claimant} {token}"},
            headers={"If-Match": read.headers["ETag"]},
            timeout=REQUEST_CEILING_SECONDS,
        )
        statuses.append(written.status_code)
        if written.status_code != 412:
            return


def test_concurrent_if_match_writers_all_succeed_without_a_server_error(portal):
    statuses: list[int] = []
    tokens = [f"t{i}" for i in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)

    def client(token: str) -> None:
        barrier.wait()
        append_token(portal, token, statuses)

    threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_CEILING_SECONDS)

    assert not [s for s in statuses if s >= 500], statuses
    assert statuses.count(200) >= 2 * CLIENTS and set(statuses) <= {200, 412}, statuses
    claim = portal.api().get(f"{portal.base}/api/v1/claims/{portal.claim}/", timeout=REQUEST_CEILING_SECONDS).json()
    assert sorted(claim["claimant"].split()[1:]) == tokens  # every client's change survived
    assert claim["version"] == 1 + CLIENTS


@contextmanager
def write_lock_held(database: Path) -> Iterator[None]:
    """Another connection holds the database's write lock, as a long write transaction would."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_api_write_that_cannot_get_the_lock_is_a_503_with_retry_after(impatient_portal):
    session = impatient_portal.api()
    url = f"{impatient_portal.base}/api/v1/claims/{impatient_portal.claim}/"
    with write_lock_held(impatient_portal.database):
        read = session.get(url, timeout=REQUEST_CEILING_SECONDS)  # reads go on while a write holds the lock (WAL)
        response = session.patch(url, json={"claimant": "Kemlu"}, headers={"If-Match": read.headers["ETag"]})

    assert read.status_code == 200

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The database is busy with other changes; nothing was saved. Please send it again in a moment.",
        "code": "database_busy",
        "errors": {},
    }


def test_an_admin_write_that_cannot_get_the_lock_is_a_503_page_with_retry_after(impatient_portal):
    browser = requests.Session()
    login = f"{impatient_portal.base}/admin/login/"
    browser.get(login, timeout=REQUEST_CEILING_SECONDS)
    signed_in = browser.post(
        login,
        data={
            "username": "editor",
            "password": "pass-for-tests",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": "/admin/",
        },
        timeout=REQUEST_CEILING_SECONDS,
    )
    assert signed_in.url.endswith("/admin/"), signed_in.text[:500]
    page = browser.get(
        f"{impatient_portal.base}/admin/claims/claim/{impatient_portal.claim}/change/", timeout=REQUEST_CEILING_SECONDS
    )
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    with write_lock_held(impatient_portal.database):
        response = browser.post(
            f"{impatient_portal.base}/admin/claims/claim/{impatient_portal.claim}/transition/researching/",
            data={"version": version, "note": "", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=REQUEST_CEILING_SECONDS,
        )

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Sedang sibuk, silakan coba lagi" in response.text and 'class="site-header"' in response.text
    claim = impatient_portal.api().get(f"{impatient_portal.base}/api/v1/claims/{impatient_portal.claim}/").json()
    assert claim["status"] == "draft"  # nothing was written


@pytest.mark.parametrize(
    ("sqlstate", "busy"),
    [("55P03", True), ("40001", True), ("40P01", True), ("23505", False), (None, False)],
    ids=["lock-timeout", "serialization-failure", "deadlock", "unique-violation", "other"],
)
def test_postgresql_lock_timeouts_serialization_failures_and_deadlocks_count_as_busy(sqlstate, busy):
    cause = type("PsycopgError", (Exception,), {"sqlstate": sqlstate})("could not obtain lock")
    error = OperationalError("could not obtain lock on row")
    error.__cause__ = cause
    assert database_busy(error) is busy


def test_a_broken_database_is_not_mistaken_for_a_busy_one():
    assert database_busy(OperationalError("database is locked"))
    assert not database_busy(OperationalError("no such table: claims_claim"))
    assert not database_busy(RuntimeError("database is locked"))


def test_the_embedded_database_is_in_wal_mode_and_writes_wait_their_turn(seeded_database, tmp_path):
    database, _ = seeded_database
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    settings = load_settings(portal_env(tmp_path / "x.sqlite3", SQLITE_BUSY_TIMEOUT_SECONDS="7.5"))
    options = settings["DATABASES"]["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] == 7.5


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_a_bad_busy_timeout_is_refused_by_name(tmp_path, value):
    with pytest.raises(ImproperlyConfigured, match="SQLITE_BUSY_TIMEOUT_SECONDS"):
        load_settings(portal_env(tmp_path / "x.sqlite3", SQLITE_BUSY_TIMEOUT_SECONDS=value))
