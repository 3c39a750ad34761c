"""The GiST trigram indexes on the two statements go (PostgreSQL): "already checked?" no longer reads them.

Migration 0010 made them for ``search.similar_claims``, which read the statements nearest to a text by
trigram distance from them. At a million claims that nearest-neighbour scan took 1–2 s a lookup; the
candidates now come from the full-text GIN index (the text's rarest words), and trigram similarity is
computed only for those (docs/performance.md, "already checked?" at a million). Nothing else reads
these indexes, and every insert and every change of a statement paid for them (520 MB at a million).
``pg_trgm`` stays: ``similarity()`` still scores the candidates.

Dropping an index is quick (a brief exclusive lock on the table, as migration 0010's drop of the index
of 0003). Going back builds them again as 0010 did: minutes at a million claims, with writes to the
claims blocked meanwhile.
"""

from django.db import migrations

TRIGRAM_INDEXES = {"claim_statement_trgm": "statement", "claim_statement_en_trgm": "statement_en"}  # of 0010


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in TRIGRAM_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON claims_claim USING gist ({column} gist_trgm_ops(siglen = 256))"
            )


class Migration(migrations.Migration):
    dependencies = [("claims", "0011_remove_content_revision")]

    operations = [migrations.RunPython(drop_trigram_indexes, create_trigram_indexes)]
