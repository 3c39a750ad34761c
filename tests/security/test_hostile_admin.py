"""Hostile and malformed input through the admin: refused next to the field, or saved and shown as text."""

from __future__ import annotations

import pytest
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import translation

from factcheck.claims import services
from factcheck.claims.models import Article, Claim, Evidence
from tests.admin.test_claim_change_page import form_data
from tests.conftest import span_of

from .hostile import CLAIM_TEXT_LIMITS, PAYLOAD, URLS_REFUSED, assert_inert_html, hostile


def change_url(obj) -> str:
    return f"/admin/claims/{obj._meta.model_name}/{obj.pk}/change/"


def get_html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def boss_client(client, superuser):
    client.force_login(superuser)
    return client


# --- saved and shown as text -----------------------------------------------------------------------


def test_hostile_text_in_every_claim_field_is_saved_and_shown_escaped(editor_client, draft_claim):
    hostile_fields = {name: hostile(name, limit) for name, limit in CLAIM_TEXT_LIMITS.items()}
    data = form_data(
        editor_client,
        draft_claim,
        **hostile_fields,
        **{
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-url": "https://example.org/bukti?x=<script>",
            "evidence-0-title": hostile("title", 400),
            "evidence-0-publisher": hostile("publisher", 200),
            "evidence-0-excerpt": hostile("excerpt", 10_000),
            "evidence-0-stance": "supports",
        },
    )

    response = editor_client.post(change_url(draft_claim), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft_claim.refresh_from_db()
    assert {name: getattr(draft_claim, name) for name in CLAIM_TEXT_LIMITS} == hostile_fields
    assert draft_claim.evidence.get().title == hostile("title", 400)
    for url in (
        change_url(draft_claim),
        "/admin/claims/claim/",
        "/admin/claims/claim/?q=statement",
        f"/admin/claims/claim/{draft_claim.pk}/history/",
    ):
        assert_inert_html(get_html(editor_client, url))


def test_the_admin_shows_a_hostile_portal_escaped(boss_client, hostile_world, editor):
    claim, article = hostile_world.corrected, hostile_world.article
    history = claim.history.order_by("history_id").last()
    # A claim readers see is never deleted, so the delete page shown is that of a hostile draft.
    start, end = span_of(article, "Forum ini mencakup 53 negara mitra")
    draft = services.claim_create(
        article=article, start=start, end=end, by=editor, statement=hostile("Draf"), claimant=hostile("Pejabat", 200)
    )
    for url in (
        change_url(claim),
        change_url(hostile_world.retracted),
        change_url(article),
        "/admin/claims/claim/",
        "/admin/claims/article/",
        "/admin/claims/claim/?status__exact=published",
        f"/admin/claims/claim/{claim.pk}/history/",
        f"/admin/claims/claim/{claim.pk}/history/{history.history_id}/",
        f"/admin/claims/article/{article.pk}/history/",
        f"/admin/claims/claim/{draft.pk}/delete/",
    ):
        assert_inert_html(get_html(boss_client, url))
    assert boss_client.get(f"/admin/claims/claim/{claim.pk}/delete/").status_code == 403


def test_hostile_article_metadata_is_saved_and_shown_escaped(boss_client, article):
    data = {
        "slug": article.slug,
        "headline": hostile("headline"),
        "outlet": hostile("outlet", 200),
        "author": hostile("author", 200),
        "url": "https://news.example/a?b=<script>",
        "published_on": "",
        "language": "id",
        "body": article.body,
        "opened": article.updated_at.isoformat(),  # when the article the form shows last changed
    }

    response = boss_client.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.headline == hostile("headline") and article.author == hostile("author", 200)
    for url in (change_url(article), "/admin/claims/article/"):
        assert_inert_html(get_html(boss_client, url))


# --- refused next to the field ---------------------------------------------------------------------


# A scheme-less "//host/path" is read as https://host/path by the admin's URL field: not refused, and harmless.
ADMIN_URLS_REFUSED = [url for url in URLS_REFUSED if not url.startswith("//")]


@pytest.mark.parametrize("field", ["url", "archived_url"])
@pytest.mark.parametrize("url", ADMIN_URLS_REFUSED)
def test_evidence_urls_must_be_http_or_https(editor_client, draft_claim, field, url):
    data = form_data(
        editor_client,
        draft_claim,
        **{
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-url": "https://example.org/ok",
            "evidence-0-title": "t",
            "evidence-0-publisher": "p",
            "evidence-0-stance": "supports",
            f"evidence-0-{field}": url,
        },
    )

    response = editor_client.post(change_url(draft_claim), data)

    assert response.status_code == 200
    (formset,) = response.context["inline_admin_formsets"]
    assert formset.formset.errors[0][field] == ["Enter a valid http:// or https:// URL."]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("url", ADMIN_URLS_REFUSED)
def test_article_urls_must_be_http_or_https(boss_client, article, url):
    data = {"slug": article.slug, "headline": "h", "url": url, "language": "id", "body": article.body}

    response = boss_client.post(change_url(article), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] == ["Enter a valid http:// or https:// URL."]
    article.refresh_from_db()
    assert article.url == ""


def test_a_scheme_less_url_becomes_https(boss_client, article):
    data = {"slug": article.slug, "headline": "h", "url": "//news.example/a", "language": "id", "body": article.body}
    data["opened"] = article.updated_at.isoformat()

    assert boss_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.url == "https://news.example/a"


@pytest.mark.parametrize("field", [*CLAIM_TEXT_LIMITS])
def test_nul_bytes_are_refused_next_to_the_field(editor_client, draft_claim, field):
    response = editor_client.post(change_url(draft_claim), form_data(editor_client, draft_claim, **{field: "a\x00b"}))

    assert response.status_code == 200
    with translation.override("id"):  # the admin speaks the portal's language
        assert response.context["adminform"].form.errors[field] == [str(ProhibitNullCharactersValidator.message)]
    draft_claim.refresh_from_db()
    assert draft_claim.version == 1


@pytest.mark.parametrize(("field", "limit"), [("statement", 300), ("statement_en", 300), ("claimant", 200)])
def test_over_long_fields_are_refused_naming_the_limit(editor_client, draft_claim, field, limit):
    data = form_data(editor_client, draft_claim, **{field: "x" * (limit + 1)})

    response = editor_client.post(change_url(draft_claim), data)

    (message,) = response.context["adminform"].form.errors[field]
    assert str(limit) in message and str(limit + 1) in message


@pytest.mark.parametrize(("start", "end"), [(-1, 10), (20, 10), (10, 10), (0, 10**6)])
def test_negative_crossed_and_outside_spans_are_refused(editor_client, draft_claim, start, end):
    response = editor_client.post(change_url(draft_claim), form_data(editor_client, draft_claim, start=start, end=end))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"start", "end"} & set(errors), errors
    draft_claim.refresh_from_db()
    assert (draft_claim.start, draft_claim.end, draft_claim.version) == (0, 59, 1)


@pytest.mark.parametrize("rating", ["bogus", "999999", "<script>"])
def test_an_unknown_rating_is_refused(editor_client, draft_claim, rating):
    response = editor_client.post(change_url(draft_claim), form_data(editor_client, draft_claim, rating=rating))

    assert response.context["adminform"].form.errors["rating"]
    draft_claim.refresh_from_db()
    assert draft_claim.rating is None


@pytest.mark.parametrize("target", ["flying", "PUBLISHED", "published"])
def test_an_unknown_or_forbidden_status_changes_nothing(editor_client, draft_claim, target):
    response = editor_client.post(
        f"/admin/claims/claim/{draft_claim.pk}/transition/{target}/", {"version": draft_claim.version}, follow=True
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and not any("is now" in m or "kini berstatus" in m for m in messages), messages
    draft_claim.refresh_from_db()
    assert draft_claim.status == Claim.Status.DRAFT


def test_markup_in_a_search_of_the_admin_is_echoed_escaped(editor_client, draft_claim):
    html = get_html(editor_client, f"/admin/claims/claim/?q={PAYLOAD}")

    for marker in ("<script>alert", "<img src=x onerror"):
        assert marker not in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/claims/claim/?status__exact=%00",
        "/admin/claims/claim/?status=%00",
        "/admin/partners/webhookdelivery/?status__exact=%00",
        "/search/?q=%00",
        "/en/search/?q=ASEM%00",
    ],
)
def test_a_nul_in_the_query_string_is_a_400_not_a_500(boss_client, draft_claim, url):
    """Found on PostgreSQL: admin filters and the public search sent NUL to the database (a 500)."""
    response = boss_client.get(url)

    assert response.status_code == 400
    assert "NUL character is not allowed" in response.content.decode()


def test_the_api_still_names_the_parameter_with_a_nul(boss_client, db):
    response = boss_client.get("/api/v1/claims/?q=%00")

    assert response.status_code == 400 and "q" in response.json()["errors"]


def test_article_admin_keeps_the_hostile_body_as_text(boss_client, db, editor):
    from factcheck.claims.importing import ArticleMetadata, article_import

    article = article_import(
        data=f"Teks {PAYLOAD} tahun 1996.\n".encode(), metadata=ArticleMetadata(headline="h"), by=editor
    ).article

    assert_inert_html(get_html(boss_client, change_url(article)))
    assert Article.objects.get(pk=article.pk).body.startswith("Teks <script>")
