import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from factcheck.claims import services
from factcheck.claims.errors import InvalidInput
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.models import LONG_TEXT_FIELDS, QUOTE_MAX, Article, Claim, Evidence, Rating
from tests.conftest import span_of


def test_rating_scale_is_seeded_as_data_in_both_languages(db):
    scale = {r.key: (r.value, r.label_id, r.label_en) for r in Rating.objects.all()}

    assert scale == {
        "true": (5, "Benar", "True"),
        "mostly-true": (4, "Sebagian besar benar", "Mostly true"),
        "half-true": (3, "Sebagian benar", "Half true"),
        "misleading": (2, "Menyesatkan", "Misleading"),
        "false": (1, "Keliru", "False"),
        "unproven": (None, "Tidak terbukti", "Unproven"),
    }
    assert all(r.definition_id and r.definition_en for r in Rating.objects.all())


def test_quote_is_always_the_exact_span_of_the_body(draft_claim):
    assert draft_claim.quote == draft_claim.article.body[draft_claim.start : draft_claim.end]
    assert draft_claim.quote == "Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996."


@pytest.mark.parametrize(
    "start, end, field, message",
    [
        (10, 10_000, "end", "at most"),
        (100_000, 100_010, "start", "at most"),  # the start too, not only the end
        (20, 10, "end", "greater than the start"),
        (5, 5, "end", "greater than the start"),
    ],
)
def test_span_outside_the_body_or_empty_is_refused_naming_the_field(article, editor, start, end, field, message):
    with pytest.raises(InvalidInput) as refused:
        services.claim_create(article=article, start=start, end=end, by=editor, statement="x")

    assert field in refused.value.errors
    assert message in " ".join(refused.value.errors[field])
    assert not Claim.objects.exists()


def test_a_second_claim_over_the_exact_same_span_is_refused_naming_both_ends(draft_claim, editor):
    with pytest.raises(InvalidInput, match="already covers exactly") as refused:
        services.claim_create(
            article=draft_claim.article, start=draft_claim.start, end=draft_claim.end, by=editor, statement="dup"
        )

    assert set(refused.value.errors) == {"start", "end"}  # a client that moved either end made the clash


def test_a_source_a_claim_lists_already_is_refused_naming_the_url(researched_claim, editor):
    listed = researched_claim.evidence.first()

    with pytest.raises(InvalidInput) as refused:
        services.evidence_add(claim=researched_claim, by=editor, url=listed.url, title="again", publisher="p")

    assert list(refused.value.errors) == ["url"]
    assert "already lists this source" in refused.value.errors["url"][0]


def test_overlapping_but_different_spans_are_allowed(draft_claim, editor):
    start, end = span_of(draft_claim.article, "didirikan di Bangkok")

    other = services.claim_create(article=draft_claim.article, start=start, end=end, by=editor, statement="b")

    assert other.quote == "didirikan di Bangkok"


def test_database_rejects_an_empty_span(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=article, slug="bad", start=7, end=3)


def test_database_rejects_a_duplicate_span(draft_claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=draft_claim.article, slug="dup", start=draft_claim.start, end=draft_claim.end)


def test_database_rejects_a_duplicate_slug(draft_claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=draft_claim.article, slug=draft_claim.slug, start=0, end=4)


def test_database_rejects_a_rating_that_is_not_on_the_scale(draft_claim):
    draft_claim.rating_id = 999_999
    with pytest.raises(IntegrityError), transaction.atomic():
        draft_claim.save()
        connection.check_constraints()  # foreign keys are checked at commit; check now


def test_database_rejects_a_published_claim_without_rating(draft_claim):
    draft_claim.status = Claim.Status.PUBLISHED
    with pytest.raises(IntegrityError), transaction.atomic():
        draft_claim.save()


def test_not_checkable_claim_cannot_carry_a_rating(draft_claim):
    draft_claim.checkable = False
    draft_claim.rating = Rating.objects.get(key="false")
    with pytest.raises(ValidationError) as invalid:
        draft_claim.full_clean()
    assert "rating" in invalid.value.message_dict


NOT_HTTP = ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://x.org/a"]
NO_SUCH_PORT = ["http://127.0.0.1:99999/", "https://example.org:0/", "https://example.org:65536/a"]


@pytest.mark.parametrize("url", NOT_HTTP + NO_SUCH_PORT)
def test_evidence_urls_accept_only_http_and_https_on_a_real_port(researched_claim, editor, url):
    with pytest.raises(InvalidInput) as refused:
        services.evidence_add(claim=researched_claim, by=editor, url=url, title="t", publisher="p")

    assert "url" in refused.value.errors
    assert Evidence.objects.filter(url=url).count() == 0


def test_article_body_cannot_change_once_claims_point_into_it(draft_claim):
    article = draft_claim.article
    article.body = article.body.replace("Bangkok", "Jakarta")

    with pytest.raises(ValidationError) as invalid:
        article.full_clean()

    assert "body" in invalid.value.message_dict


@pytest.mark.parametrize("url", ["https://example.org:8443/a", "http://example.org:1/", "https://example.org:65535/"])
def test_an_evidence_url_with_a_port_is_kept(researched_claim, editor, url):
    assert services.evidence_add(claim=researched_claim, by=editor, url=url, title="t", publisher="p").url == url


def test_a_second_article_with_the_same_text_is_refused_naming_the_body(article):
    twin = Article(slug="twin", headline="Twin", language=article.language, body=article.body)

    with pytest.raises(ValidationError) as invalid:
        twin.full_clean()

    assert list(invalid.value.message_dict) == ["body"]
    assert article.headline in invalid.value.message_dict["body"][0]


def test_a_claims_span_is_at_most_a_long_paragraph(editor):
    # Found: a span of 1.2 MB passed, and PostgreSQL's search vector (1 MB at most) failed the import (a 500).
    body = " ".join(f"kata{n}" for n in range(2000)) + "."
    article = import_article_text(editor, body)

    with pytest.raises(InvalidInput) as refused:
        services.claim_create(article=article, start=0, end=QUOTE_MAX + 1, by=editor, statement="x")

    assert "at most 5000 characters" in refused.value.errors["end"][0]
    assert services.claim_create(article=article, start=0, end=QUOTE_MAX, by=editor, statement="x").quote


@pytest.mark.parametrize("field", LONG_TEXT_FIELDS)
def test_a_verdict_or_reason_is_at_most_ten_thousand_characters(draft_claim, editor, field):
    with pytest.raises(InvalidInput) as refused:
        services.claim_update(
            claim=draft_claim, by=editor, expected_version=draft_claim.version, changes={field: "x" * 10_001}
        )

    assert list(refused.value.errors) == [field]


def import_article_text(editor, body: str) -> Article:
    metadata = ArticleMetadata(headline="Panjang", outlet="Contoh", author="Penulis", language="id")
    return article_import(data=body.encode(), metadata=metadata, by=editor).article
