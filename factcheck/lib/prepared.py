"""Prepared statements (PostgreSQL) for the reads that gain from them, and only for those.

psycopg prepares a statement once a connection has run it more than ``DATABASE_PREPARE_THRESHOLD`` times;
PostgreSQL plans a prepared statement for its values five times, then may keep a generic plan, made without
the parameters' values, and plan it no more (in steady state: about the eleventh run on a connection). For the
reader pages' reads (a claim or an article by its address, the newest verdicts, a rating filter) that plan
is the one every value gets, and planning was most of PostgreSQL's work for a claim page
(docs/performance.md, "The ninth session"). For a read whose best plan depends on a value it is not: the
API's list of articles changed since a time kept a generic plan that checks every article's claims one by
one, 1.2 s at a million claims where the planned query takes 50 ms. So statements are prepared only inside
``prepared_reads()``, which the reader pages and the API's claim detail open; every other read is planned
for its own values, as without preparation. Django and psycopg have no such switch per block: psycopg's
is per connection (``prepare_threshold``), so an execute wrapper sets it before each statement from a
context variable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_prepare: ContextVar[bool] = ContextVar("prepare_statements", default=False)


@contextmanager
def prepared_reads(enabled: bool = True) -> Iterator[None]:
    """Statements run inside may be prepared (``enabled``), or may not be, whatever the block around says."""
    token = _prepare.set(enabled)
    try:
        yield
    finally:
        _prepare.reset(token)


def _prepare_if_allowed(execute, sql, params, many, context):
    """An execute wrapper: the statement may be prepared inside ``prepared_reads()`` only."""
    connection = context["connection"].connection  # psycopg's
    connection.prepare_threshold = settings.DATABASE_PREPARE_THRESHOLD if _prepare.get() else None
    return execute(sql, params, many, context)


def install(sender, connection, **kwargs) -> None:
    """``connection_created``: a PostgreSQL connection prepares statements inside ``prepared_reads()`` only.
    psycopg prepares with server-side binding only, which settings turn on where the threshold is not 0."""
    if connection.vendor != "postgresql" or not connection.features.uses_server_side_binding:
        return
    if _prepare_if_allowed not in connection.execute_wrappers:
        # First, not last: Django's execute_wrapper() blocks pop the last wrapper when they end, and a
        # connection may be opened inside one.
        connection.execute_wrappers.insert(0, _prepare_if_allowed)
