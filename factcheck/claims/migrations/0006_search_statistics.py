"""Statistics on every word of the search index, so that the planner knows a rare word is rare (PostgreSQL).

A search lists its matches newest first. For a common word the database walks
the public claims in that order and stops after a page; for a rare word it must
read the word's few matches from the GIN index instead, since the walk would
check every claim. It chooses by the word's estimated frequency, and with the
default statistics a word outside the few hundred most common is guessed at
0.5% of all claims: at a million claims a name that occurs twice was walked for
twenty seconds. With the target at 10,000 the statistics keep up to 100,000
words and sample up to three million rows (a whole table of a million: ANALYZE
of the claims then takes some 40 s, in the background under autovacuum).

Its own migration, outside a transaction: ANALYZE in the transaction that changed the target still
used the old one, and it must not hold the locks of index builds either.
"""

from django.db import migrations

SEARCH_INDEX = "claim_search_text_gin"  # migration 0003
STATISTICS_TARGET = 10000  # PostgreSQL's maximum


def set_search_statistics(target: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER INDEX {SEARCH_INDEX} ALTER COLUMN 1 SET STATISTICS {target}")
            schema_editor.execute("ANALYZE claims_claim")  # now, not when autovacuum next gets to it

    return run


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("claims", "0005_public_order_indexes")]

    operations = [migrations.RunPython(set_search_statistics(STATISTICS_TARGET), set_search_statistics(-1))]
