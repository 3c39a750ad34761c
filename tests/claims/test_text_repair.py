import pytest

from factcheck.lib.text_repair import UndecodableText, decode_text, repair_text

INDONESIAN_MARKS = set("().,-–'\"") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def test_seed_article_has_no_mojibake_left(seed_bytes):
    repaired = repair_text(decode_text(seed_bytes))

    assert "Â" not in repaired
    assert "\ufffd" not in repaired
    assert "\u00a0" not in repaired


def test_every_letter_and_punctuation_mark_of_the_seed_survives(seed_bytes):
    original = seed_bytes.decode("utf-8")
    repaired = repair_text(original)

    def visible(text: str) -> str:
        return "".join(ch for ch in text if not ch.isspace() and ch != "Â")

    assert visible(repaired) == visible(original)


def test_lone_a_circumflex_at_line_end_is_removed_but_a_letter_in_a_word_is_kept():
    assert repair_text("Bangkok tahun 1996.Â\nDengan") == "Bangkok tahun 1996.\nDengan\n"
    assert repair_text("ÂNGELO tiba.") == "ÂNGELO tiba.\n"


def test_classic_utf8_as_latin1_mojibake_is_fixed():
    assert repair_text("kerjasama Asiaâ€“Eropa") == "kerjasama Asia–Eropa\n"


def test_non_breaking_spaces_and_trailing_spaces_become_plain_text():
    assert repair_text("Satu\u00a0dua  \r\ntiga\u00a0") == "Satu dua\ntiga\n"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\t", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Caf\xe9 au lait", "not valid UTF-8"),
        (b"abc\x01\x02def", "control characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(data, message):
    with pytest.raises(UndecodableText, match=message):
        decode_text(data)
