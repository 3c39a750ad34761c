"""Loading many claims fast on PostgreSQL, with the same search data as one claim saved at a time.

Each claim's ``search_vector`` is set by the trigger of migration 0010, one row at a time (about
0.6 ms a row, mostly the trigger's own overhead), and the GIN and GiST search indexes grow with
every row. For a bulk load (``generate_claims``, a benchmark's million claims) that is most of the
time. Here the trigger is told to skip for the load's own transaction, and the vectors are filled
afterwards in one set-based ``UPDATE`` with the function the trigger calls
(``claims_search_vector``, migration 0011): one definition, so the rows equal those the trigger
makes (``tests/claims/test_generate_claims.py`` compares them). For a load that at least doubles the
table, the search indexes are dropped first and rebuilt from their own definitions at the end.

``search_vector`` is not a model field and has no history (like ``search_text``), so this SQL does
not bypass the history of claims. SQLite has no trigger: its ``search_text`` is computed in Python
by ``Claim.refresh_derived_fields`` before the insert, on every path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connections

TABLE = "claims_claim"
TRIGGER = "claims_claim_search_vector"
INDEX_BUILD_MEMORY = "256MB"  # maintenance_work_mem for rebuilding the indexes (the default 64 MB spills)


def _is_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


@contextmanager
def search_vector_trigger_off(*, using: str = "default") -> Iterator[None]:
    """Inserts and updates in the block leave ``search_vector`` alone (the trigger of migration 0011
    reads the transaction-local setting ``factcheck.defer_search_vector``); call ``search_vectors_fill``
    for the rows before the block ends. Only inside a transaction: the setting ends with it, so a
    failure cannot leave it on, and other sessions never see it."""
    connection = connections[using]
    if not _is_postgresql(using):
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("search_vector_trigger_off() needs a transaction (transaction.atomic).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('factcheck.defer_search_vector', 'on', true)")
    yield  # on an error the transaction (or its savepoint) rolls the setting back with the rows
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('factcheck.defer_search_vector', 'off', true)")


def search_vectors_fill(*, claim_ids: Iterable[int], using: str = "default") -> int:
    """Set the ``search_vector`` of these claims in one statement, as the trigger would. Returns the
    number of rows updated (0 on SQLite, which has no such column)."""
    if not _is_postgresql(using):
        return 0
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {TABLE} c SET search_vector = claims_search_vector(
                c.statement, c.statement_en, c.quote, c.claimant, c.verdict, c.verdict_en, a.headline, a.language
            )
            FROM claims_article a WHERE a.id = c.article_id AND c.id = ANY(%s)
            """,
            [list(claim_ids)],
        )
        return cursor.rowcount


@contextmanager
def search_indexes_rebuilt(*, using: str = "default") -> Iterator[None]:
    """Drop the claims' GIN and GiST indexes (the search vector's and the statements' trigram ones)
    for the block and create them again after it, from the definitions PostgreSQL reports
    (``pg_get_indexdef``): building an index once is several times cheaper than growing it by a
    million rows. The indexes are gone meanwhile, so searches fall back to scans: for loads into a
    database nobody reads (benchmarks). Inside a transaction, the row checks still pending are made
    first (``SET CONSTRAINTS ALL IMMEDIATE``): PostgreSQL builds no index while they are."""
    if not _is_postgresql(using):
        yield
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
            WHERE x.indrelid = %s::regclass AND am.amname IN ('gin', 'gist') ORDER BY i.relname
            """,
            [TABLE],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for _name, definition in definitions:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute(f"ANALYZE {TABLE}")  # the statistics of the new vectors, for the search plans
