"""An article shown with its claims: its details change only through a reviewed correction of every claim."""

import pytest

from factcheck.claims import revisions, services
from factcheck.claims.errors import InvalidTransition, NeedsReview, NotAllowed
from factcheck.claims.models import Article, Correction


def test_the_headline_of_a_shown_article_does_not_change_on_one_persons_word(published_claim, reviewer):
    article = Article.objects.get(pk=published_claim.article_id)
    article.headline = "Judul lain"

    with pytest.raises(NeedsReview, match="propose a correction of the article"):
        services.article_update(article=article, by=reviewer, changed={"headline"})

    assert Article.objects.get(pk=article.pk).headline == "ASEM dan Ukraina"


def test_a_correction_of_the_article_goes_live_on_every_claim_when_another_reviewer_approves(
    published_claim, editor, reviewer, reviewer2
):
    article = published_claim.article
    revision = revisions.revision_propose_article(
        article=article, by=reviewer, changes={"headline": "ASEM, Ukraina dan Indonesia"}, note="Judul diperbaiki."
    )
    assert Article.objects.get(pk=article.pk).headline == "ASEM dan Ukraina"

    with pytest.raises(NotAllowed, match="you proposed this revision"):
        revisions.revision_approve(revision=revision, by=reviewer)
    with pytest.raises(NotAllowed, match="correct_claim"):
        revisions.revision_approve(revision=revision, by=editor)
    revisions.revision_approve(revision=revision, by=reviewer2)

    assert Article.objects.get(pk=article.pk).headline == "ASEM, Ukraina dan Indonesia"
    correction = Correction.objects.get(claim=published_claim)
    assert correction.note == "Judul diperbaiki."
    assert correction.changes == [
        {"kind": "field", "field": "article.headline", "old": "ASEM dan Ukraina", "new": "ASEM, Ukraina dan Indonesia"}
    ]
    published_claim.refresh_from_db()
    assert correction.claim_version == published_claim.version


def test_an_article_without_shown_claims_is_edited_directly(draft_claim, editor):
    article = Article.objects.get(pk=draft_claim.article_id)
    with pytest.raises(InvalidTransition, match="edit its details directly"):
        revisions.revision_propose_article(article=article, by=editor, changes={"headline": "X"}, note="n")
    article.headline = "Judul baru"

    services.article_update(article=article, by=editor, changed={"headline"})

    assert Article.objects.get(pk=article.pk).headline == "Judul baru"


def test_the_article_admin_proposes_and_another_reviewer_approves(client, published_claim, editor, reviewer2):
    article = published_claim.article
    client.force_login(editor)
    page = client.get(f"/admin/claims/article/{article.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(headline="Judul yang diperbaiki", note="Judul diperbaiki.")

    response = client.post(f"/admin/claims/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert Article.objects.get(pk=article.pk).headline == "ASEM dan Ukraina"
    revision = article.revisions.get(state="pending")
    client.force_login(reviewer2)
    html = client.get(f"/admin/claims/article/{article.pk}/change/").content.decode()
    assert "Koreksi artikel ini menunggu tinjauan" in html  # the desk in the site's language
    client.post(f"/admin/claims/article/{article.pk}/revision/{revision.pk}/approve/")
    assert Article.objects.get(pk=article.pk).headline == "Judul yang diperbaiki"
    page = client.get(f"/en/claims/{published_claim.slug}/").content.decode()
    assert "Headline of the article" in page and "Judul diperbaiki." in page
