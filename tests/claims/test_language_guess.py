"""The language of stored text without a language field (sources' titles and excerpts), for its lang attribute."""

import pytest

from factcheck.lib.language import guess_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Zelensky Says Ukraine Must Recognise It Will Not Join NATO", "en"),
        ("What source 1 says.", "en"),
        ("Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991 dan membuka hubungan diplomatik.", "id"),
        ("Решение о членстве Украины в АСЕМ будет принято на следующем саммите", "ru"),
        ("Україна подала заявку на членство в АСЕМ - глава МЗС", "uk"),
        ("ASEM InfoBoard", ""),
        ("", ""),
    ],
)
def test_it_guesses_the_language_or_says_it_cannot(text, language):
    assert guess_language(text) == language
