import pytest
from django.db import connection

from factcheck.claims.selectors import claim_search


def test_search_finds_claims_by_statement_quote_and_headline(published_claim):
    assert list(claim_search(query="Bangkok 1996")) == [published_claim]
    assert list(claim_search(query="ASEM dan Ukraina")) == [published_claim]  # the article headline
    assert list(claim_search(query="Jakarta")) == []


def test_an_empty_query_filters_nothing(published_claim):
    assert list(claim_search(query="  ")) == [published_claim]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the full-text index exists on PostgreSQL only")
def test_postgresql_search_can_use_the_gin_index(published_claim):
    queryset = claim_search(query="Bangkok").order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()

    assert "claim_search_vector_gin" in plan
