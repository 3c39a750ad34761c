from factcheck.claims import services
from factcheck.claims.history import claim_public_history, revision_changes, with_first_publication
from factcheck.claims.models import Claim
from tests.conftest import correct, span_of


def test_every_change_records_who_when_and_why(researched_claim, editor):
    records = list(researched_claim.history.order_by("history_date", "history_id"))

    assert [r.history_change_reason for r in records] == [
        "Claim created",
        "Research started",
        "Evidence added: ASEM InfoBoard — ASEM1 Bangkok",
        "Edited rating, verdict, verdict_en",
    ]
    assert {r.history_user for r in records} == {editor}
    assert all(r.history_date for r in records)


def test_history_says_what_changed_field_by_field(researched_claim):
    newest, previous = researched_claim.history.order_by("-history_date", "-history_id")[:2]

    changes = {c.field: (c.old, c.new) for c in revision_changes(newest, previous)}

    assert changes["verdict"] == ("", "Benar: KTT pertama di Bangkok, 1996.")
    assert changes["verdict_en"] == ("", "True.")
    assert "rating" in changes


def test_evidence_and_articles_have_history_with_user(researched_claim, editor):
    evidence = researched_claim.evidence.get()
    article = researched_claim.article

    assert evidence.history.get().history_user == editor
    assert evidence.history.get().history_change_reason == "Evidence added"
    assert article.history.get().history_user == editor


def test_a_correction_is_a_public_version_with_its_note_and_word_diff(published_claim, reviewer, reviewer2):
    correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        changes={"verdict": "Benar: KTT pertama di Bangkok, Maret 1996."},
        note="Menambahkan bulan KTT pertama.",
    )

    versions = claim_public_history(published_claim)

    assert [v.kind for v in versions] == ["published", "correction"]
    correction = versions[1]
    assert correction.note == "Menambahkan bulan KTT pertama."
    [change] = correction.changes
    assert change.field == "verdict"
    assert "Maret" in " ".join(change.added)
    assert change.removed == []


def test_public_history_is_three_queries_however_many_revisions(
    published_claim, reviewer, reviewer2, django_assert_num_queries
):
    claim = published_claim
    for n in range(3):
        proposer, approver = (reviewer2, reviewer) if n % 2 else (reviewer, reviewer2)  # four-eyes
        claim = correct(
            claim,
            by=proposer,
            approver=approver,
            changes={"verdict_en": f"True (revision {n})."},
            note=f"Revision {n}.",
        )

    # 1. the first public historical row; 2. the corrections; 3. the rating scale
    with django_assert_num_queries(3):
        versions = claim_public_history(claim)

    assert len(versions) == 4


def test_the_first_publication_read_with_the_claim_gives_the_same_history(
    article, editor, published_claim, reviewer, reviewer2, django_assert_num_queries
):
    start, end = span_of(article, "Forum ini mencakup 53 negara mitra.")
    never_public = services.claim_create(article=article, start=start, end=end, by=editor, statement="53 mitra")
    corrected = correct(published_claim, by=reviewer, approver=reviewer2, changes={"verdict_en": "T."}, note="N.")
    # Never public: no history, no query. Corrected: publication and correction; the corrections and the
    # scale's labels are read, the first public row is not.
    for claim, queries in ((never_public, 0), (corrected, 2)):
        read_with_it = with_first_publication(Claim.objects.filter(pk=claim.pk)).get()
        with django_assert_num_queries(queries):
            versions = claim_public_history(read_with_it)
        assert versions == claim_public_history(Claim.objects.get(pk=claim.pk))
    assert [v.kind for v in versions] == ["published", "correction"]
