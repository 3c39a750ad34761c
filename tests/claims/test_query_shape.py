"""query_shape: a queryset built once per thread, handed out as a fresh clone that never caches for the next."""

import threading

import pytest

from factcheck.claims.models import Rating
from factcheck.lib.querysets import query_shape

pytestmark = pytest.mark.django_db


def test_the_queryset_is_built_once_per_thread_and_each_call_is_a_fresh_clone():
    builds = []

    @query_shape
    def ratings():
        builds.append(1)
        return Rating.objects.order_by("pk")

    first, second = ratings(), ratings()
    assert len(builds) == 1
    assert first is not second and first.query is not second.query


def test_rows_read_through_one_call_are_not_what_the_next_call_reads():
    @query_shape
    def ratings():
        return Rating.objects.order_by("pk")

    first = list(ratings())[0]
    Rating.objects.filter(pk=first.pk).update(label_en="Changed")
    assert list(ratings())[0].label_en == "Changed"


def test_each_thread_builds_its_own_original():
    # A clone shares its original's subqueries, which Django's compiler writes to while it compiles one:
    # threads compiling at once must not share them.
    builds = []

    @query_shape
    def ratings():
        builds.append(threading.get_ident())
        return Rating.objects.order_by("pk")

    ratings(), ratings()
    thread = threading.Thread(target=lambda: (ratings(), ratings()))
    thread.start()
    thread.join()
    assert len(builds) == 2 and builds[0] != builds[1]
