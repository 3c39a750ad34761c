"""The reviewer sees the editor's "note for the reviewer" on the claim page and in the review queue (issue 17)."""

from factcheck.claims import services
from factcheck.claims.selectors import review_notes

from .conftest import change_url

QUEUE_URL = "/admin/claims/claim/review-queue/"
NOTE = "Cek ulang tanggal <28 Desember> di sumber kedua."


def test_the_note_shows_on_the_claim_page_and_in_the_queue(login, editor, reviewer, researched_claim):
    claim = services.claim_send_to_review(claim=researched_claim, by=editor, note=NOTE)
    client = login(reviewer)

    page = client.get(change_url(claim), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    queue = client.get(QUEUE_URL, HTTP_ACCEPT_LANGUAGE="id").content.decode()

    escaped = "Cek ulang tanggal &lt;28 Desember&gt; di sumber kedua."
    assert f"<strong>Catatan untuk peninjau:</strong> {escaped}" in page
    assert f"<strong>Catatan untuk peninjau:</strong> {escaped}" in queue


def test_edits_during_the_review_keep_the_note_and_a_new_round_takes_the_new_one(editor, reviewer, researched_claim):
    claim = services.claim_send_to_review(claim=researched_claim, by=editor, note=NOTE)
    claim = services.claim_update(
        claim=claim, by=editor, expected_version=claim.version, changes={"claimant": "Seseorang"}
    )
    assert review_notes([claim]) == {claim.pk: NOTE}

    claim = services.claim_send_back(claim=claim, by=reviewer, note="Sumber kurang.")
    claim = services.claim_send_to_review(claim=claim, by=editor)
    assert review_notes([claim]) == {claim.pk: ""}  # sent again without a note: the old one is not shown


def test_no_note_no_panel(login, editor, reviewer, researched_claim):
    claim = services.claim_send_to_review(claim=researched_claim, by=editor)
    page = login(reviewer).get(change_url(claim), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Catatan untuk peninjau" not in page
