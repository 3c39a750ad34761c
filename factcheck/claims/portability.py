"""Export the whole portal to one JSON file and restore it into an empty database.

Everything readers and partners rely on travels: articles (with the original
bytes), claims, evidence, corrections, the rating scale, the people named in
the history (without their passwords) and the full history of every record.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .roles import ensure_roles

FORMAT = "factcheck-portal-export"
FORMAT_VERSION = 1

# Dependency order: a model comes after every model it points to.
EXPORTED_MODELS = [
    "claims.Rating",
    "claims.Article",
    "claims.Claim",
    "claims.Evidence",
    "claims.Correction",
    "claims.HistoricalRating",
    "claims.HistoricalArticle",
    "claims.HistoricalClaim",
    "claims.HistoricalEvidence",
    "claims.HistoricalCorrection",
]
# Fields of a model that are secrets and never leave the database.
SECRET_FIELDS: dict[str, set[str]] = {}
USER_FIELDS = ["username", "first_name", "last_name", "email", "is_staff", "is_superuser", "is_active", "groups"]
DATA_MODELS = ["claims.Article", "claims.Claim", "claims.Evidence", "claims.Correction"]


class PortalImportError(Exception):
    pass


class ExportEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but keeping microseconds: history is ordered by them."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def _serialize(queryset, fields: list[str] | None = None) -> list[dict[str, Any]]:
    return serializers.serialize(
        "python", queryset, fields=fields, use_natural_foreign_keys=True, use_natural_primary_keys=False
    )


def portal_export() -> dict[str, Any]:
    """The whole portal as a JSON-ready dict."""
    User = get_user_model()
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "models": {"auth.user": _serialize(User.objects.order_by("pk"), USER_FIELDS)},
    }
    for label in EXPORTED_MODELS:
        model = apps.get_model(label)
        secret = SECRET_FIELDS.get(label, set())
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in secret]
        rows = _serialize(model._default_manager.order_by("pk"), fields if secret else None)
        data["models"][model._meta.label_lower] = rows
    return data


def portal_export_to_file(path: Path) -> dict[str, int]:
    data = portal_export()
    path.write_text(json.dumps(data, cls=ExportEncoder, ensure_ascii=False, indent=1), encoding="utf-8")
    return {label: len(rows) for label, rows in data["models"].items()}


def database_is_empty() -> bool:
    return not any(apps.get_model(label)._default_manager.exists() for label in DATA_MODELS)


@transaction.atomic
def portal_import(data: dict[str, Any], *, allow_non_empty: bool = False) -> dict[str, int]:
    """Restore an export. Refuses a database that already holds articles or claims unless allowed."""
    if data.get("format") != FORMAT:
        raise PortalImportError("This file is not a portal export (its 'format' is missing or different).")
    if data.get("version") != FORMAT_VERSION:
        raise PortalImportError(f"Export version {data.get('version')!r} is not supported (expected {FORMAT_VERSION}).")
    if not allow_non_empty and not database_is_empty():
        raise PortalImportError(
            "The database already holds articles or claims; import into an empty database, "
            "or pass --allow-non-empty to overwrite rows with the same ids."
        )
    models = data.get("models", {})
    ensure_roles()  # the groups the exported people belong to, with their permissions
    counts = {"auth.user": _import_users(models.get("auth.user", []))}
    for label in EXPORTED_MODELS:
        key = label.lower()
        rows = models.get(key, [])
        for deserialized in serializers.deserialize("python", rows, handle_forward_references=False):
            deserialized.save()  # a raw save: no new history rows, the exported ones are restored as they are
        counts[key] = len(rows)
    _reset_sequences()
    return counts


def _import_users(rows: list[dict[str, Any]]) -> int:
    """Create the people named in the export who are missing, with no usable password."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    created = 0
    for row in rows:
        fields = dict(row["fields"])
        groups = fields.pop("groups", [])
        user = User.objects.filter(username=fields["username"]).first()
        if user is None:
            keep_id = not User.objects.filter(pk=row["pk"]).exists()
            user = User(pk=row["pk"] if keep_id else None, **fields)
            user.set_unusable_password()
            user.save()
            created += 1
        for natural_key in groups:
            group, _ = Group.objects.get_or_create(name=natural_key[0])
            user.groups.add(group)
    return created


def _reset_sequences() -> None:
    models = [get_user_model(), *(apps.get_model(label) for label in EXPORTED_MODELS)]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
