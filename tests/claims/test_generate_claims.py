import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from factcheck.claims import generation
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


def search_index_definitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'claims_claim'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("rebuild_indexes", [False, True])
def test_generated_claims_carry_the_search_data_of_claims_saved_one_at_a_time(db, rebuild_indexes):
    """The bulk path (search indexes dropped and built again after the load) makes the rows, and the
    indexes, that claims saved one at a time make: the same search_vector (PostgreSQL) and search_text
    (both databases)."""
    call_command("load_demo", stdout=io.StringIO())  # saved one at a time, through the trigger
    indexes = search_index_definitions() if connection.vendor == "postgresql" else set()

    generate_claims(claims=120, evidence_per_claim=0, rebuild_indexes=rebuild_indexes)

    for claim in Claim.objects.select_related("article"):
        stored = claim.search_text
        claim.refresh_derived_fields()  # what save() stores
        assert stored == claim.search_text and stored.strip(), claim.slug
    if connection.vendor != "postgresql":
        return
    assert search_index_definitions() == indexes
    made_in_bulk = search_vectors()
    assert None not in made_in_bulk.values()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET search_vector = NULL")  # the trigger sets each row again
    assert search_vectors() == made_in_bulk


def test_a_failed_load_gets_its_search_indexes_back(db, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN and GiST search indexes")
    indexes = search_index_definitions()
    monkeypatch.setattr(generation, "_generate", lambda **kwargs: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        generate_claims(claims=120, evidence_per_claim=0, rebuild_indexes=True)

    assert search_index_definitions() == indexes
