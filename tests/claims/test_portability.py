"""export_portal / import_portal: everything travels, history included, and a restore is all or nothing."""

import gzip
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from factcheck.claims import revisions, services
from factcheck.claims.models import Article, Claim, Correction, Evidence, Rating, Revision
from factcheck.claims.portability import NOT_EXPORTED, exported_models
from factcheck.partners import services as partner_services
from factcheck.partners.models import ApiKey, WebhookAttempt, WebhookDelivery
from tests.conftest import correct, load_demo_or_copy, retract

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def load_demo():
    """The demo, on the rows a serialized rollback starts each test with (a copy after the first load on SQLite)."""
    return load_demo_or_copy("after a serialized rollback")


def snapshot() -> dict[str, list[tuple]]:
    """Every exported row with every field (the password aside), by model, in id order."""
    rows = {}
    for model in exported_models():
        names = [f.attname for f in model._meta.concrete_fields if f.name != "password"]
        rows[model._meta.label_lower] = list(model._default_manager.order_by("pk").values_list(*names))
    User = get_user_model()
    rows["auth.user groups"] = sorted(User.groups.through.objects.values_list("user__username", "group__name"))
    rows["auth.user permissions"] = sorted(
        User.user_permissions.through.objects.values_list("user__username", "permission__codename")
    )
    return rows


def a_portal_with_every_kind_of_row():
    """The demo, a corrected and a retracted claim, a partner with keys and a webhook that was sent."""
    load_demo()
    User = get_user_model()
    reviewer2 = User.objects.get(username="reviewer2")
    reviewer2.user_permissions.add(Permission.objects.get(codename="view_partner"))
    rating = Rating.objects.get(key="mostly-true")
    rating.definition_en += " (Reworded.)"
    rating.save()
    partner, _ = partner_services.create_partner_with_key(name="Newsroom X", contact_email="x@example.org")
    partner_services.key_create(user=User.objects.get(username="editor"), name="desk script")
    partner_services.webhook_endpoint_create(
        partner=partner, url="https://hooks.partner.example/hook", events=["claim.corrected", "claim.retracted"]
    )
    reviewer = User.objects.get(username="reviewer")
    corrected, retracted, proposed = Claim.objects.filter(status="published").order_by("pk")[:3]
    correct(
        corrected,
        by=reviewer2,
        approver=reviewer,
        changes={"verdict_en": corrected.verdict_en + " (Corrected.)"},
        note="Clarified the English summary.",
    )
    retract(retracted, by=reviewer2, approver=reviewer, note="The main source was withdrawn.")
    revisions.revision_propose(  # a correction still waiting for review travels too
        claim=proposed, by=reviewer2, expected_version=proposed.version, changes={"claimant": "X"}, note="Pending."
    )
    delivery = WebhookDelivery.objects.order_by("pk").first()
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, started_at=timezone.now(), duration_ms=120, status_code=500, error="Server error"
    )


def export(tmp_path, name="portal.jsonl"):
    path = tmp_path / name
    call_command("export_portal", str(path), stdout=io.StringIO())
    return path


def import_(path) -> str:
    out = io.StringIO()
    call_command("import_portal", str(path), stdout=out)
    return out.getvalue()


def rewrite(path, model: str, change) -> None:
    """Apply ``change(fields, rows)`` to the lines of ``model`` in an export file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = next(json.loads(line)["fields"] for line in lines if line.startswith(f'{{"model":"{model}","fields"'))
    out = []
    for line in lines:
        data = json.loads(line)
        if data.get("model") == model:
            names, rows = change(list(fields), data.get("rows", []))
            data = {"model": model, "fields": names} if "fields" in data else {"model": model, "rows": rows}
        out.append(json.dumps(data))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_every_model_of_claims_and_partners_is_exported_unless_listed_with_a_reason():
    registry = {
        model._meta.label_lower
        for app in ("claims", "partners")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }
    exported = [model._meta.label_lower for model in exported_models()]

    assert set(exported) == (registry - set(NOT_EXPORTED)) | {"auth.user"}
    assert set(NOT_EXPORTED) <= registry, "NOT_EXPORTED names a model that no longer exists"
    assert len(exported) == len(set(exported))


def test_models_are_exported_after_the_models_they_point_to():
    exported = exported_models()
    for position, model in enumerate(exported):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in exported and field.related_model is not model:
                assert exported.index(field.related_model) < position, f"{model} before {field.related_model}"


def test_round_trip_restores_every_field_of_every_model_including_history(tmp_path):
    a_portal_with_every_kind_of_row()
    before = snapshot()
    empty = [label for label, rows in before.items() if not rows]
    assert not empty, f"give the fixture a row of {empty}, so that the round trip proves they travel"
    path = export(tmp_path)

    call_command("flush", interactive=False, verbosity=0)
    assert Article.objects.count() == 0
    import_(path)

    assert snapshot() == before


def test_export_is_json_lines_a_header_then_batches_of_rows_then_the_counts(tmp_path):
    a_portal_with_every_kind_of_row()
    lines = export(tmp_path).read_text(encoding="utf-8").splitlines()

    header, *body, end = (json.loads(line) for line in lines)
    assert header["format"] == "factcheck-portal-export"
    assert header["version"] == 2
    assert end["end"]["claims.claim"] == Claim.objects.count() == 17
    assert end["end"]["claims.historicalclaim"] == Claim.history.count()
    assert end["end"]["partners.apikey"] == ApiKey.objects.count() >= 2
    assert {line["model"] for line in body} == {model._meta.label_lower for model in exported_models()}


def test_export_holds_no_password_and_api_keys_only_as_digests(tmp_path):
    load_demo()
    _, raw_key = partner_services.create_partner_with_key(name="Newsroom X")
    text = export(tmp_path).read_text(encoding="utf-8")

    assert "password" not in text
    assert "editor-demo-pass" not in text
    assert raw_key not in text
    assert partner_services.key_digest(raw_key) in text


def test_restored_people_cannot_log_in_until_given_a_password_and_the_import_says_how(tmp_path):
    load_demo()
    path = export(tmp_path)
    call_command("flush", interactive=False, verbosity=0)

    output = import_(path)

    editor = get_user_model().objects.get(username="editor")
    assert not editor.has_usable_password()
    assert editor.groups.filter(name="Editors").exists()
    assert "manage.py changepassword <username>" in output


def test_pending_webhook_deliveries_are_queued_again_after_a_restore(tmp_path):
    a_portal_with_every_kind_of_row()
    pending = set(WebhookDelivery.objects.filter(status="pending").values_list("pk", flat=True))
    assert pending
    path = export(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    assert not DBTaskResult.objects.exists()

    output = import_(path)

    assert {task.args_kwargs["args"][0] for task in DBTaskResult.objects.all()} == pending
    assert f"Queued {len(pending)} pending webhook deliveries again." in output


def test_after_a_restore_new_claims_get_fresh_ids(tmp_path):
    a_portal_with_every_kind_of_row()
    path = export(tmp_path)
    highest = Claim.objects.order_by("-pk").first().pk
    call_command("flush", interactive=False, verbosity=0)
    import_(path)
    editor = get_user_model().objects.get(username="editor")

    claim = services.claim_create(article=Article.objects.get(), start=0, end=5, by=editor, statement="baru")

    assert claim.pk > highest


def test_people_already_here_are_kept_and_the_restored_rows_point_to_them(tmp_path):
    load_demo()
    User = get_user_model()
    exported_editor = User.objects.get(username="editor")
    researched = {claim.slug for claim in Claim.objects.filter(researcher=exported_editor)}
    path = export(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    # Someone else now has the editor's id, and the reviewer exists with a password of their own.
    User.objects.create_user("someone", pk=exported_editor.pk)
    # An id of its own given here: after the flush the database's sequence may hand out the one just taken.
    User.objects.create_user("reviewer", password="kept-password", pk=exported_editor.pk + 1000)

    output = import_(path)

    editor = User.objects.get(username="editor")
    assert editor.pk != exported_editor.pk
    assert {claim.slug for claim in Claim.objects.filter(researcher=editor)} == researched
    assert not Claim.objects.filter(researcher__username="someone").exists()
    assert User.objects.get(username="reviewer").check_password("kept-password")
    assert Claim.history.filter(history_user__username="reviewer").exists()
    assert "Already here, kept with their passwords: reviewer." in output


def test_the_exported_rating_scale_replaces_the_one_seeded_by_migrations(tmp_path):
    load_demo()
    exported_scale = list(Rating.objects.order_by("pk").values_list("pk", "key", "label_en"))
    assert Rating.history.count() == 0  # the migration seeds the scale without history
    path = export(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    Rating.objects.create(
        pk=900, key="true", value=9, label_id="B", label_en="Seeded", definition_id="d", colour="#000000"
    )

    import_(path)

    assert list(Rating.objects.order_by("pk").values_list("pk", "key", "label_en")) == exported_scale
    assert Rating.history.count() == 0


def test_import_refuses_a_database_with_portal_content_and_names_what_is_there(tmp_path):
    load_demo()
    path = export(tmp_path)

    with pytest.raises(CommandError, match=r"already holds portal content \(1 claims.article, .*, 17 claims.claim, "):
        import_(path)
    assert Claim.objects.count() == 17


def test_allow_non_empty_is_gone_because_it_let_rows_and_history_disagree(tmp_path):
    load_demo()
    path = export(tmp_path)

    with pytest.raises(CommandError, match="--allow-non-empty was removed"):
        call_command("import_portal", str(path), "--allow-non-empty", stdout=io.StringIO())


def test_a_restore_never_leaves_a_claim_behind_its_history_or_its_corrections(tmp_path):
    """Issue 14, finding 8: a claim at v13 in the export, at another version in the database."""
    a_portal_with_every_kind_of_row()
    reviewer, reviewer2 = (get_user_model().objects.get(username=name) for name in ("reviewer", "reviewer2"))
    claim = Claim.objects.filter(corrections__kind="correction").get()
    exported_version = claim.version
    path = export(tmp_path)
    claim = correct(claim, by=reviewer2, approver=reviewer, changes={"claimant": "Lain"}, note="Again.")

    with pytest.raises(CommandError, match="already holds portal content"):
        import_(path)
    assert Claim.objects.get(pk=claim.pk).version == exported_version + 1 == claim.history.first().version

    call_command("flush", interactive=False, verbosity=0)
    import_(path)
    restored = Claim.objects.get(pk=claim.pk)
    versions = set(restored.history.values_list("version", flat=True))
    assert restored.version == restored.history.first().version == exported_version == max(versions)
    assert Correction.objects.get(claim=restored).claim_version <= restored.version

    Revision.objects.filter(claim=restored, state="pending").delete()
    reviewer, reviewer2 = (get_user_model().objects.get(username=name) for name in ("reviewer", "reviewer2"))
    edited = correct(restored, by=reviewer2, approver=reviewer, changes={"claimant": "Baru"}, note="Next.")
    assert edited.version not in versions


def test_an_export_whose_claim_disagrees_with_its_history_is_not_restored(tmp_path):
    load_demo()
    path = export(tmp_path)

    def first_claim_at_v12(names, rows):
        if rows:
            rows[0][names.index("version")] = 12
        return names, rows

    rewrite(path, "claims.claim", first_claim_at_v12)
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match=r"claims.claim: rows and their history disagree \(id \d+ at v12"):
        import_(path)
    assert Claim.objects.count() == 0


def test_a_damaged_line_in_the_middle_leaves_the_database_untouched(tmp_path):
    a_portal_with_every_kind_of_row()
    path = export(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    middle = next(n for n, line in enumerate(lines) if line.startswith('{"model":"claims.evidence","rows"'))
    lines[middle] = lines[middle][: len(lines[middle]) // 2] + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match=f"line {middle + 1}: not valid JSON"):
        import_(path)

    assert get_user_model().objects.count() == 0
    assert Article.objects.count() == Claim.objects.count() == Claim.history.count() == 0


def test_a_file_cut_short_is_refused(tmp_path):
    load_demo()
    path = export(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="the export is incomplete"):
        import_(path)
    assert Claim.objects.count() == 0


def test_a_gz_name_is_written_compressed_and_read_back(tmp_path):
    load_demo()
    before = snapshot()
    path = export(tmp_path, "portal.jsonl.gz")
    assert json.loads(gzip.open(path, "rt").readline())["format"] == "factcheck-portal-export"

    call_command("flush", interactive=False, verbosity=0)
    import_(path)

    assert snapshot() == before


def test_a_field_added_after_the_export_was_written_takes_its_default(tmp_path):
    load_demo()
    path = export(tmp_path)

    def without_position(names, rows):
        at = names.index("position")
        return names[:at] + names[at + 1 :], [row[:at] + row[at + 1 :] for row in rows]

    rewrite(path, "claims.evidence", without_position)
    call_command("flush", interactive=False, verbosity=0)
    import_(path)

    assert set(Evidence.objects.values_list("position", flat=True)) == {0}


def test_an_export_with_a_field_this_database_lacks_is_refused(tmp_path):
    load_demo()
    path = export(tmp_path)
    rewrite(path, "claims.claim", lambda names, rows: (names + ["mood"], [row + ["happy"] for row in rows]))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match=r"claims.claim: the export has fields this database lacks \(mood\)"):
        import_(path)
    assert Article.objects.count() == 0


def test_import_refuses_a_file_that_is_not_an_export(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="not a portal export"):
        import_(path)

    path.write_text("not json")
    with pytest.raises(CommandError, match="not a portal export"):
        import_(path)

    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CommandError, match="not UTF-8"):
        import_(path)


def test_import_refuses_the_old_single_document_format_with_a_clear_message(tmp_path):
    path = tmp_path / "old.json"
    path.write_text('{\n "format": "factcheck-portal-export",\n "version": 1,\n "models": {}\n}\n')

    with pytest.raises(CommandError, match="version 1 export .* Export again"):
        import_(path)


def test_on_postgresql_the_import_gives_the_planner_statistics_of_the_rows_it_loaded(tmp_path):
    """Without them the planner takes the loaded tables for empty, and the version check after a restore of
    a million claims ran for hours (a nested loop over claims and their history; docs/performance.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics (ANALYZE) are PostgreSQL's")
    a_portal_with_every_kind_of_row()
    path = export(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:  # a fresh installation: tables never analysed
        cursor.execute("SELECT pg_stat_reset()")
    import_(path)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname IN ('claims_claim', 'claims_historicalclaim') "
            "AND last_analyze IS NOT NULL"
        )
        analysed = {name for (name,) in cursor.fetchall()}
    assert analysed == {"claims_claim", "claims_historicalclaim"}
