"""The review queue: claims in review that the current reviewer may publish."""

from factcheck.claims import services

from .conftest import make_claim

QUEUE_URL = "/admin/claims/claim/review-queue/"


def test_queue_lists_what_i_may_publish_and_explains_the_rest(login, reviewer, in_review_claim, article):
    own = make_claim(article, reviewer, "Forum ini mencakup 53 negara mitra.", evidence=1, researcher=reviewer)
    own = services.claim_start_research(claim=own, by=reviewer)
    own = services.claim_update(
        claim=own, by=reviewer, expected_version=own.version, changes={"rating": "false", "verdict": "Keliru."}
    )
    services.claim_send_to_review(claim=own, by=reviewer)
    response = login(reviewer).get(QUEUE_URL)
    assert response.status_code == 200
    assert [c.pk for c in response.context["claims"]] == [in_review_claim.pk]
    assert [(c.pk, reason) for c, reason in response.context["others"]] == [
        (own.pk, "You researched this claim, so another reviewer must publish its verdict (four-eyes rule).")
    ]
    html = response.content.decode()
    assert f'href="/admin/claims/claim/{in_review_claim.pk}/change/"' in html


def test_queue_leaves_out_claims_not_in_review(login, reviewer, researched_claim, published_claim):
    response = login(reviewer).get(QUEUE_URL)
    assert list(response.context["claims"]) == [] and response.context["others"] == []
    assert "Nothing is waiting for you." in response.content.decode()


def test_changelist_links_to_the_queue_with_its_size(login, reviewer2, in_review_claim):
    html = login(reviewer2).get("/admin/claims/claim/").content.decode()
    assert '<a href="/admin/claims/claim/review-queue/" class="viewlink">Review queue (1)</a>' in html


def test_editors_have_an_empty_queue(login, editor, in_review_claim):
    response = login(editor).get(QUEUE_URL)
    assert response.status_code == 200 and list(response.context["claims"]) == []
    assert "Only reviewers publish verdicts" in response.content.decode()


def test_outsiders_cannot_see_the_queue(client, outsider):
    client.force_login(outsider)
    assert client.get(QUEUE_URL).status_code == 302
