"""Many writers at once, on PostgreSQL: no lost update, stale writes refused, exactly one publisher."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.utils import translation

from factcheck.claims import services
from factcheck.claims.errors import InvalidTransition, NotAllowed, StaleEdit
from factcheck.claims.models import Claim
from tests.conftest import WAIT_CEILING_SECONDS, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
]

WRITERS = 24


def run_concurrently(count: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in ``count`` threads released together; return each result or exception."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    language = translation.get_language()  # the test's (tests/claims/conftest.py): the active one is per thread

    def target(i: int) -> None:
        try:
            barrier.wait()
            with translation.override(language):
                results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_CEILING_SECONDS)
    return results


def test_writers_who_read_the_same_version_cannot_overwrite_each_other(researched_claim, editor):
    opened = researched_claim.version

    results = run_concurrently(
        WRITERS,
        lambda i: services.claim_update(
            claim=researched_claim.pk, by=editor, expected_version=opened, changes={"claimant": f"writer {i}"}
        ),
    )

    accepted = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, StaleEdit)]
    assert len(accepted) == 1 and len(refused) == WRITERS - 1
    final = Claim.objects.get(pk=researched_claim.pk)
    assert final.claimant == accepted[0].claimant and final.version == opened + 1


def test_writers_who_retry_on_stale_lose_nothing_and_history_is_complete_and_ordered(researched_claim, editor):
    start_version = researched_claim.version
    stale_refusals = []

    def write_with_retry(i: int) -> Claim:
        while True:
            current = Claim.objects.get(pk=researched_claim.pk)
            try:
                return services.claim_update(
                    claim=current, by=editor, expected_version=current.version, changes={"claimant": f"writer {i}"}
                )
            except StaleEdit as exc:
                stale_refusals.append(exc)

    results = run_concurrently(WRITERS, write_with_retry)

    assert all(isinstance(r, Claim) for r in results), results
    versions = sorted(r.version for r in results)
    assert versions == list(range(start_version + 1, start_version + WRITERS + 1))
    final = Claim.objects.get(pk=researched_claim.pk)
    last_accepted = max(results, key=lambda r: r.version)
    assert final.claimant == last_accepted.claimant and final.version == last_accepted.version
    records = list(final.history.filter(version__gt=start_version).order_by("history_date", "history_id"))
    assert [r.version for r in records] == versions
    assert sorted(r.claimant for r in records) == sorted(f"writer {i}" for i in range(WRITERS))
    assert all("since you opened it" in exc.message for exc in stale_refusals)


def test_two_reviewers_publishing_at_once_exactly_one_succeeds(in_review_claim):
    reviewers = [make_user(f"rev{i}", "Reviewers") for i in range(2)]

    results = run_concurrently(2, lambda i: services.claim_publish(claim=in_review_claim.pk, by=reviewers[i]))

    published = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, InvalidTransition | NotAllowed)]
    assert len(published) == 1 and len(refused) == 1
    assert "from published to published" in refused[0].message
    assert Claim.objects.get(pk=in_review_claim.pk).history.filter(status="published").count() == 1


def test_concurrent_transitions_and_edits_keep_a_consistent_history(researched_claim, editor, editor2):
    def act(i: int) -> object:
        current = Claim.objects.get(pk=researched_claim.pk)
        if i % 2:
            return services.claim_send_to_review(claim=current, by=editor, expected_version=current.version)
        return services.claim_update(
            claim=current, by=editor2, expected_version=current.version, changes={"claimant": f"edit {i}"}
        )

    results = run_concurrently(20, act)

    accepted = [r for r in results if isinstance(r, Claim)]
    assert all(isinstance(r, Claim | StaleEdit | InvalidTransition) for r in results), results
    final = Claim.objects.get(pk=researched_claim.pk)
    versions = list(final.history.order_by("history_date", "history_id").values_list("version", flat=True))
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert final.version == researched_claim.version + len(accepted)
