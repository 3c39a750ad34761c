"""A real HTTP receiver on 127.0.0.1 for webhook deliveries, and the background worker run to completion."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import translation

from factcheck.partners.services import create_partner_with_key


@pytest.fixture(autouse=True)
def refusals_in_english():
    """These tests call the services directly and read their refusals in English (outside a request the
    active language is the site's, Indonesian); a request still follows its own Accept-Language."""
    with translation.override("en"):
        yield


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST as planned: a status code, or "timeout" (answers only after the sender gave up)."""

    plan: list = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""
    slow_seconds: float = 1.5

    def next_action(self):
        return self.plan.pop(0) if self.plan else 200


def make_handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(Received(dict(self.headers.items()), body))
            action = receiver.next_action()
            if action == "timeout":
                time.sleep(receiver.slow_seconds)
                action = 200
            try:
                self.send_response(action)
                self.end_headers()
                self.wfile.write(b"ok")
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1: deliveries to it need the address rule lifted, as only tests may do."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/factcheck"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast_retries(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_READ_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_MAX_ATTEMPTS = 4


@pytest.fixture
def tx(transactional_db, django_db_serialized_rollback):
    """Committed transactions, as in production (the worker runs outside the test's transaction)."""


def run_worker() -> None:
    """What `manage.py db_worker` does, until no task is ready (deliveries and their due retries)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload", verbosity=0)


@pytest.fixture
def partner(db):
    return create_partner_with_key(name="Mitra Hook")[0]
