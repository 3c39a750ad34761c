"""History in the admin: each revision's changes as readable field diffs, with the user and the reason."""

import pytest
from django.contrib.contenttypes.models import ContentType

from factcheck.claims import services
from factcheck.claims.models import Claim
from tests.conftest import correct

from .conftest import add_evidence


def history_url(claim) -> str:
    return f"/admin/claims/claim/{claim.pk}/history/"


def test_history_shows_who_why_and_what_changed(login, editor, reviewer, published_claim):
    html = login(reviewer).get(history_url(published_claim)).content.decode()
    # The publication: by whom, why, and the status change by its label.
    assert "<td>Reviewer</td>" in html
    assert '<td class="reason">Published</td>' in html
    assert '<span class="old">In review</span> &rarr; <span class="new">Published</span>' in html
    # Related rows by name, not by id.
    assert '<span class="old">—</span> &rarr; <span class="new">Benar / True</span>' in html
    assert '<span class="old">—</span> &rarr; <span class="new">Reviewer</span>' in html
    assert '<td class="reason">Claim created</td>' in html and "<em>Created</em>" in html


def test_long_texts_show_words_added_and_removed(login, editor, researched_claim):
    services.claim_update(
        claim=researched_claim,
        by=editor,
        expected_version=researched_claim.version,
        changes={"verdict": "Benar: KTT pertama ASEM di Bangkok, Maret 1996."},
        reason="Tanggal diperjelas",
    )
    html = login(editor).get(history_url(researched_claim)).content.decode()
    assert '<td class="reason">Tanggal diperjelas</td>' in html
    assert '<div class="word-diff">Benar: KTT pertama <ins>ASEM </ins>di Bangkok, <ins>Maret </ins>1996.</div>' in html


def test_history_escapes_what_editors_typed(login, editor, researched_claim):
    services.claim_update(
        claim=researched_claim,
        by=editor,
        expected_version=researched_claim.version,
        changes={"verdict": "Benar: KTT pertama di <b>Bangkok</b>, 1996."},
    )
    html = login(editor).get(history_url(researched_claim)).content.decode()
    assert "<ins>&lt;b&gt;Bangkok&lt;/b&gt;,</ins>" in html and "<b>Bangkok</b>" not in html
    assert "<del>Bangkok,</del>" in html


def test_deleted_claims_keep_their_history_page(login, editor, researched_claim):
    # Only a claim readers never saw is deleted (a shown one is retracted instead: test_roles.py).
    client = login(editor)
    client.post(f"/admin/claims/claim/{researched_claim.pk}/delete/", {"post": "yes"})
    assert not Claim.objects.filter(pk=researched_claim.pk).exists()
    html = client.get(history_url(researched_claim)).content.decode()
    assert "<em>Deleted</em>" in html and '<td class="reason">Deleted</td>' in html


def test_reverting_from_history_is_refused(login, editor, researched_claim):
    client = login(editor)
    record = researched_claim.history.earliest("history_date")
    url = f"/admin/claims/claim/{researched_claim.pk}/history/{record.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"statement": "reverted", "_save": "1"}).status_code == 405
    assert Claim.objects.get(pk=researched_claim.pk).statement != "reverted"


def test_article_history_is_readable_too(login, editor, article):
    response = login(editor).get(f"/admin/claims/article/{article.pk}/history/")
    assert response.status_code == 200
    assert "<em>Created</em>" in response.content.decode()


@pytest.mark.parametrize("more", [False, True])
def test_history_query_count_does_not_grow_with_revisions(login, editor, rich_claim, more, django_assert_num_queries):
    if more:
        for n in range(3, 9):
            add_evidence(rich_claim, editor, n)
        for claimant in "ABCDE":
            rich_claim = services.claim_update(
                claim=rich_claim, by=editor, expected_version=rich_claim.version, changes={"claimant": claimant}
            )
    client = login(editor)
    ContentType.objects.clear_cache()
    # 1 session, 2 user, 3 the claim, 4-5 permissions, 6 count of revisions, 7 the page of revisions with their
    # users, 8 the revision before the page (none here), 9 ratings named by changes, 10 users named by changes,
    # 11 the user model's content type (simple-history's user links).
    with django_assert_num_queries(11):
        response = client.get(f"/admin/claims/claim/{rich_claim.pk}/history/")
    assert response.status_code == 200


def test_a_long_correction_note_is_kept_whole_in_the_history(login, reviewer, reviewer2, published_claim):
    note = "Ringkasan diperjelas setelah pembaca menunjukkan bahwa KTT pertama ASEM berlangsung pada Maret 1996, " * 2
    correct(
        published_claim,
        by=reviewer2,
        approver=reviewer,
        changes={"verdict": "Benar: KTT pertama ASEM di Bangkok, Maret 1996."},
        note=note,
    )
    record = published_claim.history.latest("history_date")
    # on PostgreSQL too: the reason is text
    assert record.history_change_reason == f"Correction proposed by Reviewer2, approved by Reviewer: {note.strip()}"
    assert published_claim.corrections.get().note == note.strip()
    html = login(reviewer2).get(history_url(published_claim)).content.decode()
    assert note.strip() in html  # the public note field's change shows the whole note


@pytest.mark.parametrize("model", ["claim", "article"])
@pytest.mark.parametrize("address", ["{id}/history/", "{id}/history/1/", "1/history/{id}/"])
@pytest.mark.parametrize("not_an_id", ["abc", "1%00", "%00", "1.5"])
def test_a_history_address_whose_id_is_not_one_is_a_404(login, editor, researched_claim, model, address, not_an_id):
    client = login(editor)

    response = client.get(f"/admin/claims/{model}/" + address.format(id=not_an_id))

    assert response.status_code == 404
