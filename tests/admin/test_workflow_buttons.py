"""Workflow actions on the claim change page: each transition allowed and refused, per role, with the four-eyes rule."""

import pytest

from factcheck.claims import services
from factcheck.claims.models import Claim, Correction

from .conftest import change_url, messages_of, transition_url


def press(client, claim, target, note="", version=None):
    """Press a workflow button as the page renders it (version on screen, optional note)."""
    claim.refresh_from_db()
    data = {"version": claim.version if version is None else version, "note": note}
    return client.post(transition_url(claim, target), data, follow=True)


def status_of(claim) -> str:
    return Claim.objects.values_list("status", flat=True).get(pk=claim.pk)


def buttons_on(client, claim) -> set[str]:
    html = client.get(change_url(claim)).content.decode()
    return {t for t in Claim.Status.values if f'action="{transition_url(claim, t)}"' in html}


# --- allowed, per role ----------------------------------------------------------------


def test_editor_starts_research_sends_to_review_and_cannot_publish(login, editor, draft_claim):
    client = login(editor)
    assert buttons_on(client, draft_claim) == {"researching", "dismissed"}
    press(client, draft_claim, "researching")
    assert status_of(draft_claim) == "researching"
    services.evidence_add(claim=draft_claim, by=editor, url="https://example.org/a", title="A", publisher="P")
    draft_claim.refresh_from_db()
    services.claim_update(
        claim=draft_claim,
        by=editor,
        expected_version=draft_claim.version,
        changes={"rating": "true", "verdict": "Benar."},
    )
    assert buttons_on(client, draft_claim) == {"draft", "in_review", "dismissed"}
    response = press(client, draft_claim, "in_review", note="Ready")
    assert status_of(draft_claim) == "in_review"
    assert any("is now in review" in m for m in messages_of(response))
    assert buttons_on(client, draft_claim) == set()
    response = press(client, draft_claim, "published")
    assert status_of(draft_claim) == "in_review"
    assert any("may not publish verdicts" in m for m in messages_of(response))


def test_editor_moves_research_back_to_draft_dismisses_and_reopens(login, editor, draft_claim):
    client = login(editor)
    press(client, draft_claim, "researching")
    press(client, draft_claim, "draft", note="Wrong span")
    assert status_of(draft_claim) == "draft"
    response = press(client, draft_claim, "dismissed", note="")
    assert status_of(draft_claim) == "draft"
    assert any("needs the reason it is not checkable" in m for m in messages_of(response))
    press(client, draft_claim, "dismissed", note="Ini opini.")
    draft_claim.refresh_from_db()
    assert draft_claim.status == "dismissed" and draft_claim.not_checkable_reason == "Ini opini."
    assert buttons_on(client, draft_claim) == {"draft"}
    assert "Reopen as draft" in client.get(change_url(draft_claim)).content.decode()
    press(client, draft_claim, "draft")
    assert status_of(draft_claim) == "draft"


def test_reviewer_publishes_a_claim_someone_else_researched(login, reviewer, in_review_claim):
    client = login(reviewer)
    assert buttons_on(client, in_review_claim) == {"published", "researching"}
    response = press(client, in_review_claim, "published", note="Checked")
    in_review_claim.refresh_from_db()
    assert in_review_claim.status == "published" and in_review_claim.reviewer == reviewer
    assert any("is now published" in m for m in messages_of(response))
    record = in_review_claim.history.latest("history_date")
    assert record.history_user == reviewer and record.history_change_reason == "Published: Checked"


def test_reviewer_sends_back_to_research_only_with_a_note(login, reviewer, in_review_claim):
    client = login(reviewer)
    response = press(client, in_review_claim, "researching", note=" ")
    assert status_of(in_review_claim) == "in_review"
    assert any("needs a note for the researcher" in m for m in messages_of(response))
    press(client, in_review_claim, "researching", note="Add the primary source")
    assert status_of(in_review_claim) == "researching"
    assert in_review_claim.history.latest("history_date").history_change_reason == (
        "Sent back to research: Add the primary source"
    )


def test_reviewer_retracts_only_with_a_note_and_the_claim_stays_visible(login, reviewer2, published_claim):
    client = login(reviewer2)
    assert buttons_on(client, published_claim) == {"retracted"}
    response = press(client, published_claim, "retracted", note="")
    assert status_of(published_claim) == "published"
    assert any("needs a public note" in m for m in messages_of(response))
    press(client, published_claim, "retracted", note="The source was forged.")
    published_claim.refresh_from_db()
    assert published_claim.status == "retracted" and published_claim.public_note == "The source was forged."
    assert Claim.objects.public().filter(pk=published_claim.pk).exists()
    assert Correction.objects.get(claim=published_claim).kind == "retraction"
    assert buttons_on(client, published_claim) == set()


def test_editor_cannot_retract(login, editor, published_claim):
    client = login(editor)
    assert buttons_on(client, published_claim) == set()
    response = press(client, published_claim, "retracted", note="No")
    assert status_of(published_claim) == "published"
    assert any("may not retract verdicts" in m for m in messages_of(response))


# --- refused ---------------------------------------------------------------------------


def test_invalid_transition_names_current_and_requested_status(login, reviewer, draft_claim):
    client = login(reviewer)
    response = press(client, draft_claim, "published")
    assert status_of(draft_claim) == "draft"
    assert any("cannot go from draft to published" in m for m in messages_of(response))
    assert response.status_code == 200  # a message on the page, never a stack trace


def test_publishing_needs_rating_verdict_and_evidence(login, editor, reviewer, draft_claim):
    press(login(editor), draft_claim, "researching")
    response = press(login(editor), draft_claim, "in_review")
    assert status_of(draft_claim) == "researching"
    text = " ".join(messages_of(response))
    assert "rating" in text and "verdict summary" in text and "evidence link" in text


def test_unknown_status_is_refused_with_a_message(login, editor, draft_claim):
    response = press(login(editor), draft_claim, "archived")
    assert any("Unknown status 'archived'" in m for m in messages_of(response))


def test_buttons_are_posts_only(login, editor, draft_claim):
    assert login(editor).get(transition_url(draft_claim, "researching")).status_code == 405
    assert status_of(draft_claim) == "draft"


def test_outsider_gets_no_workflow_access(client, outsider, draft_claim):
    client.force_login(outsider)
    response = client.post(transition_url(draft_claim, "researching"), {"version": 1})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert status_of(draft_claim) == "draft"


def test_stale_button_is_refused_with_a_link_to_the_history(login, editor, editor2, draft_claim):
    client = login(editor)
    opened_version = draft_claim.version
    services.claim_update(claim=draft_claim, by=editor2, expected_version=opened_version, changes={"claimant": "Kemlu"})
    response = press(client, draft_claim, "researching", version=opened_version)
    assert status_of(draft_claim) == "draft"
    html = response.content.decode()
    assert "This claim was changed by Editor2" in html and "since you opened it" in html
    assert f'href="/admin/claims/claim/{draft_claim.pk}/history/"' in html


# --- four-eyes -------------------------------------------------------------------------


@pytest.fixture
def reviewer_researched_claim(article, reviewer):
    """A claim in review that ``reviewer`` researched themselves."""
    from .conftest import make_claim

    claim = make_claim(article, reviewer, "Forum ini mencakup 53 negara mitra.", evidence=1, researcher=reviewer)
    claim = services.claim_start_research(claim=claim, by=reviewer)
    claim = services.claim_update(
        claim=claim, by=reviewer, expected_version=claim.version, changes={"rating": "true", "verdict": "Benar."}
    )
    return services.claim_send_to_review(claim=claim, by=reviewer)


def test_four_eyes_reviewer_cannot_publish_own_research_and_is_told_why(login, reviewer, reviewer_researched_claim):
    client = login(reviewer)
    html = client.get(change_url(reviewer_researched_claim)).content.decode()
    assert "You researched this claim, so another reviewer must publish its verdict" in html
    assert buttons_on(client, reviewer_researched_claim) == {"researching"}
    response = press(client, reviewer_researched_claim, "published")
    assert status_of(reviewer_researched_claim) == "in_review"
    assert response.status_code == 200
    assert any("Four-eyes rule" in m for m in messages_of(response))


def test_four_eyes_reviewer_who_last_edited_cannot_publish(login, reviewer, reviewer2, in_review_claim):
    services.claim_update(
        claim=in_review_claim,
        by=reviewer2,
        expected_version=in_review_claim.version,
        changes={"verdict_en": "True: the first summit was in Bangkok."},
    )
    client = login(reviewer2)
    assert "You made the last edit to this claim" in client.get(change_url(in_review_claim)).content.decode()
    response = press(client, in_review_claim, "published")
    assert status_of(in_review_claim) == "in_review"
    assert any("made the last edit" in m for m in messages_of(response))
    press(login(reviewer), in_review_claim, "published")
    assert status_of(in_review_claim) == "published"


def test_editor_cannot_send_back_from_review(login, editor, in_review_claim):
    response = press(login(editor), in_review_claim, "researching", note="Wait")
    assert status_of(in_review_claim) == "in_review"
    assert any("may not send claims back to research" in m for m in messages_of(response))
