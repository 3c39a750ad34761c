"""Roles: the Editors and Reviewers groups, their permissions, and who may delete what."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from factcheck.claims import services
from factcheck.claims.demo import load_demo
from factcheck.claims.models import Claim, Evidence
from factcheck.claims.roles import EDITOR_PERMISSIONS, EDITORS, REVIEWER_PERMISSIONS, REVIEWERS
from tests.conftest import dismiss, retract

from .conftest import change_url


def codenames(group: Group) -> set[str]:
    return set(group.permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_groups_exist_after_migrate_without_any_command():
    # The test database was built by `migrate`; nothing else ran.
    assert codenames(Group.objects.get(name=EDITORS)) == set(EDITOR_PERMISSIONS)
    assert codenames(Group.objects.get(name=REVIEWERS)) == set(REVIEWER_PERMISSIONS)


@pytest.mark.django_db
def test_setup_roles_command_is_idempotent_and_restores_permissions(capsys):
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.clear()
    call_command("setup_roles")
    call_command("setup_roles")
    assert Group.objects.filter(name__in=[EDITORS, REVIEWERS]).count() == 2
    assert codenames(Group.objects.get(name=EDITORS)) == set(EDITOR_PERMISSIONS)
    out = capsys.readouterr().out
    assert "Reviewers:" in out and "publish_claim" in out


def test_only_reviewers_hold_publish_correct_and_retract(editor, reviewer):
    for perm in ("publish_claim", "correct_claim", "retract_claim"):
        assert not editor.has_perm(f"claims.{perm}")
        assert reviewer.has_perm(f"claims.{perm}")
    assert editor.has_perm("claims.add_evidence") and editor.has_perm("claims.change_claim")


@pytest.mark.django_db
def test_demo_accounts_use_the_groups():
    report = load_demo()
    roles = {username: role for username, _, role in report.accounts}
    assert roles == {"editor": EDITORS, "reviewer": REVIEWERS, "reviewer2": REVIEWERS, "admin": "superuser"}
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert users.get(username="editor").groups.filter(name=EDITORS).exists()
    assert users.get(username="reviewer").groups.filter(name=REVIEWERS).exists()


def test_reviewer_cannot_delete_a_published_claim_in_the_admin(login, reviewer2, published_claim):
    client = login(reviewer2)
    response = client.get(change_url(published_claim))
    assert "/delete/" not in response.content.decode()
    assert client.get(f"/admin/claims/claim/{published_claim.pk}/delete/").status_code == 403
    response = client.post(f"/admin/claims/claim/{published_claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Claim.objects.filter(pk=published_claim.pk).exists()


def test_bulk_delete_of_a_published_claim_is_refused_for_editors(login, editor, published_claim):
    client = login(editor)
    response = client.post(
        "/admin/claims/claim/",
        {"action": "delete_selected", "_selected_action": [published_claim.pk], "post": "yes"},
    )
    assert Claim.objects.filter(pk=published_claim.pk).exists()
    assert response.status_code == 403


def test_editor_deletes_a_draft_and_its_history_is_kept(login, editor, draft_claim):
    services.evidence_add(claim=draft_claim, by=editor, url="https://example.org/e", title="E", publisher="P")
    client = login(editor)
    response = client.post(f"/admin/claims/claim/{draft_claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=draft_claim.pk).exists()
    deletion = Claim.history.filter(id=draft_claim.pk).latest("history_date")
    assert deletion.history_type == "-" and deletion.history_user == editor
    assert Evidence.history.filter(claim_id=draft_claim.pk, history_type="-").count() == 1


@pytest.fixture
def retracted_claim(published_claim, reviewer, reviewer2):
    return retract(published_claim, by=reviewer2, approver=reviewer, note="Sumbernya palsu.")


@pytest.fixture
def dismissed_claim(draft_claim, editor, reviewer):
    return dismiss(draft_claim, by=editor, approver=reviewer, reason="Ini opini penulis.")


@pytest.mark.parametrize("role", ["superuser", "editor"])
@pytest.mark.parametrize("shown", ["published_claim", "retracted_claim", "dismissed_claim"])
@pytest.mark.django_db
def test_nobody_deletes_a_claim_readers_see_not_even_a_superuser(request, login, role, shown):
    claim = request.getfixturevalue(shown)
    client = login(request.getfixturevalue(role))
    assert "/delete/" not in client.get(change_url(claim)).content.decode()
    response = client.post(f"/admin/claims/claim/{claim.pk}/delete/", {"post": "yes"})
    assert response.status_code in (302, 403)  # refused, never a server error
    response = client.post(
        "/admin/claims/claim/", {"action": "delete_selected", "_selected_action": [claim.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302, 403)
    assert Claim.objects.filter(pk=claim.pk, status=claim.status).exists()
    assert not Claim.history.filter(id=claim.pk, history_type="-").exists()
