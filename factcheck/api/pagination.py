"""Keyset ("cursor") pagination: stable under concurrent changes, so a sync never skips a row.

Rows are ordered by a unique key, e.g. ``(updated_at, id)``, and the cursor
holds the key of the last row served; the next page is every row after it.
A claim changed while a partner pages through gets a later ``updated_at`` and
so reappears further on instead of shifting others out of view (as offsets do).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from factcheck.lib.isotime import utc_datetime

# Keys held as whole numbers in a cursor (the others are times).
INTEGER_KEYS = frozenset({"id", "change_seq"})


def encode_cursor(values: Sequence) -> str:
    plain = [v.isoformat() if isinstance(v, datetime.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


# A whole number as clients write one: ASCII digits, "3" or "3.0" (JSON Schema's integer). Python's int() takes
# more ("１２", "1_000"), which no client's integer is.
WHOLE_NUMBER = re.compile(r"([0-9]+)(?:\.0*)?")


def page_size_from(request, *, param: str = "page_size", default: int | None = None) -> int:
    raw = request.query_params.get(param)
    maximum = settings.API_MAX_PAGE_SIZE
    if raw in (None, ""):
        return default or settings.API_PAGE_SIZE
    whole = WHOLE_NUMBER.fullmatch(raw)  # "3" or "3.0": a whole number, as JSON Schema's integer reads it
    if whole is None or not 1 <= int(whole.group(1)) <= maximum:
        raise ValidationError({param: [_("Give a whole number from 1 to {maximum}.").format(maximum=maximum)]})
    return int(whole.group(1))


class KeysetPaginator:
    """Pages of ``queryset`` ordered by ``fields`` (the last must be unique, e.g. ``id``)."""

    def __init__(
        self,
        fields: Sequence[str],
        *,
        descending: bool = False,
        cursor_param: str = "cursor",
        size_param: str = "page_size",
        default_size: int | None = None,
    ) -> None:
        self.fields = list(fields)
        self.descending = descending
        self.cursor_param = cursor_param
        self.size_param = size_param
        self.default_size = default_size
        self.next_cursor: str | None = None

    def decode_cursor(self, raw: str) -> list:
        error = ValidationError({self.cursor_param: [_("Invalid cursor; use the one from the previous page.")]})
        try:
            padded = raw + "=" * (-len(raw) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, binascii.Error, UnicodeError):
            raise error from None
        if not isinstance(values, list) or len(values) != len(self.fields):
            raise error
        decoded = []
        for name, value in zip(self.fields, values, strict=True):
            if name in INTEGER_KEYS:
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
                    raise error
            else:
                # A forged cursor may hold a time that Python or PostgreSQL cannot hold: refused, not a 500.
                parsed = utc_datetime(value) if isinstance(value, str) else None
                if parsed is None:
                    raise error
                value = parsed
            decoded.append(value)
        return decoded

    def after(self, values: list) -> Q:
        """Rows strictly after ``values`` in the order: (a > x) or (a = x and b > y) ..."""
        op = "lt" if self.descending else "gt"
        condition = Q()
        for i, name in enumerate(self.fields):
            step = Q(**{f"{name}__{op}": values[i]})
            for earlier, value in zip(self.fields[:i], values[:i], strict=True):
                step &= Q(**{earlier: value})
            condition |= step
        return condition

    def paginate(self, queryset: QuerySet, request, *, size: int | None = None, offset: int = 0) -> list:
        """A page of rows after the cursor; ``size`` overrides the request's size parameter, and ``offset``
        skips that many rows first (Google's ``claims:search`` takes one; a cursor then holds the position)."""
        if size is None:
            size = page_size_from(request, param=self.size_param, default=self.default_size)
        raw = request.query_params.get(self.cursor_param)
        ordering = [f"-{name}" if self.descending else name for name in self.fields]
        queryset = queryset.order_by(*ordering)
        if raw:
            queryset = queryset.filter(self.after(self.decode_cursor(raw)))
        rows = list(queryset[offset : offset + size + 1])
        if len(rows) > size:
            rows = rows[:size]
            self.next_cursor = encode_cursor([getattr(rows[-1], name) for name in self.fields])
        self.request = request
        return rows

    def next_url(self) -> str | None:
        """On SITE_URL, like every other address the API gives: pages are cached whatever host was asked."""
        if self.next_cursor is None:
            return None
        url = settings.SITE_URL + self.request.get_full_path()
        return replace_query_param(url, self.cursor_param, self.next_cursor)
