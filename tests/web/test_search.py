"""Search: full text over statement, quote, verdict and headline, with filters by rating and article, paginated."""

import pytest
from django.db import connection
from simple_history.utils import bulk_create_with_history

from factcheck.claims.models import Article, Claim, Rating
from factcheck.claims.selectors import claim_public_list, claim_search


@pytest.fixture
def rating_true():
    return Rating.objects.get(key="true")


def results(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="results-title"') :]


def test_it_finds_claims_by_statement_quote_verdict_and_headline(anon, two_public_claims):
    first, second = two_public_claims
    assert first.statement in results(anon, q="Bangkok")  # statement and quote
    assert second.statement in results(anon, q="organisasi")  # verdict summary only
    found = results(anon, q="Ukraina")  # the article headline, "ASEM dan Ukraina"
    assert first.statement in found and second.statement in found
    assert "claim-card" not in results(anon, q="Jakarta")


def test_it_finds_nothing_unpublished(anon, in_review_claim):
    assert "claim-card" not in results(anon, q="Bangkok")


def test_it_filters_by_rating_and_article(anon, two_public_claims, more_public_data):
    first, second = two_public_claims
    found = results(anon, q="ASEM", rating="mostly-true")
    assert "claim-card" not in found  # the second claim was corrected to "true" by more_public_data
    found = results(anon, q="ASEM", rating="true")
    assert first.statement in found and second.statement in found
    other = Article.objects.get(headline="Tentang Jakarta")
    found = results(anon, article=other.slug)
    assert "Monas dibangun pada tahun 1961" in found
    assert first.statement not in found
    found = results(anon, q="Monas", article=first.article.slug)
    assert "claim-card" not in found


def test_it_keeps_the_query_and_filters_in_the_form(anon, two_public_claims):
    html = anon.get("/search/", {"q": "Bangkok", "rating": "true"}).content.decode()
    assert 'value="Bangkok"' in html
    assert '<option value="true" selected>' in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_it_says_when_nothing_matches(anon, two_public_claims):
    html = anon.get("/search/", {"q": "zzzz"}).content.decode()
    assert "Tidak ada hasil cek fakta yang cocok dengan “zzzz”." in html


def test_it_paginates_and_keeps_the_query(anon, two_public_claims, monkeypatch):
    monkeypatch.setattr("factcheck.web.pagination.PER_PAGE", 1)
    html = anon.get("/search/", {"q": "ASEM"}).content.decode()
    assert 'rel="next" href="?q=ASEM&amp;page=2"' in html
    second = anon.get("/search/", {"q": "ASEM", "page": 2}).content.decode()
    assert 'rel="prev" href="?q=ASEM"' in second


def test_its_query_count_with_two_claims(anon, two_public_claims, django_assert_num_queries):
    # On a cold cache: 0. the cache stamp (newest revisions, one query), then
    # 1. the rating scale, 2. the articles with public claims (filter), 3. one page of matching claims.
    with django_assert_num_queries(4):
        results(anon, q="ASEM", rating="true")


def test_its_query_count_is_constant(anon, two_public_claims, more_public_data, django_assert_num_queries):
    with django_assert_num_queries(4):
        results(anon, q="ASEM", rating="true")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the full-text index exists on PostgreSQL only")
def test_the_search_page_query_uses_the_gin_index(two_public_claims, rating_true):
    # Many public claims that do not match, so that filtering by status alone is the costly plan.
    article = two_public_claims[0].article
    filler = [
        Claim(
            article=article,
            slug=f"filler-{start}-{end}",
            start=start,
            end=end,
            statement=f"Pernyataan pengisi {start} {end}",
            status=Claim.Status.PUBLISHED,
            rating=rating_true,
            verdict="Pengisi.",
        )
        for start in range(96, 136)
        for end in range(137, 157)
    ]
    for claim in filler:
        claim.refresh_derived_fields()
    bulk_create_with_history(filler, Claim, batch_size=500)
    queryset = claim_search(queryset=claim_public_list(), query="Bangkok")[:21]
    with connection.cursor() as cursor:
        # As autovacuum would: statistics, and the index's pending list (the rows of earlier,
        # rolled-back tests) merged, so that the plan is the one a live database gets.
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("SELECT gin_clean_pending_list('claim_search_vector_gin'::regclass)")
        # A table this small is read whole anyway; the question is which index serves the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "claim_search_vector_gin" in plan, plan


def test_the_article_filter_offers_the_newest_articles_and_still_takes_any_other(anon, two_public_claims, monkeypatch):
    from factcheck.claims.generation import generate_claims
    from factcheck.web import views

    monkeypatch.setattr(views, "SEARCH_ARTICLE_CHOICES", 1)
    older = two_public_claims[0].article
    generate_claims(claims=3, evidence_per_claim=0)  # a newer article

    offered = anon.get("/en/search/").content.decode()
    chosen = anon.get("/en/search/", {"article": older.slug}).content.decode()

    assert f'value="{older.slug}"' not in offered
    assert f'value="{older.slug}" selected' in chosen
    assert two_public_claims[0].slug in chosen[chosen.index('id="results-title"') :]


def test_it_finds_claims_by_their_articles_current_headline(anon, two_public_claims):
    first, second = two_public_claims
    article = first.article
    article.headline = "Pertemuan Zebra"
    article.save()

    found = results(anon, q="Zebra")
    assert first.statement in found and second.statement in found
    assert first.statement not in results(anon, q="Ukraina")  # it had that word from the old headline only
