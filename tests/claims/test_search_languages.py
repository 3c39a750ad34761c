"""Search that knows Indonesian and English (issue 17, finding 3), on the demo's published verdicts.

Runs on SQLite (Snowball stemmers in Python) and on PostgreSQL (its indonesian/english configurations
and the weighted search_vector of migration 0009): the same answers on both.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from factcheck.claims.models import Claim
from factcheck.claims.search import START_MARK, STOP_MARK, claim_search, marked_html, ranked_search
from factcheck.claims.selectors import claim_public_list
from factcheck.lib.stemming import excerpt, word_forms

RECOGNISED = "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991"
ASEM_MEMBER = "Ukraina menyatakan ingin menjadi anggota Asia-Europe Meeting (ASEM)"


@pytest.fixture
def demo(demo_loaded, db):
    """The demo, loaded once for the module (tests/claims/conftest.py)."""


def statements(query: str, language: str = "id") -> list[str]:
    found = ranked_search(queryset=claim_public_list(), query=query, language=language, offset=0, limit=50)
    return [claim.statement for claim in found.items]


def test_pengakuan_finds_mengakui_kemerdekaan(demo):
    assert RECOGNISED in statements("pengakuan")
    assert statements("pengakuan kemerdekaan")[0] == RECOGNISED
    assert RECOGNISED in [c.statement for c in claim_search(queryset=claim_public_list(), query="pengakuan")]


def test_english_words_find_the_english_statement(demo):
    assert statements("recognises independence", "en")[0] == RECOGNISED


def test_asem_anggota_ranks_the_membership_claim_first(demo):
    found = statements("ASEM anggota")
    assert found[0] == ASEM_MEMBER
    # "ASEM" alone is in the headline of every demo verdict: the ones that say it in their statement come first.
    ranked = ranked_search(queryset=claim_public_list(), query="ASEM", language="id", offset=0, limit=50)
    in_statement = [claim for claim in ranked.items if "ASEM" in claim.statement]
    assert in_statement and ranked.items[: len(in_statement)] == in_statement


def test_the_page_shows_a_count_and_a_marked_excerpt(demo):
    html = Client().get("/search/", {"q": "pengakuan"}).content.decode()
    results = html[html.index('id="results-title"') :]
    count = Claim.objects.public().filter(search_text__contains=" aku ").count()
    assert count >= 1
    assert f"{count} hasil cek fakta cocok dengan “pengakuan”, yang paling relevan di atas." in results
    assert '<p class="claim-card-excerpt">' in results
    assert "<mark>mengakui</mark>" in results

    english = Client().get("/en/search/", {"q": "recognised"}).content.decode()
    assert "verdict matches “recognised”" in english or "verdicts match “recognised”" in english


def test_only_public_claims_are_searchable(demo):
    claim = Claim.objects.get(statement=RECOGNISED)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.IN_REVIEW)
    assert RECOGNISED not in statements("pengakuan")
    html = Client().get("/search/", {"q": "pengakuan kemerdekaan"}).content.decode()
    assert "mengakui kemerdekaan" not in html[html.index('id="results-title"') :]
    response = APIClient().get("/api/v1/claims/", {"q": "pengakuan"})
    assert response.status_code == 200
    assert RECOGNISED not in response.content.decode()


def test_the_api_q_filter_stems_too(demo):
    response = APIClient().get("/api/v1/claims/", {"q": "pengakuan"})
    assert response.status_code == 200
    assert RECOGNISED in response.content.decode()


def test_a_query_of_stop_words_only_matches_nothing(demo):
    assert statements("the of and") == []
    assert list(claim_search(queryset=claim_public_list(), query="the")) == []


def test_excerpts_escape_the_text_and_mark_only_the_matches():
    pieces = excerpt("<b>Pengakuan</b> & mengakui <script>", [word_forms("pengakuan")], "indonesian")
    from factcheck.claims.search import excerpt_html

    html = str(excerpt_html(pieces))
    assert html == "&lt;b&gt;<mark>Pengakuan</mark>&lt;/b&gt; &amp; <mark>mengakui</mark> &lt;script&gt;"
    marked = str(marked_html(f"a <i> {START_MARK}x & y{STOP_MARK} z"))
    assert marked == "a &lt;i&gt; <mark>x &amp; y</mark> z"
