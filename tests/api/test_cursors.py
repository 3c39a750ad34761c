"""A page's cursor is the client's input like any other: a forged one is a 400 naming it, never a 500.

Cursors of lists ordered by a time hold that time as ISO 8601 text; one a client writes itself may hold a
time Python can parse but not hold in UTC (year 1 an hour east of Greenwich), an impossible day, or an offset
PostgreSQL refuses (±16:00 and beyond), which is a real time and is read in UTC.
"""

from __future__ import annotations

import base64
import json

import pytest
from rest_framework.exceptions import ValidationError

from factcheck.api.pagination import KeysetPaginator
from factcheck.partners.models import WebhookEndpoint

BAD_TIMES = [
    "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
    "9999-12-31T23:59:59-01:00",  # after 9999 in UTC
    "2024-01-01T00:00:00+99:00",  # an offset of more than a day
    "2024-02-30T00:00:00Z",  # no such day
]
FAR_OFFSETS = ["2024-01-01T00:00:00+16:00", "2024-01-01T00:00:00-17:10"]  # PostgreSQL refuses these offsets
LISTS_ORDERED_BY_A_TIME = [
    ("/api/v1/articles/?cursor={}", "cursor"),
    ("/api/v1/factcheck/claims:search?query=ASEM&pageToken={}", "pageToken"),
    ("/api/v1/webhooks/{endpoint}/deliveries/?cursor={}", "cursor"),
]


def cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("time", BAD_TIMES)
def test_a_cursor_with_a_time_out_of_range_is_refused(time):
    with pytest.raises(ValidationError) as refused:
        KeysetPaginator(("updated_at", "id")).decode_cursor(cursor(time, 1))

    assert list(refused.value.detail) == ["cursor"]


def test_a_cursors_time_is_read_in_utc():
    (when, pk) = KeysetPaginator(("updated_at", "id")).decode_cursor(cursor("2024-01-01T15:00:00+15:00", 7))

    assert (when.isoformat(), pk) == ("2024-01-01T00:00:00+00:00", 7)


def get_with(client, partner, path: str, token: str):
    endpoint = WebhookEndpoint.objects.create(partner=partner, url="https://hooks.mitra.example/a", events=[])
    return client.get(path.format(token, endpoint=endpoint.pk))


@pytest.mark.django_db
@pytest.mark.parametrize("time", BAD_TIMES)
@pytest.mark.parametrize(("path", "param"), LISTS_ORDERED_BY_A_TIME)
def test_every_list_ordered_by_a_time_answers_a_forged_cursor_with_a_400(
    path, param, time, published_claim, partner, partner_client
):
    response = get_with(partner_client, partner, path, cursor(time, 1))

    assert response.status_code == 400, response.content
    assert param in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("time", FAR_OFFSETS)
@pytest.mark.parametrize(("path", "param"), LISTS_ORDERED_BY_A_TIME)
def test_a_cursor_with_an_offset_postgresql_refuses_is_read_in_utc(
    path, param, time, published_claim, partner, partner_client
):
    assert get_with(partner_client, partner, path, cursor(time, 1)).status_code == 200
