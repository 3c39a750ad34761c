"""One real Varnish (varnishd with the project's VCL and the xkey vmod) per test session, in front of the
live test server. Skipped, with the reason, where varnishd or the xkey vmod is missing
(apt-get install varnish varnish-modules)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import REQUEST_CEILING_SECONDS, WAIT_CEILING_SECONDS

VARNISHD = shutil.which("varnishd") or ("/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None)
VMOD_DIRS = [Path("/usr/lib/x86_64-linux-gnu/varnish/vmods"), Path("/usr/lib/varnish/vmods")]


def xkey_vmod_present() -> bool:
    return any((d / "libvmod_xkey.so").exists() for d in VMOD_DIRS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def cache(self) -> str:
        """What Varnish did: HIT, MISS or PASS (its X-Cache header, set by the VCL)."""
        return self.header("X-Cache")


@dataclass
class Varnish:
    port: int
    workdir: Path
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request(
        self, path: str, *, method: str = "GET", host: str | None = None, headers=None, source: str = "127.0.0.1"
    ) -> Response:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=REQUEST_CEILING_SECONDS, source_address=(source, 0)
        )
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def forget_everything(self) -> None:
        """Ban every object, so a test starts with an empty cache (rows and slugs repeat across tests)."""
        subprocess.run(
            ["varnishadm", "-n", str(self.workdir), "ban", "req.url ~ ."],
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="session")
def varnish(live_server, django_db_blocker):
    if VARNISHD is None:
        pytest.skip("varnishd is not installed (apt-get install varnish varnish-modules)")
    if not xkey_vmod_present():
        pytest.skip("the xkey vmod is not installed (apt-get install varnish-modules)")
    if shutil.which("varnishadm") is None:
        pytest.skip("varnishadm is not installed (apt-get install varnish)")
    backend = live_server.url.removeprefix("http://")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with tempfile.TemporaryDirectory(prefix=f"factcheck-varnish-{worker}-") as tmp:
        workdir, vcl = Path(tmp) / "varnish", Path(tmp) / "factcheck.vcl"
        # No health probe: between tests pytest-django blocks the database, which the live server's
        # request handling touches (close_old_connections), so probes would mark it sick at random.
        call_command("varnish_vcl", backend=backend, purger=["127.0.0.1"], probe=False, output=str(vcl))
        # varnishd (started as root) reads its VCL as its own unprivileged user.
        Path(tmp).chmod(0o755)
        vcl.chmod(0o644)
        port = free_port()
        process = subprocess.Popen(
            [VARNISHD, "-F", "-n", str(workdir), "-a", f"127.0.0.1:{port}", "-T", "127.0.0.1:0"]
            + ["-f", str(vcl), "-s", "malloc,32m", "-p", "thread_pools=1", "-p", "thread_pool_min=5"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        found = Varnish(port, workdir, process)
        deadline = time.monotonic() + WAIT_CEILING_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"varnishd exited: {process.stderr.read().decode(errors='replace')}")
            try:
                with django_db_blocker.unblock():  # the live server's request handling touches the database
                    if found.request("/healthz/live").status == 200:  # through Varnish to the live server
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("varnishd did not answer 200 for /healthz/live within the ceiling")
            time.sleep(0.05)
        yield found
        process.terminate()
        try:
            process.wait(timeout=WAIT_CEILING_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def edge(varnish, settings):
    """The session's Varnish, emptied, with the application purging it after each commit."""
    varnish.forget_everything()
    settings.SURROGATE_PURGER = {"BACKEND": "factcheck.purgers.VarnishPurger", "OPTIONS": {"urls": [varnish.url]}}
    settings.PAGE_SHARED_MAX_AGE_SECONDS = 3600
    return varnish
