"""API keys: stored hashed, shown once, revocable, optionally expiring; create_partner and the demo print one."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from factcheck.claims.demo import DEMO_PARTNER, load_demo
from factcheck.claims.errors import InvalidInput
from factcheck.partners.models import ApiKey, Partner
from factcheck.partners.services import create_partner_with_key, key_create, key_revoke


def get_with(key: str, path: str = "/api/v1/ratings/"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client.get(path)


def test_a_key_is_stored_only_as_its_digest(db):
    partner, raw = create_partner_with_key(name="Mitra")

    key = ApiKey.objects.get()
    assert key.partner == partner
    assert raw.startswith("fck_") and len(raw) > 40
    assert key.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert key.prefix == raw[:12]
    assert raw not in {str(value) for value in ApiKey.objects.values().get().values()}


def test_a_key_authenticates_until_it_is_revoked(db):
    _, raw = create_partner_with_key(name="Mitra")
    assert get_with(raw).status_code == 200

    key_revoke(key=ApiKey.objects.get())

    response = get_with(raw)
    assert response.status_code == 401
    assert response.json() == {"detail": "This API key was revoked.", "code": "api_key_revoked", "errors": {}}


def test_a_key_stops_working_when_it_expires(db):
    partner, _ = create_partner_with_key(name="Mitra")
    _, raw = key_create(partner=partner, expires_at=timezone.now() + datetime.timedelta(days=1))
    assert get_with(raw).status_code == 200

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        response = get_with(raw)

    assert response.status_code == 401
    assert response.json() == {"detail": "This API key has expired.", "code": "api_key_expired", "errors": {}}


def test_an_expiry_in_the_past_is_refused(db):
    partner, _ = create_partner_with_key(name="Mitra")

    with pytest.raises(InvalidInput) as refused:
        key_create(partner=partner, expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert refused.value.errors == {"expires_at": ["The expiry must be in the future."]}


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Api-Key fck_not-a-key", "Invalid API key."),
        ("Api-Key", "Malformed Authorization header; send 'Api-Key <key>'."),
        ("Api-Key a b", "Malformed Authorization header; send 'Api-Key <key>'."),
    ],
)
def test_a_bad_key_is_401_even_where_anonymous_reads_are_allowed(db, header, detail):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/claims/")

    assert response.status_code == 401
    assert response.json() == {"detail": detail, "code": "api_key_invalid", "errors": {}}


def test_an_inactive_partners_keys_stop_working(db):
    partner, raw = create_partner_with_key(name="Mitra")
    partner.is_active = False
    partner.save()

    assert get_with(raw).json() == {
        "detail": "The partner of this API key is inactive.",
        "code": "api_key_inactive",
        "errors": {},
    }


def test_create_partner_prints_the_key_once(db):
    out = StringIO()

    call_command("create_partner", "Kompas Data", "--email", "data@kompas.example", stdout=out)

    raw = out.getvalue().strip().splitlines()[-1]
    partner = Partner.objects.get(name="Kompas Data")
    assert partner.contact_email == "data@kompas.example"
    assert ApiKey.objects.get(partner=partner).digest == hashlib.sha256(raw.encode()).hexdigest()
    assert get_with(raw).status_code == 200


def test_create_partner_refuses_a_taken_name_and_writes_nothing(db):
    create_partner_with_key(name="Kompas Data")

    with pytest.raises(CommandError, match="already exists"):
        call_command("create_partner", "Kompas Data", stdout=StringIO())

    assert ApiKey.objects.count() == 1


def test_create_partner_with_an_expiry(db):
    out = StringIO()
    call_command("create_partner", "Tempo", "--expires", "2099-01-01T00:00Z", stdout=out)

    assert ApiKey.objects.get().expires_at == datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(CommandError, match="--expires"):
        call_command("create_partner", "Tirto", "--expires", "soon", stdout=StringIO())


def test_the_demo_creates_a_partner_and_prints_its_key_only_once(db):
    first = StringIO()
    call_command("load_demo", stdout=first)
    second = StringIO()
    call_command("load_demo", stdout=second)

    raw = first.getvalue().split("docs at /api/docs/):\n", 1)[1].split()[0]
    assert get_with(raw, "/api/v1/claims/").status_code == 200
    assert f"Demo API partner {DEMO_PARTNER!r} exists" in second.getvalue()
    assert raw not in second.getvalue()
    assert Partner.objects.filter(name=DEMO_PARTNER).count() == 1
    assert load_demo().partner_key is None
