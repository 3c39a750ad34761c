"""Fixtures of the tip-line tests: a reader's browser and a form filled in as a person would."""

import ipaddress
import secrets
import time

import pytest
from django.test import Client

from factcheck.tips.forms import started_token


def unique_address() -> str:
    """An address of the IPv6 documentation range no other test (or xdist worker sharing Redis) sends from."""
    return str(ipaddress.IPv6Address("2001:db8::") + secrets.randbits(64))


@pytest.fixture
def anon() -> Client:
    """A reader's browser, from an address of its own: rate limits counted in a shared cache never collide."""
    return Client(REMOTE_ADDR=unique_address())


def tip_form(*, opened_seconds_ago: float = 30, **fields) -> dict:
    """The fields a reader sends, with the signed time the form was shown ``opened_seconds_ago`` seconds ago."""
    data = {
        "text": "Katanya vaksin mengandung cip pelacak. Saya lihat di grup WhatsApp keluarga.",
        "link": "https://example.org/pesan-berantai",
        "contact": "pembaca@example.org",
        "consent": "on",
        "website": "",
        "started": started_token(now=time.time() - opened_seconds_ago),
    }
    data.update(fields)
    return data
