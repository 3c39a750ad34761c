"""A GIN index for full-text search over claims, on PostgreSQL only.

It serves ``selectors.claim_search``: WHERE to_tsvector('simple', search_text)
@@ websearch_to_tsquery('simple', ...). SQLite has no such index and falls back
to substring matching.
"""

from django.db import migrations

INDEX = "claim_search_text_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_rating_scale")]

    operations = [migrations.RunPython(create_index, drop_index)]
