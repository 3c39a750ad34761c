"""compiled_read: a read compiled once sends what Django would have sent, for every compiled read of the
portal, and anything it cannot carry takes Django's own path."""

import importlib
import itertools
import pickle
import pkgutil
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Prefetch

import factcheck
from factcheck.claims.models import Claim, Evidence, Rating
from factcheck.lib.compiled import READS, compiled_read

pytestmark = pytest.mark.django_db

SKIPPED_MODULES = ("migrations", "management", "settings", "wsgi", "asgi")


def _every_compiled_read():
    """The portal's compiled reads (not those the tests below make)."""
    for module in pkgutil.walk_packages(factcheck.__path__, "factcheck."):
        if not any(part in SKIPPED_MODULES for part in module.name.split(".")):
            importlib.import_module(module.name)
    return [read for read in READS if read.build.__module__.startswith("factcheck.")]


def _row(instance, depth=2):
    """A row read as comparable values: its fields and annotations, the related rows read with it
    (``select_related``) and the ones prefetched for it, two levels deep (a related row may point back)."""
    if isinstance(instance, dict | tuple) or instance is None:
        return instance
    found = {key: value for key, value in vars(instance).items() if not key.startswith("_")}
    if depth:
        found["related"] = {name: _row(other, depth - 1) for name, other in instance._state.fields_cache.items()}
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        found["prefetched"] = {name: [_row(row, depth - 1) for row in rows] for name, rows in prefetched.items()}
    return found


def _rows(queryset):
    return [_row(instance) for instance in queryset]


def _values_to_try(read, claim):
    choices = {str: ["no-such-address", claim.slug], int: [7, claim.pk, claim.article_id]}
    names = list(read.slots)
    for values in itertools.product(*(choices[read.slots[name]] for name in names)):
        yield dict(zip(names, values, strict=True))


def test_the_portal_has_compiled_reads():
    names = {read.build.__qualname__ for read in _every_compiled_read()}
    assert {"_claim_page_read", "claim_evidence"} <= names


def test_every_compiled_read_sends_the_statement_and_values_django_would_send(published_claim):
    for read in _every_compiled_read():
        for values in _values_to_try(read, published_claim):
            kept = read(**values).query.get_compiler(connection=connection).as_sql()
            django = read.build(**values).query.get_compiler(connection=connection).as_sql()
            assert (kept[0], tuple(kept[1])) == (django[0], tuple(django[1])), (read.build.__qualname__, values)


def test_every_compiled_read_reads_the_rows_django_reads(published_claim):
    found = 0
    for read in _every_compiled_read():
        for values in _values_to_try(read, published_claim):
            rows = _rows(read(**values))
            assert rows == _rows(read.build(**values)), (read.build.__qualname__, values)
            found += len(rows)
    assert found  # the fixture claim is found by its own reads


def test_a_read_changed_before_it_is_read_gets_djangos_own_query_with_the_real_values(published_claim):
    from factcheck.caching import _claim_page_read
    from factcheck.claims.selectors import claim_evidence

    read = _claim_page_read(slug=published_claim.slug)
    assert read.count() == 1
    assert read.exists()
    assert list(read.values_list("pk", flat=True)) == [published_claim.pk]
    assert read.first().pk == published_claim.pk
    assert published_claim.slug in str(read.query)
    evidence = claim_evidence(claim_id=published_claim.pk)
    assert evidence.count() == published_claim.evidence.count() > 0
    assert list(evidence.filter(pk=-1)) == []
    assert list(evidence.reverse()) == list(published_claim.evidence.all())[::-1]


def test_first_is_the_row_of_a_read_of_one_row_or_none(published_claim):
    from factcheck.caching import _claim_page_read

    assert _claim_page_read.first(slug=published_claim.slug).pk == published_claim.pk
    assert _claim_page_read.first(slug="no-such-address") is None


def test_a_value_the_statement_cannot_carry_is_read_on_djangos_path(published_claim):
    @compiled_read(pk=int)
    def by_pk(pk):
        return Claim.objects.filter(pk=pk)

    assert list(by_pk(pk=2**40)) == []  # beyond an integer column: Django answers "none", not an error
    assert list(by_pk(pk=published_claim.pk)) == [published_claim]


def test_a_read_whose_value_is_not_sent_as_given_is_refused():
    @compiled_read(label=str)
    def containing(label):
        return Rating.objects.filter(label_en__icontains=label)

    with pytest.raises(ImproperlyConfigured, match="no slot's value as sent"):
        list(containing(label="True"))


def test_a_slot_the_read_does_not_use_is_refused():
    @compiled_read(label=str)
    def every_rating(label):
        return Rating.objects.all()

    with pytest.raises(ImproperlyConfigured, match="not sent as a parameter"):
        list(every_rating(label="True"))


def test_each_thread_compiles_its_own_statement(published_claim):
    compiled = []

    @compiled_read(pk=int)
    def by_pk(pk):
        compiled.append(threading.get_ident())
        return Claim.objects.filter(pk=pk)

    def compile_in_this_thread():
        try:
            return by_pk(pk=published_claim.pk).query.get_compiler(using="default").as_sql()
        finally:
            connections["default"].close()

    list(by_pk(pk=published_claim.pk)), list(by_pk(pk=published_claim.pk))
    thread = threading.Thread(target=compile_in_this_thread)
    thread.start()
    thread.join()
    # Each thread: the template, then two compilations (two rounds of stand-ins); none again after.
    assert len(set(compiled)) == 2 and len(compiled) == 6


def test_a_slot_that_reaches_a_prefetch_is_refused(published_claim):
    # The statement alone would pass: the prefetch's queryset is kept with the stand-in.
    @compiled_read(pk=int)
    def with_the_articles_other_claims(pk):
        others = Claim.objects.exclude(pk=pk)
        return Claim.objects.filter(pk=pk).prefetch_related(Prefetch("article__claims", queryset=others, to_attr="o"))

    with pytest.raises(ImproperlyConfigured, match="beyond the statement"):
        list(with_the_articles_other_claims(pk=published_claim.pk))


def test_a_compiled_read_pickles_as_the_query_django_would_make(published_claim):
    from factcheck.claims.selectors import claim_evidence

    read = claim_evidence(claim_id=published_claim.pk)
    assert list(pickle.loads(pickle.dumps(read))) == list(published_claim.evidence.all())
    again = Evidence.objects.all()
    again.query = pickle.loads(pickle.dumps(read.query))
    assert list(again) == list(published_claim.evidence.all())


def test_a_compiled_read_in_a_union_is_compiled_as_django_compiles_it(published_claim):
    @compiled_read(claim_id=int)
    def evidence_of(claim_id):
        return Evidence.objects.filter(claim_id=claim_id).order_by()  # SQLite: no ORDER BY in a union's parts

    union = evidence_of(claim_id=published_claim.pk).union(Evidence.objects.filter(pk=-1).order_by())
    assert sorted(item.pk for item in union) == sorted(item.pk for item in published_claim.evidence.all())


def test_a_database_whose_compiler_is_not_djangos_own_reads_on_djangos_path(published_claim, monkeypatch):
    # Another backend's compiler may set up more than the kept one carries: nothing is kept for it.
    from django.db.models.sql.compiler import SQLCompiler

    class OtherCompiler(SQLCompiler):
        pass

    compilers = connection.ops.compiler
    monkeypatch.setattr(
        connection.ops, "compiler", lambda name: OtherCompiler if name == "SQLCompiler" else compilers(name)
    )

    @compiled_read(pk=int)
    def by_pk(pk):
        return Claim.objects.filter(pk=pk)

    read = by_pk(pk=published_claim.pk)
    assert type(read.query.get_compiler(connection=connection)) is OtherCompiler
    assert list(read) == [published_claim]
