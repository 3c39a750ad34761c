"""Numbered pages without counting: one row more than a page says whether there is a next one.

Page numbers stop at MAX_PAGE: a page is read by skipping the rows before it, so a deep page costs
in proportion to its depth, and the 10,000 newest rows are what browsing is for. Older verdicts are
found by search, on their article's page and in the sitemap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from factcheck.lib.digits import is_ascii_digits

PER_PAGE = 20
MAX_PAGE = 500


@dataclass
class Page:
    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_number(raw: str | None) -> int:
    """The page asked for; anything but a positive number is a 404."""
    if raw in (None, ""):
        return 1
    if not is_ascii_digits(raw):
        raise Http404("Page numbers are whole numbers.")
    number = int(raw)
    if number < 1:
        raise Http404("Page numbers start at 1.")
    if number > MAX_PAGE:
        raise Http404(f"Pages go up to {MAX_PAGE}: search to find older verdicts.")
    return number


def page_of(queryset: QuerySet, raw_number: str | None, *, per_page: int | None = None) -> Page:
    """One page of ``queryset`` in one query (LIMIT per_page + 1), with no COUNT(*) over the table."""
    per_page = per_page or PER_PAGE
    number = page_number(raw_number)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if number > 1 and not rows:
        raise Http404("There is no such page.")
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page and number < MAX_PAGE)
