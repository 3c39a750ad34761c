"""Webhooks cannot reach the internal network: checked at registration, checked again and pinned at delivery.

Name resolution is faked (tests/conftest.py, ``fake_dns``) and the socket layer is watched, so none of
these tests connects anywhere but 127.0.0.1.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError
from rest_framework.test import APIClient

from factcheck.partners import network
from factcheck.partners.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from factcheck.partners.services import create_partner_with_key, webhook_deliver, webhook_endpoint_create
from tests.conftest import PUBLIC_TEST_ADDRESS, load_settings

PUBLISHED = ["claim.published"]

# (URL on port 443, the address class named in the refusal)
REFUSED_ADDRESSES = [
    ("https://169.254.169.254/latest/meta-data/", "a link-local address"),
    ("https://10.0.0.1/", "a private address"),
    ("https://172.16.5.4/", "a private address"),
    ("https://192.168.1.1/", "a private address"),
    ("https://127.0.0.1/", "a loopback address"),
    ("https://127.8.9.10/", "a loopback address"),
    ("https://localhost/", "a loopback address"),
    ("https://[::1]/", "a loopback address"),
    ("https://0.0.0.0/", "an unspecified address"),
    ("https://[::]/", "an unspecified address"),
    ("https://224.0.0.1/", "a multicast address"),
    ("https://[ff02::1]/", "a multicast address"),
    ("https://240.0.0.1/", "a reserved address"),
    ("https://100.64.0.1/", "a shared (carrier-grade NAT) address"),
    ("https://[fe80::1]/", "a link-local address"),
    ("https://[fd00::1]/", "a private address"),
    ("https://[::ffff:10.0.0.1]/", "a private address"),
    ("https://[::ffff:169.254.169.254]/", "a link-local address"),
    ("https://[::ffff:127.0.0.1]/", "a loopback address"),
    ("https://[64:ff9b::a9fe:a9fe]/", "a link-local address"),  # NAT64 of 169.254.169.254
    ("https://[2002:a00:1::]/", "a private address"),  # 6to4 of 10.0.0.1
]


@pytest.fixture
def key(db) -> str:
    return create_partner_with_key(name="Mitra Hook API")[1]


@pytest.fixture
def api(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def no_connections(monkeypatch):
    """Fails the test if anything tries to open a connection."""

    def refuse(*args, **kwargs):
        pytest.fail(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def connections(monkeypatch) -> list:
    """Records the address each connection is opened to, and refuses it (nothing leaves the machine)."""
    opened: list = []

    def record(address, *args, **kwargs):
        opened.append(address)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "create_connection", record)
    return opened


def register(api: APIClient, url: str, events=PUBLISHED):
    return api.post("/api/v1/webhooks/", {"url": url, "events": events}, format="json")


def endpoint_registered_before(partner, url: str) -> WebhookEndpoint:
    """An endpoint as an older portal (or an earlier DNS answer) let it in, bypassing today's checks."""
    return WebhookEndpoint.objects.create(partner=partner, url=url, events=PUBLISHED, secret="whsec_old")


def deliver_to(endpoint: WebhookEndpoint, published_claim_event) -> WebhookAttempt:
    delivery = WebhookDelivery.objects.create(event=published_claim_event, endpoint=endpoint)
    return webhook_deliver(delivery_id=delivery.pk)


@pytest.fixture
def event(published_claim):
    return published_claim.webhook_events.get()


# --- at registration --------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "kind"), REFUSED_ADDRESSES)
def test_every_internal_address_class_is_refused_at_registration(api, no_connections, url, kind):
    response = register(api, url)

    assert response.status_code == 400, response.content
    [message] = response.json()["errors"]["url"]
    assert kind in message
    assert "webhooks go only to public addresses" in message
    assert not WebhookEndpoint.objects.exists()


def test_a_host_name_that_resolves_to_this_machine_is_refused(api, fake_dns, no_connections):
    fake_dns.answers["hooks.sneaky.test"] = ["127.0.0.1"]

    response = register(api, "https://hooks.sneaky.test/x")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "url": [
            "The host 'hooks.sneaky.test' resolves to a loopback address (127.0.0.1); "
            "webhooks go only to public addresses."
        ]
    }


def test_a_host_name_with_one_private_address_among_public_ones_is_refused(api, fake_dns):
    fake_dns.answers["hooks.mixed.test"] = [PUBLIC_TEST_ADDRESS, "10.1.2.3"]

    response = register(api, "https://hooks.mixed.test/x")

    assert response.status_code == 400
    assert "a private address (10.1.2.3)" in response.json()["errors"]["url"][0]


def test_a_host_name_that_does_not_resolve_is_refused(api):
    response = register(api, "https://nowhere.invalid/x")

    assert response.status_code == 400
    assert response.json()["errors"] == {"url": ["The host name 'nowhere.invalid' does not resolve."]}


@pytest.mark.parametrize("url", ["https://hooks.mitra.test:6379/", "https://hooks.mitra.test:22/", "https://[::1]:22"])
def test_ports_other_than_443_and_80_are_refused(api, url):
    response = register(api, url)

    assert response.status_code == 400
    assert response.json()["errors"]["url"][0].endswith("is not allowed for webhooks; use port 80, 443.")


def test_the_address_rule_holds_for_an_allowed_port_too(api, settings):
    settings.WEBHOOK_ALLOWED_PORTS = [6379]

    assert register(api, "https://hooks.mitra.test:6379/").status_code == 201
    refused = register(api, "https://127.0.0.1:6379/")
    assert refused.status_code == 400
    assert "a loopback address" in refused.json()["errors"]["url"][0]


def test_a_public_https_url_is_accepted(api):
    response = register(api, "https://hooks.mitra.test/factcheck")

    assert response.status_code == 201
    assert WebhookEndpoint.objects.get().url == "https://hooks.mitra.test/factcheck"


def test_changing_the_url_is_checked_like_registering(api, fake_dns):
    endpoint = register(api, "https://hooks.mitra.test/a").json()
    fake_dns.answers["hooks.inside.test"] = ["10.0.0.7"]

    response = api.patch(f"/api/v1/webhooks/{endpoint['id']}/", {"url": "https://hooks.inside.test/"}, format="json")

    assert response.status_code == 400
    assert "a private address" in response.json()["errors"]["url"][0]
    assert WebhookEndpoint.objects.get().url == "https://hooks.mitra.test/a"


def test_the_admin_cannot_register_an_endpoint_or_change_its_url(partner, superuser, client):
    endpoint = webhook_endpoint_create(partner=partner, url="https://hooks.mitra.test/a", events=PUBLISHED)
    client.force_login(superuser)
    change = f"/admin/partners/webhookendpoint/{endpoint.pk}/change/"

    assert client.get("/admin/partners/webhookendpoint/add/").status_code == 403
    client.post(change, {"url": "https://169.254.169.254/", "description": "d", "is_active": "on"})

    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description) == ("https://hooks.mitra.test/a", "d")


# --- one endpoint per URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "same", ["https://HOOKS.Mitra.test/x", "https://hooks.mitra.test:443/x", "HTTPS://hooks.mitra.test/x"]
)
def test_the_same_url_cannot_be_registered_twice(api, same):
    first = register(api, "https://hooks.mitra.test/x").json()

    again = register(api, same, events=["claim.retracted"])

    assert again.status_code == 400
    assert again.json()["errors"] == {
        "url": [f"You already have an endpoint for this URL (id {first['id']}); change that one instead."]
    }
    assert WebhookEndpoint.objects.count() == 1


def test_an_endpoint_cannot_be_changed_to_the_url_of_another(api):
    register(api, "https://hooks.mitra.test/a")
    second = register(api, "https://hooks.mitra.test/b").json()

    response = api.patch(f"/api/v1/webhooks/{second['id']}/", {"url": "https://hooks.mitra.test/a"}, format="json")

    assert response.status_code == 400
    assert "You already have an endpoint for this URL" in response.json()["errors"]["url"][0]


def test_two_partners_may_register_the_same_url(api, db):
    other = create_partner_with_key(name="Mitra Lain")[0]
    webhook_endpoint_create(partner=other, url="https://hooks.mitra.test/shared", events=PUBLISHED)

    assert register(api, "https://hooks.mitra.test/shared").status_code == 201


def test_the_database_holds_one_endpoint_per_partner_and_url(partner):
    WebhookEndpoint.objects.create(partner=partner, url="https://hooks.mitra.test/x", events=PUBLISHED, secret="a")

    with pytest.raises(IntegrityError):
        WebhookEndpoint.objects.create(partner=partner, url="https://hooks.mitra.test/x", events=PUBLISHED, secret="b")


# --- at delivery ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "kind"), REFUSED_ADDRESSES)
def test_every_internal_address_class_is_refused_at_delivery_without_connecting(
    partner, event, no_connections, url, kind
):
    endpoint = endpoint_registered_before(partner, url)

    attempt = deliver_to(endpoint, event)

    assert (attempt.status_code, attempt.error, attempt.succeeded) == (None, "address not allowed", False)


@pytest.mark.parametrize("url", ["https://hooks.mitra.test:22/", "https://hooks.mitra.test:5432/"])
def test_other_ports_are_refused_at_delivery_without_connecting(partner, event, no_connections, url):
    attempt = deliver_to(endpoint_registered_before(partner, url), event)

    assert attempt.error == "address not allowed"


def test_a_dns_answer_that_turns_private_after_registration_is_refused_at_delivery(
    partner, event, fake_dns, no_connections
):
    fake_dns.answers["hooks.rebind.test"] = [PUBLIC_TEST_ADDRESS]
    endpoint = webhook_endpoint_create(partner=partner, url="https://hooks.rebind.test/x", events=PUBLISHED)
    fake_dns.answers["hooks.rebind.test"] = ["169.254.169.254"]

    attempt = deliver_to(endpoint, event)

    assert (attempt.status_code, attempt.error) == (None, "address not allowed")
    delivery = attempt.delivery
    assert (delivery.status, delivery.attempt_count) == ("pending", 1)  # retried later, like any failure


def test_the_connection_goes_to_the_address_that_was_checked(partner, event, fake_dns, connections, monkeypatch):
    """Resolved once per attempt: a second answer (rebinding between check and connect) is never asked for."""
    answers = iter([[PUBLIC_TEST_ADDRESS], ["10.0.0.1"]])
    real_fake = fake_dns.__call__

    def rebinding(host, port, *args, **kwargs):
        if host == "hooks.rebind.test":
            fake_dns.answers[host] = next(answers)
        return real_fake(host, port, *args, **kwargs)

    endpoint = endpoint_registered_before(partner, "https://hooks.rebind.test/x")
    fake_dns.lookups.clear()
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    attempt = deliver_to(endpoint, event)

    assert connections == [(PUBLIC_TEST_ADDRESS, 443)]
    assert fake_dns.lookups == ["hooks.rebind.test"]
    assert attempt.error == "connection failed"


def test_tls_is_checked_against_the_host_name_while_connecting_to_the_pinned_address(
    partner, event, fake_dns, monkeypatch
):
    fake_dns.answers["hooks.mitra.test"] = [PUBLIC_TEST_ADDRESS]
    opened, handshakes = [], []

    def connect(address, *args, **kwargs):
        opened.append(address)
        return socket.socket()  # never connected: the handshake below is refused before any byte is sent

    def handshake(context, sock, server_hostname=None, **kwargs):
        handshakes.append((server_hostname, context.check_hostname, context.verify_mode))
        sock.close()
        raise ssl.SSLCertVerificationError("certificate verify failed: Hostname mismatch")

    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", handshake)

    attempt = deliver_to(endpoint_registered_before(partner, "https://hooks.mitra.test/x"), event)

    assert opened == [(PUBLIC_TEST_ADDRESS, 443)]
    assert handshakes == [("hooks.mitra.test", True, ssl.CERT_REQUIRED)]
    assert attempt.error == "TLS error"


def test_the_host_header_names_the_host_not_the_address(receiver, fake_dns):
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    fake_dns.answers["hooks.partner.test"] = ["127.0.0.1"]
    url = f"http://hooks.partner.test:{port}/hooks"

    status, error = network.post(url, b"{}", {"Content-Type": "application/json"})

    assert (status, error) == (200, "")
    assert receiver.received[0].headers["Host"] == f"hooks.partner.test:{port}"


# --- what partners see when a delivery fails -----------------------------------------------------------


def test_a_closed_port_is_a_generic_connection_failure(settings, receiver):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()

    assert network.post(f"http://127.0.0.1:{port}/", b"{}", {}) == (None, "connection failed")


def test_tls_to_a_server_that_does_not_speak_it_is_a_generic_tls_error(receiver):
    assert network.post(receiver.url.replace("http://", "https://"), b"{}", {}) == (None, "TLS error")


def test_a_slow_answer_is_a_generic_timeout(settings, receiver):
    settings.WEBHOOK_READ_TIMEOUT_SECONDS = 0.3
    receiver.plan = ["timeout"]
    receiver.slow_seconds = 1

    assert network.post(receiver.url, b"{}", {}) == (None, "timed out")


def test_an_answer_dripped_byte_by_byte_is_cut_off_at_the_total_timeout(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_READ_TIMEOUT_SECONDS = 1
    settings.WEBHOOK_TOTAL_TIMEOUT_SECONDS = 0.5
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    stop = threading.Event()

    def drip():
        connection, _ = server.accept()
        connection.recv(65536)
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                if stop.wait(0.1):
                    break
                connection.sendall(bytes([byte]))
        except OSError:
            pass
        connection.close()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        result = network.post(f"http://127.0.0.1:{server.getsockname()[1]}/", b"{}", {})
    finally:
        stop.set()
        thread.join(2)
        server.close()

    assert result == (None, "timed out")
    assert time.monotonic() - started < 2


def test_an_error_status_is_reported_by_its_code_only(receiver):
    receiver.plan = [500]

    assert network.post(receiver.url, b"{}", {}) == (500, "HTTP 500")


def test_garbage_instead_of_http_is_a_generic_protocol_error(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def answer_garbage():
        connection, _ = server.accept()
        connection.recv(65536)
        connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
        connection.close()

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    try:
        assert network.post(f"http://127.0.0.1:{server.getsockname()[1]}/", b"{}", {}) == (
            None,
            "invalid HTTP response",
        )
    finally:
        thread.join(2)
        server.close()


# --- the setting that lets tests deliver to 127.0.0.1 -------------------------------------------------


def test_private_targets_are_off_by_default_and_refused_in_production(settings):
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k3J9-vQ2_rT8wLp0Zx7Ym4Nc6Bd1Fh5Gs2Aq9We3Er8Ty7Ui6Op5As4Df3Gh2Jk1",
        "ALLOWED_HOSTS": "factcheck.example",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
        "PATH": "/usr/bin:/bin",
    }
    with pytest.raises(ImproperlyConfigured, match="WEBHOOK_ALLOW_PRIVATE_TARGETS must not be set with DJANGO_ENV="):
        load_settings(env)
    env.pop("WEBHOOK_ALLOW_PRIVATE_TARGETS")
    assert load_settings(env)["WEBHOOK_ALLOW_PRIVATE_TARGETS"] is False
