"""No lost update through the API: a claim's body and its ETag come from one read, and a write answers with the
row it wrote, so a client that edits what it read and sends the ETag it got with it cannot undo another's write."""

from __future__ import annotations

import json
import random
import re
import threading
import time

import pytest
from django.db import connection, connections

from factcheck.api import claim_reads, serializers
from factcheck.claims import services
from factcheck.claims.models import Claim
from tests.conftest import correct, make_user

from .conftest import Http, claim_etag, client_with, user_key

ETAG_VERSION = re.compile(r'^"claim-(\d+)-v(\d+)-')


def etag_version(etag: str) -> int:
    return int(ETAG_VERSION.match(etag).group(2))


def write_while_serialising(monkeypatch, write) -> None:
    """Run ``write`` once, just after the claim serializer has turned a claim into its body: the moment a
    write committing by another request falls between the body read and the ETag read."""
    serialise = serializers.ClaimSerializer.to_representation
    pending = [write]

    def to_representation(self, instance):
        body = serialise(self, instance)
        if pending:
            pending.pop()()
        return body

    monkeypatch.setattr(serializers.ClaimSerializer, "to_representation", to_representation)


def test_a_write_committing_while_the_claim_is_read_does_not_give_the_old_body_the_new_etag(
    monkeypatch, draft_claim, editor, editor2
):
    client = client_with(user_key(editor))
    url = f"/api/v1/claims/{draft_claim.pk}/"
    write_while_serialising(
        monkeypatch,
        lambda: services.claim_update(
            claim=draft_claim.pk, by=editor2, expected_version=1, changes={"claimant": "Penulis c2"}
        ),
    )

    read = client.get(url)

    body = read.json()
    assert (body["version"], body["claimant"]) == (1, "Penulis")
    assert etag_version(read["ETag"]) == 1, "the ETag must be that of the version the body shows"
    # The edit of what it read, sent with the ETag it got, is refused: it would undo editor2's write.
    edit = client.patch(url, {"claimant": body["claimant"] + " c1"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert edit.status_code == 412, edit.content
    assert Claim.objects.get(pk=draft_claim.pk).claimant == "Penulis c2"


def test_an_anonymous_read_answers_with_the_state_its_body_was_read_in(
    monkeypatch, published_claim, reviewer, reviewer2, anon_client
):
    url = f"/api/v1/claims/{published_claim.pk}/"
    state_of = claim_reads.claim_state

    def state_then_a_correction_commits(pk: int):
        state = state_of(pk)
        correct(
            Claim.objects.get(pk=pk),
            by=reviewer2,
            approver=reviewer,
            changes={"verdict_en": "Corrected."},
            note="Koreksi.",
        )
        monkeypatch.setattr(claim_reads, "claim_state", state_of)
        return state

    monkeypatch.setattr(claim_reads, "claim_state", state_then_a_correction_commits)

    # A revalidation reads the state first (a plain GET reads only the claim, its state in the same row).
    read = anon_client.get(url, HTTP_IF_NONE_MATCH='"an-older-tag"')

    corrected = Claim.objects.get(pk=published_claim.pk)
    assert read.json()["version"] == corrected.version == published_claim.version + 1
    assert read["ETag"] == claim_etag(corrected)
    assert anon_client.get(url).json()["verdict"]["en"] == "Corrected."


def test_the_answer_to_an_edit_is_the_row_it_wrote(draft_claim, editor):
    client = client_with(user_key(editor))

    response = client.patch(
        f"/api/v1/claims/{draft_claim.pk}/",
        {"claimant": "Kemlu"},
        format="json",
        HTTP_IF_MATCH=f'"claim-{draft_claim.pk}-v1"',
    )

    written = Claim.objects.get(pk=draft_claim.pk)
    assert (response.json()["version"], response.json()["claimant"]) == (2, "Kemlu")
    assert response["ETag"] == claim_etag(written)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("method", "path", "data", "service"),
    [
        ("PATCH", "", {"claimant": "Kemlu"}, "claim_update"),
        ("POST", "transition/", {"status": "researching"}, "claim_transition"),
        ("POST", "evidence/", {"url": "https://example.org/x", "title": "X", "publisher": "P"}, "evidence_add"),
    ],
    ids=["edit", "transition", "evidence"],
)
def test_a_write_answers_with_the_row_it_wrote_even_when_another_write_follows_at_once(
    monkeypatch, draft_claim, editor, editor2, method, path, data, service
):
    client = client_with(user_key(editor))
    write, update = getattr(services, service), services.claim_update
    follower: list[threading.Thread] = []

    def another_editors_write() -> None:
        try:
            update(claim=draft_claim.pk, by=editor2, expected_version=2, changes={"claimant": "Someone else"})
        finally:
            connections.close_all()

    def write_then_another_follows(**kwargs):
        written = write(**kwargs)
        follower.append(threading.Thread(target=another_editors_write))
        follower[0].start()
        follower[0].join(0.5)  # it waits for this request's row lock; unfixed, it committed here
        return written

    monkeypatch.setattr(services, service, write_then_another_follows)

    response = client.generic(
        method,
        f"/api/v1/claims/{draft_claim.pk}/{path}",
        json.dumps(data),
        content_type="application/json",
        HTTP_IF_MATCH=f'"claim-{draft_claim.pk}-v1"',
    )

    follower[0].join(10)
    assert response.status_code in (200, 201), response.content
    body = response.json()
    assert (body["version"], etag_version(response["ETag"])) == (2, 2)
    assert body["claimant"] == ("Kemlu" if service == "claim_update" else "Penulis")
    claim = Claim.objects.get(pk=draft_claim.pk)
    assert (claim.version, claim.claimant) == (3, "Someone else")  # the other write waited, then went through


CLIENTS = 30


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a live server with concurrent writers needs PostgreSQL")
def test_thirty_newsroom_clients_editing_over_http_with_if_match_lose_no_change(http, draft_claim, settings):
    """Each client reads the draft, appends its own token to the claimant and sends the edit with the ETag it
    read, reading again after a 412, until its edit is taken. Every token is there at the end."""
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "user": "100000/minute"}
    editors = [make_user(f"newsroom{i}", "Editors", is_staff=True) for i in range(CLIENTS)]
    clients = [Http(http.base, key=user_key(editor)) for editor in editors]
    url = f"/api/v1/claims/{draft_claim.pk}/"
    barrier = threading.Barrier(CLIENTS)
    outcomes: list[object] = [None] * CLIENTS

    def edit(i: int) -> dict:
        client, attempts = clients[i], 0
        barrier.wait()
        while attempts < 200:
            attempts += 1
            read = client.get(url)
            assert read.status_code == 200, read.text
            claimant = read.json()["claimant"] + f" c{i}"
            written = client.patch(url, json={"claimant": claimant}, headers={"If-Match": read.headers["ETag"]})
            if written.status_code == 200:
                return {"attempts": attempts, "body": written.json(), "etag": written.headers["ETag"]}
            assert written.status_code == 412, written.text
            time.sleep(random.uniform(0, 0.02))
        raise AssertionError(f"client {i} gave up after {attempts} attempts")

    def run(i: int) -> None:
        try:
            outcomes[i] = edit(i)
        except Exception as exc:  # asserted on below
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(240)

    assert all(isinstance(o, dict) for o in outcomes), [o for o in outcomes if not isinstance(o, dict)]
    claim = Claim.objects.get(pk=draft_claim.pk)
    tokens = claim.claimant.split()[1:]
    assert sorted(tokens) == sorted(f"c{i}" for i in range(CLIENTS)), claim.claimant
    assert claim.version == draft_claim.version + CLIENTS
    # Each answer is the row its edit wrote: its own token last, and the ETag of that version.
    for i, outcome in enumerate(outcomes):
        body = outcome["body"]
        assert body["claimant"].endswith(f" c{i}") and etag_version(outcome["etag"]) == body["version"]
    assert sorted(o["body"]["version"] for o in outcomes) == list(range(2, CLIENTS + 2))
