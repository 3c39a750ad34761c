"""Concurrent editing: the second of two editors saving the same claim is refused, and nothing is overwritten."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from factcheck.claims import revisions, services
from factcheck.claims.models import Article, Claim, Evidence, Revision

from .conftest import change_url
from .test_claim_change_page import form_data


def test_second_save_is_refused_with_who_when_and_a_link_to_the_change(login, editor, editor2, rich_claim):
    first, second = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    first.force_login(editor)
    second.force_login(editor2)
    # Both open the claim.
    data_first = form_data(first, rich_claim, claimant="Kementerian Luar Negeri", _save="1")
    data_second = form_data(second, rich_claim, claimant="Kemlu RI", _save="1")
    data_second["evidence-0-title"] = "A title that must not be saved"
    # The first save wins.
    assert first.post(change_url(rich_claim), data_first).status_code == 302
    # The second is refused: the page comes back with their input and the reason.
    response = second.post(change_url(rich_claim), data_second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This claim was changed by Editor at " in html and "since you opened it" in html
    assert f'<a href="/admin/claims/claim/{rich_claim.pk}/history/">See their change in the history</a>' in html
    assert response.context["adminform"].form["claimant"].value() == "Kemlu RI"
    # Nothing of the second save was written, the evidence edit neither.
    claim = Claim.objects.get(pk=rich_claim.pk)
    assert claim.claimant == "Kementerian Luar Negeri" and claim.version == rich_claim.version + 1
    assert not Evidence.objects.filter(title="A title that must not be saved").exists()
    assert claim.history.filter(history_user=editor2).count() == 0


def test_stale_save_names_who_changed_the_status(login, editor, reviewer, in_review_claim):
    client = login(editor)
    data = form_data(client, in_review_claim, claimant="Someone", _save="1")
    services.claim_send_back(claim=in_review_claim, by=reviewer, note="More sources")
    response = client.post(change_url(in_review_claim), data)
    assert any("changed by Reviewer at" in e for e in response.context["adminform"].form.non_field_errors())


def test_resubmitting_the_stale_page_is_refused_again(login, editor, editor2, rich_claim):
    client = login(editor)
    data = form_data(client, rich_claim, claimant="A", _save="1")
    services.claim_update(claim=rich_claim, by=editor2, expected_version=rich_claim.version, changes={"claimant": "B"})
    for _ in range(2):
        response = client.post(change_url(rich_claim), data)
        assert response.status_code == 200
    assert Claim.objects.get(pk=rich_claim.pk).claimant == "B"


def test_save_without_a_version_is_refused(login, editor, rich_claim):
    client = login(editor)
    data = form_data(client, rich_claim, claimant="A", _save="1")
    del data["version"]
    response = client.post(change_url(rich_claim), data)
    assert response.status_code == 200
    assert "version" in response.context["adminform"].form.errors
    assert Claim.objects.get(pk=rich_claim.pk).claimant == rich_claim.claimant


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_saves_wait_for_the_row_lock_and_the_loser_is_refused(editor, editor2, rich_claim):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT ... FOR UPDATE) need PostgreSQL.")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(editor2)
    data = form_data(client, rich_claim, claimant="Loser", _save="1")
    locked, release = threading.Event(), threading.Event()
    results: dict = {}

    def first_editor_saves_slowly():
        try:
            with transaction.atomic():
                services.claim_update(
                    claim=rich_claim.pk, by=editor, expected_version=rich_claim.version, changes={"claimant": "Winner"}
                )
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def second_editor_saves():
        try:
            results["response"] = client.post(change_url(rich_claim), data)
        finally:
            connection.close()

    first = threading.Thread(target=first_editor_saves_slowly)
    first.start()
    assert locked.wait(10)
    second = threading.Thread(target=second_editor_saves)
    second.start()
    second.join(1.0)
    assert second.is_alive(), "the second save must wait for the first one's row lock"
    release.set()
    first.join(10)
    second.join(10)
    response = results["response"]
    assert response.status_code == 200
    assert "This claim was changed by Editor at " in response.content.decode()
    claim = Claim.objects.get(pk=rich_claim.pk)
    assert claim.claimant == "Winner" and claim.version == rich_claim.version + 1


def article_form_data(client, article, **overrides) -> dict:
    """The article's change form as the browser would submit it, unchanged, with ``overrides`` applied."""
    form = client.get(f"/admin/claims/article/{article.pk}/change/").context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    return {**data, **overrides}


def test_a_stale_article_correction_is_refused_and_undoes_nothing(login, editor, reviewer, reviewer2, published_claim):
    # Found: the form had no version, so what the editor saw but did not touch (the headline as it was) counted as
    # their change, and approving it put back the headline another correction had just fixed.
    article = published_claim.article
    client = login(editor)
    data = article_form_data(client, article, outlet="Outlet baru", note="Outlet diperbaiki.")
    fixed = revisions.revision_propose_article(
        article=article, by=reviewer, changes={"headline": "Judul baru"}, note="Judul diperbaiki."
    )
    revisions.revision_approve(revision=fixed, by=reviewer2)

    response = client.post(f"/admin/claims/article/{article.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    assert response.context["adminform"].form["outlet"].value() == "Outlet baru"  # the input is kept
    assert not Revision.objects.filter(article=article, state=Revision.State.PENDING).exists()
    assert Article.objects.get(pk=article.pk).headline == "Judul baru"


def test_a_stale_save_of_an_article_readers_do_not_see_is_refused(login, editor, editor2, article):
    client = login(editor)
    data = article_form_data(client, article, outlet="Mine")
    Article.objects.filter(pk=article.pk).update(outlet="Theirs", updated_at=timezone.now())

    response = client.post(f"/admin/claims/article/{article.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).outlet == "Theirs"


@pytest.mark.parametrize("shown", [False, True])
def test_the_article_form_carries_when_the_article_last_changed(login, editor, article, shown, request):
    if shown:
        article = request.getfixturevalue("published_claim").article

    html = login(editor).get(f"/admin/claims/article/{article.pk}/change/").content.decode()

    assert f'name="opened" value="{article.updated_at.isoformat()}"' in html
