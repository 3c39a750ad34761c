"""Read replicas for the public pages and the API.

When ``DATABASE_REPLICA_URL`` is set, safe (GET/HEAD) requests to the public
site and the API read from the ``replica`` alias; the admin, every write and
every read inside a transaction stay on the primary, so editors always see
their own changes and row locks are taken where the writes happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import psycopg
from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and settings.REPLICA_READS


class ReplicaRouter:
    """Sends reads to the replica only while a public, read-only request is being served."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reads_from_replica.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # both aliases hold the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool | None:
        return db == "default"


class ReplicaReadsMiddleware:
    """Marks public GET/HEAD requests as safe to serve from the replica.

    Not the admin, and not for staff, who must see their own edits at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_replica = (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.admin_prefix)
            and not getattr(request.user, "is_staff", False)
        )
        token = _reads_from_replica.set(use_replica)
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Read from the primary inside this block, even in a request marked for the replica."""
    token = _reads_from_replica.set(False)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


@contextmanager
def one_snapshot(using: str) -> Iterator[None]:
    """Every read inside sees the database as it was at one moment.

    For a representation read in several queries (a claim, then its evidence), so that a write committing
    between them cannot pair one state's rows with another's. PostgreSQL: a read-only REPEATABLE READ
    transaction. Inside a transaction already (a write, or a test), that transaction decides what the
    reads see.

    SQLite opens every transaction IMMEDIATE (settings: concurrent writers wait their turn instead of
    failing), which takes the write lock: a reader there would wait behind every writer. So on SQLite
    reads run in autocommit; the claim and its ETag still come from one query (``with_claim_state``).
    """
    connection = connections[using]
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield
        return
    # The transaction's mode goes with its BEGIN (psycopg's connection settings), not in a SET TRANSACTION of
    # its own: one round trip fewer. Set back for the connection's next transaction.
    connection.ensure_connection()
    raw = connection.connection
    level, read_only = raw.isolation_level, raw.read_only
    raw.isolation_level, raw.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        if not raw.closed:  # a broken connection is not used again
            raw.isolation_level, raw.read_only = level, read_only
