"""export_portal / import_portal: a round trip restores everything, history included."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from factcheck.claims import services
from factcheck.claims.demo import load_demo
from factcheck.claims.models import Article, Claim
from factcheck.claims.portability import portal_export

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def comparable(export: dict) -> str:
    return json.dumps({k: v for k, v in export.items() if k != "exported_at"}, sort_keys=True, default=str)


def demo_with_correction_and_retraction():
    load_demo()
    from django.contrib.auth import get_user_model

    reviewer2 = get_user_model().objects.get(username="reviewer2")
    corrected, retracted = Claim.objects.filter(status="published").order_by("pk")[:2]
    services.claim_update(
        claim=corrected,
        by=reviewer2,
        expected_version=corrected.version,
        changes={"verdict_en": corrected.verdict_en + " (Corrected.)"},
        note="Clarified the English summary.",
    )
    services.claim_retract(claim=retracted, by=reviewer2, note="The main source was withdrawn.")


def test_round_trip_restores_everything_including_history(tmp_path):
    demo_with_correction_and_retraction()
    before = portal_export()
    path = tmp_path / "portal.json"
    call_command("export_portal", str(path), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    assert Article.objects.count() == 0
    call_command("import_portal", str(path), stdout=io.StringIO())

    assert comparable(portal_export()) == comparable(before)
    assert Claim.objects.filter(status="retracted").count() == 1
    assert Claim.history.count() == len(before["models"]["claims.historicalclaim"])


def test_after_a_restore_new_claims_get_fresh_ids(tmp_path):
    demo_with_correction_and_retraction()
    path = tmp_path / "portal.json"
    call_command("export_portal", str(path), stdout=io.StringIO())
    highest = Claim.objects.order_by("-pk").first().pk
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_portal", str(path), stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="editor")
    article = Article.objects.get()

    claim = services.claim_create(article=article, start=0, end=5, by=editor, statement="baru")

    assert claim.pk > highest
    assert not editor.has_usable_password()


def test_export_holds_no_password(tmp_path):
    load_demo()
    path = tmp_path / "portal.json"
    call_command("export_portal", str(path), stdout=io.StringIO())

    text = path.read_text(encoding="utf-8")
    assert "password" not in text
    assert "editor-demo-pass" not in text


def test_import_refuses_a_non_empty_database(tmp_path):
    load_demo()
    path = tmp_path / "portal.json"
    call_command("export_portal", str(path), stdout=io.StringIO())

    with pytest.raises(CommandError, match="already holds articles"):
        call_command("import_portal", str(path), stdout=io.StringIO())

    call_command("import_portal", str(path), "--allow-non-empty", stdout=io.StringIO())
    assert Claim.objects.count() == 17


def test_import_refuses_a_file_that_is_not_an_export(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')

    with pytest.raises(CommandError, match="not a portal export"):
        call_command("import_portal", str(path))

    path.write_text("not json")
    with pytest.raises(CommandError, match="^path: not a JSON export"):
        call_command("import_portal", str(path))
