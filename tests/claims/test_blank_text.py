"""Text that shows nothing is empty: white space and invisible format characters (U+200B and the like) alike.

Found: ``str.strip()`` keeps a zero-width space, so an article, a note or a statement of nothing but U+200B passed
every "must not be empty" rule of the portal (factcheck/lib/blank.py is now the one rule).
"""

import pytest

from factcheck.claims import revisions, services
from factcheck.claims.errors import InvalidInput
from factcheck.claims.importing import ArticleMetadata, article_import
from factcheck.claims.models import Article
from factcheck.lib.blank import is_blank

INVISIBLE = " \u200b\u200d\ufeff\u200f\n"


@pytest.mark.parametrize(("text", "blank"), [("", True), (INVISIBLE, True), ("\u200ba", False), ("—", False)])
def test_blank_is_white_space_and_invisible_format_characters(text, blank):
    assert is_blank(text) is blank


def test_an_article_of_invisible_characters_is_not_imported(editor):
    metadata = ArticleMetadata(headline="Kosong", outlet="", author="", language="id")

    with pytest.raises(InvalidInput):
        article_import(data=INVISIBLE.encode(), metadata=metadata, by=editor)

    assert not Article.objects.exists()


def test_a_note_of_invisible_characters_is_no_note(published_claim, reviewer, reviewer2):
    article = published_claim.article
    with pytest.raises(InvalidInput):
        revisions.revision_propose_article(article=article, by=reviewer2, changes={"outlet": "X"}, note=INVISIBLE)
    revision = revisions.revision_propose_article(
        article=article, by=reviewer, changes={"headline": "Judul baru"}, note="Judul diperbaiki."
    )

    with pytest.raises(InvalidInput):
        revisions.revision_reject(revision=revision, by=reviewer2, note=INVISIBLE)


def test_a_statement_of_invisible_characters_is_no_statement(researched_claim, editor):
    claim = services.claim_update(
        claim=researched_claim, by=editor, expected_version=researched_claim.version, changes={"statement": INVISIBLE}
    )

    with pytest.raises(InvalidInput) as refused:
        services.claim_send_to_review(claim=claim, by=editor)

    assert "statement" in refused.value.errors
