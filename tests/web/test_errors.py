"""404 and 500 pages in the site's design."""

import pytest
from django.test import Client
from django.urls import path


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


def test_a_missing_page_is_a_404_in_the_sites_design(anon, db):
    response = anon.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman itu tidak kami temukan" in html
    assert 'class="site-header"' in html
    assert 'role="search"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_404_page_in_english(anon, db):
    html = anon.get("/en/no-such-page/").content.decode()
    assert "We could not find that page" in html


@pytest.mark.urls("tests.web.test_errors")
def test_a_server_error_is_a_500_in_the_sites_design(db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan di pihak kami" in html
    assert "/static/css/site.css" in html
    assert 'class="site-header"' in html


def test_the_404_page_needs_no_query(anon, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert anon.get("/claims/").status_code == 404
