"""A current cached answer is served by the middleware, before authentication, CSRF and the view run,
with every header the rendered answer had; anything it cannot decide goes on to the view."""

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.test import Client

from factcheck import caching

from .conftest import correct_claim


@pytest.fixture
def claim(two_public_claims):
    return two_public_claims[0]


@pytest.fixture
def inner_stack_runs(monkeypatch):
    """Counts the requests that reached the authentication middleware (below the answer cache)."""
    calls = []
    original = AuthenticationMiddleware.process_request
    monkeypatch.setattr(
        AuthenticationMiddleware, "process_request", lambda self, request: calls.append(1) or original(self, request)
    )
    return calls


@pytest.fixture
def cache_reads(monkeypatch):
    calls = []
    original = caching._read
    monkeypatch.setattr(caching, "_read", lambda key: calls.append(key) or original(key))
    return calls


def paths(claim) -> list[str]:
    return [f"/en/claims/{claim.slug}/", f"/claims/{claim.slug}/", "/en/", f"/api/v1/claims/{claim.pk}/"]


def test_the_middleware_comes_after_the_language_is_chosen():
    order = settings.MIDDLEWARE
    answer_cache = order.index("factcheck.caching.AnswerCacheMiddleware")

    assert order.index("django.middleware.locale.LocaleMiddleware") < answer_cache
    assert order.index("factcheck.api.middleware.ApiLanguageMiddleware") < answer_cache
    assert answer_cache < order.index("django.contrib.auth.middleware.AuthenticationMiddleware")


@pytest.mark.parametrize("index", range(4), ids=["claim page", "claim page (id)", "home", "API claim"])
def test_a_current_answer_is_served_before_the_inner_stack_with_the_same_headers(anon, claim, inner_stack_runs, index):
    path = paths(claim)[index]
    rendered = anon.get(path)

    served = anon.get(path)

    assert len(inner_stack_runs) == 1  # the first request only
    assert served.status_code == 200 and served.content == rendered.content
    # The request's own id and the rate limit that counted it (a served answer counts against none) are added
    # above the answer cache, per request.
    per_request = ("X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy")
    assert {k: v for k, v in served.headers.items() if k not in per_request} == {
        k: v for k, v in rendered.headers.items() if k not in per_request
    }
    assert served["X-Request-ID"] != rendered["X-Request-ID"]
    assert served["X-Frame-Options"] == "DENY"  # added below the answer cache, stored with the answer


def test_a_304_from_the_middleware_repeats_the_validators_and_cache_control(anon, claim, inner_stack_runs):
    path = f"/en/claims/{claim.slug}/"
    rendered = anon.get(path)

    not_modified = anon.get(path, headers={"If-None-Match": rendered["ETag"]})

    assert not_modified.status_code == 304 and not_modified.content == b""
    assert len(inner_stack_runs) == 1
    for header in ("ETag", "Cache-Control", "Vary"):
        assert not_modified[header] == rendered[header], header


def test_after_a_correction_the_view_renders_the_answer_again(anon, claim, reviewer, reviewer2, inner_stack_runs):
    path = f"/en/claims/{claim.slug}/"
    anon.get(path)
    anon.get(path)

    correct_claim(claim, by=reviewer2, approver=reviewer, note="Fixed.", verdict_en="Corrected at once.")

    assert b"Corrected at once." in anon.get(path).content
    assert len(inner_stack_runs) == 2
    anon.get(path)
    assert len(inner_stack_runs) == 2  # stored again, served early again


def test_a_session_cookie_goes_on_to_the_view_which_still_serves_anonymous_readers_from_the_cache(
    anon, claim, inner_stack_runs, django_assert_num_queries
):
    path = f"/en/claims/{claim.slug}/"
    rendered = anon.get(path)
    stale_session = Client()
    stale_session.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-unknown"

    with django_assert_num_queries(1):  # the session is looked up; the page is not rendered
        served = stale_session.get(path)

    assert len(inner_stack_runs) == 2
    assert served.content == rendered.content and "public" in served["Cache-Control"]


def test_a_signed_in_editor_is_never_answered_from_the_cache(claim, editor, inner_stack_runs):
    path = f"/en/claims/{claim.slug}/"
    Client().get(path)
    staff = Client()
    staff.force_login(editor)

    response = staff.get(path)

    assert len(inner_stack_runs) == 2
    assert "private" in response["Cache-Control"]


def test_views_that_are_not_cached_read_nothing_from_the_cache(anon, cache_reads):
    assert anon.get("/healthz/live").status_code == 200
    assert anon.get("/en/no-such-page/").status_code == 404

    assert cache_reads == []


def test_a_cached_view_is_read_once_per_request(anon, claim, cache_reads):
    path = f"/en/claims/{claim.slug}/"
    anon.get(path)  # a miss: looked up by the middleware, which hands its lookup to the view
    anon.get(path)

    assert len(cache_reads) == 2


def test_a_cached_answer_is_not_served_to_an_unknown_host(client, claim):
    for path in paths(claim):
        assert client.get(path).status_code == 200
        assert client.get(path).status_code == 200  # now from the cache
        assert client.get(path, HTTP_HOST="evil.example").status_code == 400, path
