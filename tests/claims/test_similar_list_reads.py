"""What decides which claims a claim's page lists as similar ("Related fact-checks" of other articles): the
fields ``selectors.SIMILAR_LIST_FIELDS`` names, and no other. A change to one of them is what purges the pages
that list similar claims (surrogate key ``similar``, tests/edge/test_purging.py), so a field that moved a claim
into or out of another page's list without being named there would leave that page stale in the HTTP cache."""

from __future__ import annotations

import pytest
from django.db import models

from factcheck.claims import services
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.models import Claim
from factcheck.claims.selectors import SIMILAR_LIST_FIELDS, claim_related_list
from tests.conftest import research_claim, span_of

pytestmark = pytest.mark.django_db

OTHER_TEXT = "Ukraina ingin menjadi mitra forum Eropa itu. Kementerian menyambut permintaan tersebut.\n"
OTHER_SENTENCE = "Ukraina ingin menjadi mitra forum Eropa itu."


def other_claim_in_review(editor, statement: str = "Ukraina ingin menjadi mitra forum Eropa") -> Claim:
    """A claim of another article, researched and sent to review; by default its statements share no word
    with the fixture claim's."""
    metadata = ArticleMetadata(headline="Ukraina dan forum", outlet="Lain", author="Penulis lain", language="id")
    article = article_import(data=OTHER_TEXT.encode(), metadata=metadata, by=editor).article
    start, end = span_of(article, OTHER_SENTENCE)
    claim = services.claim_create(
        article=article,
        start=start,
        end=end,
        by=editor,
        statement=statement,
        statement_en="Ukraine wants to partner the European forum",
        claimant="Kementerian",
    )
    return services.claim_send_to_review(claim=research_claim(claim, editor), by=editor)


def publish_other_claim(editor, reviewer) -> Claim:
    """A public claim of another article that shares no word with the fixture claim's statements."""
    return services.claim_publish(claim=other_claim_in_review(editor), by=reviewer)


def listed_as_similar(claim: Claim, other: Claim) -> bool:
    return other.pk in {found.pk for found in claim_related_list(claim=claim)[1]}


def text_fields() -> list[str]:
    """Every text field of a claim a person or the code writes (the slug, made once, is not text)."""
    return [
        field.name
        for field in Claim._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices and field.name != "slug"
    ]


def test_a_claim_is_listed_as_similar_by_the_words_of_its_statements_only(published_claim, editor, reviewer):
    other = publish_other_claim(editor, reviewer)
    assert not listed_as_similar(published_claim, other)
    word = "Bangkok"  # the fixture claim's longest word but one: its page lists claims saying it
    assert text_fields(), "the claim model has text fields"
    for name in text_fields():
        original = getattr(other, name)
        setattr(other, name, word)
        other.save()
        listed = listed_as_similar(published_claim, other)
        assert listed == (name in SIMILAR_LIST_FIELDS), (
            f"{name}: {'lists' if listed else 'does not list'} the claim; SIMILAR_LIST_FIELDS says otherwise"
        )
        setattr(other, name, original)
        other.save()

    # Nor does its article's headline, which search reads.
    other.article.headline = f"{word} dan Ukraina"
    other.article.save()
    assert not listed_as_similar(published_claim, other)
