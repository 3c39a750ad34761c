"""Workflow actions on the claim change page: each transition allowed and refused, per role, with the four-eyes rule."""

import pytest

from factcheck.claims import services
from factcheck.claims.models import Claim, Correction, Revision
from tests.conftest import dismiss

from .conftest import change_url, messages_of, retraction_url, revision_url, transition_url


def press(client, claim, target, note="", version=None):
    """Press a workflow button as the page renders it (version on screen, optional note)."""
    claim.refresh_from_db()
    data = {"version": claim.version if version is None else version, "note": note}
    return client.post(transition_url(claim, target), data, follow=True)


def status_of(claim) -> str:
    return Claim.objects.values_list("status", flat=True).get(pk=claim.pk)


def buttons_on(client, claim) -> set[str]:
    html = client.get(change_url(claim)).content.decode()
    # A button of its own form, or (issue 17) one that saves the change form first.
    return {
        t
        for t in Claim.Status.values
        if f'action="{transition_url(claim, t)}"' in html or f'name="_workflow" value="{t}"' in html
    }


# --- allowed, per role ----------------------------------------------------------------


def test_editor_starts_research_sends_to_review_and_cannot_publish(login, editor, draft_claim):
    client = login(editor)
    assert buttons_on(client, draft_claim) == {"researching"}
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
    assert buttons_on(client, draft_claim) == {"draft", "in_review"}
    response = press(client, draft_claim, "in_review", note="Ready")
    assert status_of(draft_claim) == "in_review"
    assert any("is now in review" in m for m in messages_of(response))
    assert buttons_on(client, draft_claim) == set()
    response = press(client, draft_claim, "published")
    assert status_of(draft_claim) == "in_review"
    assert any("may not publish verdicts" in m for m in messages_of(response))


def mark_not_checkable(claim, by, reason="Ini opini."):
    claim.refresh_from_db()
    return services.claim_update(
        claim=claim,
        by=by,
        expected_version=claim.version,
        changes={"checkable": False, "not_checkable_reason": reason},
    )


def test_editor_moves_research_back_to_draft_and_cannot_dismiss(login, editor, draft_claim):
    client = login(editor)
    press(client, draft_claim, "researching")
    press(client, draft_claim, "draft", note="Wrong span")
    assert status_of(draft_claim) == "draft"
    response = press(client, draft_claim, "dismissed", note="Ini opini.")
    assert status_of(draft_claim) == "draft"
    assert any("may not dismiss claims" in m for m in messages_of(response))
    # The editor marks it not checkable, says why, and sends it to review: a reviewer dismisses it.
    press(client, draft_claim, "researching")
    mark_not_checkable(draft_claim, editor)
    assert buttons_on(client, draft_claim) == {"draft", "in_review"}
    press(client, draft_claim, "in_review")
    assert status_of(draft_claim) == "in_review"
    assert buttons_on(client, draft_claim) == set()
    response = press(client, draft_claim, "dismissed")
    assert status_of(draft_claim) == "in_review"
    assert any("may not dismiss claims" in m for m in messages_of(response))


def test_a_reviewer_dismisses_a_claim_someone_else_marked_not_checkable(login, editor, reviewer, draft_claim):
    services.claim_start_research(claim=draft_claim, by=editor)
    mark_not_checkable(draft_claim, editor)
    services.claim_send_to_review(claim=draft_claim, by=editor)
    client = login(reviewer)
    assert buttons_on(client, draft_claim) == {"dismissed", "researching"}
    html = client.get(change_url(draft_claim)).content.decode()
    assert ">Approve as not checkable (dismiss)</button>" in html and ">Publish</button>" not in html
    response = press(client, draft_claim, "dismissed", note="Setuju")
    draft_claim.refresh_from_db()
    assert draft_claim.status == "dismissed" and draft_claim.not_checkable_reason == "Ini opini."
    assert draft_claim.reviewer == reviewer
    assert any("is now dismissed" in m for m in messages_of(response))
    assert draft_claim.history.latest("history_date").history_change_reason == "Dismissed as not checkable: Setuju"


def test_a_reviewer_who_wrote_the_reason_cannot_dismiss(login, reviewer, reviewer2, draft_claim):
    services.claim_start_research(claim=draft_claim, by=reviewer)
    mark_not_checkable(draft_claim, reviewer)
    services.claim_send_to_review(claim=draft_claim, by=reviewer)
    client = login(reviewer)
    html = client.get(change_url(draft_claim)).content.decode()
    assert (
        "Four-eyes rule: you wrote part of what would be made public" in html
        and "another reviewer must dismiss" in html
    )
    assert buttons_on(client, draft_claim) == {"researching"}
    response = press(client, draft_claim, "dismissed")
    assert status_of(draft_claim) == "in_review"
    assert any(
        m.startswith("Four-eyes rule: you wrote part of what would be made public") for m in messages_of(response)
    )
    press(login(reviewer2), draft_claim, "dismissed")
    assert status_of(draft_claim) == "dismissed"


def test_nobody_takes_a_dismissed_claims_public_note_down_alone(login, editor, reviewer, reviewer2, draft_claim):
    dismiss(draft_claim, by=editor, approver=reviewer, reason="Ini opini.")
    for user in (editor, reviewer2):
        client = login(user)
        assert buttons_on(client, draft_claim) == set()
        press(client, draft_claim, "draft")
        assert status_of(draft_claim) == "dismissed"


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


def propose_retraction(client, claim, note, note_en=""):
    claim.refresh_from_db()
    return client.post(retraction_url(claim), {"version": claim.version, "note": note, "note_en": note_en}, follow=True)


def test_a_retraction_is_proposed_with_a_note_and_approved_by_another_reviewer(
    login, reviewer, reviewer2, published_claim
):
    client = login(reviewer2)
    html = client.get(change_url(published_claim)).content.decode()
    assert f'action="{retraction_url(published_claim)}"' in html and ">Propose retraction</button>" in html
    assert buttons_on(client, published_claim) == set()  # no "retracted" transition button any more
    response = propose_retraction(client, published_claim, note=" ")
    assert any("needs a public note" in m for m in messages_of(response))
    assert not Revision.objects.filter(claim=published_claim).exists()
    response = propose_retraction(client, published_claim, "Sumbernya palsu.", "The source was forged.")
    assert any(m.startswith("Retraction proposed") for m in messages_of(response))
    assert status_of(published_claim) == "published"  # nothing public changes yet
    revision = Revision.objects.get(claim=published_claim, state="pending", kind="retraction")
    html = response.content.decode()
    assert "A retraction is pending review" in html and "Four-eyes rule: you proposed this revision" in html
    response = client.post(revision_url(published_claim, revision, "approve"), {"note": ""}, follow=True)
    assert status_of(published_claim) == "published"
    assert any(m.startswith("Four-eyes rule") for m in messages_of(response))

    login(reviewer).post(revision_url(published_claim, revision, "approve"), {"note": ""})
    published_claim.refresh_from_db()
    assert published_claim.status == "retracted" and published_claim.public_note == "Sumbernya palsu."
    assert Claim.objects.public().filter(pk=published_claim.pk).exists()  # readers still see it, retracted
    correction = Correction.objects.get(claim=published_claim)
    assert (correction.kind, correction.note_en, correction.created_by, correction.approved_by) == (
        "retraction",
        "The source was forged.",
        reviewer2,
        reviewer,
    )
    html = client.get(change_url(published_claim)).content.decode()
    assert buttons_on(client, published_claim) == set() and "Propose retraction" not in html


def test_the_retracted_transition_is_gone(login, reviewer2, published_claim):
    response = press(login(reviewer2), published_claim, "retracted", note="The source was forged.")
    assert status_of(published_claim) == "published"
    assert any("retracted through a reviewed revision" in m for m in messages_of(response))


def test_editor_cannot_retract(login, editor, published_claim):
    client = login(editor)
    html = client.get(change_url(published_claim)).content.decode()
    assert buttons_on(client, published_claim) == set() and "Propose retraction" not in html
    response = propose_retraction(client, published_claim, "No")
    assert status_of(published_claim) == "published"
    assert any("may not propose a retraction" in m for m in messages_of(response))
    assert not Revision.objects.filter(claim=published_claim).exists()


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
    assert "Four-eyes rule: you wrote part of what would be made public" in html
    assert buttons_on(client, reviewer_researched_claim) == {"researching"}
    response = press(client, reviewer_researched_claim, "published")
    assert status_of(reviewer_researched_claim) == "in_review"
    assert response.status_code == 200
    assert any(
        m.startswith("Four-eyes rule: you wrote part of what would be made public") for m in messages_of(response)
    )


def test_four_eyes_reviewer_who_edited_the_verdict_cannot_publish(login, reviewer, reviewer2, in_review_claim):
    services.claim_update(
        claim=in_review_claim,
        by=reviewer2,
        expected_version=in_review_claim.version,
        changes={"verdict_en": "True: the first summit was in Bangkok."},
    )
    client = login(reviewer2)
    assert (
        "Four-eyes rule: you wrote part of what would be made public"
        in client.get(change_url(in_review_claim)).content.decode()
    )
    assert buttons_on(client, in_review_claim) == {"researching"}
    response = press(client, in_review_claim, "published")
    assert status_of(in_review_claim) == "in_review"
    assert any(m.startswith("Four-eyes rule") for m in messages_of(response))
    press(login(reviewer), in_review_claim, "published")
    assert status_of(in_review_claim) == "published"


def test_four_eyes_is_authorship_not_the_last_edit(login, editor, reviewer, reviewer2, in_review_claim):
    """A reviewer who wrote part of the verdict stays an author after a colleague's later edit."""
    claim = services.claim_send_back(claim=in_review_claim, by=reviewer2, note="Perjelas")
    claim = services.claim_update(
        claim=claim, by=reviewer, expected_version=claim.version, changes={"verdict": "Benar: Bangkok, 1996."}
    )
    claim = services.claim_update(
        claim=claim, by=editor, expected_version=claim.version, changes={"claimant": "Penulis artikel"}
    )
    services.claim_send_to_review(claim=claim, by=editor)
    client = login(reviewer)
    assert "published" not in buttons_on(client, claim)
    response = press(client, claim, "published")
    assert status_of(claim) == "in_review"
    assert any(m.startswith("Four-eyes rule") for m in messages_of(response))
    press(login(reviewer2), claim, "published")  # sending it back wrote nothing
    assert status_of(claim) == "published"


def test_editor_cannot_send_back_from_review(login, editor, in_review_claim):
    response = press(login(editor), in_review_claim, "researching", note="Wait")
    assert status_of(in_review_claim) == "in_review"
    assert any("may not send claims back to research" in m for m in messages_of(response))
