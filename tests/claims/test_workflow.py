"""The workflow services: every transition checked, four-eyes, corrections and retractions, stale edits."""

import pytest

from factcheck.claims import revisions, services
from factcheck.claims.errors import (
    InvalidInput,
    InvalidTransition,
    NeedsReview,
    NotAllowed,
    StaleEdit,
    VersionRequired,
)
from factcheck.claims.models import Claim, Correction, Revision
from tests.conftest import correct, dismiss, retract

Status = Claim.Status


def test_draft_cannot_jump_to_published_and_the_message_names_both_statuses(draft_claim, reviewer):
    with pytest.raises(InvalidTransition, match="from draft to published"):
        services.claim_transition(claim=draft_claim, to="published", by=reviewer)


def test_unknown_status_is_refused_naming_the_field(draft_claim, editor):
    with pytest.raises(InvalidInput) as refused:
        services.claim_transition(claim=draft_claim, to="approved", by=editor)
    assert "status" in refused.value.errors


def test_sending_to_review_needs_rating_verdict_and_evidence(draft_claim, editor):
    claim = services.claim_start_research(claim=draft_claim, by=editor)

    with pytest.raises(InvalidInput) as refused:
        services.claim_send_to_review(claim=claim, by=editor)

    assert set(refused.value.errors) == {"rating", "verdict", "evidence"}
    assert Claim.objects.get(pk=claim.pk).status == Status.RESEARCHING


def test_editor_cannot_publish(in_review_claim, editor2):
    with pytest.raises(NotAllowed, match="publish_claim"):
        services.claim_publish(claim=in_review_claim, by=editor2)


def test_reviewer_who_wrote_part_of_the_verdict_cannot_publish_it(in_review_claim, reviewer):
    claim = services.claim_transition(claim=in_review_claim, to="researching", by=reviewer, note="Tighten it")
    claim = services.claim_update(
        claim=claim, by=reviewer, expected_version=claim.version, changes={"verdict": "Benar: Bangkok, 1996."}
    )
    claim = services.claim_send_to_review(claim=claim, by=reviewer)

    with pytest.raises(NotAllowed, match="Four-eyes rule: you wrote part of what would be made public"):
        services.claim_publish(claim=claim, by=reviewer)


def test_four_eyes_cannot_be_laundered_by_reassigning_the_researcher(researched_claim, reviewer, reviewer2, editor):
    """Finding 2: reassigning the researcher and a colleague's one-word edit do not clear the author."""
    claim = services.claim_update(
        claim=researched_claim,
        by=reviewer,
        expected_version=researched_claim.version,
        changes={"verdict": "Benar: KTT pertama ASEM di Bangkok, 1996."},
    )
    claim = services.claim_assign_researcher(claim=claim, researcher=reviewer2, by=reviewer)
    claim = services.claim_update(claim=claim, by=reviewer2, expected_version=claim.version, changes={"claimant": "X"})
    claim = services.claim_send_to_review(claim=claim, by=reviewer2)

    with pytest.raises(NotAllowed, match="Four-eyes"):
        services.claim_publish(claim=claim, by=reviewer)
    assert Status.PUBLISHED not in services.allowed_transitions(claim, reviewer)


def test_status_changes_and_assignments_are_not_authorship(in_review_claim, reviewer, reviewer2):
    claim = services.claim_assign_researcher(claim=in_review_claim, researcher=reviewer, by=reviewer)

    claim = services.claim_publish(claim=claim, by=reviewer)

    assert claim.status == Status.PUBLISHED


def test_another_reviewer_publishes_and_it_is_recorded(in_review_claim, reviewer):
    claim = services.claim_publish(claim=in_review_claim, by=reviewer, note="Checked twice")

    assert claim.status == Status.PUBLISHED and claim.reviewer == reviewer and claim.published_at
    record = claim.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == reviewer
    assert record.history_change_reason == "Published: Checked twice"


def test_the_researcher_of_a_published_claim_cannot_change(published_claim, reviewer, editor2):
    with pytest.raises(InvalidTransition, match="part of its public record"):
        services.claim_update(
            claim=published_claim,
            by=reviewer,
            expected_version=published_claim.version,
            changes={"researcher": editor2},
        )
    with pytest.raises(InvalidTransition, match="part of its public record"):
        services.claim_assign_researcher(claim=published_claim, researcher=editor2, by=reviewer)


def test_changing_a_published_verdict_directly_is_refused_naming_the_rule(published_claim, reviewer2):
    with pytest.raises(NeedsReview, match="approved by a reviewer who wrote none of it") as refused:
        services.claim_update(
            claim=published_claim, by=reviewer2, expected_version=published_claim.version, changes={"rating": "false"}
        )
    assert "rating" in refused.value.errors
    assert Claim.objects.get(pk=published_claim.pk).rating.key == "true"


def test_a_correction_goes_live_only_when_another_reviewer_approves_it(published_claim, reviewer, reviewer2):
    revision = revisions.revision_propose(
        claim=published_claim,
        by=reviewer2,
        expected_version=published_claim.version,
        changes={"rating": "mostly-true"},
        note="KTT di Bangkok, tetapi forum resmi berdiri kemudian.",
        note_en="The summit was in Bangkok, but the forum was founded formally later.",
    )
    assert Claim.objects.get(pk=published_claim.pk).rating.key == "true"  # nothing public changed

    with pytest.raises(NotAllowed, match="you proposed this revision"):
        revisions.revision_approve(revision=revision, by=reviewer2)
    claim = revisions.revision_approve(revision=revision, by=reviewer)

    assert claim.status == Status.PUBLISHED and claim.rating.key == "mostly-true"
    assert claim.public_note.startswith("KTT di Bangkok")
    correction = Correction.objects.get()
    assert correction.kind == "correction" and correction.claim_version == claim.version
    assert (correction.created_by, correction.approved_by) == (reviewer2, reviewer)
    assert correction.note_en.startswith("The summit")
    assert correction.changes == [{"kind": "field", "field": "rating", "old": "true", "new": "mostly-true"}]


def test_a_correction_needs_a_public_note(published_claim, reviewer2):
    with pytest.raises(InvalidInput) as refused:
        revisions.revision_propose(
            claim=published_claim,
            by=reviewer2,
            expected_version=published_claim.version,
            changes={"rating": "false"},
            note=" ",
        )
    assert "note" in refused.value.errors


def test_an_editor_may_propose_a_correction_but_not_approve_one(published_claim, editor2, reviewer2):
    revision = revisions.revision_propose(
        claim=published_claim,
        by=editor2,
        expected_version=published_claim.version,
        changes={"verdict": "Lain"},
        note="n",
    )
    with pytest.raises(NotAllowed, match="correct_claim"):
        revisions.revision_approve(revision=revision, by=editor2)
    assert revisions.revision_approve(revision=revision, by=reviewer2).verdict == "Lain"


def test_a_rejected_revision_leaves_the_live_version_and_says_why(published_claim, editor2, reviewer2):
    revision = revisions.revision_propose(
        claim=published_claim,
        by=editor2,
        expected_version=published_claim.version,
        changes={"verdict": "Lain"},
        note="n",
    )

    revisions.revision_reject(revision=revision, by=reviewer2, note="Sumbernya tidak cukup.")

    revision.refresh_from_db()
    assert revision.state == "rejected" and revision.decision_note == "Sumbernya tidak cukup."
    assert Claim.objects.get(pk=published_claim.pk).verdict != "Lain"
    assert not Correction.objects.exists()


def test_a_revision_proposed_on_an_older_version_cannot_be_approved(published_claim, editor2, reviewer, reviewer2):
    stale = revisions.revision_propose(
        claim=published_claim, by=editor2, expected_version=published_claim.version, changes={"verdict": "A"}, note="n"
    )
    revisions.revision_withdraw(revision=stale, by=editor2)
    correct(published_claim, by=editor2, approver=reviewer, changes={"verdict": "B"}, note="n")
    revision = revisions.revision_propose(
        claim=published_claim,
        by=editor2,
        expected_version=published_claim.version + 1,
        changes={"verdict": "C"},
        note="n",
    )
    Revision.objects.filter(pk=revision.pk).update(base_version=published_claim.version)

    with pytest.raises(InvalidTransition, match="changed since this revision was proposed"):
        revisions.revision_approve(revision=revision, by=reviewer2)


def test_retraction_is_proposed_and_approved_by_a_second_reviewer(published_claim, reviewer, reviewer2):
    with pytest.raises(InvalidInput):
        retract(published_claim, by=reviewer2, approver=reviewer, note="  ")
    with pytest.raises(InvalidTransition):
        services.claim_transition(claim=published_claim, to="retracted", by=reviewer2, note="x")

    claim = retract(published_claim, by=reviewer2, approver=reviewer, note="Sumber utama ditarik.")

    assert claim.status == Status.RETRACTED and claim.is_public
    assert Correction.objects.get().kind == "retraction"
    with pytest.raises(InvalidTransition):
        services.claim_update(claim=claim, by=reviewer2, expected_version=claim.version, changes={"verdict": "x"})


def test_dismissing_is_a_reviewers_approval_of_the_reason_someone_else_wrote(draft_claim, editor, reviewer):
    claim = services.claim_start_research(claim=draft_claim, by=editor)
    claim = services.claim_update(claim=claim, by=editor, expected_version=claim.version, changes={"checkable": False})
    with pytest.raises(InvalidInput) as refused:
        services.claim_send_to_review(claim=claim, by=editor)
    assert "not_checkable_reason" in refused.value.errors

    claim = dismiss(draft_claim, by=editor, approver=reviewer, reason="Opini penulis.")

    assert claim.status == Status.DISMISSED and not claim.checkable and claim.not_checkable_reason == "Opini penulis."
    assert claim.reviewer == reviewer


def test_an_editor_cannot_dismiss_and_the_author_of_the_reason_cannot_approve_it(draft_claim, editor, reviewer):
    claim = services.claim_start_research(claim=draft_claim, by=editor)
    claim = services.claim_update(
        claim=claim,
        by=reviewer,
        expected_version=claim.version,
        changes={"checkable": False, "not_checkable_reason": "Opini."},
    )
    claim = services.claim_send_to_review(claim=claim, by=editor)

    with pytest.raises(NotAllowed, match="publish_claim"):
        services.claim_dismiss(claim=claim, by=editor)
    with pytest.raises(NotAllowed, match="Four-eyes"):
        services.claim_dismiss(claim=claim, by=reviewer)


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(researched_claim, editor, editor2):
    opened_version = researched_claim.version
    services.claim_update(
        claim=researched_claim, by=editor2, expected_version=opened_version, changes={"claimant": "Editor 2"}
    )

    with pytest.raises(StaleEdit) as refused:
        services.claim_update(
            claim=researched_claim, by=editor, expected_version=opened_version, changes={"claimant": "Editor 1"}
        )

    assert "changed by Editor2" in refused.value.message and "since you opened it" in refused.value.message
    assert Claim.objects.get(pk=researched_claim.pk).claimant == "Editor 2"


def test_an_edit_without_a_version_is_refused(researched_claim, editor):
    with pytest.raises(VersionRequired):
        services.claim_update(claim=researched_claim, by=editor, expected_version=None, changes={"claimant": "x"})


def test_outsiders_cannot_change_anything(draft_claim, outsider):
    with pytest.raises(NotAllowed):
        services.claim_start_research(claim=draft_claim, by=outsider)


def test_allowed_transitions_follow_role_and_four_eyes(in_review_claim, editor, reviewer):
    assert services.allowed_transitions(in_review_claim, editor) == []
    assert services.allowed_transitions(in_review_claim, reviewer) == [Status.RESEARCHING, Status.PUBLISHED]


def test_nobody_deletes_a_claim_readers_see_not_even_a_superuser(published_claim, reviewer, superuser):
    for user in (reviewer, superuser):
        with pytest.raises(NeedsReview, match="never deleted"):
            services.claim_delete(claim=published_claim, by=user)

    assert Claim.objects.filter(pk=published_claim.pk).exists()


def test_a_draft_is_deleted_and_history_remains(draft_claim, editor):
    services.claim_delete(claim=draft_claim, by=editor)

    assert not Claim.objects.filter(pk=draft_claim.pk).exists()
    assert Claim.history.filter(id=draft_claim.pk, history_type="-").get().history_user == editor


def test_a_failed_approval_writes_nothing(in_review_claim, reviewer, reviewer2, monkeypatch):
    version = in_review_claim.version
    history = in_review_claim.history.count()

    def explode(*args, **kwargs):
        raise RuntimeError("crash after the first write")

    monkeypatch.setattr(Correction.objects, "create", explode)
    claim = services.claim_publish(claim=in_review_claim, by=reviewer)
    revision = revisions.revision_propose(
        claim=claim, by=reviewer2, expected_version=claim.version, kind="retraction", note="x"
    )
    with pytest.raises(RuntimeError):
        revisions.revision_approve(revision=revision, by=reviewer)

    fresh = Claim.objects.get(pk=claim.pk)
    assert fresh.status == Status.PUBLISHED and fresh.version == version + 1
    assert fresh.history.count() == history + 1
    assert Revision.objects.get().state == "pending"


def test_bulk_transition_checks_the_version_each_claim_was_selected_at(in_review_claim, reviewer, editor2):
    seen = in_review_claim.version
    services.claim_update(claim=in_review_claim, by=editor2, expected_version=seen, changes={"rating": "false"})

    [stale] = services.claim_transition_bulk(
        claims=[in_review_claim], to=Status.PUBLISHED, by=reviewer, versions={in_review_claim.pk: seen}
    )
    [unsaid] = services.claim_transition_bulk(claims=[in_review_claim], to=Status.PUBLISHED, by=reviewer, versions={})

    assert not stale.done and isinstance(stale.error, StaleEdit) and stale.error.current == seen + 1
    assert not unsaid.done and isinstance(unsaid.error, VersionRequired) and "reload the list" in unsaid.message
    assert Claim.objects.get(pk=in_review_claim.pk).status == Status.IN_REVIEW
    [published] = services.claim_transition_bulk(
        claims=[in_review_claim], to=Status.PUBLISHED, by=reviewer, versions={in_review_claim.pk: seen + 1}
    )
    assert published.done and published.claim.status == Status.PUBLISHED
