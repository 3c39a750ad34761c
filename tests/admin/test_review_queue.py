"""The review queue: claims in review that the current reviewer may publish."""

from factcheck.claims import revisions, services

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
        (
            own.pk,
            "Four-eyes rule: you wrote part of what would be made public (history since the last approved version), "
            "so another reviewer must publish it.",
        )
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


def test_queue_lists_corrections_and_retractions_waiting_for_my_review(
    login, editor, reviewer, reviewer2, published_claim, published_claim_2
):
    correction = revisions.revision_propose(
        claim=published_claim,
        by=editor,
        expected_version=published_claim.version,
        changes={"claimant": "Kemlu"},
        note="Sumber klaim diperjelas.",
    )
    retraction = revisions.revision_propose(
        claim=published_claim_2,
        by=reviewer2,
        expected_version=published_claim_2.version,
        kind="retraction",
        note="Sumbernya palsu.",
    )
    response = login(reviewer2).get(QUEUE_URL)
    assert [r.pk for r in response.context["revisions"]] == [correction.pk]  # not their own retraction
    html = response.content.decode()
    assert "Corrections and retractions waiting for your review (1)" in html
    assert f'href="/admin/claims/claim/{published_claim.pk}/change/"' in html and "Sumber klaim diperjelas." in html
    response = login(reviewer).get(QUEUE_URL)
    assert [r.pk for r in response.context["revisions"]] == [correction.pk, retraction.pk]
    assert "retraction proposed by Reviewer2" in response.content.decode()
    html = login(reviewer).get("/admin/claims/claim/").content.decode()
    assert "Review queue (2)</a>" in html
    assert list(login(editor).get(QUEUE_URL).context["revisions"]) == []  # editors approve nothing
