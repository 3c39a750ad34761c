"""The change feed follows everything a claim's representation shows, in commit order, without gaps.

- An edit of an article's details or of a rating's labels moves every claim showing it: ``updated_at``
  (``claims/?updated_since=``, ClaimReview ``dateModified``), ``change_seq`` (``claims/?since=``) and ETag,
  and partners get a webhook event.
- ``change_seq`` is taken from one counter row whose lock the changing transaction holds until it commits:
  on PostgreSQL a second writer waits, so numbers become visible in order and a cursor never skips one.
"""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction

from factcheck.claims import revisions, services
from factcheck.claims.models import Article, Claim, Rating
from factcheck.partners.models import WebhookEvent
from tests.conftest import retract, span_of

from .conftest import client_with, user_key

CLAIMS = "/api/v1/claims/"


def feed(client, query: str) -> list[dict]:
    """Every claim of the change feed for ``query``, following ``next``."""
    url, rows = f"{CLAIMS}?page_size=1&{query}", []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        url = response.json()["next"]
    return rows


def newest_seq() -> int:
    return max(Claim.objects.values_list("change_seq", flat=True))


def test_an_approved_headline_correction_is_in_the_change_feed_and_moves_date_modified(
    frozen, published_claim, second_claim, reviewer, reviewer2, anon_client
):
    before = {c["id"]: c for c in feed(anon_client, "")}
    etag = anon_client.get(f"{CLAIMS}{published_claim.pk}/")["ETag"]
    seq = newest_seq()
    frozen.shift(datetime.timedelta(hours=2))
    since = datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z")

    revision = revisions.revision_propose_article(
        article=published_claim.article,
        by=reviewer2,
        changes={"headline": "ASEM, Ukraina dan Indonesia"},
        note="Judul diperbaiki.",
    )
    revisions.revision_approve(revision=revision, by=reviewer)

    for query in (f"updated_since={since}", f"since={seq}"):
        changed = feed(anon_client, query)
        assert sorted(c["id"] for c in changed) == sorted(before)
        assert {c["article"]["headline"] for c in changed} == {"ASEM, Ukraina dan Indonesia"}
        assert {c["updated_at"] for c in changed} == {"2026-03-02T11:30:00Z"}
        assert all(c["change_seq"] > seq for c in changed)
    review = anon_client.get(f"{CLAIMS}{published_claim.pk}/claimreview/").json()
    assert review["itemReviewed"]["appearance"]["headline"] == "ASEM, Ukraina dan Indonesia"
    assert review["dateModified"] == "2026-03-02T18:30:00+07:00"
    assert anon_client.get(f"{CLAIMS}{published_claim.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # Each claim's correction is its webhook event; the article's edit sends no second one.
    events = WebhookEvent.objects.filter(created_at__gte=since)
    assert sorted(events.values_list("type", "claim_id")) == sorted(
        [("claim.corrected", published_claim.pk), ("claim.corrected", second_claim.pk)]
    )


def test_an_article_edit_outside_the_services_still_moves_its_claims_and_tells_partners(
    frozen, published_claim, second_claim, reviewer, reviewer2, anon_client
):
    """A data fix (shell, migration) saves the article directly: its claims still change with it."""
    retract(second_claim, by=reviewer2, approver=reviewer, note="Sumber ditarik.")
    seq = newest_seq()
    frozen.shift(datetime.timedelta(minutes=10))
    since = datetime.datetime.now(datetime.UTC)

    article = Article.objects.get(pk=published_claim.article_id)
    article.outlet = "Contoh Baru"
    article.save()

    changed = feed(anon_client, f"since={seq}")
    assert {(c["id"], c["status"], c["article"]["outlet"]) for c in changed} == {
        (published_claim.pk, "published", "Contoh Baru"),
        (second_claim.pk, "retracted", "Contoh Baru"),
    }
    assert feed(anon_client, f"updated_since={since:%Y-%m-%dT%H:%M:%SZ}") == changed
    events = WebhookEvent.objects.filter(created_at__gte=since)
    assert sorted(events.values_list("type", "claim_id")) == sorted(
        [("claim.updated", published_claim.pk), ("claim.updated", second_claim.pk)]
    )
    assert events.get(claim=published_claim).payload["data"]["claim"]["article"]["outlet"] == "Contoh Baru"

    # A save that changes nothing shown moves nothing.
    seq = newest_seq()
    article.save()
    assert feed(anon_client, f"since={seq}") == []


def test_a_renamed_rating_is_in_the_change_feed(frozen, published_claim, second_claim, anon_client):
    seq = newest_seq()
    frozen.shift(datetime.timedelta(minutes=1))
    rating = Rating.objects.get(key="false")
    rating.label_id = "Salah"
    rating.save()

    (changed,) = feed(anon_client, f"since={seq}")
    assert (changed["id"], changed["rating"]["label"]["id"]) == (second_claim.pk, "Salah")
    assert changed["updated_at"] == "2026-03-02T09:31:00Z"

    # A changed value may move the scale's bounds, which every ClaimReview shows: every claim changed.
    seq = newest_seq()
    rating.value = 6
    rating.save()
    assert sorted(c["id"] for c in feed(anon_client, f"since={seq}")) == [published_claim.pk, second_claim.pk]


def test_retracted_claims_stay_in_the_feed_as_tombstones(published_claim, second_claim, reviewer, reviewer2, http):
    seq = newest_seq()
    retract(published_claim, by=reviewer2, approver=reviewer, note="Sumber ditarik.")

    (row,) = feed(http, f"since={seq}")
    assert (row["id"], row["status"], row["public_note"]) == (published_claim.pk, "retracted", "Sumber ditarik.")
    assert row["change_seq"] == newest_seq()


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        (CLAIMS, "since=-1", "since"),
        (CLAIMS, "since=1.5", "since"),
        (CLAIMS, "since=%EF%BC%91%EF%BC%92", "since"),  # full-width digits: not an integer of JSON or the schema
        (CLAIMS, "since=1_000", "since"),  # Python's int() takes it; clients' parsers do not
        (CLAIMS, "article=1_000", "article"),
        (CLAIMS, "page_size=%EF%BC%91%EF%BC%92", "page_size"),
        (CLAIMS, "updated_since=soon", "updated_since"),
        ("/api/v1/articles/", "updated_since=soon", "updated_since"),
    ],
)
def test_a_bad_sync_parameter_is_a_400_naming_it(path, query, field, published_claim, anon_client):
    response = anon_client.get(f"{path}?{query}")

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_articles_updated_since_gives_the_articles_changed_since(frozen, published_claim, editor, anon_client):
    assert [a["id"] for a in anon_client.get("/api/v1/articles/").json()["results"]] == [published_claim.article_id]
    frozen.shift(datetime.timedelta(minutes=1))
    later = datetime.datetime.now(datetime.UTC).isoformat()

    assert anon_client.get("/api/v1/articles/", {"updated_since": later}).json()["results"] == []
    article = Article.objects.get(pk=published_claim.article_id)
    article.author = "Penulis Lain"
    article.save()
    (row,) = anon_client.get("/api/v1/articles/", {"updated_since": later}).json()["results"]
    assert (row["id"], row["author"]) == (article.pk, "Penulis Lain")


def test_an_article_shown_for_the_first_time_is_in_articles_updated_since(
    frozen, in_review_claim, reviewer, anon_client
):
    """Imported long ago, it becomes visible when its first claim is published: that is its change for partners."""
    frozen.shift(datetime.timedelta(days=3))
    since = datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z")
    assert anon_client.get("/api/v1/articles/", {"updated_since": since}).json()["results"] == []

    services.claim_publish(claim=in_review_claim, by=reviewer)

    (row,) = anon_client.get("/api/v1/articles/", {"updated_since": since}).json()["results"]
    assert row["id"] == in_review_claim.article_id


def test_the_newsroom_syncs_drafts_by_change_number_too(draft_claim, editor):
    client = client_with(user_key(editor))
    seq = newest_seq()
    services.claim_update(claim=draft_claim, by=editor, expected_version=1, changes={"claimant": "Orang Lain"})

    (row,) = feed(client, f"since={seq}")
    assert (row["id"], row["claimant"], row["change_seq"]) == (draft_claim.pk, "Orang Lain", seq + 1)


# --- no gaps under concurrent commits (PostgreSQL) -----------------------------------------------------


def wait_until(predicate, what: str, ceiling: float = 120.0) -> None:
    """Wait for a state another thread reaches (a readiness wait, not a timed assertion)."""
    deadline = time.monotonic() + ceiling
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def waits_for_a_lock(pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_that_takes_its_number_first_cannot_commit_behind_a_partners_cursor(
    article, draft_claim, editor, editor2
):
    """First takes its number and is slow to commit; second starts later and would commit first. With a time
    (``updated_at``) cursor, a partner reading between the two commits would move past first's time and never
    see first. Here second cannot even take its number until first has committed, so the numbers commit in
    order and the partner's ``since`` cursor, read at every moment in between, misses nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent transactions and row locks need PostgreSQL (SQLite serialises writers).")
    start, end = span_of(article, "Indonesia mengakui kemerdekaan Ukraina pada 28 Desember 1991.")
    other = services.claim_create(article=article, start=start, end=end, by=editor2, statement="Ukraina 1991")
    cursor = newest_seq()
    first_numbered, first_commit = threading.Event(), threading.Event()
    second_numbered, second_commit = threading.Event(), threading.Event()
    state: dict = {}

    def write(name: str, claim: Claim, by, numbered: threading.Event, commit: threading.Event) -> None:
        try:
            with connection.cursor() as c:
                c.execute("SELECT pg_backend_pid()")
                state[f"{name}_pid"] = c.fetchone()[0]
            with transaction.atomic():
                written = services.claim_update(
                    claim=claim.pk, by=by, expected_version=claim.version, changes={"claimant": name}
                )
                state[name] = written.change_seq
                numbered.set()
                assert commit.wait(120)
            state[f"{name}_committed"] = True
        except BaseException as exc:  # surfaced by the main thread
            state[f"{name}_error"] = exc
            numbered.set()
        finally:
            connection.close()

    def partner_reads() -> list[tuple[int, int]]:
        """What a partner's ``claims/?since=<cursor>`` sees now (committed rows only), in feed order."""
        rows = Claim.objects.filter(change_seq__gt=cursor).order_by("change_seq", "id")
        return list(rows.values_list("change_seq", "id"))

    first = threading.Thread(target=write, args=("first", draft_claim, editor, first_numbered, first_commit))
    first.start()
    assert first_numbered.wait(120) and "first_error" not in state, state
    second = threading.Thread(target=write, args=("second", other, editor2, second_numbered, second_commit))
    second.start()
    wait_until(lambda: "second_pid" in state and waits_for_a_lock(state["second_pid"]), "second to wait")
    assert not second_numbered.is_set(), "second must not get a number while first has not committed"
    assert partner_reads() == []  # neither has committed

    first_commit.set()  # first commits; only then does second take the next number
    first.join(120)
    assert state.get("first_committed"), state
    assert second_numbered.wait(120) and "second_error" not in state, state
    assert state["second"] > state["first"] > cursor
    seen = partner_reads()  # between the two commits
    assert seen == [(state["first"], draft_claim.pk)]
    cursor = seen[-1][0]  # the partner moves its cursor past what it saw

    second_commit.set()
    second.join(120)
    assert state.get("second_committed"), state
    assert partner_reads() == [(state["second"], other.pk)]  # nothing slipped behind the cursor


@pytest.mark.postgres
@pytest.mark.parametrize("since", [None, 3])
def test_the_change_feed_reads_public_claims_in_change_order_from_an_index(since, published_claim):
    """A page of the feed costs the same at any table size: read in index order, no sort."""
    if connection.vendor != "postgresql":
        pytest.skip("Plans and partial indexes of PostgreSQL.")
    claims = Claim.objects.public().order_by("change_seq", "id")
    if since is not None:
        claims = claims.filter(change_seq__gt=since)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = claims[:51].explain()

    assert "claim_public_changes" in plan
    assert "Sort" not in plan
