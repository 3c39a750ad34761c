"""A search of several words cannot hold a worker: a plan that runs too long gives way to the full-text index."""

import pytest
from django.db import DatabaseError, connection

from factcheck.claims.selectors import fetch_search

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="plans and timeouts of PostgreSQL")


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


class Recorder:
    """A fetch that notes the settings it ran under and sleeps ``seconds`` while index walks are allowed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.runs: list[tuple[str, str, str]] = []

    def __call__(self) -> str:
        self.runs.append((setting("statement_timeout"), setting("enable_indexscan"), setting("enable_seqscan")))
        if setting("enable_indexscan") == "on":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(%s)", [self.seconds])
        return "page"


def test_a_slow_plan_for_several_words_runs_again_from_the_full_text_index(db, settings):
    settings.SEARCH_WALK_TIMEOUT_MS = 50
    fetch = Recorder(seconds=2)

    assert fetch_search(fetch, query="Bangkok NATO", using="default") == "page"

    assert fetch.runs == [("50ms", "on", "on"), ("0", "off", "off")]  # then only the GIN index is left
    assert (setting("statement_timeout"), setting("enable_indexscan"), setting("enable_seqscan")) == (
        "0",
        "on",
        "on",
    )  # nothing lingers


def test_a_quick_plan_for_several_words_runs_once(db, settings):
    settings.SEARCH_WALK_TIMEOUT_MS = 5000
    fetch = Recorder(seconds=0)

    fetch_search(fetch, query="ASEM Bangkok", using="default")

    assert fetch.runs == [("5s", "on", "on")]
    assert setting("statement_timeout") == "0"


def test_a_search_of_one_word_runs_as_planned(db, settings):
    settings.SEARCH_WALK_TIMEOUT_MS = 50
    fetch = Recorder(seconds=0.2)

    fetch_search(fetch, query=" Ukraina ", using="default")

    assert fetch.runs == [("0", "on", "on")]


def test_other_errors_are_not_retried(db):
    def broken():
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM claims_claim")

    with pytest.raises(DatabaseError):
        fetch_search(broken, query="two words", using="default")
