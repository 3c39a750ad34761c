"""Public pages come from the cache, checked against versions: a change shows on the very next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factcheck.claims.models import Claim
from tests.conftest import correct

from .conftest import correct_claim


@pytest.fixture
def claim(two_public_claims):
    return two_public_claims[0]


def claim_path(claim) -> str:
    return f"/en/claims/{claim.slug}/"


def test_a_warm_claim_page_costs_no_query(anon, claim, django_assert_num_queries):
    anon.get(claim_path(claim))

    with django_assert_num_queries(0):  # nothing changed since it was rendered: the content generation says so
        response = anon.get(claim_path(claim))

    assert response.status_code == 200
    assert claim.statement_en.encode() in response.content


@pytest.mark.parametrize("path", ["/", "/en/", "/search/?q=Bangkok", "/methodology/", "/corrections/"])
def test_warm_list_pages_cost_no_query(anon, two_public_claims, path, django_assert_num_queries):
    first = anon.get(path)

    with django_assert_num_queries(0):
        second = anon.get(path)

    assert second.status_code == 200 and second.content == first.content


def other_articles_claim(claim):
    """A public claim of another article (``more_public_data``): not listed on ``claim``'s page."""
    return Claim.objects.public().exclude(article=claim.article).get()


def test_after_an_unrelated_change_a_page_costs_one_query_then_none(
    anon, two_public_claims, more_public_data, reviewer, reviewer2, django_assert_num_queries
):
    first, second = two_public_claims[0], other_articles_claim(two_public_claims[0])
    page = anon.get(claim_path(first))
    correct_claim(second, by=reviewer2, approver=reviewer, note="Other claim corrected.", verdict_en="Other.")

    with django_assert_num_queries(1):  # its stamp: the claim's version, its article's and the scale's
        again = anon.get(claim_path(first))
    with django_assert_num_queries(0):
        anon.get(claim_path(first))

    assert again.content == page.content and again["ETag"] == page["ETag"]


@pytest.mark.parametrize("generations", [True, False], ids=["with generations", "stamp every request"])
def test_generations_spare_the_stamp_query_and_corrections_show_either_way(
    anon, claim, reviewer, reviewer2, settings, generations
):
    settings.CACHE_GENERATIONS = generations
    anon.get(claim_path(claim))
    with CaptureQueriesContext(connection) as warm:
        anon.get(claim_path(claim))

    correct_claim(claim, by=reviewer2, approver=reviewer, note="Fixed.", verdict_en="Corrected summary.")

    assert len(warm) == (0 if generations else 1)
    assert b"Corrected summary" in anon.get(claim_path(claim)).content


def test_a_correction_is_visible_on_the_next_request(anon, claim, reviewer, reviewer2):
    assert b"Corrected summary" not in anon.get(claim_path(claim)).content
    assert b"Corrected summary" not in anon.get(f"/en/articles/{claim.article.slug}/").content

    correct_claim(claim, by=reviewer2, approver=reviewer, note="Fixed the summary.", verdict_en="Corrected summary.")

    assert b"Corrected summary" in anon.get(claim_path(claim)).content
    assert b"Fixed the summary." in anon.get(claim_path(claim)).content


def test_an_evidence_change_refreshes_the_claim_page(anon, claim, editor2, reviewer, reviewer2):
    anon.get(claim_path(claim))
    claim.refresh_from_db()
    evidence = claim.evidence.first()
    # The evidence of a published claim changes through a correction (a reviewed revision).
    sources = [
        {"id": item.pk, "title": "A renamed source"} if item.pk == evidence.pk else {"id": item.pk}
        for item in claim.evidence.all()
    ]
    correct(claim, by=reviewer2, approver=reviewer, note="Source title fixed.", evidence=sources)

    assert b"A renamed source" in anon.get(claim_path(claim)).content


def test_a_rating_label_change_refreshes_pages_that_show_it(anon, claim):
    anon.get(claim_path(claim))
    rating = claim.rating
    rating.label_en = "Entirely true"
    rating._change_reason = "Relabelled"
    rating.save()

    assert b"Entirely true" in anon.get(claim_path(claim)).content
    assert b"Entirely true" in anon.get("/en/").content


def test_a_change_to_another_articles_claim_keeps_this_claim_page_cached(
    anon, two_public_claims, more_public_data, reviewer, reviewer2
):
    first, second = two_public_claims[0], other_articles_claim(two_public_claims[0])
    anon.get(claim_path(first))
    etag = anon.get(claim_path(first))["ETag"]

    correct_claim(second, by=reviewer2, approver=reviewer, note="Other claim corrected.", verdict_en="Other.")

    assert anon.get(claim_path(first))["ETag"] == etag


def test_conditional_get_answers_304_from_versions(anon, claim, reviewer, reviewer2, django_assert_num_queries):
    etag = anon.get(claim_path(claim))["ETag"]

    with django_assert_num_queries(0):
        not_modified = anon.get(claim_path(claim), headers={"If-None-Match": etag})
    assert not_modified.status_code == 304

    correct_claim(claim, by=reviewer2, approver=reviewer, note="Changed.", verdict_en="Changed.")
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


def test_bulk_generated_claims_show_on_the_next_request(anon, two_public_claims):
    from factcheck.claims.generation import generate_claims

    before = anon.get("/en/").content
    generate_claims(claims=3, evidence_per_claim=0)

    assert anon.get("/en/").content != before  # bulk inserts send no signals: the generator says so itself


def test_a_change_sets_a_new_generation_now_and_again_when_it_commits(db, django_capture_on_commit_callbacks):
    from factcheck.caching import GENERATION_KEY, content_changed

    cache.set(GENERATION_KEY, "old", None)
    with django_capture_on_commit_callbacks() as callbacks:
        content_changed()
    at_change = cache.get(GENERATION_KEY)
    for callback in callbacks:
        callback()

    assert at_change != "old"
    assert cache.get(GENERATION_KEY) not in ("old", at_change)


def test_a_lost_generation_makes_entries_check_their_stamp(anon, claim, settings, django_assert_num_queries):
    from factcheck.caching import GENERATION_KEY

    settings.LOCAL_ANSWERS_MAX_BYTES = 0  # a process's own answers stay good: nothing changed (tests/deploy)
    page = anon.get(claim_path(claim))
    cache.delete(GENERATION_KEY)  # Redis evicted it

    with django_assert_num_queries(1):
        again = anon.get(claim_path(claim))

    assert again.content == page.content


def test_the_list_stamp_moves_when_a_change_commits_whatever_its_history_ids(db, django_capture_on_commit_callbacks):
    # History ids are handed out when rows are written: a change that commits late can have a lower one
    # than a change already visible, so only the commit itself can tell lists that it happened.
    from factcheck.caching import content_changed, content_stamp

    before = content_stamp()
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()  # writes no row itself: only its commit says that something changed

    assert content_stamp() != before


def test_the_article_stamp_follows_the_committed_versions_of_its_claims(claim):
    from django.db.models import F

    from factcheck.caching import article_stamp
    from factcheck.claims.models import Claim

    before = article_stamp(claim.article.slug)
    Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1)  # a claim change, as its commit shows it

    assert article_stamp(claim.article.slug) != before


def test_a_migrations_own_writes_wait_for_the_change_counted_after_migrate(db, django_capture_on_commit_callbacks):
    # A data migration's historical models may run before the table of committed changes exists;
    # post_migrate counts the change once every migration is applied.
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import post_save

    from factcheck.claims.models import Rating

    historical = MigrationLoader(connection).project_state(("claims", "0002_rating_scale")).apps
    with django_capture_on_commit_callbacks() as callbacks:
        post_save.send(sender=historical.get_model("claims", "Rating"), instance=None, created=True, using="default")
    assert callbacks == []

    with django_capture_on_commit_callbacks() as callbacks:
        post_save.send(sender=Rating, instance=Rating.objects.first(), created=False, using="default")
    assert callbacks


def test_a_correction_of_a_claim_of_the_same_article_refreshes_the_related_list(
    anon, two_public_claims, reviewer, reviewer2
):
    first, second = two_public_claims
    anon.get(claim_path(first))

    correct_claim(second, by=reviewer2, approver=reviewer, note="Rating corrected.", rating="false")

    related = anon.get(claim_path(first)).content.decode().split('id="related-title"')[1]
    assert '<span class="badge rating-false">False</span>' in related
