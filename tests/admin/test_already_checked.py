"""The claim form's "Already checked?" panel: published verdicts that say nearly the same (issue 17)."""

from django.db import connection
from django.utils.html import escape

from factcheck.claims.paraphrases import load_claims, read_set

from .conftest import change_url, make_claim


def test_the_panel_lists_similar_published_verdicts_with_rating_and_links(login, editor, article):
    published = load_claims(read_set())["ukraine-recognised"]
    draft = make_claim(
        article,
        editor,
        "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.",
        statement_en="Indonesia recognised Ukraine",
    )

    html = login(editor).get(change_url(draft), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    panel = html[html.index('id="already-checked-title"') :]
    panel = panel[: panel.index("</section>")]
    assert published.statement in panel
    assert published.rating.label_id in panel
    assert f'href="/claims/{published.slug}/"' in panel
    assert f'href="/admin/claims/claim/{published.pk}/change/"' in panel
    assert "kemiripan" in panel  # in the editor's language


def test_the_panel_never_lists_the_claim_itself_or_unpublished_ones(login, editor, article):
    draft = make_claim(article, editor, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")

    html = login(editor).get(change_url(draft), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    panel = html[html.index('id="already-checked-title"') :]
    panel = panel[: panel.index("</section>")]
    assert "Belum ada hasil cek fakta terbit yang isinya hampir sama" in panel
    assert f"/admin/claims/claim/{draft.pk}/change/" not in panel


# --- on the import preview: under each candidate ---------------------------------------------------------

IMPORT_URL = "/admin/claims/article/import/"
PARAPHRASE = "Pada 28 Desember 1991 Indonesia mengakui kemerdekaan Ukraina, kata Kementerian Luar Negeri."
UNRELATED = "Banjir merendam 312 rumah di Kota Ambon pada Kamis (6/6/2024), kata Kepala BPBD."


def import_preview(client, text: str, **headers):
    return client.post(IMPORT_URL, {"text": text, "headline": "Unggahan viral", "language": "id"}, **headers)


def candidate_item(html: str, quote: str) -> str:
    """The candidate's list item on the preview, from its quote to the end of its item."""
    item = html[html.index(f"<q>{quote}</q>") :]
    return item[: item.index("</li>\n")]


def test_each_candidate_of_the_import_preview_lists_the_verdicts_that_say_nearly_the_same(login, editor):
    published = load_claims(read_set())["ukraine-recognised"]

    response = import_preview(login(editor), f"{PARAPHRASE}\n{UNRELATED}\n")

    html = response.content.decode()
    matching = candidate_item(html, PARAPHRASE)
    assert "Already checked?" in matching
    assert escape(published.statement_en) in matching  # the editor reads the desk in English: statement and rating too
    assert published.rating.label_en in matching
    assert f'/claims/{published.slug}/"' in matching  # the public page in the editor's language
    assert f'href="/admin/claims/claim/{published.pk}/change/"' in matching
    assert [item.claim for item in response.context["candidates"][0].already_checked][0] == published
    # A candidate that no published verdict resembles gets no panel at all.
    assert "already-checked" not in candidate_item(html, UNRELATED)


def test_the_import_preview_lists_them_in_the_editors_language(login, editor):
    published = load_claims(read_set())["ukraine-recognised"]

    html = import_preview(login(editor), f"{PARAPHRASE}\n", HTTP_ACCEPT_LANGUAGE="id").content.decode()

    matching = candidate_item(html, PARAPHRASE)
    assert "Sudah pernah dicek?" in matching and "kemiripan" in matching
    assert published.statement in matching and published.rating.label_id in matching


def test_the_import_preview_looks_similar_claims_up_once_per_candidate(
    login, editor, settings, django_assert_num_queries
):
    # The lookups share one timeout's time, which a loaded machine can spend before the last candidate (then
    # it is shown as "gave up", with fewer queries): this counts the queries of lookups that all run.
    settings.SIMILAR_TIMEOUT_MS = 600_000
    load_claims(read_set())
    client = login(editor)
    two = f"{PARAPHRASE}\n{UNRELATED}\n"
    four = (
        f"{two}ASEM beranggotakan 53 mitra sejak 2018, kata Kementerian Luar Negeri.\n"
        "Sebanyak 1.140 warga mengungsi ke enam titik di Ambon.\n"
    )
    assert len(import_preview(client, four).context["candidates"]) == 4

    # 1 session, 2 user, 3 the user's own permissions, 4 their groups' permissions, 5 the article with the
    # same text (imported already?), then one similar-claims lookup per candidate (on PostgreSQL in a
    # savepoint under the statement timeout and plan settings: savepoint, settings, the candidates' scores,
    # settings reset, release; then the answered claims, for a candidate that has any: the paraphrase and
    # the ASEM sentence), never one per published claim. (The words' frequencies were read above.)
    per_candidate, per_answered = (5, 1) if connection.vendor == "postgresql" else (1, 0)
    with django_assert_num_queries(5 + 2 * per_candidate + 1 * per_answered):
        import_preview(client, two)
    with django_assert_num_queries(5 + 4 * per_candidate + 2 * per_answered):
        import_preview(client, four)


def test_a_span_the_editor_picks_gets_the_same_panel_from_the_server(login, editor, outsider):
    published = load_claims(read_set())["ukraine-recognised"]
    client = login(editor)

    response = client.get(
        f"{IMPORT_URL}similar/",
        {"text": "RI mengakui Ukraina merdeka 28 Desember 1991", "language": "id", "span": "5:49"},
    )

    html = response.content.decode()
    assert 'aria-labelledby="already-checked-5-49"' in html and '<h3 id="already-checked-5-49">' in html
    assert escape(published.statement_en) in html and f'/claims/{published.slug}/"' in html
    assert client.get(f"{IMPORT_URL}similar/", {"text": "Hujan turun 11 jam di Ambon"}).content.decode().strip() == ""
    client.force_login(outsider)
    assert client.get(f"{IMPORT_URL}similar/", {"text": "RI mengakui Ukraina"}).status_code == 302  # not staff


GAVE_UP = "The search for similar verdicts took too long and was stopped"


def test_candidates_left_when_the_lookups_time_is_spent_say_they_were_not_looked_up(login, editor, settings):
    # All candidates share one statement timeout's time; with none left, no lookup runs and each says so.
    load_claims(read_set())
    settings.SIMILAR_TIMEOUT_MS = 0

    response = import_preview(login(editor), f"{PARAPHRASE}\n{UNRELATED}\n")

    html = response.content.decode()
    for quote in (PARAPHRASE, UNRELATED):
        item = candidate_item(html, quote)
        assert "Already checked?" in item and GAVE_UP in item
        assert "No published verdict says nearly the same" not in item
    assert all(not c.already_checked.complete for c in response.context["candidates"])


def test_a_lookup_that_gave_up_is_never_shown_as_nothing_checked(login, editor, article, monkeypatch):
    # The database's statement timeout ran out (similar.similar_claims answers complete=False).
    from factcheck.claims import similar
    from factcheck.claims.admin import already_checked

    monkeypatch.setattr(already_checked, "similar_claims", lambda **kwargs: similar.SimilarResults(complete=False))
    draft = make_claim(article, editor, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")

    html = login(editor).get(change_url(draft)).content.decode()

    panel = html[html.index('id="already-checked-title"') :]
    panel = panel[: panel.index("</section>")]
    assert GAVE_UP in panel
    assert "No published verdict says nearly the same" not in panel
