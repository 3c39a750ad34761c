"""Public pages come from the cache, keyed by versions: a change shows on the very next request."""

import pytest
from django.test import Client

from factcheck.claims import services

from .conftest import correct_claim


@pytest.fixture
def claim(two_public_claims):
    return two_public_claims[0]


def claim_path(claim) -> str:
    return f"/en/claims/{claim.slug}/"


def test_a_warm_claim_page_costs_one_query(anon, claim, django_assert_num_queries):
    anon.get(claim_path(claim))

    with django_assert_num_queries(1):  # the cache stamp: the claim's version, its article's and the scale's
        response = anon.get(claim_path(claim))

    assert response.status_code == 200
    assert claim.statement_en.encode() in response.content


@pytest.mark.parametrize("path", ["/", "/en/", "/search/?q=Bangkok", "/methodology/", "/corrections/"])
def test_warm_list_pages_cost_one_query(anon, two_public_claims, path, django_assert_num_queries):
    first = anon.get(path)

    with django_assert_num_queries(1):  # the cache stamp of all claims, articles and ratings
        second = anon.get(path)

    assert second.status_code == 200 and second.content == first.content


def test_a_correction_is_visible_on_the_next_request(anon, claim, reviewer2):
    assert b"Corrected summary" not in anon.get(claim_path(claim)).content
    assert b"Corrected summary" not in anon.get(f"/en/articles/{claim.article.slug}/").content

    correct_claim(claim, by=reviewer2, note="Fixed the summary.", verdict_en="Corrected summary.")

    assert b"Corrected summary" in anon.get(claim_path(claim)).content
    assert b"Fixed the summary." in anon.get(claim_path(claim)).content


def test_an_evidence_change_refreshes_the_claim_page(anon, claim, editor2, reviewer2):
    anon.get(claim_path(claim))
    claim.refresh_from_db()
    evidence = claim.evidence.first()
    services.evidence_update(
        evidence=evidence, by=reviewer2, expected_version=claim.version, changes={"title": "A renamed source"}
    )

    assert b"A renamed source" in anon.get(claim_path(claim)).content


def test_a_rating_label_change_refreshes_pages_that_show_it(anon, claim):
    anon.get(claim_path(claim))
    rating = claim.rating
    rating.label_en = "Entirely true"
    rating._change_reason = "Relabelled"
    rating.save()

    assert b"Entirely true" in anon.get(claim_path(claim)).content
    assert b"Entirely true" in anon.get("/en/").content


def test_a_change_to_another_claim_keeps_this_claim_page_cached(anon, two_public_claims, reviewer2):
    first, second = two_public_claims
    anon.get(claim_path(first))
    etag = anon.get(claim_path(first))["ETag"]

    correct_claim(second, by=reviewer2, note="Other claim corrected.", verdict_en="Other.")

    assert anon.get(claim_path(first))["ETag"] == etag


def test_conditional_get_answers_304_from_versions(anon, claim, reviewer2, django_assert_num_queries):
    etag = anon.get(claim_path(claim))["ETag"]

    with django_assert_num_queries(1):
        not_modified = anon.get(claim_path(claim), headers={"If-None-Match": etag})
    assert not_modified.status_code == 304

    correct_claim(claim, by=reviewer2, note="Changed.", verdict_en="Changed.")
    assert anon.get(claim_path(claim), headers={"If-None-Match": etag}).status_code == 200


def test_staff_bypass_the_cache(claim, editor, django_assert_num_queries):
    staff = Client()
    staff.force_login(editor)
    staff.get(claim_path(claim))

    response = staff.get(claim_path(claim))

    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_the_language_versions_are_cached_apart(anon, claim):
    english = anon.get(claim_path(claim)).content
    indonesian = anon.get(f"/claims/{claim.slug}/").content

    assert english != indonesian
    assert anon.get(claim_path(claim)).content == english
