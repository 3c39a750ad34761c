"""Hot lists are read in index order, so a page costs the same at a thousand claims or a million.

Each test asks PostgreSQL for a plan with sequential scans and sorts priced out
(test tables are tiny, so it would otherwise scan and sort them): only an index
that gives the order makes a plan without a Sort. bench/run.py measures the same lists at a million.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from factcheck.api.claim_reads import visible_claims
from factcheck.claims.selectors import articles_with_public_claims, claim_public_list

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="plans and partial indexes of PostgreSQL")


def plan_of(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


def test_the_home_page_reads_public_claims_newest_first_from_an_index(published_claim):
    plan = plan_of(claim_public_list()[:21])

    assert "claim_public_published" in plan
    assert "Sort" not in plan


def test_the_partners_change_feed_reads_public_claims_in_update_order_from_an_index(published_claim):
    plan = plan_of(visible_claims(AnonymousUser()).order_by("updated_at", "id")[:51])

    assert "claim_public_updated" in plan
    assert "Sort" not in plan


def test_the_search_filter_lists_the_newest_articles_from_an_index(published_claim):
    plan = plan_of(articles_with_public_claims()[:50])

    assert "article_newest_first" in plan
    assert "Sort" not in plan


def test_search_statistics_keep_rare_words_apart(db):
    # The planner reads a rare word's few matches from the GIN index only if it knows the word is rare.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'claims_claim'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == 10000
