"""Search that knows Indonesian and English, and "already checked?" matching (issue 17).

PostgreSQL: a weighted ``tsvector`` per claim in the column ``search_vector`` (not a model field: no
read of a claim loads it), kept by a trigger on
every insert and update (so bulk inserts, ``COPY`` imports and an article's new headline, whose
claims are re-saved, all keep it current): statement A (``indonesian`` for the Indonesian one,
``english`` for the English one), quote B and claimant B (``simple``: names are not stemmed),
verdict C, article headline D; the quote and headline are read in their article's language. A GIN
index on it replaces the ``simple`` expression index of migration 0003, with the statistics
target of migration 0006 moved to the column. ``pg_trgm`` and GiST trigram indexes on the two
statements serve ``search.similar_claims`` (nearest statements first, without a threshold).

SQLite: ``search_text`` now holds the Snowball stems of the same fields (``Claim.search_fields``),
recomputed here for every claim.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

OLD_INDEX = "claim_search_text_gin"  # migration 0003
INDEX = "claim_search_vector_gin"
TRIGRAM_INDEXES = {"claim_statement_trgm": "statement", "claim_statement_en_trgm": "statement_en"}
STATISTICS_TARGET = 10000  # as migration 0006: the planner knows a rare word is rare

VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_claim_search_vector() RETURNS trigger AS $$
DECLARE
    source regconfig := 'indonesian';
    headline text := '';
BEGIN
    SELECT CASE WHEN a.language = 'en' THEN 'english'::regconfig ELSE 'indonesian'::regconfig END, a.headline
      INTO source, headline FROM claims_article a WHERE a.id = NEW.article_id;
    NEW.search_vector :=
        setweight(to_tsvector('indonesian', coalesce(NEW.statement, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.statement_en, '')), 'A')
        || setweight(to_tsvector(source, coalesce(NEW.quote, '')), 'B')
        || setweight(to_tsvector('simple', coalesce(NEW.claimant, '')), 'B')
        || setweight(to_tsvector('indonesian', coalesce(NEW.verdict, '')), 'C')
        || setweight(to_tsvector('english', coalesce(NEW.verdict_en, '')), 'C')
        || setweight(to_tsvector(source, coalesce(headline, '')), 'D');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    Claim = apps.get_model("claims", "Claim")
    if connection.vendor == "postgresql":
        # Not a model field: no read of a claim should load it (search.SearchVectorColumn reads it).
        schema_editor.execute("ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_vector tsvector")
        schema_editor.execute(VECTOR_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER claims_claim_search_vector BEFORE INSERT OR UPDATE ON claims_claim "
            "FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector()"
        )
        schema_editor.execute("UPDATE claims_claim SET search_vector = NULL")  # the trigger fills it
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim USING gin (search_vector)")
        schema_editor.execute(f"ALTER TABLE claims_claim ALTER COLUMN search_vector SET STATISTICS {STATISTICS_TARGET}")
        for name, column in TRIGRAM_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON claims_claim USING gist ({column} gist_trgm_ops(siglen = 256))"
            )
    # The stems for SQLite (and for an export read on SQLite), from the same fields as the trigger.
    from factcheck.lib.stemming import ENGLISH, INDONESIAN, SIMPLE, stem_document

    batch = []
    claims = Claim.objects.select_related("article").only(
        "statement",
        "statement_en",
        "quote",
        "claimant",
        "verdict",
        "verdict_en",
        "article__headline",
        "article__language",
    )
    for claim in claims.iterator(chunk_size=2000):
        source = ENGLISH if claim.article.language == "en" else INDONESIAN
        claim.search_text = stem_document(
            [
                (claim.statement, INDONESIAN),
                (claim.statement_en, ENGLISH),
                (claim.quote, source),
                (claim.claimant, SIMPLE),
                (claim.verdict, INDONESIAN),
                (claim.verdict_en, ENGLISH),
                (claim.article.headline, source),
            ]
        )
        batch.append(claim)
        if len(batch) >= 2000:
            Claim.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Claim.objects.bulk_update(batch, ["search_text"])


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS claims_claim_search_vector ON claims_claim")
    schema_editor.execute("DROP FUNCTION IF EXISTS claims_claim_search_vector()")
    schema_editor.execute("ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_vector")
    for name in [INDEX, *TRIGRAM_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON claims_claim "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_change_sequence")]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION pg_trgm on PostgreSQL; it does nothing on other databases
        migrations.AlterField(
            model_name="claim",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The stems of statement, quote, claimant, verdict and headline (search on SQLite).",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
