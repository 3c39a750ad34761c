"""Hostile and malformed input through the import command: refused with a message, or stored harmlessly."""

import io

import pytest
from django.core.management import CommandError, call_command

from factcheck.claims.models import Article, Claim


def run_import(tmp_path, content: bytes, *args: str) -> str:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_article", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xff\xfe\x00S\x00e\x00n\x00", "binary"),  # UTF-16 with NUL bytes
        (b"Teks \xc3\x28 rusak", "not valid UTF-8"),
        (b"Teks dengan NUL \x00 di tengah", "binary"),
        (b"x" * 2_000_001, "at most 2,000,000 bytes"),
        (b"\x1b[31m\x07\x08", "control characters"),
    ],
)
def test_malformed_files_are_refused_and_nothing_is_written(db, tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        run_import(tmp_path, content, "--accept-all")

    assert Article.objects.count() == 0 and Claim.objects.count() == 0


@pytest.mark.parametrize(
    "option, value, flag, rule",
    [
        ("--url", "javascript:alert(document.cookie)", "--url", "http"),
        ("--url", "data:text/html;base64,PHNjcmlwdD4=", "--url", "http"),
        ("--url", "file:///etc/passwd", "--url", "http"),
        ("--title", "J" * 301, "--title", "at most 300 characters"),
        ("--author", "A" * 201, "--author", "at most 200 characters"),
        ("--published", "2022-02-30", "--published", "valid date"),
        ("--language", "<script>", "--language", "valid choice"),
    ],
)
def test_hostile_metadata_is_refused_naming_the_option_and_rule(db, tmp_path, option, value, flag, rule):
    with pytest.raises(CommandError) as refused:
        run_import(tmp_path, b"ASEM didirikan di Bangkok tahun 1996.\n", option, value)

    assert str(refused.value).startswith(f"{flag}: ")
    assert rule in str(refused.value)
    assert Article.objects.count() == 0


def test_markup_in_the_text_is_stored_as_text_not_interpreted(db, tmp_path):
    hostile = '<script>alert(1)</script> ASEM didirikan di Bangkok tahun 1996. <img src=x onerror="alert(2)">\n'

    run_import(tmp_path, hostile.encode(), "--title", "</script><script>alert(3)</script>", "--accept-all")

    article = Article.objects.get()
    assert article.body == hostile  # kept verbatim: escaping is the renderer's job
    assert article.headline == "</script><script>alert(3)</script>"
    assert Claim.objects.filter(quote__contains="Bangkok").exists()
