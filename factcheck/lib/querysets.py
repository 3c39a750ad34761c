"""Querysets built once per thread: ``query_shape``."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

from django.db.models import QuerySet


def query_shape[Q: QuerySet](build: Callable[[], Q]) -> Callable[[], Q]:
    """``build()``'s queryset, built on a thread's first call and handed out as a fresh clone on each
    (``.all()``, as a class-based view's ``get_queryset`` hands out its ``queryset``): the caller filters,
    slices and reads the clone, never the original, whose rows are therefore never cached.

    For the reads of a page miss: building a queryset with subqueries and related tables (each ``filter``,
    ``annotate`` and ``select_related`` a clone and a resolution) took as long as compiling it, 1.0–1.9 ms
    for the claim page's, the home page's validators and its list of articles (docs/performance.md).

    Once per thread, not per process: a clone shares its original's subqueries, and Django's compiler
    counts their tables' references up and back down while it compiles one, unlocked; two threads compiling
    clones of one original at once leave the counts wrong (seen: 186 where 1 is right). A thread compiles
    one at a time. What ``build`` reads must not change while the process runs (models and constants, not
    settings or the request), and the database is chosen when the clone is read, as for any queryset.
    """
    built = threading.local()

    @functools.wraps(build)
    def shape() -> Q:
        original = getattr(built, "queryset", None)
        if original is None:
            original = built.queryset = build()
        return original.all()

    return shape
