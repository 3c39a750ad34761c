"""The desk keeps work (issue 17): workflow buttons save the form first or refuse with the input kept; the slug."""

from factcheck.claims import services
from factcheck.claims.models import Claim

from .conftest import change_url, make_claim, messages_of
from .test_claim_change_page import form_data


def test_send_to_review_saves_the_typed_statement_rating_and_verdict_first(login, editor, article):
    claim = make_claim(article, editor, "Forum ini mencakup 53 negara mitra.", evidence=1, researcher=editor)
    claim = services.claim_start_research(claim=claim, by=editor)
    client = login(editor)
    rating = services.Rating.objects.get(key="true")

    data = form_data(
        client,
        claim,
        statement="ASEM mencakup 53 negara mitra",
        rating=str(rating.pk),
        verdict="Benar: 51 negara dan 2 organisasi.",
        _workflow="in_review",
        _workflow_note_in_review="Siap ditinjau",
    )
    response = client.post(change_url(claim), data, follow=True, HTTP_ACCEPT_LANGUAGE="id")

    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert claim.statement == "ASEM mencakup 53 negara mitra"
    assert claim.verdict == "Benar: 51 negara dan 2 organisasi."
    assert "Siap ditinjau" in claim.history.first().history_change_reason
    assert any(m.startswith("Tersimpan;") and "«ASEM mencakup 53 negara mitra»" in m for m in messages_of(response))


def test_a_refused_step_keeps_the_typed_input_and_names_each_missing_field(login, editor, article):
    claim = make_claim(article, editor, "Forum ini mencakup 53 negara mitra.", evidence=1, researcher=editor)
    claim = services.claim_start_research(claim=claim, by=editor)
    version = claim.version
    client = login(editor)

    data = form_data(client, claim, statement="ASEM mencakup 53 negara mitra", verdict="", _workflow="in_review")
    response = client.post(change_url(claim), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["statement"].value() == "ASEM mencakup 53 negara mitra"  # what was typed, not lost
    assert form.errors["rating"] == [
        "A verdict needs a rating from the scale (use 'unproven' when it cannot be settled)."
    ]
    assert form.errors["verdict"] == ["A verdict needs a verdict summary (Indonesian)."]
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (Claim.Status.RESEARCHING, version)  # nothing saved, not moved
    assert claim.statement != "ASEM mencakup 53 negara mitra"


def test_pressing_enter_saves_rather_than_pressing_the_first_workflow_button(login, editor, draft_claim):
    html = login(editor).get(change_url(draft_claim)).content.decode()

    first_submit = html.index('form="claim_form"')
    assert 'name="_continue"' in html[first_submit - 200 : first_submit + 200]
    assert html.index('name="_continue"') < html.index('name="_workflow"')


def test_the_slug_is_editable_on_a_draft_and_fixed_once_published(login, editor, article, published_claim):
    draft = make_claim(article, editor, "Forum ini mencakup 53 negara mitra.")
    client = login(editor)

    response = client.post(change_url(draft), form_data(client, draft, slug="asem-53-mitra"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "asem-53-mitra"
    html = client.get(change_url(published_claim)).content.decode()
    assert 'name="slug"' not in html


def test_a_taken_slug_is_refused_on_its_field(login, editor, draft_claim, article):
    other = make_claim(article, editor, "Forum ini mencakup 53 negara mitra.")
    client = login(editor)

    response = client.post(change_url(other), form_data(client, other, slug=draft_claim.slug))

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors


def test_an_imported_claim_gets_its_address_from_the_statement_not_the_raw_quote(editor, article):
    claim = Claim(article=article, start=0, end=40, status=Claim.Status.DRAFT)
    claim.refresh_derived_fields()
    claim.slug = services.unique_slug(Claim, f"{article.slug[:40]} {claim.quote[:60]}")
    claim.save()

    claim = services.claim_update(
        claim=claim, by=editor, expected_version=claim.version, changes={"statement": "ASEM didirikan pada 1996"}
    )

    assert claim.slug == "asem-didirikan-pada-1996"
    # Chosen by hand, it stays.
    claim = services.claim_update(claim=claim, by=editor, expected_version=claim.version, changes={"slug": "asem-1996"})
    claim = services.claim_update(
        claim=claim, by=editor, expected_version=claim.version, changes={"statement": "ASEM lahir pada 1996"}
    )
    assert claim.slug == "asem-1996"


def test_the_add_form_loads_the_chosen_articles_text_for_the_span_picker(
    login, editor, outsider, article, django_assert_num_queries
):
    client = login(editor)

    page = client.get("/admin/claims/claim/add/").content.decode()
    # 1 session, 2 user, 3 the article, 4 the user's own permissions, 5 their groups' permissions.
    with django_assert_num_queries(5):
        response = client.get(f"/admin/claims/article/{article.pk}/text/")

    assert 'data-text-url="/admin/claims/article/0/text/"' in page
    assert response.json() == {"id": article.pk, "text": article.body}
    client.force_login(outsider)
    assert client.get(f"/admin/claims/article/{article.pk}/text/").status_code == 302  # not staff: to the login


def test_a_claim_added_without_a_slug_gets_one_from_its_statement(editor, article):
    start = article.body.index("Forum ini mencakup 53 negara mitra.")

    claim = services.claim_create(
        article=article, start=start, end=start + 10, by=editor, statement="Forum ASEM punya 53 mitra", slug=""
    )

    assert claim.slug == "forum-asem-punya-53-mitra"


def test_a_workflow_note_is_held_to_the_rules_of_the_transition_form(login, editor, article):
    # It was read straight from the request: a NUL failed on PostgreSQL (a 500), a long note was cut silently.
    claim = make_claim(article, editor, "Forum ini mencakup 53 negara mitra.", evidence=1, researcher=editor)
    version = claim.version
    client = login(editor)

    for note, rule in (("a\x00b", "Null characters are not allowed."), ("x" * 5001, "at most 5000 characters")):
        data = form_data(client, claim, statement="ASEM", _workflow="researching", _workflow_note_researching=note)
        response = client.post(change_url(claim), data, HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code == 200
        assert rule in response.content.decode()
        claim.refresh_from_db()
        assert (claim.status, claim.version) == (Claim.Status.DRAFT, version)  # nothing saved, not moved
