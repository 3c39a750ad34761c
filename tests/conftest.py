"""Shared fixtures: the newsroom's people, an article, and a claim at each stage of its life."""

import ipaddress
import os
import runpy
import socket
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from asgiref.local import Local
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.test import override_settings

from factcheck import redis_cache
from factcheck.claims import revisions, services, similar
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.roles import EDITORS, REVIEWERS, ensure_roles

# How long a test waits at most for a subprocess, a server to answer or a thread to finish. A ceiling, not a
# measure: readiness is polled, so a quiet machine never waits for it, and a busy one (two cores shared by
# the whole suite under pytest-xdist, or by other work) does not fail for being slow.
WAIT_CEILING_SECONDS = 600
# How long one request to a server of the tests (live server, runserver, gunicorn, Varnish) or one browser step
# may take at most: a ceiling as well, far above what a quiet machine needs, so a loaded one does not fail.
REQUEST_CEILING_SECONDS = 120


def worker_redis_url(url: str, worker: str | None = os.environ.get("PYTEST_XDIST_WORKER")) -> str:
    """The Redis database of this pytest-xdist worker: gw0 keeps the URL's database, gwN uses the Nth after it.

    Tests empty the cache (FLUSHDB) between them, so two workers must never share a database.
    """
    if not worker:
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if database > 15:
        raise pytest.UsageError(f"REDIS_URL {url!r} with worker {worker}: Redis database {database} is past 15.")
    return urlunsplit(parts._replace(path=f"/{database}"))


def _give_this_worker_its_own_redis() -> None:
    """pytest-django read the settings before this file: point its Redis cache at this worker's database."""
    url = os.environ.get("REDIS_URL")
    if not url or not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    os.environ["REDIS_URL"] = mine = worker_redis_url(url)
    for alias in django_settings.CACHES.values():
        if alias.get("LOCATION") == url:
            alias["LOCATION"] = mine
    for backend in caches.all(initialized_only=True):
        backend.close()
    caches.__dict__.pop("settings", None)  # the handler's cached copy of CACHES
    caches._connections = Local(caches.thread_critical)  # as BaseConnectionHandler.__init__ makes it


_give_this_worker_its_own_redis()

SEED_FILE = Path(__file__).resolve().parent.parent / "factcheck" / "claims" / "demo" / "ukraina-asem.txt"
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "factcheck" / "settings.py"


def load_settings(env: dict[str, str]) -> dict:
    """factcheck/settings.py run afresh with exactly the environment ``env``: its names, or the error it raises.

    Every process reads its settings first (``manage.py``, gunicorn), so a value refused here stops the start;
    this asks the same question without a new Python and Django per case (seconds each on a busy machine).
    The settings of the running tests are left as they are.
    """
    with mock.patch.dict(os.environ, env, clear=True):
        return runpy.run_path(str(SETTINGS_FILE))


ARTICLE_TEXT = (
    "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996. "
    "Forum ini mencakup 53 negara mitra.\n"
    "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.\n"
)


def clear_caches() -> None:
    """Empty the cache (throttle counters, login lock-outs), close the Redis circuit breakers and forget the
    words' frequencies that "already checked?" keeps per process (so a test's first lookup reads them).

    django-axes keeps its handler, and with it the cache backend it was made with, for the process:
    a test that points the cache at its own Redis would otherwise leave login throttling writing there.
    """
    AxesProxyHandler.implementation = None
    redis_cache.reset_breakers()
    similar.forget_word_frequencies()
    cache.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: throttles and login lock-outs do not leak."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture(autouse=True)
def reads_from_the_primary(settings):
    """Tests read from the primary unless they test the replica router itself (it opts back in)."""
    settings.REPLICA_READS = False


# A public address (never connected to: tests that deliver point their names at a receiver on 127.0.0.1).
PUBLIC_TEST_ADDRESS = "93.184.216.34"


class FakeDns:
    """Name resolution without the network: IP literals and localhost as usual, names from ``answers``.

    Names under .example and .test resolve to a public address unless ``answers`` says otherwise; any
    other name does not resolve, so no test ever asks a real DNS server (or connects outside 127.0.0.0/8).
    """

    def __init__(self, real) -> None:
        self.real = real
        self.answers: dict[str, list[str]] = {}
        self.lookups: list[str] = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.lookups.append(name)
        try:
            ipaddress.ip_address(name.split("%", 1)[0])
            literal = True
        except ValueError:
            literal = False
        if literal or name == "localhost":
            return self.real(host, port, family, type, proto, flags)
        addresses = self.answers.get(name.lower())
        if addresses is None and name.lower().endswith((".example", ".test")):
            addresses = [PUBLIC_TEST_ADDRESS]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        port = int(port or 0)
        results = []
        for address in addresses:
            if ":" in address:
                results.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                results.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return results


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch) -> FakeDns:
    """Every test resolves names offline (see FakeDns); a test sets ``fake_dns.answers[name]`` to steer one."""
    fake = FakeDns(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@contextmanager
def shared_rows(request, django_db_blocker):
    """Rows that the tests of one module share, made once for it instead of once per test.

    As Django's ``TestCase.setUpTestData``: the rows are written inside a transaction that stays open while the
    module's tests run; each test's own transaction (pytest-django's ``db``) is a savepoint inside it, so what
    a test writes is rolled back to the shared rows, and after the module they are rolled back too. Used by a
    module-scoped fixture::

        with shared_rows(request, django_db_blocker) as rows_made_here:
            with rows_made_here():
                ids = ...  # write the rows, as the per-test autouse fixtures would see them
            yield ids  # primary keys and keys, never model instances: each test reads its own copies

    A transactional test flushes the database, shared rows and all, so a module using this has none. Nor may
    the module's tests make the shared rows again through the per-test fixtures (``editor`` is one username):
    the module overrides those fixtures to read the shared rows instead (tests/claims/test_gate.py).
    """
    from django.db import transaction

    transactional = [
        item.name
        for item in request.session.items
        if getattr(item, "module", None) is request.module and is_transactional(item)
    ]
    if transactional:
        raise pytest.UsageError(f"{request.module.__name__}: shared rows and transactional tests {transactional}")
    with django_db_blocker.unblock():
        outer = transaction.atomic(using="default")
        outer.__enter__()

    @contextmanager
    def rows_made_here():
        """Database access, and the world each test has (see the autouse fixtures above): offline names, reads
        from the primary (a replica's connection could not see these uncommitted rows), an empty cache."""
        with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch, override_settings(REPLICA_READS=False):
            patch.setattr(socket, "getaddrinfo", FakeDns(socket.getaddrinfo))
            clear_caches()
            try:
                yield
            finally:
                clear_caches()

    try:
        yield rows_made_here
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True, using="default")
            outer.__exit__(None, None, None)


# Per process: an in-memory SQLite copy of the test database as load_demo left it the first time, by the name
# of the starting point the caller gives, with what load_demo reported then.
_demo_copies: dict[str, tuple] = {}


def load_demo_or_copy(starting_point: str, prepare=lambda: None):
    """``prepare()`` then load_demo(), or on SQLite's in-memory test database (`make test`) a copy of the database
    as that left it the first time in this process (SQLite's backup API: milliseconds instead of the demo's
    seconds; the same rows with the same ids).

    For transactional tests, which start from the same rows each time: ``starting_point`` names them (the rows
    after a flush differ from those a serialized rollback restores), and each has its own copy. Elsewhere
    (PostgreSQL) the demo is loaded each time.
    """
    import sqlite3

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from factcheck.claims.demo import load_demo

    copyable = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if copyable and starting_point in _demo_copies:
        database, report = _demo_copies[starting_point]
        connection.ensure_connection()
        database.backup(connection.connection)
        ContentType.objects.clear_cache()  # ids cached for rows of before the copy
        return report
    prepare()
    report = load_demo()
    if copyable:
        database = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(database)
        _demo_copies[starting_point] = (database, report)
    return report


def make_user(username: str, group: str | None = None, **extra):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pass-for-tests", first_name=username.title(), **extra
    )
    if group:
        user.groups.add(ensure_roles()[group])
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", EDITORS, is_staff=True)


@pytest.fixture
def editor2(db):
    return make_user("editor2", EDITORS, is_staff=True)


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", REVIEWERS, is_staff=True)


@pytest.fixture
def reviewer2(db):
    return make_user("reviewer2", REVIEWERS, is_staff=True)


@pytest.fixture
def outsider(db):
    return make_user("outsider")


def make_superuser():
    return get_user_model().objects.create_superuser("boss", "boss@example.org", "pass-for-tests")


@pytest.fixture
def superuser(db):
    return make_superuser()


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED_FILE.read_bytes()


def import_article(editor):
    """The fixture article (ARTICLE_TEXT), imported by ``editor``."""
    metadata = ArticleMetadata(headline="ASEM dan Ukraina", outlet="Contoh", author="Penulis", language="id")
    return article_import(data=ARTICLE_TEXT.encode(), metadata=metadata, by=editor).article


def create_draft_claim(article, editor):
    start, end = span_of(article, "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996.")
    return services.claim_create(
        article=article,
        start=start,
        end=end,
        by=editor,
        statement="ASEM didirikan di Bangkok pada 1996",
        statement_en="ASEM was founded in Bangkok in 1996",
        claimant="Penulis",
    )


def research_claim(claim, editor):
    """``claim`` given a rating, a verdict and evidence, still being researched by ``editor``."""
    claim = services.claim_start_research(claim=claim, by=editor)
    services.evidence_add(
        claim=claim,
        by=editor,
        url="https://example.org/asem1",
        title="ASEM1 Bangkok",
        publisher="ASEM InfoBoard",
        stance="supports",
        is_primary=True,
    )
    claim.refresh_from_db()
    return services.claim_update(
        claim=claim,
        by=editor,
        expected_version=claim.version,
        changes={"rating": "true", "verdict": "Benar: KTT pertama di Bangkok, 1996.", "verdict_en": "True."},
    )


def publish_claim(article, editor, reviewer):
    """The fixture claim of ``article`` researched by ``editor`` and published by ``reviewer``."""
    claim = research_claim(create_draft_claim(article, editor), editor)
    return services.claim_publish(claim=services.claim_send_to_review(claim=claim, by=editor), by=reviewer)


@pytest.fixture
def article(editor):
    return import_article(editor)


def span_of(article, text: str) -> tuple[int, int]:
    start = article.body.index(text)
    return start, start + len(text)


@pytest.fixture
def draft_claim(article, editor):
    return create_draft_claim(article, editor)


@pytest.fixture
def researched_claim(draft_claim, editor):
    """A claim with a rating, a verdict and evidence, still being researched by ``editor``."""
    return research_claim(draft_claim, editor)


@pytest.fixture
def in_review_claim(researched_claim, editor):
    return services.claim_send_to_review(claim=researched_claim, by=editor)


@pytest.fixture
def published_claim(in_review_claim, reviewer):
    return services.claim_publish(claim=in_review_claim, by=reviewer)


def correct(claim, *, by, approver, note, note_en="", changes=None, evidence=None):
    """A correction as the newsroom makes it: ``by`` proposes it, ``approver`` (another reviewer) makes it live."""
    claim.refresh_from_db()
    revision = revisions.revision_propose(
        claim=claim,
        by=by,
        expected_version=claim.version,
        changes=changes,
        evidence=evidence,
        note=note,
        note_en=note_en,
    )
    return revisions.revision_approve(revision=revision, by=approver)


def retract(claim, *, by, approver, note, note_en=""):
    """A retraction: ``by`` proposes it, ``approver`` (another reviewer) approves it."""
    claim.refresh_from_db()
    revision = revisions.revision_propose(
        claim=claim, by=by, expected_version=claim.version, kind="retraction", note=note, note_en=note_en
    )
    return revisions.revision_approve(revision=revision, by=approver)


def dismiss(claim, *, by, approver, reason, reason_en=""):
    """A claim marked not checkable by ``by`` (an editor) and dismissed by ``approver`` (a reviewer)."""
    claim.refresh_from_db()
    if claim.status == "draft":
        claim = services.claim_start_research(claim=claim, by=by)
    claim = services.claim_update(
        claim=claim,
        by=by,
        expected_version=claim.version,
        changes={
            "checkable": False,
            "rating": None,
            "not_checkable_reason": reason,
            "not_checkable_reason_en": reason_en,
        },
    )
    claim = services.claim_send_to_review(claim=claim, by=by)
    return services.claim_dismiss(claim=claim, by=approver)


def pytest_collection_modifyitems(config, items):
    """The fuzz tests run first and the browser tests last.

    Browser tests last: Playwright's event loop gives Django other database connection objects for the
    rest of the session, and those lack the serialized copy that serialized_rollback restores. The fuzz
    file first: it is the longest file by far, so under pytest-xdist one worker starts it at once while
    the other works through the rest, and neither waits alone for it at the end.

    Under pytest-xdist (`make test`: `--dist loadfile --no-loadscope-reorder`) each file stays on one
    worker and the files are handed out in this order. The fuzz tests are marked ``fuzz`` (left out by
    `make test-fast`).
    """
    for item in items:
        if item.path.parent.name == "fuzz":
            item.add_marker(pytest.mark.fuzz)
            give_the_fuzzing_of_each_operation_its_own_node_id(item)
    items.sort(key=run_order(items))


def run_order(items):
    """The sort key: the fuzz file, then the rest as collected, then the browser files, those with most tests first.

    A browser test costs seconds, so the browser files are handed out largest first (the longest-first rule of
    scheduling): the last file to start is a short one, and neither worker finishes long before the other.
    Each file's tests stay together (they run on one worker) and in their own order (the sort is stable).
    """
    browser_tests = Counter(item.path for item in items if item.get_closest_marker("browser"))

    def key(item):
        if item.get_closest_marker("fuzz"):
            return (0, 0, "")
        if item.path in browser_tests:
            return (2, -browser_tests[item.path], str(item.path))
        return (1, 0, "")

    return key


def give_the_fuzzing_of_each_operation_its_own_node_id(item) -> None:
    """``test_x[GET /api/v1/claims/]``, as with pytest 8, instead of ``test_x`` for every operation.

    schemathesis makes one test per API operation and names it so, but pytest 9 builds a node id from the
    test's original name and its parametrization only, and schemathesis passes neither: every operation's
    test of a role had the same id. pytest-xdist hands out tests by id, so under it each role's fuzzing
    ran one operation (76 requests in all instead of over 1,000); with the ids told apart the fuzz file
    runs on a worker like any other file.
    """
    label = getattr(item, "operation_label", None)
    if label and item.nodeid == f"{item.parent.nodeid}::{item.originalname}":
        item._id = item._id.with_params(label)


# --- The migrated data after a transactional test ---------------------------------------------------
# A transactional test (live servers, row locks, serialized_rollback) ends with a flush: the rating scale
# and the permissions that migrations seeded are gone (with serialized_rollback, Django restores them only
# when the next such test starts). pytest-django runs transactional tests last for that reason, but under
# pytest-xdist a worker may be handed an ordinary test file after a transactional one, which then found
# no ratings and no permissions. So after each transactional test the migrated data is put back here.
_migrated_data: dict[str, str] = {}
_db_blocker = None


@pytest.fixture(scope="session", autouse=True)
def migrated_data(django_db_setup, django_db_blocker):
    """The test database's content right after migrating, as serialized when it was created."""
    global _db_blocker
    from django.db import connections

    _db_blocker = django_db_blocker
    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents:
        _migrated_data["default"] = contents
    yield


def _restore_migrated_data() -> None:
    from django.core.management import call_command
    from django.db import connections, transaction

    from factcheck.claims.models import Rating

    if "default" not in _migrated_data or Rating.objects.exists():
        return
    # As Django's own teardown flushes: sequences go on, so ids are not reused from one test to the next.
    call_command(
        "flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False, database="default"
    )
    with transaction.atomic(using="default"):
        connections["default"].creation.deserialize_db_from_string(_migrated_data["default"])


def is_transactional(item) -> bool:
    """Whether ``item`` runs in a transactional database (flushed after it), as pytest-django decides."""
    marker = item.get_closest_marker("django_db")
    return bool(
        marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or any(
        name in getattr(item, "fixturenames", ())
        for name in ("transactional_db", "live_server", "django_db_serialized_rollback", "django_db_reset_sequences")
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if is_transactional(item) and _db_blocker is not None and nextitem is not None:
        with _db_blocker.unblock():
            _restore_migrated_data()
