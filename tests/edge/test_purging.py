"""Surrogate keys on public answers, and the purge after each commit: once per transaction, through the
purger the settings select (Varnish, Fastly, Cloudflare), each sent to a local HTTP receiver here."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import Client

from factcheck import purgers, surrogate
from factcheck.claims import services
from factcheck.people.models import StaffProfile
from tests.claims.test_similar_list_reads import other_claim_in_review, publish_other_claim
from tests.conftest import correct


class Receiver:
    """An HTTP server on a free port that records every request and answers ``status`` with ``body``."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status, self.body = 200, b"{}"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                receiver.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            do_PURGE = do_POST = do_GET = handle_any

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def varnish_purger(receiver, settings):
    settings.SURROGATE_PURGER = {"BACKEND": "factcheck.purgers.VarnishPurger", "OPTIONS": {"urls": [receiver.url]}}
    return receiver


def purged_keys(request: dict) -> set[str]:
    return set(request["headers"]["Xkey-Purge"].split())


# The purger is set after the data fixtures: their writes share the test's transaction, whose purge
# (holding every key touched in it) would otherwise be the one the writes below add to.
def test_a_correction_is_one_purge_of_the_keys_it_touched(
    published_claim, reviewer, reviewer2, varnish_purger, django_capture_on_commit_callbacks
):
    claim = published_claim
    with django_capture_on_commit_callbacks(execute=True):
        correct(claim, by=reviewer2, approver=reviewer, note="Sumber diperbaiki.", changes={"verdict": "Baru."})
    assert len(varnish_purger.requests) == 1
    sent = varnish_purger.requests[0]
    assert sent["method"] == "PURGE"
    assert purged_keys(sent) == {f"claim-{claim.pk}", f"article-{claim.article_id}-claims", "lists"}


def test_one_purge_after_the_commit_and_none_after_a_rollback(
    researched_claim, editor, varnish_purger, django_capture_on_commit_callbacks
):
    def add(n: int) -> None:
        services.evidence_add(
            claim=researched_claim,
            by=editor,
            url=f"https://example.org/sumber-{n}",
            title=f"Sumber {n}",
            publisher="Contoh",
            stance="supports",
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            add(1)
            add(2)
    assert sum(isinstance(c, surrogate.PendingPurge) for c in callbacks) == 1
    assert len(varnish_purger.requests) == 1
    # The claim is being researched: readers see nothing of it, so no list or article page is purged.
    assert purged_keys(varnish_purger.requests[0]) == {f"claim-{researched_claim.pk}"}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            add(3)
            raise RuntimeError("rolled back")
    assert not any(isinstance(c, surrogate.PendingPurge) for c in callbacks)
    assert len(varnish_purger.requests) == 1


def test_a_claim_readers_never_saw_purges_no_list_until_it_is_published(
    in_review_claim, editor, reviewer, varnish_purger, django_capture_on_commit_callbacks
):
    claim = in_review_claim
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(
            claim=claim, by=editor, expected_version=claim.version, changes={"statement": "Pernyataan yang diperbaiki"}
        )
    assert varnish_purger.requests == []

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_publish(claim=claim, by=reviewer)
    assert {"lists", f"article-{claim.article_id}-claims", "similar"} <= purged_keys(varnish_purger.requests[0])


@pytest.fixture
def similar_claim_in_review(published_claim, editor):
    """A claim of another article saying the published claim's "Bangkok", in review (made before the purger
    is set: see above)."""
    return other_claim_in_review(editor, statement="Ukraina ingin bergabung dengan forum yang lahir di Bangkok")


@pytest.fixture
def other_public_claim(published_claim, editor, reviewer):
    """A public claim of another article, not similar to the published one (made before the purger is set)."""
    return publish_other_claim(editor, reviewer)


def test_restating_a_claim_purges_the_pages_that_list_similar_claims(
    published_claim, other_public_claim, reviewer, reviewer2, varnish_purger, django_capture_on_commit_callbacks
):
    # Restated in the words of the published claim: that claim's page now lists it.
    other = other_public_claim
    with django_capture_on_commit_callbacks(execute=True):
        correct(
            other,
            by=reviewer2,
            approver=reviewer,
            note="Pernyataan diperjelas.",
            changes={"statement": "Ukraina ingin menjadi mitra forum yang didirikan di Bangkok"},
        )
    assert "similar" in purged_keys(varnish_purger.requests[-1])
    # A correction of a verdict alone does not purge it (test_a_correction_is_one_purge_of_the_keys_it_touched):
    # similar claims are found by their statements.


def test_publishing_a_claim_purges_the_pages_that_list_similar_claims(
    published_claim, similar_claim_in_review, reviewer, varnish_purger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_publish(claim=similar_claim_in_review, by=reviewer)
    assert len(varnish_purger.requests) == 1
    assert "similar" in purged_keys(varnish_purger.requests[0])


def test_a_purge_failure_is_logged_and_the_write_stands(
    published_claim, reviewer, reviewer2, receiver, settings, django_capture_on_commit_callbacks, caplog
):
    receiver.status = 500
    settings.SURROGATE_PURGER = {
        "BACKEND": "factcheck.purgers.VarnishPurger",
        "OPTIONS": {"urls": [receiver.url, "http://127.0.0.1:1/"]},  # one failing, one refusing connections
    }
    with django_capture_on_commit_callbacks(execute=True):
        claim = correct(published_claim, by=reviewer2, approver=reviewer, note="Diperbaiki.", changes={"verdict": "X."})
    claim.refresh_from_db()
    assert claim.verdict == "X."
    assert "Could not purge surrogate keys" in caplog.text and "answered 500" in caplog.text


def test_no_purger_by_default_sends_nothing(receiver, researched_claim, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.evidence_add(
            claim=researched_claim, by=editor, url="https://example.org/x", title="X", publisher="C", stance="supports"
        )
    assert not any(isinstance(c, surrogate.PendingPurge) for c in callbacks)
    assert receiver.requests == []


def test_fastly_purges_by_surrogate_key(receiver):
    purger = purgers.FastlyPurger(service_id="svc1", token="tok", api_url=receiver.url)
    keys = [f"claim-{n}" for n in range(300)]
    purger.purge(keys)
    assert [r["path"] for r in receiver.requests] == ["/service/svc1/purge"] * 2  # 256 keys a request
    first = receiver.requests[0]
    assert first["method"] == "POST" and first["headers"]["Fastly-Key"] == "tok"
    sent = first["headers"]["Surrogate-Key"].split() + receiver.requests[1]["headers"]["Surrogate-Key"].split()
    assert sent == keys
    receiver.status = 401
    with pytest.raises(purgers.PurgeFailed, match="401"):
        purger.purge(["lists"])


def test_cloudflare_purges_by_cache_tag(receiver):
    purger = purgers.CloudflarePurger(zone_id="zone1", token="tok", api_url=receiver.url)
    receiver.body = b'{"success": true}'
    purger.purge(["lists", "scale"])
    sent = receiver.requests[0]
    assert sent["path"] == "/zones/zone1/purge_cache" and sent["method"] == "POST"
    assert sent["headers"]["Authorization"] == "Bearer tok"
    assert json.loads(sent["body"]) == {"tags": ["lists", "scale"]}
    receiver.body = b'{"success": false, "errors": [{"code": 1134}]}'
    with pytest.raises(purgers.PurgeFailed, match="did not confirm"):
        purger.purge(["lists"])


def test_public_answers_carry_their_keys_and_personal_ones_none(client, published_claim, editor):
    claim = published_claim
    page = client.get(f"/claims/{claim.slug}/")
    expected = {
        f"claim-{claim.pk}",
        f"article-{claim.article_id}",
        f"article-{claim.article_id}-claims",
        "scale",
        "similar",  # it lists similar claims of other articles
        f"person-{claim.researcher_id}",  # its byline
        f"person-{claim.reviewer_id}",
        "site",
    }
    assert set(page["xkey"].split()) == expected
    assert set(page["Surrogate-Key"].split()) == expected
    assert set(page["Cache-Tag"].split(",")) == expected
    assert "s-maxage=" in page["Cache-Control"] and "public" in page["Cache-Control"]

    article = client.get(f"/articles/{claim.article.slug}/")
    assert set(article["xkey"].split()) == {
        f"article-{claim.article_id}",
        f"article-{claim.article_id}-claims",
        "scale",
        "site",
    }
    assert set(client.get("/")["xkey"].split()) == {"lists", "scale", "site"}
    api = client.get(f"/api/v1/claims/{claim.pk}/")
    assert set(api["xkey"].split()) == {f"claim-{claim.pk}", f"article-{claim.article_id}", "scale", "site"}
    assert "public" in api["Cache-Control"] and "Accept-Language" in api["Vary"]
    assert set(client.get("/api/v1/claims/")["xkey"].split()) == {"lists", "scale", "site"}

    assert "xkey" not in client.get("/claims/no-such-claim/")
    signed_in = Client()
    signed_in.force_login(editor)
    personal = signed_in.get(f"/claims/{claim.slug}/")
    assert "xkey" not in personal and "private" in personal["Cache-Control"]


def test_the_vcl_accepts_the_hosts_django_accepts():
    from factcheck.web.management.commands.varnish_vcl import acl_entries, host_pattern

    pattern = re.compile(host_pattern(["example.org", ".berita.id", "127.0.0.1"]))
    for host in ("example.org", "example.org:8080", "berita.id", "www.berita.id", "127.0.0.1:80"):
        assert pattern.search(host), host
    for host in ("evil.example", "example.org.evil", "xberita.id", "127.0.0.12", "example.org:80x"):
        assert not pattern.search(host), host
    assert host_pattern(["*"]) == "."
    assert acl_entries(["10.0.0.0/8", "192.0.2.7", "::1"]) == '    "10.0.0.0"/8;\n    "192.0.2.7";\n    "::1";'


def test_the_vcl_makes_every_origin_one_only_where_django_answers_every_origin_alike(settings):
    from factcheck.web.management.commands.varnish_vcl import render

    assert "any-origin.invalid" in render(backend="127.0.0.1:8000", purgers=["127.0.0.1"], grace_healthy=30)
    settings.CORS_ALLOW_CREDENTIALS = True  # then the origin echoes each Origin: one entry each
    assert "any-origin.invalid" not in render(backend="127.0.0.1:8000", purgers=["127.0.0.1"], grace_healthy=30)


def test_the_vcl_probes_the_origin_unless_told_not_to(settings):
    from factcheck.web.management.commands.varnish_vcl import render

    settings.ALLOWED_HOSTS = ["cekfakta.example.org", ".example.org"]
    probed = render(backend="10.0.0.5:8000", purgers=["10.0.0.0/24"], grace_healthy=30)
    assert '.host = "10.0.0.5";' in probed and '.port = "8000";' in probed
    assert '"Host: cekfakta.example.org"' in probed and "GET /healthz/live" in probed
    assert '"10.0.0.0"/24;' in probed and "set req.grace = 30s;" in probed
    assert not re.search(r"@[A-Z_]+@", probed)  # every place filled
    assert ".probe" not in render(backend="10.0.0.5:8000", purgers=["10.0.0.1"], grace_healthy=30, probe=False)


def test_a_new_full_name_purges_the_bylines_and_a_login_purges_nothing(
    published_claim, reviewer, varnish_purger, django_capture_on_commit_callbacks
):
    # The reviewer has no display name: bylines show the full name (people.models.public_name).
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.last_name = "Hartono"
        reviewer.save()
    assert [purged_keys(r) for r in varnish_purger.requests] == [{f"person-{reviewer.pk}"}]

    varnish_purger.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().force_login(reviewer)  # saves last_login alone
        reviewer.save()  # saved unchanged
    assert varnish_purger.requests == []


def purge_through(receiver, settings) -> None:
    settings.SURROGATE_PURGER = {"BACKEND": "factcheck.purgers.VarnishPurger", "OPTIONS": {"urls": [receiver.url]}}


def rename(profile) -> None:
    profile.display_name = "Dewi L."
    profile.save()


@pytest.mark.parametrize("change", [rename, StaffProfile.delete], ids=["renamed", "deleted"])
def test_a_display_name_purges_the_bylines_of_its_person(
    published_claim, reviewer, receiver, settings, django_capture_on_commit_callbacks, change
):
    profile = StaffProfile.objects.create(user=reviewer, display_name="Dewi Lestari")
    purge_through(receiver, settings)  # after the set-up's writes (see above)
    with django_capture_on_commit_callbacks(execute=True):
        change(profile)
    assert [purged_keys(r) for r in receiver.requests] == [{f"person-{reviewer.pk}"}]


def test_a_new_display_name_purges_the_bylines_of_its_person(
    published_claim, reviewer, varnish_purger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        StaffProfile.objects.create(user=reviewer, display_name="Dewi Lestari")
    assert [purged_keys(r) for r in varnish_purger.requests] == [{f"person-{reviewer.pk}"}]


@pytest.mark.parametrize("with_profile", [False, True])
def test_a_deleted_account_purges_its_bylines_once(
    published_claim, reviewer, receiver, settings, django_capture_on_commit_callbacks, with_profile
):
    """Deleting the user sets Claim.reviewer to NULL in bulk (no claim signal): the byline still goes."""
    assert published_claim.reviewer_id == reviewer.pk
    if with_profile:
        StaffProfile.objects.create(user=reviewer, display_name="Dewi Lestari")
    purge_through(receiver, settings)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.delete()
    assert [purged_keys(r) for r in receiver.requests] == [{f"person-{published_claim.reviewer_id}"}]


@pytest.mark.parametrize("path", ["/", "claim page", "/api/v1/claims/"])
def test_an_answer_that_deletes_a_stale_session_cookie_is_private(client, published_claim, path):
    path = f"/claims/{published_claim.slug}/" if path == "claim page" else path
    client.cookies["sessionid"] = "a-session-that-expired"
    response = client.get(path)
    assert response.status_code == 200 and response.cookies["sessionid"].value == ""  # deleted
    control = response["Cache-Control"]
    assert "private" in control and "public" not in control and "s-maxage" not in control
    assert not any(name in response for name in surrogate.HEADERS)
    # Without the cookie the same page is public.
    client.cookies.clear()
    assert "public" in client.get(path)["Cache-Control"]


def test_an_answer_whose_policy_carries_a_nonce_is_private(rf):
    """A page whose template used the CSP nonce (none of ours does today) must not hand one nonce to all."""
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.utils.cache import patch_cache_control

    def page(uses_nonce: bool):
        def view(request):
            response = HttpResponse(f"<script nonce='{request._csp_nonce}'></script>" if uses_nonce else "plain")
            patch_cache_control(response, public=True, s_maxage=3600)
            surrogate.tag(response, ["lists"])
            return response

        return surrogate.PersonalAnswersArePrivateMiddleware(ContentSecurityPolicyMiddleware(view))

    with_nonce = page(True)(rf.get("/"))
    assert "'nonce-" in with_nonce["Content-Security-Policy"]
    assert with_nonce["Cache-Control"].startswith("private") and "public" not in with_nonce["Cache-Control"]
    assert "xkey" not in with_nonce
    without = page(False)(rf.get("/"))
    assert "public" in without["Cache-Control"] and "xkey" in without


def test_a_fixtures_raw_profile_leaves_the_claims_rows_as_loaded_and_still_purges(
    published_claim, reviewer, varnish_purger, django_capture_on_commit_callbacks
):
    from django.db.models.signals import post_save

    profile = StaffProfile(user=reviewer, display_name="Dewi Lestari")
    with django_capture_on_commit_callbacks(execute=True):
        StaffProfile.save_base(profile, raw=True)  # what loaddata does
    published_claim.refresh_from_db()
    assert published_claim.byline_changed_at is None
    assert [purged_keys(r) for r in varnish_purger.requests] == [{f"person-{reviewer.pk}"}]

    with django_capture_on_commit_callbacks(execute=True):
        post_save.send(StaffProfile, instance=profile, created=False, raw=False, using="default")
    published_claim.refresh_from_db()
    assert published_claim.byline_changed_at is not None
