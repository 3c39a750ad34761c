"""Changes that every claim and article page may show (the rating scale, a bulk write, a data migration)
reach those pages and their ETags on the next request, whatever order they commit in."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader

from factcheck.caching import content_changed
from factcheck.claims.apps import migrated
from factcheck.claims.models import Claim, Rating

PAGES = ["claim page", "article page", "API claim"]


def address(claim, page: str) -> str:
    return {
        "claim page": f"/en/claims/{claim.slug}/",
        "article page": f"/en/articles/{claim.article.slug}/",
        "API claim": f"/api/v1/claims/{claim.pk}/",
    }[page]


@pytest.fixture
def claim(two_public_claims):
    return two_public_claims[0]  # rated "true"


@pytest.mark.parametrize("page", PAGES)
def test_a_data_migration_relabelling_a_rating_reaches_every_page_that_shows_it(
    anon, claim, page, django_capture_on_commit_callbacks
):
    path = address(claim, page)
    first = anon.get(path)
    assert b"Entirely true" not in first.content

    # What a RunPython data migration does: a historical model (no history row, no signal), then post_migrate.
    historical = MigrationLoader(connection).project_state(("claims", "0006_search_statistics")).apps
    with django_capture_on_commit_callbacks(execute=True):
        row = historical.get_model("claims", "Rating").objects.get(key="true")
        row.label_en = "Entirely true"
        row.save()
        migrated(sender=None)

    again = anon.get(path, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert b"Entirely true" in again.content


@pytest.mark.parametrize("page", PAGES)
def test_a_bulk_write_that_says_so_reaches_every_page(anon, claim, page, django_capture_on_commit_callbacks):
    path = address(claim, page)
    first = anon.get(path)

    with django_capture_on_commit_callbacks(execute=True):
        Claim.objects.filter(pk=claim.pk).update(statement_en="A statement edited in bulk")
        content_changed()  # what bulk writers must call

    again = anon.get(path, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert b"A statement edited in bulk" in again.content


def test_a_claims_own_change_keeps_other_claims_pages_cached(
    anon, two_public_claims, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The sitewide revision moves for the scale, not for one claim's edit: other pages keep their entries."""
    first, second = two_public_claims
    anon.get(address(second, "claim page"))
    with django_capture_on_commit_callbacks(execute=True):
        first.claimant = "Kementerian Luar Negeri"
        first.save()

    with django_assert_num_queries(1):  # the page's stamp; the entry is still current
        assert anon.get(address(second, "claim page")).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers committing out of order need PostgreSQL")
@pytest.mark.parametrize("page", PAGES)
def test_a_rating_edit_that_commits_after_a_later_one_still_reaches_the_pages(anon, claim, page):
    """History ids are handed out when rows are written: the edit that commits last may hold the lower id."""
    path = address(claim, page)
    written, release = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def slow_editor() -> None:  # relabels "true": its history row is written first, its commit comes last
        try:
            with transaction.atomic():
                rating = Rating.objects.get(key="true")
                rating.label_en = "Entirely true"
                rating.save()
                written.set()
                release.wait(10)
        except Exception as exc:  # asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_editor)
    thread.start()
    assert written.wait(10)
    other = Rating.objects.get(key="false")  # another editor edits another rating and commits first
    other.definition_en = "Wrong, according to the best evidence."
    other.save()
    etag = anon.get(path)["ETag"]  # rendered while the relabelling is not committed
    release.set()
    thread.join(10)
    assert not errors

    again = anon.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert b"Entirely true" in again.content
