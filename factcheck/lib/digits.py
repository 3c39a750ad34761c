"""Whole numbers as people and clients write them in addresses and headers."""

from __future__ import annotations


def is_ascii_digits(text: str) -> bool:
    """Whether ``text`` is ASCII digits only ("12"). ``str.isdigit()`` and ``int()`` also take "１２" and other
    scripts' digits, and ``int()`` takes " 3", "+3" and "1_0": none of them an id, a version or a page number."""
    return text.isascii() and text.isdigit()
