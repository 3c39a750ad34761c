"""The claim's search vector as one SQL function, ``claims_search_vector(…)``, that the trigger of
migration 0010 now calls, so that a bulk load (``generate_claims``) can fill ``search_vector`` in one
set-based ``UPDATE`` with the very same definition instead of a per-row trigger (about 0.6 ms a row).
The load says so for its own transaction with the setting ``factcheck.defer_search_vector`` (``on``,
transaction-local; ``claims.bulk_search``): the trigger then leaves the column alone. Unlike
``ALTER TABLE … DISABLE TRIGGER`` it takes no lock that stops readers, needs no ownership of the table,
can be switched while foreign-key checks are pending, and affects no other session.

The vector is unchanged: statement A (``indonesian`` and ``english``), quote B in the article's
language, claimant B (``simple``), verdict C, article headline D in the article's language. An
article that cannot be read (none, or not yet inserted under a deferred foreign key) counts as an
Indonesian one with an empty headline, as in migration 0010.
"""

from importlib import import_module

from django.db import migrations

SEARCH_VECTOR_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_search_vector(
    statement text, statement_en text, quote text, claimant text, verdict text, verdict_en text,
    headline text, language text
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('indonesian', coalesce(statement, '')), 'A')
        || setweight(to_tsvector('english', coalesce(statement_en, '')), 'A')
        || setweight(to_tsvector(source, coalesce(quote, '')), 'B')
        || setweight(to_tsvector('simple', coalesce(claimant, '')), 'B')
        || setweight(to_tsvector('indonesian', coalesce(verdict, '')), 'C')
        || setweight(to_tsvector('english', coalesce(verdict_en, '')), 'C')
        || setweight(to_tsvector(source, coalesce(headline, '')), 'D')
    FROM (SELECT CASE WHEN language = 'en' THEN 'english'::regconfig ELSE 'indonesian'::regconfig END) AS s(source)
$$;
"""

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_claim_search_vector() RETURNS trigger AS $$
DECLARE
    article_headline text;
    article_language text;
BEGIN
    IF current_setting('factcheck.defer_search_vector', true) = 'on' THEN
        RETURN NEW;  -- a bulk load fills it afterwards with claims_search_vector (claims.bulk_search)
    END IF;
    SELECT a.headline, a.language INTO article_headline, article_language
      FROM claims_article a WHERE a.id = NEW.article_id;
    NEW.search_vector := claims_search_vector(
        NEW.statement, NEW.statement_en, NEW.quote, NEW.claimant, NEW.verdict, NEW.verdict_en,
        article_headline, article_language
    );
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_VECTOR_FUNCTION)
        schema_editor.execute(TRIGGER_FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(import_module("factcheck.claims.migrations.0010_search_indonesian").VECTOR_FUNCTION)
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS claims_search_vector(text, text, text, text, text, text, text, text)"
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_search_indonesian")]

    operations = [migrations.RunPython(forwards, backwards)]
