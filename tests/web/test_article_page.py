"""The annotated article: the whole text with its published claims highlighted by verdict."""

from django.urls import reverse

from factcheck.claims import services
from tests.conftest import dismiss, retract, span_of


def article_page(client, article, prefix: str = ""):
    return client.get(prefix + reverse("web:article", kwargs={"slug": article.slug}))


def test_it_shows_the_whole_article_with_each_public_claim_highlighted(anon, two_public_claims):
    first, second = two_public_claims
    html = article_page(anon, first.article).content.decode()
    assert '<h1 id="article-title" lang="id">ASEM dan Ukraina</h1>' in html
    assert "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991." in html
    assert f'<mark class="claim rating-true" id="claim-{first.slug}">{first.quote}' in html
    assert f'<mark class="claim rating-mostly-true" id="claim-{second.slug}">{second.quote}' in html


def test_each_highlight_links_to_its_claim_with_the_label_in_text(anon, two_public_claims):
    first, second = two_public_claims
    html = article_page(anon, first.article).content.decode()
    # Not colour alone: the rating's name is written out, with a prefix for screen readers.
    assert (
        f'<a class="chip rating-true" href="/claims/{first.slug}/" title="{first.statement}">'
        '<span class="visually-hidden">Penilaian: </span>Benar</a></mark>'
    ) in html
    assert f'href="/claims/{second.slug}/"' in html
    assert ">Sebagian besar benar</a></mark>" in html


def test_unpublished_claims_are_not_marked(anon, two_public_claims, editor):
    article = two_public_claims[0].article
    start, end = span_of(article, "Indonesia mengakui kemerdekaan Ukraina")
    draft = services.claim_create(article=article, start=start, end=end, by=editor, statement="Draf rahasia")
    html = article_page(anon, article).content.decode()
    assert f"claim-{draft.slug}" not in html
    assert "Draf rahasia" not in html
    assert html.count("<mark ") == 2


def test_not_checkable_claims_show_as_such_with_their_reason(anon, two_public_claims, editor, reviewer):
    article = two_public_claims[0].article
    start, end = span_of(article, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")
    claim = services.claim_create(article=article, start=start, end=end, by=editor, statement="Klaim opini")
    claim = dismiss(
        claim, by=editor, approver=reviewer, reason="Ini opini penulis.", reason_en="This is the author's opinion."
    )
    html = article_page(anon, article).content.decode()
    assert f'<mark class="claim not-checkable" id="claim-{claim.slug}">' in html
    assert f'href="#note-{claim.slug}" title="Ini opini penulis.">' in html
    assert ">Tidak dapat diperiksa</a></mark>" in html
    index = html[html.index('id="claims-title"') :]
    assert f'<li id="note-{claim.slug}">' in index
    assert "Ini opini penulis." in index
    assert f'<a href="/claims/{claim.slug}/" lang="id">Klaim opini</a>' in index  # its own page says why
    english = article_page(anon, article, prefix="/en").content.decode()
    assert "This is the author&#39;s opinion." in english
    assert ">Not checkable</a></mark>" in english


def test_a_retracted_claim_stays_marked_as_retracted(anon, two_public_claims, reviewer, reviewer2):
    claim = retract(two_public_claims[1], by=reviewer, approver=reviewer2, note="Salah.")
    html = article_page(anon, claim.article).content.decode()
    assert f'<mark class="claim rating-mostly-true is-retracted" id="claim-{claim.slug}">' in html
    assert ">Dicabut: Sebagian besar benar</a></mark>" in html


def test_claims_are_listed_below_the_article(anon, two_public_claims):
    html = article_page(anon, two_public_claims[0].article).content.decode()
    index = html[html.index('id="claims-title"') :]
    for claim in two_public_claims:
        assert f'<a href="/claims/{claim.slug}/" lang="id">{claim.statement}</a>' in index
        assert f'href="#claim-{claim.slug}"' in index


def test_an_article_without_public_claims_is_a_404_for_readers(anon, in_review_claim):
    assert article_page(anon, in_review_claim.article).status_code == 404


def test_staff_preview_an_article_without_public_claims(client, editor, in_review_claim):
    client.force_login(editor)
    response = article_page(client, in_review_claim.article)
    assert response.status_code == 200
    assert "banner-preview" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_it_has_opengraph_and_canonical_meta(anon, two_public_claims, settings):
    article = two_public_claims[0].article
    html = article_page(anon, article, prefix="/en").content.decode()
    url = f"{settings.SITE_URL}/en/articles/{article.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="ASEM dan Ukraina">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_its_query_count_with_two_claims(anon, two_public_claims, django_assert_num_queries):
    article = two_public_claims[0].article
    # On a cold cache: 0. the cache stamp (newest revisions, one query), then
    # 1. the article (without its original bytes), 2. its public and dismissed claims with ratings.
    with django_assert_num_queries(3):
        assert article_page(anon, article).status_code == 200


def test_its_query_count_is_constant(anon, two_public_claims, more_public_data, django_assert_num_queries):
    article = more_public_data.article
    # On a cold cache: 0. the cache stamp (newest revisions, one query), then
    # The same two queries with a third claim, more evidence and corrections.
    with django_assert_num_queries(3):
        assert article_page(anon, article).status_code == 200
