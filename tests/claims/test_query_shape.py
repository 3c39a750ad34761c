"""query_shape: a queryset built once per process, handed out as a fresh clone that never caches for the next."""

import pytest

from factcheck.claims.models import Rating
from factcheck.lib.querysets import query_shape

pytestmark = pytest.mark.django_db


def test_the_queryset_is_built_once_and_each_call_is_a_fresh_clone():
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

    before = list(ratings())
    Rating.objects.create(key="new-rating", label_id="Baru", label_en="New", definition_id="d", definition_en="d")
    after = list(ratings())
    assert len(after) == len(before) + 1
    assert after[-1].key == "new-rating"
