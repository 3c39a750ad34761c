"""A representation read in several queries sees one moment: a read-only REPEATABLE READ transaction on
PostgreSQL, opened by its BEGIN (no SET TRANSACTION of its own), after which the connection is as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.routing import one_snapshot

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="snapshots are PostgreSQL transactions"),
    pytest.mark.django_db(transaction=True),
]


def current(setting: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


def test_reads_inside_see_one_read_only_repeatable_read_transaction():
    with one_snapshot("default"):
        assert connection.in_atomic_block
        assert current("transaction_isolation") == "repeatable read"
        assert current("transaction_read_only") == "on"


def test_it_costs_no_statement_of_its_own():
    with CaptureQueriesContext(connection) as queries, one_snapshot("default"):
        current("transaction_isolation")
    # The transaction's mode goes with its BEGIN: no SET TRANSACTION round trip.
    assert [query["sql"] for query in queries] == ["BEGIN", "SHOW transaction_isolation", "COMMIT"]


def test_the_connection_is_as_before_afterwards():
    with one_snapshot("default"):
        pass
    assert current("transaction_isolation") == "read committed"
    assert current("transaction_read_only") == "off"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE snapshot_written (id int)")  # a write is allowed again


def test_a_failed_read_inside_leaves_the_connection_as_before():
    with pytest.raises(ZeroDivisionError), one_snapshot("default"):
        raise ZeroDivisionError
    assert current("transaction_read_only") == "off"


def test_inside_a_transaction_the_transaction_decides(transactional_db):
    from django.db import transaction

    with transaction.atomic(), one_snapshot("default"):
        assert current("transaction_isolation") == "read committed"


def test_a_refused_write_inside_leaves_the_connection_as_before():
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), one_snapshot("default"), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE snapshot_refused (id int)")  # read only: refused by the server
    with transaction.atomic():  # the connection's next transaction, as a later request on it would have it
        assert current("transaction_isolation") == "read committed"
        assert current("transaction_read_only") == "off"


def test_a_similar_claims_lookup_inside_leaves_the_planner_settings_as_they_were():
    from factcheck.claims.similar import similar_claims

    with one_snapshot("default"):
        similar_claims(text="Indonesia mengakui kemerdekaan Ukraina pada 1991")
        assert (current("enable_seqscan"), current("enable_indexscan"), current("statement_timeout")) == (
            "on",
            "on",
            "0",
        )
        assert current("transaction_read_only") == "on"
