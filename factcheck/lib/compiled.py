"""Reads compiled to SQL once per thread: ``compiled_read``.

Django compiles a queryset to SQL each time it is read, and keeps nothing of it: the claim page's read by
its address (four tables, eight subqueries) took longer to compile than to run, and compiling was about a
third of a claim-page miss at the origin (docs/performance.md, "The eleventh session"). Django has no cache
of compiled statements (SQLAlchemy's compiled cache is the nearest engine, in another ORM), so this is a
small one of our own, for reads whose SQL is the same for every value they are asked with: the statement
and the compiler's description of its columns are kept, and each read sends the kept statement with its
values put in place of the placeholders' (the parameters Django itself would have sent).

Safe by construction, not by care: the read is compiled twice, with two sets of stand-in values, and kept
only where both statements are the same text and their parameters differ exactly where a stand-in is,
each stand-in sent unchanged (not inlined, not wrapped as ``icontains`` wraps it, not dropped), and where
nothing else the queryset reads by (its prefetches' statements, its database, hints) depends on a value. A
value the kept statement could not carry (None, a number beyond a 32-bit integer, a NUL in a string) and any
change to the queryset before it is read (``filter``, ``first()``, slicing, ``count()``…) fall back to
Django's own path with the real value; so does a database whose compiler is not Django's own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query

_INT_LIMIT = 2**31  # an integer slot carries what any integer column holds; a larger value falls back


READS: list[_CompiledRead] = []  # every compiled read, for the tests that check each against Django's own


def _stand_in(kind: type, name: str, number: int, round_: int) -> Any:
    if kind is str:
        return f"\x1fcompiled-read:{name}:{round_}\x1f"
    if kind is int:
        return 2_000_000_000 + 1_000 * round_ + number  # in every integer column's range
    raise ImproperlyConfigured(f"compiled_read: slot {name!r} is a {kind.__name__}; only str and int are carried")


def _carried(kind: type, value: Any) -> bool:
    if kind is str:
        return type(value) is str and "\x00" not in value
    return type(value) is int and -_INT_LIMIT < value < _INT_LIMIT


@dataclass(frozen=True)
class _Statement:
    """A read compiled once on one connection: its SQL, its parameters (each slot's at its positions) and
    the compiler that described its columns."""

    sql: str
    params: tuple
    positions: dict[str, tuple[int, ...]]
    compiler: SQLCompiler

    def bind(self, values: dict[str, Any]) -> tuple:
        params = list(self.params)
        for name, positions in self.positions.items():
            for position in positions:
                params[position] = values[name]
        return tuple(params)


def _beyond_the_statement(queryset: QuerySet, connection) -> tuple:
    """What a queryset reads by besides its own statement: its database, hints, the related objects it sets,
    its iterable and fields, and each prefetch (with its own queryset's statement). A slot must not reach it:
    the kept template carries it with the stand-ins."""
    prefetches = []
    for lookup in queryset._prefetch_related_lookups:
        inner = getattr(lookup, "queryset", None)
        statement = None
        if inner is not None:
            sql, params = inner.query.get_compiler(connection=connection).as_sql()
            statement = (sql, tuple(params))
        prefetches.append((getattr(lookup, "prefetch_to", lookup), getattr(lookup, "to_attr", None), statement))
    known = {field: sorted(objects) for field, objects in queryset._known_related_objects.items()}
    return (queryset._db, queryset._hints, queryset._fields, queryset._iterable_class, known, prefetches)


def _compile(
    build: Callable[..., QuerySet], slots: dict[str, type], connection, elide_empty: bool
) -> _Statement | None:
    """The read compiled for ``connection``, or None where its compiler is not Django's own (another backend's
    may set up more than ``_BoundCompiler`` keeps). Refuses (ImproperlyConfigured) a read that cannot be kept."""
    compiled, beyond = [], []
    for round_ in (0, 1):
        stand_ins = {name: _stand_in(kind, name, number, round_) for number, (name, kind) in enumerate(slots.items())}
        queryset = build(**stand_ins)
        compiler = queryset.query.get_compiler(connection=connection, elide_empty=elide_empty)
        sql, params = compiler.as_sql()
        compiled.append((stand_ins, compiler, sql, tuple(params)))
        beyond.append(_beyond_the_statement(queryset, connection))
    (first, compiler, sql, params), (second, _, other_sql, other_params) = compiled
    if type(compiler) is not SQLCompiler:
        return None
    where = f"compiled_read {build.__qualname__}"
    if beyond[0] != beyond[1]:
        raise ImproperlyConfigured(f"{where}: a slot's value reaches beyond the statement (a prefetch, the database…)")
    if sql != other_sql or len(params) != len(other_params):
        raise ImproperlyConfigured(f"{where}: the statement's text depends on a slot's value")
    positions: dict[str, list[int]] = {name: [] for name in slots}
    by_value = {(first[name], second[name]): name for name in slots}
    for position, pair in enumerate(zip(params, other_params, strict=True)):
        if pair[0] == pair[1]:
            if any(pair[0] == first[name] for name in slots):
                raise ImproperlyConfigured(f"{where}: a parameter equals a stand-in in both rounds")
            continue
        name = by_value.get(pair)
        if name is None:
            raise ImproperlyConfigured(f"{where}: parameter {position} changes but is no slot's value as sent")
        positions[name].append(position)
    missing = [name for name, found in positions.items() if not found]
    if missing:
        raise ImproperlyConfigured(f"{where}: slot(s) {', '.join(missing)} not sent as a parameter")
    return _Statement(sql, params, {name: tuple(found) for name, found in positions.items()}, compiler)


class _CompiledQuery(Query):
    """The query of a queryset ``compiled_read`` handed out. Read as it is, it sends the kept statement; any
    change (Django clones a query before changing it) gets the query ``build`` makes with the real values,
    on Django's own path."""

    read: _CompiledRead
    values: dict[str, Any]

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        connection = connection or connections[using]
        statement = self.read.statement(connection, elide_empty)
        if statement is None:
            return self.read.build(**self.values).query.get_compiler(connection=connection, elide_empty=elide_empty)
        compiler = _BoundCompiler.__new__(_BoundCompiler)
        compiler.__dict__.update(statement.compiler.__dict__)
        compiler.statement = (statement.sql, statement.bind(self.values))
        compiler.real_query = self.real_query
        return compiler

    def real_query(self) -> Query:
        """The query ``build`` makes with the real values, on Django's own path."""
        return self.read.build(**self.values).query

    def clone(self):
        return self.real_query().clone()

    def chain(self, klass=None):
        return self.real_query().chain(klass)

    def __reduce_ex__(self, protocol):  # pickled as the query Django would have made
        real = self.real_query()
        return _unpickled_query, (type(real), real.__dict__)


def _unpickled_query(kind: type[Query], state: dict) -> Query:
    query = kind.__new__(kind)
    query.__dict__.update(state)
    return query


class _BoundCompiler(SQLCompiler):
    """Django's compiler, set up as the kept one was, answering with the kept statement and this read's
    values (``execute_sql``, ``results_iter`` and the model iterable use its description of the columns)."""

    statement: tuple[str, tuple]
    real_query: Callable[[], Query]

    def as_sql(self, with_limits=True, with_col_aliases=False):
        if with_limits is not True or with_col_aliases:  # compiled otherwise (a part of a union): Django's path
            real = self.real_query().get_compiler(connection=self.connection, elide_empty=self.elide_empty)
            return real.as_sql(with_limits=with_limits, with_col_aliases=with_col_aliases)
        return self.statement

    def pre_sql_setup(self, with_col_aliases=False):  # already set up: the kept compiler's state
        return None


class _CompiledRead:
    def __init__(self, build: Callable[..., QuerySet], slots: dict[str, type]) -> None:
        self.build, self.slots = build, slots
        self.local = threading.local()
        READS.append(self)

    def statement(self, connection, elide_empty: bool) -> _Statement | None:
        # Per thread, as query_shape's querysets are: compiling shares expressions that Django's compiler
        # changes (and changes back) while it compiles.
        kept = self.local.__dict__.setdefault("statements", {})
        key = (connection.alias, elide_empty)
        if key not in kept or kept[key][0] is not connection:  # settings may give an alias a new connection
            kept[key] = (connection, _compile(self.build, self.slots, connection, elide_empty))
        return kept[key][1]

    def first(self, **values: Any) -> Any | None:
        """The read's first row, or None: as ``QuerySet.first()`` for a read ``build`` slices to one row, which
        ``first()`` itself would not keep compiled (it changes the queryset)."""
        return next(iter(self(**values)), None)

    def __call__(self, **values: Any) -> QuerySet:
        if values.keys() != self.slots.keys():
            raise TypeError(f"{self.build.__qualname__}() takes {', '.join(self.slots)}")
        if not all(_carried(kind, values[name]) for name, kind in self.slots.items()):
            return self.build(**values)
        template = self.local.__dict__.get("template")
        if template is None:
            stand_ins = {name: _stand_in(kind, name, n, 0) for n, (name, kind) in enumerate(self.slots.items())}
            template = self.local.template = self.build(**stand_ins)
        queryset = template._chain()
        query = queryset.query
        query.__class__ = _CompiledQuery
        query.read, query.values = self, values
        return queryset


def compiled_read(**slots: type) -> Callable[[Callable[..., QuerySet]], _CompiledRead]:
    """``build(**values)``'s queryset, whose SQL is compiled once per thread and database and sent again with
    each call's ``values`` (``slots``: each value's name and type, ``str`` or ``int``). ``build`` makes the
    whole read (filters, order, slice); the caller reads the queryset as it is (iterate it, ``list()`` it,
    or ``.first(**values)`` for a read of one row)
    or changes it at the cost of Django's own compilation. What ``build`` reads besides its values must not
    change while the process runs, as for ``query_shape``."""

    def decorate(build: Callable[..., QuerySet]) -> _CompiledRead:
        return functools.wraps(build)(_CompiledRead(build, slots))

    return decorate
