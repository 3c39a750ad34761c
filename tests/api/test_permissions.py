"""The permission matrix: every endpoint and method, for every kind of caller, with the expected status.

Columns: anonymous, partner key, revoked partner key, outsider (a user with no newsroom role, own key),
editor, reviewer, superuser. Reads of public data are open (revoked keys always get 401); only the
newsroom writes, within its roles; what readers see changes only through a reviewed revision (a direct
edit of a published claim or of its evidence is 409 for everyone, superusers included; anyone in the
newsroom proposes a correction, a retraction needs a reviewer, and approving needs a reviewer who is
not the proposer); only a partner manages webhooks. DRF checks who you are before whether the method
exists, so an unsupported method is 401/403 for those who could not write anyway and 405 for those who could.
"""

from __future__ import annotations

import pytest

from factcheck.claims import revisions, services
from factcheck.claims.roles import EDITORS, REVIEWERS
from factcheck.partners.services import create_partner_with_key, key_create, key_revoke, webhook_endpoint_create
from tests.conftest import import_article, make_superuser, make_user, publish_claim, shared_rows, span_of

from .conftest import client_with, publish_second_claim, user_key

CALLERS = ["anonymous", "partner", "revoked", "outsider", "editor", "reviewer", "superuser"]

READ = (200, 200, 401, 200, 200, 200, 200)
NO_METHOD = (405, 405, 401, 405, 405, 405, 405)  # a safe method the endpoint does not have
READ_ONLY_WRITE = (401, 403, 401, 403, 405, 405, 405)  # an unsafe method on a read-only endpoint
NEWSROOM_CREATE = (401, 403, 401, 403, 201, 201, 201)
NEWSROOM_WRITE = (401, 403, 401, 403, 200, 200, 200)
REVIEWER_WRITE = (401, 403, 401, 403, 403, 200, 200)
REVIEWER_CREATE = (401, 403, 401, 403, 403, 201, 201)
SHOWN_WRITE = (401, 403, 401, 403, 409, 409, 409)  # a direct change to what readers see: never, for anyone
NEWSROOM_READ = (401, 403, 401, 403, 200, 200, 200)
AUTHOR_WRITE = (401, 403, 401, 403, 200, 403, 403)  # only the revision's author (the editor) withdraws it
PARTNER_READ = (401, 200, 401, 403, 403, 403, 403)
PARTNER_CREATE = (401, 201, 401, 403, 403, 403, 403)
PARTNER_DELETE = (401, 204, 401, 403, 403, 403, 403)
PARTNER_NO_METHOD = (401, 405, 401, 403, 403, 403, 403)

CLAIM = "/api/v1/claims/{claim}/"
EVIDENCE = "/api/v1/claims/{claim}/evidence/{evidence}/"
DRAFT = "/api/v1/claims/{draft}/"  # a claim still being researched: edited directly
DRAFT_EVIDENCE = "/api/v1/claims/{draft}/evidence/{draft_evidence}/"
PENDING = "/api/v1/claims/{second}/revisions/{revision}/"  # a correction the editor proposed
WEBHOOK = "/api/v1/webhooks/{endpoint}/"

NEW_CLAIM = {"article": "{article}", "start": 60, "end": 95, "statement": "Forum ini mencakup 53 negara"}
DIRECT_CORRECTION = {"verdict": "Benar: KTT pertama ASEM.", "version": "{version}"}
DRAFT_EDIT = {"verdict": "Benar: KTT pertama ASEM.", "version": "{draft_version}"}
RETRACTION = {"status": "retracted", "note": "Sumber ditarik.", "version": "{version}"}
PROPOSED_CORRECTION = {
    "changes": {"verdict": "Benar: KTT pertama ASEM."},
    "note": "Diperjelas.",
    "version": "{version}",
}
PROPOSED_RETRACTION = {"kind": "retraction", "note": "Sumber ditarik.", "version": "{version}"}
NEW_EVIDENCE = {"url": "https://example.org/new", "title": "Baru", "publisher": "P", "version": "{version}"}
EVIDENCE_EDIT = {"title": "Judul baru", "version": "{version}"}
NEW_DRAFT_EVIDENCE = {"url": "https://example.org/new", "title": "Baru", "publisher": "P", "version": "{draft_version}"}
DRAFT_EVIDENCE_EDIT = {"title": "Judul baru", "version": "{draft_version}"}
NEW_ENDPOINT = {"url": "https://hooks.example/new", "events": ["claim.published"]}

MATRIX = [
    # (method, path, body, expected statuses per caller)
    ("get", "/api/v1/claims/", None, READ),
    ("post", "/api/v1/claims/", NEW_CLAIM, NEWSROOM_CREATE),
    ("put", "/api/v1/claims/", {}, READ_ONLY_WRITE),
    ("delete", "/api/v1/claims/", None, READ_ONLY_WRITE),
    ("get", CLAIM, None, READ),
    ("patch", CLAIM, DIRECT_CORRECTION, SHOWN_WRITE),
    ("patch", DRAFT, DRAFT_EDIT, NEWSROOM_WRITE),
    ("put", CLAIM, {}, READ_ONLY_WRITE),
    ("delete", CLAIM, None, READ_ONLY_WRITE),
    ("post", CLAIM, {}, READ_ONLY_WRITE),
    ("get", CLAIM + "history/", None, READ),
    ("post", CLAIM + "history/", {}, READ_ONLY_WRITE),
    ("get", CLAIM + "claimreview/", None, READ),
    ("post", CLAIM + "claimreview/", {}, READ_ONLY_WRITE),
    ("get", CLAIM + "transition/", None, NO_METHOD),
    ("post", CLAIM + "transition/", RETRACTION, SHOWN_WRITE),
    ("get", CLAIM + "revisions/", None, NEWSROOM_READ),
    ("post", CLAIM + "revisions/", PROPOSED_CORRECTION, NEWSROOM_CREATE),
    ("post", CLAIM + "revisions/", PROPOSED_RETRACTION, REVIEWER_CREATE),
    ("post", PENDING + "approve/", {}, REVIEWER_WRITE),
    ("post", PENDING + "reject/", {"note": "Belum cukup bukti."}, REVIEWER_WRITE),
    ("post", PENDING + "withdraw/", {}, AUTHOR_WRITE),
    ("get", CLAIM + "evidence/", None, NO_METHOD),
    ("post", CLAIM + "evidence/", NEW_EVIDENCE, SHOWN_WRITE),
    ("post", DRAFT + "evidence/", NEW_DRAFT_EVIDENCE, NEWSROOM_CREATE),
    ("get", EVIDENCE, None, READ),
    ("patch", EVIDENCE, EVIDENCE_EDIT, SHOWN_WRITE),
    ("patch", DRAFT_EVIDENCE, DRAFT_EVIDENCE_EDIT, NEWSROOM_WRITE),
    ("delete", EVIDENCE + "?version={version}", None, SHOWN_WRITE),
    ("delete", DRAFT_EVIDENCE + "?version={draft_version}", None, NEWSROOM_WRITE),
    ("put", EVIDENCE, {}, READ_ONLY_WRITE),
    ("get", "/api/v1/claimreview/", None, READ),
    ("post", "/api/v1/claimreview/", {}, READ_ONLY_WRITE),
    ("get", "/api/v1/articles/", None, READ),
    ("post", "/api/v1/articles/", {}, READ_ONLY_WRITE),
    ("get", "/api/v1/articles/{article}/", None, READ),
    ("patch", "/api/v1/articles/{article}/", {}, READ_ONLY_WRITE),
    ("get", "/api/v1/ratings/", None, READ),
    ("post", "/api/v1/ratings/", {}, READ_ONLY_WRITE),
    ("get", "/api/v1/factcheck/claims:search", None, READ),
    ("post", "/api/v1/factcheck/claims:search", {}, READ_ONLY_WRITE),
    ("get", "/api/v1/webhooks/", None, PARTNER_READ),
    ("post", "/api/v1/webhooks/", NEW_ENDPOINT, PARTNER_CREATE),
    ("put", "/api/v1/webhooks/", {}, PARTNER_NO_METHOD),
    ("get", WEBHOOK, None, PARTNER_READ),
    ("patch", WEBHOOK, {"description": "prod"}, PARTNER_READ),
    ("delete", WEBHOOK, None, PARTNER_DELETE),
    ("put", WEBHOOK, {}, PARTNER_NO_METHOD),
    ("get", WEBHOOK + "deliveries/", None, PARTNER_READ),
    ("post", WEBHOOK + "deliveries/", {}, PARTNER_NO_METHOD),
    ("get", "/api/schema/", None, READ),
    ("get", "/api/docs/", None, READ),
    ("get", "/api/redoc/", None, READ),
]


@pytest.fixture(scope="module")
def shared_world(request, django_db_blocker):
    """The rows every cell of the matrix reads, made once for the module (tests/conftest.py: shared_rows)."""
    with shared_rows(request, django_db_blocker) as rows_made_here:
        with rows_made_here():
            world = make_world()
        yield world


@pytest.fixture
def world(shared_world, db):
    """Each test's own copy of the shared rows (its writes are rolled back after it): keys and ids."""
    return shared_world


def make_world():
    editor = make_user("editor", EDITORS, is_staff=True)
    reviewer = make_user("reviewer", REVIEWERS, is_staff=True)
    article = import_article(editor)
    published_claim = publish_claim(article, editor, reviewer)
    second_claim = publish_second_claim(article, editor, make_user("reviewer2", REVIEWERS, is_staff=True))
    partner, partner_key = create_partner_with_key(name="Mitra Data", contact_email="data@mitra.example")
    revoked, revoked_key = key_create(partner=partner, name="old")
    key_revoke(key=revoked)
    outsider = make_user("outsider")
    superuser = make_superuser()
    # A claim still being researched, with two evidence links: the newsroom edits it directly.
    start, end = span_of(published_claim.article, "mencakup 53 negara mitra.")
    draft = services.claim_create(
        article=published_claim.article, start=start, end=end, by=editor, statement="ASEM punya 53 mitra"
    )
    draft = services.claim_start_research(claim=draft, by=editor)
    for n in (1, 2):
        services.evidence_add(claim=draft, by=editor, url=f"https://example.org/mitra{n}", title="M", publisher="P")
    draft.refresh_from_db()
    # A correction of another published claim, proposed by the editor and waiting for a reviewer.
    pending = revisions.revision_propose(
        claim=second_claim,
        by=editor,
        expected_version=second_claim.version,
        changes={"verdict": "Keliru: Indonesia mengakui Ukraina pada 28 Desember 1991."},
        note="Ringkasan diperjelas.",
    )
    endpoint = webhook_endpoint_create(partner=partner, url="https://hooks.example/a", events=["claim.published"])
    keys = {
        "anonymous": None,
        "partner": partner_key,
        "revoked": revoked_key,
        "outsider": user_key(outsider),
        "editor": user_key(editor),
        "reviewer": user_key(reviewer),
        "superuser": user_key(superuser),
    }
    values = {
        "claim": published_claim.pk,
        "article": published_claim.article_id,
        "evidence": published_claim.evidence.order_by("id").first().pk,
        "draft": draft.pk,
        "draft_version": draft.version,
        "draft_evidence": draft.evidence.order_by("id").first().pk,
        "second": second_claim.pk,
        "revision": pending.pk,
        "endpoint": endpoint.pk,
        "version": published_claim.version,
    }
    return keys, values


def fill(template, values: dict):
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}") and template[1:-1] in values:
        return values[template[1:-1]]
    return template


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m.upper()} {p}" for m, p, _, _ in MATRIX]
)
def test_permission_matrix(world, caller, method, path, body, expected):
    keys, values = world
    client = client_with(keys[caller])

    url = path.format(**values)
    kwargs = {"format": "json"} if body is not None else {}
    response = (
        getattr(client, method)(url, fill(body, values), **kwargs) if body is not None else getattr(client, method)(url)
    )

    assert response.status_code == expected[CALLERS.index(caller)], getattr(response, "data", response.content)
    if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        # Google's error shape where Google's clients call (claims:search), the portal's everywhere else.
        expected_keys = {"error"} if path.startswith("/api/v1/factcheck/") else {"detail", "code", "errors"}
        assert set(response.json()) >= expected_keys
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
