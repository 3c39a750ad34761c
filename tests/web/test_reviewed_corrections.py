"""Reader pages and corrections: nothing changes while a revision is pending; then the note, the source diff
and the languages are honest."""

from factcheck.claims import revisions
from tests.conftest import correct


def page(client, claim, language: str = "id") -> str:
    prefix = "/en" if language == "en" else ""
    return client.get(f"{prefix}/claims/{claim.slug}/").content.decode()


def test_a_pending_correction_changes_nothing_readers_see(client, published_claim, editor):
    before = {language: page(client, published_claim, language) for language in ("id", "en")}
    revisions.revision_propose(
        claim=published_claim,
        by=editor,
        expected_version=published_claim.version,
        changes={"rating": "false", "verdict": "Keliru."},
        note="Diperbaiki.",
    )

    for language in ("id", "en"):
        after = page(client, published_claim, language)
        assert "Diperbaiki." not in after and "Keliru." not in after
        assert after.count("rating-true") == before[language].count("rating-true")
    assert "Diperbaiki." not in client.get("/corrections/").content.decode()


def test_a_rating_corrected_without_the_english_verdict_marks_the_english_text_pending(
    client, published_claim, editor, reviewer2
):
    claim = correct(
        published_claim,
        by=editor,
        approver=reviewer2,
        changes={"rating": "false", "verdict": "Keliru: forum itu berdiri pada 1996 di Bangkok, tetapi …"},
        note="Penilaian diubah.",
    )
    assert claim.english_pending

    english = page(client, claim, "en")
    assert "Translation pending" in english
    assert '<p lang="id">Keliru: forum itu' in english
    assert "True." not in english.split('id="verdict-title"')[1].split("</section>")[0]
    assert '<span lang="id">Penilaian diubah.</span>' in english and "translation pending" in english

    claim = correct(
        claim, by=editor, approver=reviewer2, changes={"verdict_en": "False: the forum …"}, note="Terjemahan."
    )
    english = page(client, claim, "en")
    assert not claim.english_pending
    assert '<p lang="en">False: the forum' in english and "Translation pending" not in english


def test_a_correction_shows_its_note_in_each_language_and_the_source_diff(client, published_claim, editor, reviewer2):
    source = published_claim.evidence.get()
    correct(
        published_claim,
        by=editor,
        approver=reviewer2,
        evidence=[
            {"id": source.pk, "stance": "context"},
            {"url": "https://example.org/baru", "title": "Laporan baru", "publisher": "Kompas", "stance": "refutes"},
        ],
        note="Sumber ditambah.",
        note_en="A source was added.",
    )

    indonesian, english = page(client, published_claim), page(client, published_claim, "en")
    assert "Sumber ditambah." in indonesian and "A source was added." in english
    assert "Sumber ditambahkan:" in indonesian and "Kompas — Laporan baru" in indonesian
    assert "Source added:" in english and "Supports the claim</del> → <ins>Context" in english
    corrections = client.get("/corrections/").content.decode()
    assert "Sumber ditambah." in corrections
