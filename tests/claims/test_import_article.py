"""The import_article command: repair, store with the original bytes, propose candidates."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from factcheck.claims.models import Article, Claim
from tests.conftest import SEED_FILE


def run(*args, stdin: bytes | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        old = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        try:
            call_command("import_article", *args, stdout=out, stderr=err)
        finally:
            sys.stdin = old
    else:
        call_command("import_article", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


SEED_OPTIONS = [
    "--title",
    "Diplomasi Pertahanan Ukraina-Indonesia",
    "--outlet",
    "Kompasiana",
    "--author",
    "Laila Al muna",
    "--url",
    "https://kompasiana.com/lailaalmuna1102/625cdb26bb44867c35676fa5/x",
    "--published",
    "2022-04-18",
    "--language",
    "id",
]


def test_import_stores_the_repaired_body_and_the_original_bytes(db, seed_bytes):
    out, _ = run(str(SEED_FILE), *SEED_OPTIONS)

    article = Article.objects.get()
    assert "Â" not in article.body and "\ufffd" not in article.body and "\u00a0" not in article.body
    assert bytes(article.original) == seed_bytes
    assert article.outlet == "Kompasiana"
    assert str(article.published_on) == "2022-04-18"
    assert "candidate claims" in out
    assert Claim.objects.count() == 0, "candidates are only listed unless --accept-all"


def test_import_is_recorded_in_history(db):
    run(str(SEED_FILE), *SEED_OPTIONS)

    record = Article.objects.get().history.get()
    assert record.history_type == "+"
    assert record.history_change_reason == "Imported with import_article"


def test_accept_all_stores_candidates_as_draft_claims_with_exact_spans_and_history(db):
    run(str(SEED_FILE), *SEED_OPTIONS, "--accept-all")

    article = Article.objects.get()
    claims = list(Claim.objects.all())
    assert len(claims) >= 10
    for claim in claims:
        assert claim.status == Claim.Status.DRAFT
        assert claim.quote == article.body[claim.start : claim.end]
        assert claim.history.get().history_change_reason == "Imported with import_article: candidate accepted"
    assert any("28 Desember 1991" in c.quote for c in claims)


def test_reimporting_the_same_text_is_a_no_op_that_says_so(db):
    run(str(SEED_FILE), *SEED_OPTIONS, "--accept-all")
    claims_before = Claim.objects.count()

    out, err = run(str(SEED_FILE), *SEED_OPTIONS, "--accept-all")

    assert "Already imported" in err and "nothing changed" in err
    assert Article.objects.count() == 1
    assert Claim.objects.count() == claims_before


def test_reads_standard_input_with_a_dash(db):
    run("-", "--title", "Dari stdin", stdin=b"Indonesia mengakui Ukraina pada 28 Desember 1991.\n")

    assert Article.objects.get().headline == "Dari stdin"


def test_dry_run_json_prints_text_and_candidates_and_touches_no_database(db, seed_bytes):
    out, _ = run(str(SEED_FILE), "--dry-run", "--json")

    payload = json.loads(out)
    assert set(payload) == {"text", "candidates"}
    assert "Â" not in payload["text"]
    for candidate in payload["candidates"]:
        assert set(candidate) == {"start", "end", "quote", "reasons", "score"}  # issue 17: ranked by score
        assert payload["text"][candidate["start"] : candidate["end"]] == candidate["quote"]
    assert Article.objects.count() == 0


def test_headline_defaults_to_the_first_sentence(db):
    run("-", stdin=b"ASEM didirikan di Bangkok tahun 1996. Kalimat kedua.\n")

    assert Article.objects.get().headline == "ASEM didirikan di Bangkok tahun 1996."


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"Caf\xe9 tidak UTF-8", "not valid UTF-8"),
    ],
)
def test_bad_files_end_with_a_clear_message_and_nothing_written(db, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(str(path))

    assert Article.objects.count() == 0


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.txt"))


@pytest.mark.parametrize(
    "option, value, flag",
    [
        ("--published", "18-04-2022", "--published"),
        ("--url", "javascript:alert(1)", "--url"),
        ("--language", "xx", "--language"),
    ],
)
def test_bad_metadata_names_the_option(db, option, value, flag):
    with pytest.raises(CommandError, match=f"^{flag}: "):
        run(str(SEED_FILE), option, value)

    assert Article.objects.count() == 0


def test_a_failure_while_storing_claims_leaves_nothing_half_written(db, monkeypatch):
    import factcheck.claims.importing as importing

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "bulk_create_with_history", explode)

    with pytest.raises(RuntimeError):
        run(str(SEED_FILE), "--accept-all")

    assert Article.objects.count() == 0
    assert Article.history.count() == 0
