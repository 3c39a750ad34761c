"""The claim list: columns, filters ("assigned to me", "waiting for my review"), search, and a pinned query count."""

import pytest
from django.contrib.contenttypes.models import ContentType

from factcheck.claims import services

from .conftest import add_evidence, make_claim

LIST_URL = "/admin/claims/claim/"


def listed(response) -> set[int]:
    return {claim.pk for claim in response.context["cl"].result_list}


def test_list_shows_status_rating_article_researcher_and_last_change(login, reviewer, in_review_claim):
    html = login(reviewer).get(LIST_URL).content.decode()
    assert '<span class="claim-status claim-status-in_review">In review</span>' in html
    assert 'style="background:#1a7f37"></span> Benar' in html
    assert '<small class="claim-article">ASEM dan Ukraina</small>' in html  # under its claim: one column less
    assert "Editor" in html and "last edit by Editor" in html
    for column in ("column-claim_title", "column-status_badge", "column-rating_badge", "column-researcher_name"):
        assert column in html
    assert "column-last_change" in html


def test_filters_for_status_rating_and_article(login, editor, researched_claim, second_claim, article):
    client = login(editor)
    assert listed(client.get(LIST_URL, {"status__exact": "researching"})) == {researched_claim.pk, second_claim.pk}
    rating = researched_claim.rating
    assert listed(client.get(LIST_URL, {"rating__id__exact": rating.pk})) == {researched_claim.pk}
    assert listed(client.get(LIST_URL, {"article__id__exact": article.pk})) == {researched_claim.pk, second_claim.pk}


def test_assigned_to_me_lists_the_claims_i_research(login, editor, editor2, researched_claim, article):
    other = make_claim(article, editor2, "Forum ini mencakup 53 negara mitra.", researcher=editor2)
    client = login(editor2)
    response = client.get(LIST_URL, {"assigned": "me"})
    assert listed(response) == {other.pk}
    assert "Assigned to me" in response.content.decode()


def test_waiting_for_my_review_obeys_the_four_eyes_rule(login, editor, reviewer, reviewer2, in_review_claim, article):
    own = make_claim(article, reviewer, "Forum ini mencakup 53 negara mitra.", evidence=1, researcher=reviewer)
    own = services.claim_start_research(claim=own, by=reviewer)
    own = services.claim_update(
        claim=own, by=reviewer, expected_version=own.version, changes={"rating": "false", "verdict": "Keliru."}
    )
    services.claim_send_to_review(claim=own, by=reviewer)
    assert listed(login(reviewer).get(LIST_URL, {"review": "me"})) == {in_review_claim.pk}
    assert listed(login(reviewer2).get(LIST_URL, {"review": "me"})) == {in_review_claim.pk, own.pk}


def test_editors_have_no_review_filter(login, editor, in_review_claim):
    html = login(editor).get(LIST_URL).content.decode()
    assert "Waiting for my review" not in html and "Review queue" not in html


def test_search_covers_statement_and_quote(login, editor, researched_claim, second_claim):
    client = login(editor)
    assert listed(client.get(LIST_URL, {"q": "Asia-Europe Meeting"})) == {researched_claim.pk}  # only in the quote
    assert listed(client.get(LIST_URL, {"q": "ASEM didirikan di Bangkok pada"})) == {researched_claim.pk}
    assert listed(client.get(LIST_URL, {"q": "negara mitra"})) == {second_claim.pk}


def more_claims(article, editor) -> None:
    """Three more claims, each with two evidence links and several revisions, and another article."""
    from factcheck.claims.importing import ArticleMetadata, article_import

    other = article_import(
        data=b"Pada 2019 ada 34 provinsi di Indonesia. Jakarta berpenduduk 10 juta jiwa. "
        b"Bali dikunjungi 6 juta turis.\n",
        metadata=ArticleMetadata(headline="Provinsi"),
        by=editor,
    ).article
    for text in ("Pada 2019 ada 34 provinsi di Indonesia.", "Jakarta berpenduduk 10 juta jiwa.", "Bali dikunjungi"):
        claim = make_claim(other, editor, text, evidence=2, researcher=editor)
        claim = services.claim_start_research(claim=claim, by=editor)
        add_evidence(claim, editor, 3)


@pytest.mark.parametrize("more", [False, True])
def test_list_query_count_does_not_grow_with_claims_evidence_or_revisions(
    login, reviewer, rich_claim, second_claim, article, editor, more, django_assert_num_queries
):
    if more:
        more_claims(article, editor)
    client = login(reviewer)
    ContentType.objects.clear_cache()
    # 1 session, 2 user, 3-4 the user's and their groups' permissions, 5 the claims in review (review queue
    # count, object tools; none here), 6 the pending revisions of others (review queue count), 7 ratings (rating
    # filter), 8 articles (article filter), 9 filtered count, 10 total count, 11 the page of claims with article,
    # rating, researcher and last editor joined.
    with django_assert_num_queries(11):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == (5 if more else 2)


def test_list_query_count_does_not_grow_with_claims_in_review(login, reviewer, editor, in_review_claim, article):
    """The review queue count on the list applies the four-eyes rule (authorship from history) to each claim in
    review: in a constant number of queries, however many claims wait and however long their history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(reviewer)

    def queries() -> int:
        client.get(LIST_URL)  # warm the content type cache
        with CaptureQueriesContext(connection) as context:
            assert client.get(LIST_URL).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for text in ("Forum ini mencakup 53 negara mitra.", "Indonesia mengakui kemerdekaan Ukraina"):
        claim = make_claim(article, editor, text, evidence=2)
        claim = services.claim_start_research(claim=claim, by=editor)
        claim = services.claim_update(
            claim=claim, by=editor, expected_version=claim.version, changes={"rating": "false", "verdict": "Keliru."}
        )
        services.claim_send_to_review(claim=claim, by=editor)
    assert queries() == few
