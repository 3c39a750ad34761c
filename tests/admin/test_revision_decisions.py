"""Deciding on a pending revision from the desk: every admin of a model with revisions has the same decision
buttons, answered by one view (factcheck/claims/admin/revision_decisions.py)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from factcheck.claims import revisions
from factcheck.claims.admin.revision_decisions import REVISION_DECISIONS, RevisionDecisionsMixin
from factcheck.claims.models import Article, Revision

from .conftest import messages_of


def models_with_revisions() -> list:
    """Every model in the admin whose rows a Revision changes (its ``revisions``), read off the models."""
    return [
        model
        for model in admin.site._registry
        for field in model._meta.get_fields()
        if field.one_to_many and field.related_model is Revision and field.get_accessor_name() == "revisions"
    ]


def test_every_admin_of_a_model_with_revisions_decides_through_the_one_view():
    found = models_with_revisions()
    assert {model.__name__ for model in found} >= {"Claim", "Article"}
    for model in found:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, RevisionDecisionsMixin), model.__name__
        url = reverse(f"admin:claims_{model._meta.model_name}_revision", args=[1, 1, "approve"])
        assert url.endswith("/revision/1/approve/")


@pytest.fixture
def article_revision(published_claim, reviewer):
    return revisions.revision_propose_article(
        article=published_claim.article, by=reviewer, changes={"headline": "Judul baru"}, note="Judul diperbaiki."
    )


def decision_url(revision, decision: str) -> str:
    return f"/admin/claims/article/{revision.article_id}/revision/{revision.pk}/{decision}/"


@pytest.mark.parametrize("decision", sorted(REVISION_DECISIONS))
def test_a_decision_is_a_post(login, reviewer2, article_revision, decision):
    assert login(reviewer2).get(decision_url(article_revision, decision)).status_code == 405
    assert Revision.objects.get(pk=article_revision.pk).state == Revision.State.PENDING


def test_another_reviewer_rejects_an_article_correction_with_a_note(login, reviewer2, article_revision):
    response = login(reviewer2).post(
        decision_url(article_revision, "reject"), {"note": "Sumber tidak cukup."}, follow=True
    )

    assert "The correction is rejected: the live version stays." in messages_of(response)
    assert Revision.objects.get(pk=article_revision.pk).state == Revision.State.REJECTED
    assert Article.objects.get(pk=article_revision.article_id).headline == "ASEM dan Ukraina"


def test_the_proposer_cannot_approve_and_is_told_why(login, reviewer, article_revision):
    response = login(reviewer).post(decision_url(article_revision, "approve"), follow=True)

    assert any("you proposed this revision" in message for message in messages_of(response))
    assert Revision.objects.get(pk=article_revision.pk).state == Revision.State.PENDING


def test_an_overlong_note_or_unknown_revision_changes_nothing(login, reviewer2, article_revision):
    client = login(reviewer2)
    response = client.post(decision_url(article_revision, "approve"), {"note": "x" * 5001}, follow=True)
    assert "The request was malformed; reload the page and try again." in messages_of(response)
    unknown = f"/admin/claims/article/{article_revision.article_id}/revision/999999/approve/"
    assert "The request was malformed; reload the page and try again." in messages_of(client.post(unknown, follow=True))
    assert Revision.objects.get(pk=article_revision.pk).state == Revision.State.PENDING
