"""Indexes that give the public lists their order.

A list of public claims reads the first rows of a partial index in order, so a
page costs the same at a thousand claims or a million. Articles newest first,
undated last (selectors.articles_with_public_claims), on PostgreSQL only: SQLite
has no NULLS LAST in an index, and its tables are small.
"""

from django.db import migrations, models

ARTICLE_INDEX = "article_newest_first"


def create_article_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {ARTICLE_INDEX} ON claims_article (published_on DESC NULLS LAST, id DESC)"
        )


def drop_article_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {ARTICLE_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_content_revision"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="claim",
            name="claim_status_published",
        ),
        migrations.RunPython(create_article_index, drop_article_index),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "retracted"])),
                fields=["updated_at", "id"],
                name="claim_public_updated",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "retracted"])),
                fields=["-published_at", "-id"],
                name="claim_public_published",
            ),
        ),
    ]
