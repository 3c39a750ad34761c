"""Times written by clients: ISO 8601 text read as an aware time in UTC, or refused."""

from __future__ import annotations

import datetime

from django.utils.dateparse import parse_date, parse_datetime


def utc_datetime(text: str, *, dates: bool = False) -> datetime.datetime | None:
    """``text`` as an ISO 8601 date-time in UTC; without an offset it is read as UTC, and with ``dates`` a date
    alone is its midnight. None where it is no such time, or none that Python and PostgreSQL can both hold:
    an impossible day (2024-02-30), an offset of a day or more, a year outside 1–9999 once in UTC. An offset
    of 16 hours or more, which Python allows and PostgreSQL refuses, is gone once the time is in UTC."""
    try:
        parsed = parse_datetime(text)
        if parsed is None and dates and (day := parse_date(text)) is not None:
            parsed = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    try:
        return parsed.astimezone(datetime.UTC)
    except OverflowError:
        return None
