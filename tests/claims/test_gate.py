"""The one gate: every write path × every shown status × every role either refuses, naming the rule,
or leaves a pending revision that changes nothing public until a different reviewer approves it.

The write paths are derived from the code (the services' and revisions' functions, the API's URL
patterns and their methods, the admin's fields, inline fields, bulk actions and workflow URLs, the
claims app's management commands) and the fields from the models (``gate.public_*_fields``), so a
new path or field that nobody covered makes these tests fail.
"""

from __future__ import annotations

import inspect

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.core.management import get_commands
from django.urls import URLPattern, get_resolver
from django.utils import translation
from rest_framework.test import APIClient

from factcheck.claims import gate, revisions, services
from factcheck.claims.errors import ServiceError
from factcheck.claims.models import Article, Claim, Evidence, Revision
from tests.conftest import dismiss, import_article, make_user, publish_claim, retract, shared_rows

Status = Claim.Status
SHOWN = sorted(gate.SHOWN_STATUSES)
ROLES = ["editor", "reviewer", "superuser"]


# --- what the public sees ------------------------------------------------------------------------------


def public_snapshot(claim: Claim) -> dict:
    """Everything readers and partners see of a claim, as the gate defines it."""
    fresh = Claim.objects.select_related("article").get(pk=claim.pk)
    return {
        "status": fresh.status,
        "claim": {name: getattr(fresh, name) for name in gate.public_claim_fields()},
        "article": {name: getattr(fresh.article, name) for name in gate.public_article_fields()},
        "evidence": [
            {name: getattr(item, name) for name in gate.public_evidence_fields()}
            for item in fresh.evidence.order_by("position", "id")
        ],
    }


@pytest.fixture(scope="module")
def gate_world(request, django_db_blocker) -> dict[str, int]:
    """The newsroom and a published claim, made once for the module (tests/conftest.py: shared_rows): each test's
    writes, refused, pending or otherwise, are rolled back after it."""
    from factcheck.claims.roles import EDITORS, REVIEWERS

    with shared_rows(request, django_db_blocker) as rows_made_here:
        with rows_made_here(), translation.override("en"):
            users = {
                "editor": make_user("editor", EDITORS, is_staff=True),
                "reviewer": make_user("reviewer", REVIEWERS, is_staff=True),
                "reviewer2": make_user("reviewer2", REVIEWERS, is_staff=True),
                "gate-editor": make_user("gate-editor", EDITORS, is_staff=True),
                "gate-reviewer": make_user("gate-reviewer", REVIEWERS, is_staff=True),
                "gate-boss": make_user("gate-boss", is_staff=True, is_superuser=True),
                "gate-reviewer-2": make_user("gate-reviewer-2", REVIEWERS, is_staff=True),
            }
            claim = publish_claim(import_article(users["editor"]), users["editor"], users["reviewer"])
            world = {"published_claim": claim.pk, **{name: user.pk for name, user in users.items()}}
        yield world


def user_of(gate_world: dict[str, int], name: str):
    return get_user_model().objects.get(pk=gate_world[name])


@pytest.fixture
def editor(gate_world, db):
    return user_of(gate_world, "editor")


@pytest.fixture
def reviewer(gate_world, db):
    return user_of(gate_world, "reviewer")


@pytest.fixture
def reviewer2(gate_world, db):
    return user_of(gate_world, "reviewer2")


@pytest.fixture
def published_claim(gate_world, db):
    return Claim.objects.get(pk=gate_world["published_claim"])


@pytest.fixture
def people(gate_world, db):
    return {
        "editor": user_of(gate_world, "gate-editor"),
        "reviewer": user_of(gate_world, "gate-reviewer"),
        "superuser": user_of(gate_world, "gate-boss"),
        "other_reviewer": user_of(gate_world, "gate-reviewer-2"),
    }


@pytest.fixture
def shown_claim(request, published_claim, reviewer, reviewer2, editor):
    """A claim in each shown status: published, retracted, dismissed."""
    status = request.param
    if status == Status.PUBLISHED:
        return published_claim
    if status == Status.RETRACTED:
        return retract(published_claim, by=reviewer2, approver=reviewer, note="Ditarik.")
    from tests.admin.conftest import make_claim

    claim = make_claim(published_claim.article, editor, "Forum ini mencakup 53 negara mitra.")
    return dismiss(claim, by=editor, approver=reviewer, reason="Opini.")


def assert_refused_or_pending(claim: Claim, before: dict, outcome: str) -> None:
    """The public sees exactly what it saw; a write either was refused or left a pending revision."""
    assert public_snapshot(claim) == before, outcome
    assert outcome in {"refused", "pending"}, outcome


# --- the services -----------------------------------------------------------------------------------

WRITING_MODULES = (services, revisions)
# Functions of those modules that write nothing readers see, or only read.
NOT_WRITERS = {
    "allowed_transitions",
    "article_revision_diff",
    "claim_create",  # a new draft: not shown
    "revision_diff",
    "revision_pending",
    "unique_slug",
    "user_label",
}


def service_writers() -> set[str]:
    found = set()
    for module in WRITING_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_") and name not in NOT_WRITERS:
                found.add(name)
    return found


def evidence_of(claim: Claim) -> Evidence | None:
    return claim.evidence.order_by("position", "id").first()


def _propose(claim, user):
    return revisions.revision_propose(
        claim=claim.pk, by=user, expected_version=claim.version, changes={"claimant": "Baru"}, note="Catatan."
    )


def _own_revision(action):
    """``action`` on a revision the same user proposed: the four-eyes case of approving."""

    def run(claim, user):
        revision = _propose(claim, user)
        return action(revision=revision, by=user, note="Catatan.")

    return run


def _rename_article(claim, user):
    article = Article.objects.get(pk=claim.article_id)
    article.headline = "Judul lain"
    return services.article_update(article=article, by=user, changed={"headline"})


def _propose_article_correction(claim, user):
    return revisions.revision_propose_article(
        article=claim.article_id, by=user, changes={"headline": "Judul lain"}, note="Catatan."
    )


SERVICE_CASES = {
    "article_update": _rename_article,
    "revision_propose_article": _propose_article_correction,
    "claim_update": lambda c, u: services.claim_update(
        claim=c.pk, by=u, expected_version=c.version, changes={"claimant": "Orang lain"}
    ),
    "claim_assign_researcher": lambda c, u: services.claim_assign_researcher(claim=c.pk, researcher=u, by=u),
    "claim_delete": lambda c, u: services.claim_delete(claim=c.pk, by=u),
    "claim_transition": lambda c, u: [
        services.claim_transition(claim=c.pk, to=to, by=u, note="n") for to in Status.values if to != c.status
    ],
    "claim_transition_bulk": lambda c, u: [
        outcome
        for to in Status.values
        for outcome in services.claim_transition_bulk(claims=[c], to=to, by=u, note="n", versions={c.pk: c.version})
        if outcome.done
    ],
    "claim_start_research": lambda c, u: services.claim_start_research(claim=c.pk, by=u),
    "claim_return_to_draft": lambda c, u: services.claim_return_to_draft(claim=c.pk, by=u),
    "claim_send_to_review": lambda c, u: services.claim_send_to_review(claim=c.pk, by=u),
    "claim_send_back": lambda c, u: services.claim_send_back(claim=c.pk, by=u, note="n"),
    "claim_publish": lambda c, u: services.claim_publish(claim=c.pk, by=u),
    "claim_dismiss": lambda c, u: services.claim_dismiss(claim=c.pk, by=u),
    "evidence_add": lambda c, u: services.evidence_add(
        claim=c.pk, by=u, url="https://example.org/baru", title="Baru", publisher="P"
    ),
    "evidence_update": lambda c, u: services.evidence_update(
        evidence=evidence_of(c), by=u, expected_version=c.version, changes={"stance": "refutes"}
    ),
    "evidence_remove": lambda c, u: services.evidence_remove(evidence=evidence_of(c), by=u, expected_version=c.version),
    "revision_propose": _propose,
    "revision_approve": _own_revision(revisions.revision_approve),
    "revision_reject": _own_revision(revisions.revision_reject),
    "revision_withdraw": _own_revision(revisions.revision_withdraw),
}


# Deciding against a proposal changes nothing public: allowed to anyone entitled, checked by the snapshot.
DECIDE_WITHOUT_PUBLISHING = {"revision_reject", "revision_withdraw"}


def test_every_service_that_writes_has_a_case_in_the_matrix():
    assert service_writers() <= set(SERVICE_CASES), "a new service is not covered by the gate's matrix"


@pytest.mark.parametrize("shown_claim", SHOWN, indirect=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(SERVICE_CASES))
def test_no_service_changes_a_shown_claim_on_one_persons_word(path, role, shown_claim, people):
    if path in ("evidence_update", "evidence_remove") and evidence_of(shown_claim) is None:
        pytest.skip("a dismissed claim without sources has no source to change")
    before = public_snapshot(shown_claim)
    user = people[role]
    try:
        with_result = SERVICE_CASES[path](shown_claim, user)
    except ServiceError as refusal:
        assert refusal.message, "a refusal names the rule"
        outcome = "refused"
    else:
        pending = Revision.objects.filter(state="pending")
        outcome = (
            "pending"
            if pending.filter(claim=shown_claim).exists() or pending.filter(article=shown_claim.article_id).exists()
            else "applied"
        )
        if path == "claim_transition_bulk":
            outcome = "refused" if not with_result else "applied"
        if path in DECIDE_WITHOUT_PUBLISHING:
            outcome = "refused"  # a rejected or withdrawn proposal: nothing public changes, checked below
    assert_refused_or_pending(shown_claim, before, outcome)


# --- every public field, through each interface ------------------------------------------------------------


def new_value(claim: Claim, name: str):
    """A different, valid value for field ``name`` of ``claim``."""
    if name == "rating":
        return "false" if (claim.rating_id and claim.rating.key != "false") else "true"
    if name in ("start", "end"):
        return claim.start + 1 if name == "start" else claim.end - 1
    return f"{getattr(claim, name) or ''} (ubah)".strip()


def test_the_public_fields_are_derived_from_the_models():
    claim_fields = {f.name for f in Claim._meta.concrete_fields}
    assert set(gate.public_claim_fields()) == claim_fields - gate.CLAIM_FIELDS_NOT_SHOWN
    assert {"rating", "verdict", "verdict_en", "statement", "statement_en", "claimant", "start", "end"} <= set(
        gate.public_claim_fields()
    )
    assert {"not_checkable_reason", "not_checkable_reason_en"} <= set(gate.public_claim_fields())
    assert set(gate.public_evidence_fields()) == {f.name for f in Evidence._meta.concrete_fields} - {
        "id",
        "claim",
        "created_at",
    }
    assert {"headline", "outlet", "author", "url", "published_on"} <= set(gate.public_article_fields())


@pytest.mark.parametrize("shown_claim", [Status.PUBLISHED, Status.DISMISSED], indirect=True)
@pytest.mark.parametrize("field", gate.public_claim_fields())
def test_each_public_field_is_refused_through_the_api_and_the_service(field, shown_claim, editor, reviewer2):
    before = public_snapshot(shown_claim)
    value = new_value(shown_claim, field)
    for user in (editor, reviewer2):
        client = APIClient()
        client.force_authenticate(user)
        response = client.patch(
            f"/api/v1/claims/{shown_claim.pk}/", {field: value, "version": shown_claim.version}, format="json"
        )
        assert response.status_code == 409, response.content
        assert "approved by a reviewer who wrote none of it" in response.json()["detail"]
        with pytest.raises(ServiceError):
            services.claim_update(
                claim=shown_claim.pk, by=user, expected_version=shown_claim.version, changes={field: value}
            )
    assert public_snapshot(shown_claim) == before


@pytest.mark.parametrize("field", gate.public_evidence_fields())
def test_each_evidence_field_is_refused_through_the_api(field, published_claim, editor):
    before = public_snapshot(published_claim)
    item = evidence_of(published_claim)
    values = {"published_on": "2020-01-01", "stance": "refutes", "is_primary": not item.is_primary, "position": 5}
    value = values.get(field, f"https://example.org/{field}" if "url" in field else f"{field} baru")
    client = APIClient()
    client.force_authenticate(editor)
    base = f"/api/v1/claims/{published_claim.pk}/evidence/"
    version = {"version": published_claim.version}
    for response in (
        client.patch(f"{base}{item.pk}/", {field: value, **version}, format="json"),
        client.post(base, {"url": "https://example.org/x", "title": "T", "publisher": "P", **version}, format="json"),
        client.delete(f"{base}{item.pk}/?version={published_claim.version}"),
    ):
        assert response.status_code == 409, response.content
        assert "correction" in response.json()["detail"]
    assert public_snapshot(published_claim) == before


# --- the API: every write endpoint -------------------------------------------------------------------


def api_write_routes() -> set[tuple[str, str]]:
    """(route, method) of every API view method that writes, from the URL patterns."""
    routes = set()
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) != "api/":
            continue
        for sub in pattern.url_patterns:
            if not isinstance(sub, URLPattern) or not hasattr(sub.callback, "view_class"):
                continue
            view = sub.callback.view_class
            for method in ("post", "put", "patch", "delete"):
                if hasattr(view, method):
                    routes.add((str(sub.pattern), method))
    return routes


# The routes that answer 404 (in the portal's or Google's error shape) for any address nothing else serves,
# found by their names (their patterns are regular expressions that may change).
CATCH_ALL_NAMES = ("not-found", "factcheck-not-found")


def catch_all_routes() -> list[str]:
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")
    return [str(sub.pattern) for sub in api.url_patterns if getattr(sub, "name", None) in CATCH_ALL_NAMES]


CATCH_ALLS = catch_all_routes()
assert len(CATCH_ALLS) == len(CATCH_ALL_NAMES), CATCH_ALLS
# Routes that do not touch claims: partners' own webhook endpoints, and the catch-all that answers 404.
API_NOT_CLAIM_CONTENT = {
    ("v1/webhooks/", "post"),
    ("v1/webhooks/<int:pk>/", "patch"),
    ("v1/webhooks/<int:pk>/", "delete"),
    *((pattern, method) for pattern in CATCH_ALLS for method in ("post", "put", "patch", "delete")),
    ("v1/webhooks/<int:pk>/ping/", "post"),
    ("v1/webhooks/<int:pk>/rotate-secret/", "post"),
    ("v1/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/", "post"),
}


def api_cases(claim: Claim) -> dict[tuple[str, str], tuple[str, str, dict]]:
    pk, v = claim.pk, claim.version
    item = evidence_of(claim)
    evidence_pk = item.pk if item else 1
    revision = "v1/claims/<int:pk>/revisions/<int:revision_pk>/"
    return {
        ("v1/claims/", "post"): ("post", "/api/v1/claims/", {"article": claim.article_id, "start": 0, "end": 5}),
        ("v1/claims/<int:pk>/", "patch"): ("patch", f"/api/v1/claims/{pk}/", {"claimant": "X", "version": v}),
        ("v1/claims/<int:pk>/transition/", "post"): (
            "post",
            f"/api/v1/claims/{pk}/transition/",
            {"status": "retracted", "note": "n", "version": v},
        ),
        ("v1/claims/<int:pk>/evidence/", "post"): (
            "post",
            f"/api/v1/claims/{pk}/evidence/",
            {"url": "https://example.org/y", "title": "T", "publisher": "P", "version": v},
        ),
        ("v1/claims/<int:pk>/evidence/<int:evidence_pk>/", "patch"): (
            "patch",
            f"/api/v1/claims/{pk}/evidence/{evidence_pk}/",
            {"stance": "refutes", "version": v},
        ),
        ("v1/claims/<int:pk>/evidence/<int:evidence_pk>/", "delete"): (
            "delete",
            f"/api/v1/claims/{pk}/evidence/{evidence_pk}/?version={v}",
            {},
        ),
        ("v1/claims/<int:pk>/revisions/", "post"): (
            "post",
            f"/api/v1/claims/{pk}/revisions/",
            {"changes": {"claimant": "Y"}, "note": "Catatan.", "version": v},
        ),
        **{
            (f"{revision}{decision}/", "post"): ("post", "own-revision", {"decision": decision})
            for decision in revisions_decisions()
        },
    }


def revisions_decisions() -> list[str]:
    from factcheck.api.revisions import DECISIONS

    return list(DECISIONS)


def test_every_api_write_endpoint_has_a_case_in_the_matrix(published_claim):
    covered = set(api_cases(published_claim)) | API_NOT_CLAIM_CONTENT
    assert api_write_routes() <= covered, "a new API write endpoint is not covered by the gate's matrix"


@pytest.mark.parametrize("shown_claim", SHOWN, indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_no_api_write_changes_a_shown_claim_on_one_persons_word(role, shown_claim, people):
    client = APIClient()
    client.force_authenticate(people[role])
    for route, (method, url, body) in api_cases(shown_claim).items():
        shown_claim.refresh_from_db()
        before = public_snapshot(shown_claim)
        if url == "own-revision":
            Revision.objects.filter(claim=shown_claim, state="pending").delete()
            try:
                revision = _propose(shown_claim, people[role])
            except ServiceError:
                continue  # cannot propose (retracted, or no permission): nothing to decide
            url = f"/api/v1/claims/{shown_claim.pk}/revisions/{revision.pk}/{body['decision']}/"
            body = {"note": "Catatan."}
        response = getattr(client, method)(url, body, format="json")
        pending = Revision.objects.filter(claim=shown_claim, state="pending").exists()
        if response.status_code >= 400:
            assert response.json()["detail"], route
        elif route[0] != "v1/claims/" and not route[0].endswith(("reject/", "withdraw/")):
            assert pending, f"{route} answered {response.status_code} without a pending revision"
        assert public_snapshot(shown_claim) == before, route


# --- the admin: the change form, its inline, bulk actions and workflow URLs -------------------------------


def admin_claim_actions() -> set[str]:
    return set(site._registry[Claim].get_actions(_superuser_request()).keys())


def _superuser_request():
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/claims/claim/")
    request.user = type("U", (), {"has_perm": lambda self, p: True, "is_superuser": True, "pk": 0})()
    return request


ADMIN_ACTION_CASES = {"delete_selected", "send_to_review", "publish_selected", "assign_researcher"}


def test_every_admin_bulk_action_has_a_case_in_the_matrix(db):
    assert admin_claim_actions() <= ADMIN_ACTION_CASES


@pytest.mark.parametrize("shown_claim", SHOWN, indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_no_admin_path_changes_a_shown_claim_on_one_persons_word(role, shown_claim, people, client):
    from tests.admin.test_claim_change_page import form_data

    user = people[role]
    client.force_login(user)
    change = f"/admin/claims/claim/{shown_claim.pk}/change/"
    before = public_snapshot(shown_claim)
    # The change form, one public field at a time (the form proposes; it never applies).
    for field in gate.public_claim_fields():
        Revision.objects.filter(claim=shown_claim, state="pending").delete()
        data = form_data(client, shown_claim, _save="1")
        if field not in data:
            continue  # read-only for this claim: not submitted
        data[field] = new_value(shown_claim, field) if field != "rating" else ""
        data["note"] = "Catatan."
        client.post(change, data)
        assert public_snapshot(shown_claim) == before, field
    # The evidence inline, one field at a time.
    for field in gate.public_evidence_fields():
        Revision.objects.filter(claim=shown_claim, state="pending").delete()
        data = form_data(client, shown_claim, _save="1")
        key = f"evidence-0-{field}"
        if key not in data and field != "is_primary":
            continue
        data[key] = {"stance": "refutes", "published_on": "2020-01-01", "position": "7"}.get(field, "x")
        if "url" in field:
            data[key] = "https://example.org/changed"
        data["note"] = "Catatan."
        client.post(change, data)
        assert public_snapshot(shown_claim) == before, field
    # Bulk actions and workflow URLs.
    Revision.objects.filter(claim=shown_claim, state="pending").delete()
    for action in sorted(ADMIN_ACTION_CASES):
        client.post(
            "/admin/claims/claim/",
            {"action": action, "_selected_action": [shown_claim.pk], "post": "yes", "apply": "1"},
        )
        assert public_snapshot(shown_claim) == before, action
    for target in Status.values:
        client.post(
            f"/admin/claims/claim/{shown_claim.pk}/transition/{target}/", {"version": shown_claim.version, "note": "n"}
        )
        assert public_snapshot(shown_claim) == before, target
    client.post(f"/admin/claims/claim/{shown_claim.pk}/retraction/", {"version": shown_claim.version, "note": "n"})
    assert public_snapshot(shown_claim) == before, "retraction"
    revision = Revision.objects.filter(claim=shown_claim, state="pending").first()
    if revision is not None:  # the proposer cannot approve their own retraction
        client.post(f"/admin/claims/claim/{shown_claim.pk}/revision/{revision.pk}/approve/", {})
        assert public_snapshot(shown_claim) == before, "own approval"
    assert Claim.objects.filter(pk=shown_claim.pk).exists()


# --- commands -------------------------------------------------------------------------------------------


def test_the_claims_commands_leave_shown_claims_as_they_are(published_claim, tmp_path, settings):
    """Commands import new articles, demo data or exports; none changes a claim readers see."""
    from django.core.management import call_command

    commands = {name for name, app in get_commands().items() if app == "factcheck.claims"}
    before = public_snapshot(published_claim)
    article_file = tmp_path / "a.txt"
    article_file.write_text("Sebuah artikel baru tentang ASEM yang didirikan pada 1996 di Bangkok.", encoding="utf-8")
    runs = {
        "import_article": lambda: call_command("import_article", str(article_file), "--accept-all", "--title", "Baru"),
        "load_demo": lambda: call_command("load_demo"),
        "export_portal": lambda: call_command("export_portal", str(tmp_path / "export.jsonl")),
        "import_portal": lambda: _refused(lambda: call_command("import_portal", str(tmp_path / "export.jsonl"))),
        "setup_roles": lambda: call_command("setup_roles"),
        "generate_claims": lambda: None,  # benchmark data into an empty database only (bench/)
    }
    assert commands <= set(runs), "a new claims command is not covered by the gate's matrix"
    for name in sorted(commands):
        runs[name]()
        assert public_snapshot(published_claim) == before, name


def _refused(run) -> None:
    from django.core.management import CommandError

    try:
        run()
    except (CommandError, SystemExit):
        pass


def test_an_article_edit_is_covered_by_the_gate(published_claim):
    assert gate.article_change_needs_review(published_claim.article, {"headline"})
    assert not gate.article_change_needs_review(published_claim.article, {"updated_at"})
    article = Article.objects.get(pk=published_claim.article_id)
    article.headline = "Judul lain"
    with pytest.raises(ServiceError, match="propose a correction of the article"):
        services.article_update(article=article, by=published_claim.reviewer, changed={"headline"})
