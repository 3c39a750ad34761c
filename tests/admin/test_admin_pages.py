"""Every admin screen renders for each role: editor, reviewer, superuser."""

import pytest


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
