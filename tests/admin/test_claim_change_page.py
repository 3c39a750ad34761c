"""The claim change page: quote in context, rating scale, evidence inline, edits and corrections via services."""

import pytest

from factcheck.claims import services
from factcheck.claims.models import Claim, Correction, Rating

from .conftest import change_url, messages_of


def form_data(client, claim, **overrides) -> dict:
    """The change form as the browser would submit it, unchanged, with ``overrides`` applied."""
    response = client.get(change_url(claim))
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for sub in formset.formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if isinstance(value, bool):
                    if value:
                        data[f"{sub.prefix}-{name}"] = "on"
                    continue
                data[f"{sub.prefix}-{name}"] = "" if value is None else value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- what the page shows ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "buttons"),
    [
        ("editor", "draft_claim", ["Start research", "Dismiss as not checkable"]),
        ("editor", "researched_claim", ["Back to draft", "Send to review", "Dismiss as not checkable"]),
        ("editor", "in_review_claim", []),
        ("reviewer2", "in_review_claim", ["Publish", "Send back to research"]),
        ("reviewer2", "published_claim", ["Retract"]),
        ("editor", "published_claim", []),
        ("superuser", "in_review_claim", ["Publish", "Send back to research"]),
    ],
)
@pytest.mark.django_db
def test_page_renders_for_each_role_with_the_expected_buttons(request, login, role, status, buttons):
    claim = request.getfixturevalue(status)
    client = login(request.getfixturevalue(role))
    response = client.get(change_url(claim))
    assert response.status_code == 200
    html = response.content.decode()
    all_labels = ["Start research", "Back to draft", "Send to review", "Publish", "Send back to research", "Retract"]
    all_labels += ["Dismiss as not checkable", "Reopen as draft"]
    shown = [label for label in all_labels if f">{label}</button>" in html]
    assert shown == buttons


def test_quote_is_shown_in_its_sentence_with_the_span_marked(login, editor, article):
    from .conftest import make_claim

    claim = make_claim(article, editor, "53 negara mitra")
    html = login(editor).get(change_url(claim)).content.decode()
    assert (
        '<blockquote class="claim-context">Asia-Europe Meeting (ASEM) didirikan di Bangkok tahun 1996. '
        "Forum ini mencakup <mark>53 negara mitra</mark>.\nIndonesia mengakui kemerdekaan Ukraina pada 28 Desember"
        " 1991.</blockquote>"
    ) in html


def test_quote_context_is_escaped(login, editor):
    from factcheck.claims.importing import ArticleMetadata, article_import

    article = article_import(
        data=b"Pada 2020 ada <script>alert(1)</script> di Jakarta. Angka 45 persen benar.\n",
        metadata=ArticleMetadata(headline="XSS"),
        by=editor,
    ).article
    start = article.body.index("<script>")
    claim = services.claim_create(article=article, start=start, end=start + 8, by=editor)
    html = login(editor).get(change_url(claim)).content.decode()
    assert "<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;" in html


def test_rating_is_a_choice_from_the_scale_with_each_definition(login, editor, draft_claim):
    html = login(editor).get(change_url(draft_claim)).content.decode()
    for rating in Rating.objects.all():
        assert f'type="radio" name="rating" value="{rating.pk}"' in html
        assert rating.definition_id in html and rating.definition_en in html
    assert "No rating yet" in html


def test_evidence_inline_shows_every_field(login, editor, rich_claim):
    html = login(editor).get(change_url(rich_claim)).content.decode()
    for name in ("url", "title", "publisher", "published_on", "excerpt", "stance", "is_primary", "archived_url"):
        assert f'name="evidence-0-{name}"' in html and f'name="evidence-1-{name}"' in html


def test_page_carries_the_version_the_editor_opened(login, editor, rich_claim):
    html = login(editor).get(change_url(rich_claim)).content.decode()
    assert f'<input type="hidden" name="version" value="{rich_claim.version}" id="id_version">' in html


# --- editing through the services ------------------------------------------------------------


def test_saving_goes_through_claim_update_with_user_and_reason(login, editor, rich_claim):
    client = login(editor)
    data = form_data(client, rich_claim, statement="ASEM lahir di Bangkok, 1996", _save="Save")
    response = client.post(change_url(rich_claim), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get(pk=rich_claim.pk)
    assert claim.statement == "ASEM lahir di Bangkok, 1996"
    assert claim.version == rich_claim.version + 1 and claim.last_edited_by == editor
    record = claim.history.latest("history_date")
    assert record.history_user == editor and record.history_change_reason == "Edited statement"


def test_add_form_creates_a_draft_through_claim_create(login, editor, article):
    client = login(editor)
    start = article.body.index("Indonesia mengakui")
    end = article.body.index("1991.") + 5
    response = client.post(
        "/admin/claims/claim/add/",
        {
            "article": article.pk,
            "start": start,
            "end": end,
            "statement": "Indonesia mengakui Ukraina pada 1991",
            "checkable": "on",
            "rating": "",
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "0",
            "evidence-0-url": "https://example.org/kemlu",
            "evidence-0-title": "Kemlu",
            "evidence-0-publisher": "Kemlu RI",
            "evidence-0-stance": "supports",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(article=article, start=start, end=end)
    assert claim.status == "draft" and claim.quote.startswith("Indonesia mengakui")
    assert claim.evidence.get().publisher == "Kemlu RI"
    reasons = list(claim.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[0] == "Created in the admin" and reasons[-1].startswith("Evidence added")


def test_add_form_refuses_a_span_outside_the_body(login, editor, article):
    response = login(editor).post(
        "/admin/claims/claim/add/",
        {
            "article": article.pk,
            "start": 5,
            "end": 100000,
            "checkable": "on",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "The end must be at most" in response.content.decode()
    assert not Claim.objects.filter(article=article, end=100000).exists()


# --- corrections -----------------------------------------------------------------------------


def test_correction_without_a_note_is_refused_next_to_the_note_field(login, reviewer2, published_claim):
    client = login(reviewer2)
    data = form_data(client, published_claim, verdict="Benar: KTT pertama ASEM di Bangkok, Maret 1996.", _save="1")
    response = client.post(change_url(published_claim), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["note"] == ["A correction needs a public note."]
    assert form["verdict"].value() == "Benar: KTT pertama ASEM di Bangkok, Maret 1996."  # the input is kept
    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.verdict == published_claim.verdict and claim.version == published_claim.version
    assert any("is a correction and needs a public note" in m for m in messages_of(response))


def test_correction_with_a_note_keeps_the_claim_published_and_is_in_history(login, reviewer2, published_claim):
    client = login(reviewer2)
    note = "Tanggal KTT ditambahkan."
    data = form_data(
        client, published_claim, verdict="Benar: KTT pertama ASEM di Bangkok, Maret 1996.", note=note, _save="1"
    )
    response = client.post(change_url(published_claim), data)
    assert response.status_code == 302
    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.status == "published" and claim.public_note == note
    assert Correction.objects.get(claim=claim).note == note
    assert claim.history.latest("history_date").history_change_reason == f"Correction: {note}"
    history = client.get(f"/admin/claims/claim/{claim.pk}/history/").content.decode()
    assert f"Correction: {note}" in history and "<ins>Maret </ins>1996." in history


def test_four_eyes_on_corrections_is_explained(login, editor, reviewer, published_claim):
    # ``reviewer`` did not research it but published it; the researcher is ``editor``. Make reviewer the last editor:
    services.claim_update(
        claim=published_claim,
        by=reviewer,
        expected_version=published_claim.version,
        changes={"verdict": "Benar."},
        note="Ringkas",
    )
    client = login(reviewer)
    html = client.get(change_url(published_claim)).content.decode()
    assert "You made the last edit to this claim, so another reviewer must correct its verdict" in html
    data = form_data(client, published_claim, verdict="Benar sekali.", note="lagi", _save="1")
    response = client.post(change_url(published_claim), data)
    assert response.status_code == 200
    assert any("Four-eyes rule" in m for m in messages_of(response))
    assert Claim.objects.get(pk=published_claim.pk).verdict == "Benar."


def test_editor_sees_a_published_verdict_read_only(login, editor, published_claim):
    response = login(editor).get(change_url(published_claim))
    form = response.context["adminform"].form
    for name in ("rating", "verdict", "statement"):
        assert name not in form.fields
    assert "claimant" in form.fields


def test_retracted_claim_is_read_only(login, reviewer2, published_claim):
    services.claim_retract(claim=published_claim, by=reviewer2, note="Salah sumber")
    response = login(reviewer2).get(change_url(published_claim))
    form = response.context["adminform"].form
    assert set(form.fields) == {"version"}
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission and not formset.has_delete_permission


# --- query count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("more", [False, True])
def test_change_page_query_count_does_not_grow_with_evidence_or_revisions(
    login, reviewer, editor, rich_claim, second_claim, more, django_assert_num_queries
):
    from django.contrib.contenttypes.models import ContentType

    from .conftest import add_evidence

    if more:
        for n in range(3, 7):
            add_evidence(rich_claim, editor, n)
        for claimant in ("A", "B", "C"):
            rich_claim = services.claim_update(
                claim=rich_claim, by=editor, expected_version=rich_claim.version, changes={"claimant": claimant}
            )
    client = login(reviewer)
    ContentType.objects.clear_cache()
    # 1 session, 2 user, 3 the claim with article, rating and people joined, 4-5 the user's and their groups'
    # permissions, 6 the claim's evidence (inline), 7 the claim's content type (admin log links, cached after),
    # 8 the rating scale (radio choices), 9 the possible researchers (select).
    with django_assert_num_queries(9):
        response = client.get(change_url(rich_claim))
    assert response.status_code == 200
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == (6 if more else 2)
