"""The home page: the latest public verdicts, a filter by rating and a search box."""

from django.urls import reverse

from factcheck.claims import services
from tests.conftest import dismiss, retract, span_of


def test_it_lists_public_verdicts_newest_first(anon, two_public_claims):
    first, second = two_public_claims
    html = anon.get("/").content.decode()
    assert html.index(second.statement) < html.index(first.statement)
    assert 'class="badge rating-true">Benar<' in html
    assert 'class="badge rating-mostly-true">Sebagian besar benar<' in html
    assert reverse("web:claim", kwargs={"slug": first.slug}) in html
    assert first.article.headline in html


def test_it_has_a_search_box(anon, db):
    html = anon.get("/").content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html
    assert 'name="q"' in html


def test_it_leaves_out_unpublished_and_dismissed_claims(anon, two_public_claims, editor, reviewer):
    article = two_public_claims[0].article
    start, end = span_of(article, "Indonesia mengakui")
    services.claim_create(article=article, start=start, end=end, by=editor, statement="Draf tentang Indonesia")
    start, end = span_of(article, "kemerdekaan Ukraina")
    dismissed = services.claim_create(article=article, start=start, end=end, by=editor, statement="Opini Ukraina")
    dismiss(dismissed, by=editor, approver=reviewer, reason="Opini.")
    html = anon.get("/").content.decode()
    assert "Draf tentang Indonesia" not in html
    assert "Opini Ukraina" not in html
    assert html.count('class="claim-card ') == 2


def test_it_filters_by_rating(anon, two_public_claims):
    first, second = two_public_claims
    response = anon.get("/", {"rating": "mostly-true"})
    html = response.content.decode()
    assert second.statement in html
    assert first.statement not in html
    assert 'aria-current="true"' in html


def test_an_unknown_rating_shows_everything(anon, two_public_claims):
    html = anon.get("/", {"rating": "nonsense"}).content.decode()
    assert all(claim.statement in html for claim in two_public_claims)


def test_it_marks_retracted_verdicts(anon, two_public_claims, reviewer, reviewer2):
    retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Sumber ternyata salah.")
    html = anon.get("/").content.decode()
    card = html.split(f">{two_public_claims[1].statement}<")[0].rsplit("<article", 1)[1]
    assert '<span class="badge badge-retracted">Dicabut</span>' in card
    assert "rating-mostly-true" not in card  # never the withdrawn rating as the current one


def test_it_paginates_without_counting(anon, two_public_claims, monkeypatch):
    monkeypatch.setattr("factcheck.web.pagination.PER_PAGE", 1)
    first_page = anon.get("/").content.decode()
    assert 'rel="next" href="?page=2"' in first_page
    second_page = anon.get("/", {"page": 2}).content.decode()
    assert two_public_claims[0].statement in second_page
    assert 'rel="prev"' in second_page
    assert 'rel="next"' not in second_page
    assert anon.get("/", {"page": 3}).status_code == 404
    assert anon.get("/", {"page": "x"}).status_code == 404
    for written_otherwise in ("１", "+1", " 1", "0_1"):  # Python's int() reads each as 1
        assert anon.get("/", {"page": written_otherwise}).status_code == 404


def test_its_query_count_is_constant(anon, two_public_claims, more_public_data, django_assert_num_queries):
    # On a cold cache: 0. the cache stamp (newest revisions, one query), then
    # 1. the rating scale (filter links), 2. one page of claims with article and rating (LIMIT 21),
    # 3. the newest annotated articles with their number of verdicts.
    with django_assert_num_queries(4):
        assert anon.get("/").status_code == 200


def test_its_query_count_with_two_claims(anon, two_public_claims, django_assert_num_queries):
    # On a cold cache: 0. the cache stamp (newest revisions, one query), then
    # 1. the rating scale, 2. one page of claims with article and rating, 3. the annotated articles.
    with django_assert_num_queries(4):
        assert anon.get("/").status_code == 200


def test_page_numbers_stop_where_skipping_rows_would_grow_costly(anon, two_public_claims, monkeypatch):
    monkeypatch.setattr("factcheck.web.pagination.PER_PAGE", 1)
    monkeypatch.setattr("factcheck.web.pagination.MAX_PAGE", 1)

    assert 'rel="next"' not in anon.get("/").content.decode()  # there is a second claim, but no page 2
    assert anon.get("/", {"page": 2}).status_code == 404


def test_it_lists_the_annotated_articles_with_their_number_of_verdicts(anon, two_public_claims, more_public_data):
    html = anon.get("/").content.decode()
    articles = html[html.index('id="articles-title"') :]
    slug = two_public_claims[0].article.slug
    assert f'href="/articles/{slug}/" lang="id"><strong>ASEM dan Ukraina</strong>' in articles
    assert "3 klaim diperiksa" in articles
    assert "Tentang Jakarta" in articles and "1 klaim diperiksa" in articles
    english = anon.get("/en/").content.decode()
    assert "3 claims checked" in english[english.index('id="articles-title"') :]
