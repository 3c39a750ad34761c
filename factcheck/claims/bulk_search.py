"""Loading many claims fast on PostgreSQL, with the same search data as claims saved one at a time.

The GIN index on ``search_vector`` and the GiST trigram indexes on the two statements (migration
0010) grow with every inserted row, and the GiST ones grow slowly: a million near-identical
generated statements share most of their trigrams, so each insert descends many subtrees. Building
them once after the load is several times cheaper. The rows themselves are untouched: the trigger
still sets each claim's ``search_vector`` and ``Claim.refresh_derived_fields`` its ``search_text``,
as for any claim (``tests/claims/test_generate_claims.py`` compares them).

Measured (docs/performance.md) and left out: switching the trigger off for the load and filling the
vectors afterwards in one set-based ``UPDATE`` with the trigger's expression. It costs *more*
database CPU than the trigger (the ``UPDATE`` writes every row a second time, with an entry in each
of the table's 14 B-tree indexes), so the per-row trigger stays the one way a vector is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

TABLE = "claims_claim"
INDEX_BUILD_MEMORY = "256MB"  # maintenance_work_mem for rebuilding the indexes (the default 64 MB spills)


def _is_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


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
