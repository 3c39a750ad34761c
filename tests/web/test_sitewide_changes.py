"""Changes that every claim and article page may show (the rating scale, a bulk write, a data migration)
reach those pages: the HTTP cache in front is told to drop every tagged answer once the change commits,
and a rating edit committed after a later one still moves the validators of the pages that show it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader

from factcheck.claims.apps import migrated
from factcheck.claims.events import content_changed
from factcheck.claims.models import Claim, Rating
from tests.edge.test_purging import Receiver, purged_keys

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


@pytest.fixture
def purges(claim, settings):
    """What the HTTP cache in front is told (set after the data fixtures, whose writes share the test's
    transaction)."""
    receiver = Receiver()
    settings.SURROGATE_PURGER = {"BACKEND": "factcheck.purgers.VarnishPurger", "OPTIONS": {"urls": [receiver.url]}}
    yield receiver.requests
    receiver.close()


def test_a_data_migration_purges_every_tagged_answer_once_migrate_is_done(
    anon, claim, purges, django_capture_on_commit_callbacks
):
    # What a RunPython data migration does: a historical model (no history row, no signal), then post_migrate.
    historical = MigrationLoader(connection).project_state(("claims", "0006_search_statistics")).apps
    with django_capture_on_commit_callbacks(execute=True):
        row = historical.get_model("claims", "Rating").objects.get(key="true")
        row.label_en = "Entirely true"
        row.save()
        assert purges == []  # the historical model's save says nothing: its tables may not exist yet
        migrated(sender=None)

    assert [purged_keys(request) for request in purges] == [{"site"}]
    assert b"Entirely true" in anon.get(address(claim, "claim page")).content


def test_a_bulk_write_that_says_so_purges_every_tagged_answer(anon, claim, purges, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Claim.objects.filter(pk=claim.pk).update(statement_en="A statement edited in bulk")
        content_changed()  # what bulk writers must call

    assert [purged_keys(request) for request in purges] == [{"site"}]
    assert b"A statement edited in bulk" in anon.get(address(claim, "claim page")).content


def test_a_claims_own_change_leaves_other_articles_pages_alone(
    anon, two_public_claims, more_public_data, purges, django_capture_on_commit_callbacks
):
    first = two_public_claims[0]
    second = Claim.objects.public().exclude(article=first.article).get()
    # The article page: a claim page's validators follow every claim, as its "Similar claims" may list any.
    etag = anon.get(address(second, "article page"))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        first.claimant = "Kementerian Luar Negeri"
        first.save()

    assert "site" not in set().union(*(purged_keys(request) for request in purges))
    purged = set().union(*(purged_keys(request) for request in purges))
    assert f"claim-{second.pk}" not in purged and f"article-{second.article_id}-claims" not in purged
    assert anon.get(address(second, "article page"), headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers committing out of order need PostgreSQL")
@pytest.mark.parametrize("page", PAGES)
def test_a_rating_edit_that_commits_after_a_later_one_still_reaches_the_pages(anon, claim, page):
    """Times and history ids are handed out when rows are written: the edit that commits last may hold the
    older ones. The claims' change numbers follow the commits (factcheck/claims/changes.py)."""
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
    other = Rating.objects.get(key="unproven")  # another editor edits a rating no claim has and commits first
    other.definition_en = "Not enough evidence either way."
    other.save()
    etag = anon.get(path)["ETag"]  # rendered while the relabelling is not committed
    release.set()
    thread.join(10)
    assert not errors

    again = anon.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert b"Entirely true" in again.content
