"""The reader pages' reads run as prepared statements on PostgreSQL; no other read does, and no search ever runs
on a plan made without its words.

A statement run DATABASE_PREPARE_THRESHOLD times on a connection is prepared: PostgreSQL parses and plans it
once. After five runs it may keep a generic plan, made without the parameters' values: for a search that
would be a plan that guesses every word alike and walks the whole table for a rare one; for the API's
lists filtered by a time, one that checks every row. So only the reader pages and the API's claim detail
prepare (factcheck/lib/prepared.py), every tsquery is a constant of its statement, and the reads under
planner settings are never prepared. The searches are every search of the site and every API operation with
a text parameter (from the OpenAPI schema); the other reads are every other GET operation of the schema.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.claims import search
from factcheck.claims.models import Rating
from factcheck.claims.selectors import fetch_with_settings
from factcheck.lib.prepared import prepared_reads
from tests.conftest import load_settings

from .conftest import operations

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements of PostgreSQL")

ROOT = Path(__file__).resolve().parents[2]
THRESHOLD = settings.DATABASE_PREPARE_THRESHOLD
TEXT_PARAMETERS = {"q", "query", "text"}  # the API's free-text query parameters
WORDS = ["Bangkok", "Ukraina", "ASEM Bangkok", "pengakuan kemerdekaan", "negara mitra"]


def prepared() -> list[tuple[str, int]]:
    """(statement, generic plans) of this connection's prepared statements."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        return cursor.fetchall()


def parameter_in_a_tsquery(statement: str) -> bool:
    """Whether a tsquery of ``statement`` is made from a parameter ($1) rather than a constant."""
    calls = re.findall(r"to_tsquery\(([^()]*)\)", statement)
    return any("$" in arguments for arguments in calls) or re.search(r"\$\d+\)*::tsquery", statement) is not None


def shape(sql: str) -> str:
    """A statement with every value as ``?``: Django logs it with its values, PostgreSQL keeps it with $1."""
    sql = re.sub(r"'(?:[^']|'')*'|\$\d+|\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\?::[a-z]+(?: with(?:out)? time zone)?", "?", sql)


def search_requests(schema: dict, claim) -> list[str]:
    """Every search a reader or a partner can send: the site's search, a claim page (its similar claims)
    and each API operation with a free-text parameter."""
    paths = [f"/search/?q={words}" for words in WORDS] + [claim_page(claim)]
    for path, method, operation in operations(schema):
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        for name in sorted(names & TEXT_PARAMETERS):
            extra = "&language=id" if "language" in names else ""
            paths += [f"/api{path.removeprefix('/api')}?{name}={words}{extra}" for words in WORDS if method == "get"]
    return paths


def claim_page(claim) -> str:
    return f"/claims/{claim.slug}/"


@pytest.fixture
def prepared_statements():
    if not THRESHOLD:
        pytest.skip("DATABASE_PREPARE_THRESHOLD is 0: no statement is prepared")


@pytest.mark.parametrize("page", ["home", "claim page", "article page", "API claim detail"])
def test_every_read_of_a_reader_page_is_prepared_after_the_threshold(
    prepared_statements, anon_client, published_claim, page
):
    path = {
        "home": "/",
        "claim page": claim_page(published_claim),
        "article page": f"/articles/{published_claim.article.slug}/",
        "API claim detail": f"/api/v1/claims/{published_claim.pk}/",
    }[page]
    for _ in range(THRESHOLD + 2):
        assert anon_client.get(path).status_code == 200

    with CaptureQueriesContext(connection) as run:
        assert anon_client.get(path).status_code == 200

    reads = {shape(query["sql"]) for query in run.captured_queries if query["sql"].startswith("SELECT")}
    assert reads and reads <= {shape(statement) for statement, _ in prepared()}


def test_no_search_is_planned_without_its_words(prepared_statements, anon_client, schema, published_claim, settings):
    settings.API_THROTTLE_RATES = {name: "100000/minute" for name in settings.API_THROTTLE_RATES}
    paths = search_requests(schema, published_claim)
    assert any("claims:search" in path for path in paths) and any("similar" in path for path in paths)

    for _ in range(THRESHOLD + 7):  # past psycopg's threshold and PostgreSQL's five planned runs
        for path in paths:
            assert anon_client.get(path).status_code == 200, path

    searches = [(statement, generic) for statement, generic in prepared() if "@@" in statement]
    assert any(generic for _, generic in searches), "the repeated searches were prepared, and kept one plan"
    assert [statement for statement, _ in searches if parameter_in_a_tsquery(statement)] == []


def test_a_tsquery_is_only_made_as_a_constant_of_its_statement():
    # The rule above holds for every tsquery the code builds: a new one must be a ConstantSearchQuery (ranks
    # and headlines take the queries built so), never a SearchQuery or a __search lookup, which Django makes
    # from parameters.
    pattern = r"(?<![A-Za-z])SearchQuery\(\s*[^)\s]|__search\b"
    made = [
        f"{path.relative_to(ROOT)}: {found.group(0)}"
        for path in (ROOT / "factcheck").rglob("*.py")
        for found in re.finditer(pattern, path.read_text(encoding="utf-8"))
    ]
    assert made == []


def test_reads_under_planner_settings_are_never_prepared(prepared_statements, published_claim):
    def fetch():
        with connection.cursor() as cursor:
            for _ in range(THRESHOLD + 3):
                cursor.execute("SELECT count(*) FROM claims_claim WHERE status = %s", ["published"])

    with prepared_reads():
        fetch_with_settings(connection, fetch, enable_indexscan="off", statement_timeout=1000)
        assert [s for s, _ in prepared() if "count(*) FROM claims_claim" in s or "SET LOCAL" in s] == []

        fetch()  # and preparation is back on after them
        assert [s for s, _ in prepared() if "count(*) FROM claims_claim" in s] != []


def other_reads(schema: dict, claim) -> list[str]:
    """Every GET operation of the schema but the claim detail (which prepares), its path filled in: the
    claim's id and its first source's, its article's."""
    values = {"{id}": claim.pk, "{evidence_pk}": claim.evidence.order_by("pk").first().pk}
    paths = []
    for path, method, operation in operations(schema):
        if method != "get" or operation["operationId"] == "claims_retrieve":
            continue
        if path.startswith("/api/v1/articles/{id}"):
            path = path.replace("{id}", str(claim.article_id))
        for name, value in values.items():
            path = path.replace(name, str(value))
        required = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")]
        query = "&".join(f"{name}=Bangkok" for name in required)  # the text of "already checked?"
        paths.append(f"/api{path.removeprefix('/api')}" + (f"?{query}" if query else ""))
    return paths


def test_the_apis_lists_and_other_reads_are_never_prepared(
    prepared_statements, editor_client, schema, settings, published_claim
):
    # Their filters (a time, a cursor, an article) choose the plan: each is planned for its own values.
    settings.API_THROTTLE_RATES = {name: "100000/minute" for name in settings.API_THROTTLE_RATES}
    paths = other_reads(schema, published_claim)
    assert {"/api/v1/articles/", "/api/v1/claimreview/", f"/api/v1/claims/{published_claim.pk}/history/"} <= set(paths)

    answered = set()
    for n in range(THRESHOLD + 7):  # past psycopg's threshold and PostgreSQL's five planned runs
        for path in paths:
            for query in (f"updated_since=2026-01-0{n % 9 + 1}T00:00:00Z", ""):
                response = editor_client.get(f"{path}{'&' if '?' in path else '?'}{query}")
                assert response.status_code < 500, path
                answered |= {path} if response.status_code == 200 else set()

    webhooks = {path for path in paths if path.startswith("/api/v1/webhooks/")}  # a partner's, not an editor's
    assert set(paths) - webhooks <= answered  # each was read, not refused
    assert prepared() == []


def test_a_threshold_of_zero_turns_preparation_off():
    names = load_settings(
        {"DATABASE_URL": "postgres://u@db.example/portal", "DATABASE_PREPARE_THRESHOLD": "0", "SECRET_KEY": "x"}
    )
    assert names["DATABASE_PREPARE_THRESHOLD"] == 0
    assert "server_side_binding" not in names["DATABASES"]["default"]["OPTIONS"]

    names = load_settings({"DATABASE_URL": "postgres://u@db.example/portal", "SECRET_KEY": "x"})
    assert names["DATABASE_PREPARE_THRESHOLD"] == 5
    assert names["DATABASES"]["default"]["OPTIONS"] == {"server_side_binding": True}


def test_the_constant_is_quoted_by_psycopg(db):
    # A quote and a percent sign in the constant: read back as written (a stray placeholder would fail).
    query = search.LexemeQuery("'50%' & 'it''s'")

    value = Rating.objects.annotate(q=query).values_list("q", flat=True).first()

    assert value == "'50%' & 'it''s'"
