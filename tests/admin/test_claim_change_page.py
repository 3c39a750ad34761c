"""The claim change page: quote in context, rating scale, evidence inline, edits and corrections via services."""

import pytest

from factcheck.claims import gate, revisions, services
from factcheck.claims.models import Claim, Correction, Rating, Revision
from tests.conftest import retract

from .conftest import change_url, messages_of, revision_url


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


@pytest.fixture
def not_checkable_in_review(draft_claim, editor):
    """A claim ``editor`` marked not checkable, with the reason readers would see, sent to review."""
    claim = services.claim_start_research(claim=draft_claim, by=editor)
    claim = services.claim_update(
        claim=claim,
        by=editor,
        expected_version=claim.version,
        changes={"checkable": False, "not_checkable_reason": "Ini opini penulis."},
    )
    return services.claim_send_to_review(claim=claim, by=editor)


@pytest.mark.parametrize(
    ("role", "status", "buttons"),
    [
        ("editor", "draft_claim", ["Start research"]),
        ("editor", "researched_claim", ["Back to draft", "Send to review"]),
        ("editor", "in_review_claim", []),
        ("reviewer2", "in_review_claim", ["Publish", "Send back to research"]),
        ("editor", "not_checkable_in_review", []),
        ("reviewer2", "not_checkable_in_review", ["Send back to research", "Approve as not checkable (dismiss)"]),
        ("reviewer2", "published_claim", ["Propose retraction"]),
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
    all_labels = ["Start research", "Back to draft", "Send to review", "Publish", "Send back to research"]
    all_labels += ["Approve as not checkable (dismiss)", "Reopen as draft", "Propose retraction", "Retract"]
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


# --- corrections: proposed in the change form, approved by another reviewer --------------------------


CORRECTED_VERDICT = "Benar: KTT pertama ASEM di Bangkok, Maret 1996."


def test_correction_without_a_note_is_refused_next_to_the_note_field(login, reviewer2, published_claim):
    client = login(reviewer2)
    data = form_data(client, published_claim, verdict=CORRECTED_VERDICT, _save="1")
    response = client.post(change_url(published_claim), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["note"] == ["Readers see this note; it is required."]
    assert form["verdict"].value() == CORRECTED_VERDICT  # the input is kept
    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.verdict == published_claim.verdict and claim.version == published_claim.version
    assert not Revision.objects.filter(claim=claim).exists()
    assert any("needs a public note" in e for e in form.non_field_errors())


def test_correction_with_a_note_keeps_the_claim_published_and_is_in_history(
    login, reviewer, reviewer2, published_claim
):
    client = login(reviewer2)
    note = "Tanggal KTT ditambahkan."
    data = form_data(client, published_claim, verdict=CORRECTED_VERDICT, note=note, note_en="Date added.", _save="1")
    response = client.post(change_url(published_claim), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url(published_claim)
    assert any(m.startswith("Your correction is proposed") for m in messages_of(response))
    # Proposed, not live: readers still see the published verdict as it was.
    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.verdict == published_claim.verdict and claim.version == published_claim.version
    assert not Correction.objects.filter(claim=claim).exists()
    revision = Revision.objects.get(claim=claim, state="pending")
    assert (revision.proposed_by, revision.note, revision.note_en) == (reviewer2, note, "Date added.")
    assert revision.changes == {"verdict": CORRECTED_VERDICT}
    # The change page shows the pending revision with its diff, and the fields are read-only meanwhile.
    html = response.content.decode()
    assert "A correction is pending review" in html and f"<ins>{CORRECTED_VERDICT}</ins>" in html
    assert not set(response.context["adminform"].form.fields) & services.EDITABLE_FIELDS
    # Another reviewer approves it in the panel: now it is live, a correction, and in the history.
    client = login(reviewer)
    assert f'action="{revision_url(claim, revision, "approve")}"' in client.get(change_url(claim)).content.decode()
    response = client.post(revision_url(claim, revision, "approve"), {"note": ""}, follow=True)
    assert any("is approved: it is live" in m for m in messages_of(response))
    claim.refresh_from_db()
    assert claim.status == "published" and claim.verdict == CORRECTED_VERDICT and claim.public_note == note
    correction = Correction.objects.get(claim=claim)
    assert (correction.note, correction.created_by, correction.approved_by) == (note, reviewer2, reviewer)
    reason = f"Correction proposed by Reviewer2, approved by Reviewer: {note}"
    assert claim.history.latest("history_date").history_change_reason == reason
    history = client.get(f"/admin/claims/claim/{claim.pk}/history/").content.decode()
    assert reason in history and "<ins>Maret </ins>1996." in history


def test_the_proposer_cannot_approve_their_own_correction_in_the_admin(login, reviewer, reviewer2, published_claim):
    revision = revisions.revision_propose(
        claim=published_claim,
        by=reviewer2,
        expected_version=published_claim.version,
        changes={"verdict": CORRECTED_VERDICT},
        note="Tanggal KTT ditambahkan.",
    )
    client = login(reviewer2)
    html = client.get(change_url(published_claim)).content.decode()
    assert "Four-eyes rule: you proposed this revision, so another reviewer must approve it." in html
    assert f'action="{revision_url(published_claim, revision, "approve")}"' not in html
    assert f'action="{revision_url(published_claim, revision, "withdraw")}"' in html  # their own: withdraw it
    response = client.post(revision_url(published_claim, revision, "approve"), {"note": ""}, follow=True)
    assert any(m.startswith("Four-eyes rule: you proposed this revision") for m in messages_of(response))
    revision.refresh_from_db()
    assert revision.state == "pending"
    assert Claim.objects.get(pk=published_claim.pk).verdict == published_claim.verdict
    assert not Correction.objects.exists()
    # Another reviewer sees the approve button (and no withdraw button: that is the author's).
    html = login(reviewer).get(change_url(published_claim)).content.decode()
    assert f'action="{revision_url(published_claim, revision, "approve")}"' in html
    assert f'action="{revision_url(published_claim, revision, "withdraw")}"' not in html


def test_a_reviewer_rejects_a_proposed_correction_with_a_note_and_the_live_version_stays(
    login, editor, reviewer2, published_claim
):
    revision = revisions.revision_propose(
        claim=published_claim,
        by=editor,
        expected_version=published_claim.version,
        changes={"verdict": CORRECTED_VERDICT},
        note="Tanggal KTT ditambahkan.",
    )
    client = login(reviewer2)
    response = client.post(revision_url(published_claim, revision, "reject"), {"note": " "}, follow=True)
    assert any("needs a note for its author" in m for m in messages_of(response))
    client.post(revision_url(published_claim, revision, "reject"), {"note": "Sumbernya belum cukup."})
    revision.refresh_from_db()
    assert (revision.state, revision.decided_by, revision.decision_note) == (
        "rejected",
        reviewer2,
        "Sumbernya belum cukup.",
    )
    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.verdict == published_claim.verdict and not Correction.objects.exists()
    assert "note" in client.get(change_url(claim)).context["adminform"].form.fields  # editable again


def test_only_its_author_withdraws_a_proposed_correction(login, editor, editor2, published_claim):
    revision = revisions.revision_propose(
        claim=published_claim,
        by=editor,
        expected_version=published_claim.version,
        changes={"claimant": "Kemlu"},
        note="Sumber klaim diperjelas.",
    )
    response = login(editor2).post(revision_url(published_claim, revision, "withdraw"), {"note": ""}, follow=True)
    assert any("Only the author of a revision can withdraw it" in m for m in messages_of(response))
    revision.refresh_from_db()
    assert revision.state == "pending"
    login(editor).post(revision_url(published_claim, revision, "withdraw"), {"note": ""})
    revision.refresh_from_db()
    assert revision.state == "withdrawn"
    assert Claim.objects.get(pk=published_claim.pk).claimant == published_claim.claimant


def test_an_editor_proposes_corrections_but_not_the_public_record_of_a_published_verdict(
    login, editor, published_claim
):
    form = login(editor).get(change_url(published_claim)).context["adminform"].form
    for name in ("rating", "verdict", "statement", "claimant", "note", "note_en"):
        assert name in form.fields
    for name in gate.FIXED_WHEN_SHOWN & services.EDITABLE_FIELDS:  # researcher, checkable
        assert name not in form.fields


def test_a_pending_revision_makes_the_form_and_the_evidence_read_only(login, editor, reviewer2, published_claim):
    revisions.revision_propose(
        claim=published_claim,
        by=editor,
        expected_version=published_claim.version,
        changes={"claimant": "Kemlu"},
        note="Sumber klaim diperjelas.",
    )
    response = login(reviewer2).get(change_url(published_claim))
    assert not set(response.context["adminform"].form.fields) & services.EDITABLE_FIELDS  # all read-only
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission and not formset.has_delete_permission
    assert not formset.has_change_permission
    assert "Propose retraction" not in response.content.decode()  # one revision at a time


def test_retracted_claim_is_read_only(login, reviewer, reviewer2, published_claim):
    retract(published_claim, by=reviewer2, approver=reviewer, note="Salah sumber")
    response = login(reviewer2).get(change_url(published_claim))
    form = response.context["adminform"].form
    assert set(form.fields) == {"version"}
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission and not formset.has_delete_permission
    html = response.content.decode()
    assert "Propose retraction" not in html and "pending review" not in html


# --- query count ---------------------------------------------------------------------------------


@pytest.mark.parametrize("more", [False, True])
def test_change_page_query_count_does_not_grow_with_evidence_or_revisions(
    login, reviewer, editor, rich_claim, second_claim, more, settings, django_assert_num_queries
):
    from django.contrib.contenttypes.models import ContentType

    settings.SIMILAR_TIMEOUT_MS = 600_000  # a loaded machine may not cut the lookup short: its queries are counted

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
    # permissions, 6 the claim's pending revision with its author (none here; read once, for the fieldsets, the
    # read-only fields, the inline and the panel), 7 the claim's evidence (inline), 8 the claim's content type
    # (admin log links, cached after), 9 the rating scale (radio choices), 10 the possible researchers (select),
    # 11-12 the claim's and its evidence's history rows (who wrote what: the four-eyes rule, read once),
    # 13 published verdicts that say nearly the same ("Already checked?"; on PostgreSQL in a savepoint with its
    # statement timeout and plan settings: 4 statements more, and the words' frequencies, read once in ten
    # minutes per process: here first; none of the candidates answers, so no claim is loaded).
    from django.db import connection

    with django_assert_num_queries(18 if connection.vendor == "postgresql" else 13):
        response = client.get(change_url(rich_claim))
    assert response.status_code == 200
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == (6 if more else 2)


def test_change_page_query_count_of_a_claim_in_review_does_not_grow_with_its_history(
    login, reviewer, editor, in_review_claim
):
    """A reviewer's page of a claim in review reads its authors from history (the four-eyes rule): in a
    constant number of queries, however many edits and sources the claim has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import add_evidence

    client = login(reviewer)

    def queries() -> int:
        client.get(change_url(in_review_claim))  # warm the content type cache
        with CaptureQueriesContext(connection) as context:
            assert client.get(change_url(in_review_claim)).status_code == 200
        return len(context.captured_queries)

    few = queries()
    for n in range(3, 7):
        add_evidence(in_review_claim, editor, n)
    for claimant in ("A", "B", "C"):
        in_review_claim.refresh_from_db()
        services.claim_update(
            claim=in_review_claim,
            by=editor,
            expected_version=in_review_claim.version,
            changes={"claimant": claimant, "rating": "false" if claimant == "B" else "true"},
        )
    assert queries() == few
