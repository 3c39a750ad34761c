"""The workflow services: every transition checked, four-eyes, corrections and retractions, stale edits."""

import pytest

from factcheck.claims import services
from factcheck.claims.errors import InvalidInput, InvalidTransition, NotAllowed, StaleEdit, VersionRequired
from factcheck.claims.models import Claim, Correction

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


def test_reviewer_cannot_publish_a_claim_they_researched(researched_claim, reviewer, reviewer2):
    claim = services.claim_update(
        claim=researched_claim, by=reviewer, expected_version=researched_claim.version, changes={"researcher": reviewer}
    )
    claim = services.claim_send_to_review(claim=claim, by=reviewer)
    claim = services.claim_update(
        claim=claim, by=reviewer2, expected_version=claim.version, changes={"claimant": "Penulis artikel"}
    )

    with pytest.raises(NotAllowed, match="Four-eyes rule: Reviewer researched"):
        services.claim_publish(claim=claim, by=reviewer)


def test_reviewer_cannot_publish_a_claim_they_edited_last(in_review_claim, reviewer):
    claim = services.claim_update(
        claim=in_review_claim, by=reviewer, expected_version=in_review_claim.version, changes={"claimant": "X"}
    )

    with pytest.raises(NotAllowed, match="made the last edit"):
        services.claim_publish(claim=claim, by=reviewer)


def test_another_reviewer_publishes_and_it_is_recorded(in_review_claim, reviewer):
    claim = services.claim_publish(claim=in_review_claim, by=reviewer, note="Checked twice")

    assert claim.status == Status.PUBLISHED and claim.reviewer == reviewer and claim.published_at
    record = claim.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == reviewer
    assert record.history_change_reason == "Published: Checked twice"


def test_changing_a_published_verdict_is_a_correction_that_needs_a_note(published_claim, reviewer2):
    with pytest.raises(InvalidInput) as refused:
        services.claim_update(
            claim=published_claim, by=reviewer2, expected_version=published_claim.version, changes={"rating": "false"}
        )
    assert "note" in refused.value.errors

    claim = services.claim_update(
        claim=published_claim,
        by=reviewer2,
        expected_version=published_claim.version,
        changes={"rating": "mostly-true"},
        note="The summit was in Bangkok, but the forum was founded there only formally.",
    )

    assert claim.status == Status.PUBLISHED
    assert claim.public_note.startswith("The summit")
    correction = Correction.objects.get()
    assert correction.kind == "correction" and correction.claim_version == claim.version
    record = claim.history.order_by("-history_date", "-history_id").first()
    assert record.history_change_reason.startswith("Correction: The summit")


def test_editors_cannot_correct_published_verdicts(published_claim, editor2):
    with pytest.raises(NotAllowed, match="correct_claim"):
        services.claim_update(
            claim=published_claim,
            by=editor2,
            expected_version=published_claim.version,
            changes={"verdict": "Lain"},
            note="n",
        )


def test_retracting_needs_a_note_and_keeps_the_claim_visible(published_claim, reviewer2):
    with pytest.raises(InvalidInput):
        services.claim_retract(claim=published_claim, by=reviewer2, note="  ")

    claim = services.claim_retract(claim=published_claim, by=reviewer2, note="Sumber utama ditarik.")

    assert claim.status == Status.RETRACTED and claim.is_public
    assert Correction.objects.get().kind == "retraction"
    with pytest.raises(InvalidTransition):
        services.claim_update(claim=claim, by=reviewer2, expected_version=claim.version, changes={"verdict": "x"})


def test_dismissing_needs_a_reason(draft_claim, editor):
    with pytest.raises(InvalidInput) as refused:
        services.claim_dismiss(claim=draft_claim, by=editor)
    assert "note" in refused.value.errors

    claim = services.claim_dismiss(claim=draft_claim, by=editor, note="Opini penulis.")
    assert claim.status == Status.DISMISSED and not claim.checkable and claim.not_checkable_reason == "Opini penulis."


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


def test_only_a_superuser_deletes_a_published_claim_and_history_remains(published_claim, reviewer, superuser):
    with pytest.raises(NotAllowed, match="Only a superuser"):
        services.claim_delete(claim=published_claim, by=reviewer)

    services.claim_delete(claim=published_claim, by=superuser)

    assert not Claim.objects.filter(pk=published_claim.pk).exists()
    assert Claim.history.filter(id=published_claim.pk, history_type="-").get().history_user == superuser


def test_a_failed_transition_writes_nothing(in_review_claim, reviewer, monkeypatch):
    version = in_review_claim.version
    history = in_review_claim.history.count()

    def explode(*args, **kwargs):
        raise RuntimeError("crash after the first write")

    monkeypatch.setattr(Correction.objects, "create", explode)
    claim = services.claim_publish(claim=in_review_claim, by=reviewer)
    with pytest.raises(RuntimeError):
        services.claim_retract(claim=claim, by=reviewer, note="x")

    fresh = Claim.objects.get(pk=claim.pk)
    assert fresh.status == Status.PUBLISHED and fresh.version == version + 1
    assert fresh.history.count() == history + 1


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
