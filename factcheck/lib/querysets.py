"""Querysets built once per process: ``query_shape``."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db.models import QuerySet


def query_shape[Q: QuerySet](build: Callable[[], Q]) -> Callable[[], Q]:
    """``build()``'s queryset, built on the first call and handed out as a fresh clone on each (``.all()``,
    as a class-based view's ``get_queryset`` hands out its ``queryset``): the caller filters, slices and
    reads the clone, never the original, whose rows are therefore never cached.

    For the reads of a page miss: building a queryset with subqueries and related tables (each ``filter``,
    ``annotate`` and ``select_related`` a clone and a resolution) took as long as compiling it, 1.0–1.4 ms
    for the claim page's, the home page's validators and its list of articles (docs/performance.md). What
    ``build`` reads must not change while the process runs (models and constants, not settings or the
    request), and the database is chosen when the clone is read, as for any queryset.
    """
    built = functools.cache(build)

    @functools.wraps(build)
    def shape() -> Q:
        return built().all()

    return shape
