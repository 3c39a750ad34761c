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


FORM_PATHS = [("/", 400), ("/en/", 400), ("/tips/", 400), ("/en/tips/", 400), ("/search/", 400)]
FORM_PATHS += [("/admin/login/", 400), ("/sitemap.xml", 400), ("/no-such-page/", 404)]  # no view, no CSRF check


@pytest.mark.parametrize("charset", ["latin-1", "utf-16"])
@pytest.mark.parametrize(("path", "status"), FORM_PATHS)
def test_a_form_in_another_charset_than_utf8_is_a_400_page(path, status, charset, db):
    # Django refuses such a form when it is read (HTTP requires UTF-8 there); the CSRF check reads it first, and
    # the error pages must not read it again (they did: 400, then 500, then an error out of Django).
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32

    response = client.post(path, "a=b", content_type=f"application/x-www-form-urlencoded; charset={charset}")

    assert response.status_code == status
    assert "text/html" in response["Content-Type"]
