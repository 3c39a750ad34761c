""" "Already checked?" at a million claims (issue 17): candidates come from the full-text index by the text's
rarest words, so a lookup reads a few claims, not every statement; the exact scoring runs on those only.

docs/performance.md has the figures at a million claims (bench/similar.py --in-place); these tests keep
the rules that give them. Quality on the paraphrase set: tests/api/test_similar.py.
"""

import pytest
from django.db import connection
from django.utils import timezone

from factcheck.claims import similar
from factcheck.claims.models import Article, Claim, Rating
from factcheck.claims.paraphrases import read_set
from factcheck.claims.similar import SIMILAR_SETTINGS, WordFrequencies, key_words, similar_claims, word_frequencies

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics and plans of PostgreSQL")

TARGET = "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991."
TEXT = "Benarkah pemerintah Indonesia mengakui kemerdekaan Ukraina?"


def publish(statements: list[str]) -> list[Claim]:
    """Published claims with these statements, in one article."""
    body = "\n".join(statements)
    article = Article.objects.create(slug="similar-candidates", headline="Klaim", body=body)
    rating = Rating.objects.get(key="true")
    claims, start = [], 0
    for n, statement in enumerate(statements):
        claims.append(
            Claim.objects.create(
                article=article,
                slug=f"similar-candidate-{n}",
                start=start,
                end=start + len(statement),
                statement=statement,
                status=Claim.Status.PUBLISHED,
                rating=rating,
                verdict="Putusan.",
                published_at=timezone.now(),
            )
        )
        start += len(statement) + 1
    return claims


def analyze() -> None:
    """The words' frequencies, as autovacuum keeps them (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE claims_claim")


def distractors(count: int) -> list[str]:
    """Statements that share the text's common words and none of its rare ones."""
    return [f"Pemerintah Indonesia menyatakan harga beras naik di Jakarta, laporan {n}." for n in range(count)]


def test_the_key_words_are_the_rarest_of_the_text_the_longer_first_among_equals(monkeypatch):
    shares = {"indonesia": 0.2, "di": 0.4, "tahun": 0.1, "ukraina": 0.002, "aku": 0.01, "merdeka": 0.005}
    monkeypatch.setattr(similar, "word_frequencies", lambda using: WordFrequencies(shares))
    words = ["benarkah", "indonesia", "mengakui", "kemerdekaan", "ukraina", "di", "tahun", "1991", "ri"]

    # "benarkah", "1991" and "ri" are not in the statistics: rarer than any word that is, or absent.
    assert key_words(words, using="default") == ["benarkah", "1991", "ri", "ukraina", "kemerdekaan", "mengakui"]


def test_a_word_counts_by_its_commonest_form():
    frequencies = WordFrequencies({"aku": 0.01, "mengakui": 0.001})

    assert frequencies.of("mengakui") == 0.01  # its Indonesian stem, aku
    assert frequencies.of("nusantara") == 0.0


def test_a_claim_among_many_sharing_the_texts_common_words_is_found_by_its_rare_ones(db, monkeypatch):
    claims = publish([TARGET, *distractors(40)])
    analyze()
    monkeypatch.setattr(similar, "SIMILAR_CANDIDATES", 5)  # fewer than the claims sharing a common word

    found = similar_claims(text=TEXT)

    assert found.complete
    assert found[0].claim == claims[0]


@pytest.mark.parametrize(
    ("text", "queries"),
    [
        # Every word common: the candidates by the common words at once.
        ("Pemerintah Indonesia menyatakan harga beras naik di Jakarta", 6),
        # Its rare word in no claim: first the steps by the rare word (none), then by the common words.
        ("Pemerintah Indonesia menyatakan harga beras naik drastis di Jakarta", 7),
    ],
)
def test_a_text_of_common_words_finds_the_claims_holding_them(db, text, queries, django_assert_num_queries):
    claims = publish(distractors(40))
    analyze()
    if connection.vendor == "postgresql":
        word_frequencies(connection.alias)

    # PostgreSQL: the lookup's savepoint, settings, candidates, settings reset, release; the answered claims.
    with django_assert_num_queries(queries if connection.vendor == "postgresql" else 1):
        found = similar_claims(text=text)

    assert found.complete
    assert {item.claim for item in found} <= set(claims)
    assert len(found) == similar.SIMILAR_LIMIT


@postgresql_only
def test_the_frequencies_are_the_statistics_of_the_search_vector(db):
    publish([TARGET, *distractors(9)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")

    frequencies = word_frequencies("default")

    assert frequencies.of("pemerintah") > frequencies.of("ukraina") > 0
    assert frequencies.of("nusantara") == 0.0
    assert word_frequencies("default") is frequencies  # kept by the process, not read at every lookup


@postgresql_only
def test_the_candidates_are_read_from_the_full_text_index_only(db):
    publish([TARGET, *distractors(3)])
    words = similar.stemming.query_words(TEXT, limit=40)
    candidates = similar.similar_candidates(
        Claim.objects.filter(status=Claim.Status.PUBLISHED), TEXT, words, key_words(words, using="default")
    )
    with connection.cursor() as cursor:
        for name, value in SIMILAR_SETTINGS.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        plan = candidates.explain()

    assert "claim_search_vector_gin" in plan
    assert "Seq Scan on claims_claim" not in plan
    assert plan.count("Bitmap Index Scan on claim_search_vector_gin") == len(key_words(words, using="default"))
    # The steps (U0, U0_1, ...) use no other index, however few the claims: the published ones are kept from
    # the rows the GIN index found.
    steps = plan[plan.index('claims_claim "U0"') :]
    assert steps.count("Index Scan on") == steps.count("Index Scan on claim_search_vector_gin")


@postgresql_only
def test_the_forms_written_out_are_postgresqls_own_lexemes(db):
    # The candidate steps and the similar claims a page lists are found by tsqueries written from the forms
    # stemming makes (no stemming in the query):
    # for every word of the paraphrase set, PostgreSQL's Indonesian and English lexemes must be among them.
    data = read_set()
    texts = [pair["text"] for pair in data["pairs"]] + [c[lang] for c in data["claims"] for lang in ("id", "en")]
    words = sorted({word for text in texts for word in similar.stemming.query_words(text, limit=100)})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, tsvector_to_array(to_tsvector('indonesian', word)) || "
            "tsvector_to_array(to_tsvector('english', word)) FROM unnest(%s::text[]) AS word",
            [words],
        )
        theirs = dict(cursor.fetchall())

    assert len(words) > 200
    missing = {word: set(lexemes) for word, lexemes in theirs.items() if not set(lexemes) <= similar.lexemes_of(word)}
    assert missing == {}


def test_claims_readers_cannot_see_do_not_crowd_out_the_published_ones(db, monkeypatch):
    # Drafts and retracted claims saying the same (an editor's copies, an old verdict) come first in the index.
    hidden = publish([TARGET] * 6)
    Claim.objects.filter(pk__in=[claim.pk for claim in hidden[:3]]).update(status=Claim.Status.DRAFT)
    Claim.objects.filter(pk__in=[claim.pk for claim in hidden[3:]]).update(status=Claim.Status.RETRACTED)
    Claim.objects.filter(pk=hidden[-1].pk).update(status=Claim.Status.PUBLISHED)
    analyze()
    monkeypatch.setattr(similar, "SIMILAR_CANDIDATES", 5)  # fewer than the hidden claims holding every key word

    found = similar_claims(text=TEXT)

    assert [item.claim.pk for item in found] == [hidden[-1].pk]


def test_a_claim_found_by_an_earlier_step_takes_one_candidate_place_only(db, monkeypatch):
    # Three claims hold every key word, a fourth all but one: the second step finds the three again, and they
    # must not fill the places left for the fourth.
    claims = publish([TARGET, TARGET, TARGET, "Indonesia mengakui kemerdekaan Ukraina pada tahun 1991."])
    monkeypatch.setattr(similar, "word_frequencies", lambda using: WordFrequencies())  # every word rare
    monkeypatch.setattr(similar, "SIMILAR_CANDIDATES", 5)

    found = similar_claims(text=TARGET)

    assert {item.claim for item in found} == set(claims)
