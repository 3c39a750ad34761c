import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from factcheck.claims.generation import generate_claims
from factcheck.claims.models import Article, Claim, Evidence


def test_generates_published_claims_with_evidence_and_history(db):
    out = io.StringIO()
    call_command("generate_claims", "--claims", "120", "--evidence-per-claim", "2", stdout=out)

    assert Claim.objects.filter(status="published").count() == 120
    assert Article.objects.count() == 3
    assert Evidence.objects.count() == 240
    assert Claim.history.count() == 120 and Evidence.history.count() == 240 and Article.history.count() == 3
    for claim in Claim.objects.select_related("article")[:60]:
        assert claim.quote == claim.article.body[claim.start : claim.end]
    assert "Generated 120 claims" in out.getvalue()


def test_generating_again_adds_new_articles(db):
    call_command("generate_claims", "--claims", "50", stdout=io.StringIO())
    call_command("generate_claims", "--claims", "50", stdout=io.StringIO())

    assert Claim.objects.count() == 100 and Article.objects.count() == 2


@pytest.mark.parametrize(
    "args, flag",
    [(["--claims", "0"], "--claims"), (["--claims", "5", "--evidence-per-claim", "-1"], "--evidence-per-claim")],
)
def test_bad_arguments_name_the_option(db, args, flag):
    with pytest.raises(CommandError, match=f"^{flag}:"):
        call_command("generate_claims", *args)


def search_vectors() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, search_vector::text FROM claims_claim ORDER BY id")
        return dict(cursor.fetchall())


def test_generated_claims_carry_the_search_data_of_claims_saved_one_at_a_time(db):
    """Bulk inserts make the rows claims saved one at a time make: the same search_vector (PostgreSQL's
    trigger, which bulk inserts fire too) and search_text (both databases)."""
    call_command("load_demo", stdout=io.StringIO())

    generate_claims(claims=120, evidence_per_claim=0)

    for claim in Claim.objects.select_related("article"):
        stored = claim.search_text
        claim.refresh_derived_fields()  # what save() stores
        assert stored == claim.search_text and stored.strip(), claim.slug
    if connection.vendor != "postgresql":
        return
    made_in_bulk = search_vectors()
    assert None not in made_in_bulk.values()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET search_vector = NULL")  # the trigger sets each row again
    assert search_vectors() == made_in_bulk
