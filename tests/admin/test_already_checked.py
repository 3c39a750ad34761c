"""The claim form's "Already checked?" panel: published verdicts that say nearly the same (issue 17)."""

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
