"""Every admin screen renders for each role: editor, reviewer, superuser."""

import pytest

from factcheck.claims.models import Rating


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_every_screen_renders_for_each_role(request, login, role, published_claim, article):
    client = login(request.getfixturevalue(role))
    urls = [
        "/admin/",
        "/admin/claims/claim/",
        "/admin/claims/claim/add/",
        f"/admin/claims/claim/{published_claim.pk}/change/",
        f"/admin/claims/claim/{published_claim.pk}/history/",
        "/admin/claims/claim/review-queue/",
        "/admin/claims/article/",
        "/admin/claims/article/import/",
        f"/admin/claims/article/{article.pk}/change/",
        f"/admin/claims/article/{article.pk}/history/",
        "/admin/claims/correction/",
        "/admin/claims/rating/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_outsiders_are_sent_to_the_login_page(client, outsider, published_claim):
    client.force_login(outsider)
    response = client.get(f"/admin/claims/claim/{published_claim.pk}/change/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_an_article_with_the_text_of_another_is_refused_on_the_form(login, editor, db):
    # The text's hash is unique in the database but not a field of the form: it was a 500 (IntegrityError).
    client = login(editor)
    form = {"headline": "Twin", "language": "id", "body": "Teks yang sama persis.", "note": "n"}
    assert client.post("/admin/claims/article/add/", {**form, "slug": "first"}).status_code == 302

    response = client.post("/admin/claims/article/add/", {**form, "slug": "twin"})

    assert response.status_code == 200
    assert "Another article has exactly this text" in response.content.decode()


def test_a_ratings_key_is_fixed_once_it_exists(login, superuser, db):
    # Partners, stylesheets and pending corrections name a rating by its key: renaming "mostly-true" made a
    # correction proposed with it apply another rating when approved.
    rating = Rating.objects.get(key="mostly-true")
    client = login(superuser)

    html = client.get(f"/admin/claims/rating/{rating.pk}/change/").content.decode()

    assert 'name="key"' not in html
    assert 'name="key"' in client.get("/admin/claims/rating/add/").content.decode()
