"""Production settings: refuse to start without what a deployment needs; pass check --deploy; serve with gunicorn."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.conftest import WAIT_CEILING_SECONDS, load_settings

pytestmark = pytest.mark.slow  # gunicorn and manage.py subprocesses

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' session, in a worker that ran them first.
    ignored = {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="factcheck.example.org,127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        SITE_URL="https://factcheck.example.org",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=WAIT_CEILING_SECONDS
    )  # a ceiling for a busy machine, not a target


def test_check_deploy_reports_no_issues(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_variable_it_needs(tmp_path):
    """The whole way once (a process that reads the settings stops); the cases below ask the settings alone."""
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = manage(env, "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def refusal(env: dict[str, str]) -> str:
    """The error the settings stop a process's start with, under ``env``."""
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(env)
    return str(refused.value)


def test_the_production_environment_of_these_tests_is_accepted(tmp_path):
    assert load_settings(production_env(tmp_path))["PRODUCTION"] is True


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]

    assert missing in refusal(env)


@pytest.mark.parametrize(
    "variable, value",
    [
        ("SECRET_KEY", "too-short"),
        ("DATABASE_URL", "mysql://db/x"),
        ("REDIS_URL", "http://cache"),
        ("SITE_URL", "factcheck.example.org"),
        ("DEBUG", "perhaps"),
        ("DJANGO_ENV", "staging"),
        ("PURGE_BACKEND", "akamai"),
    ],
)
def test_an_invalid_variable_is_named(tmp_path, variable, value):
    assert variable in refusal(production_env(tmp_path, **{variable: value}))


def test_a_purger_without_its_settings_names_them(tmp_path):
    message = refusal(production_env(tmp_path, PURGE_BACKEND="fastly", FASTLY_SERVICE_ID="svc"))

    assert "FASTLY_API_TOKEN" in message and "FASTLY_SERVICE_ID" not in message.split("needs")[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Host": "factcheck.example.org"})
    with urllib.request.urlopen(request, timeout=120) as response:  # a ceiling for a busy machine
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    env = production_env(tmp_path_factory.mktemp("gunicorn"))
    for args in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    port = free_port()
    env.update(BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", GUNICORN_ACCESS_LOG="")
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "factcheck.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_CEILING_SECONDS
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
            if process.poll() is not None:
                break
        else:
            process.kill()
            raise AssertionError("gunicorn did not listen within 300 s")
        if process.returncode is not None:
            raise AssertionError("gunicorn did not start:\n" + process.stdout.read().decode(errors="replace"))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=WAIT_CEILING_SECONDS)


def test_gunicorn_serves_pages_with_production_settings(gunicorn):
    status, headers, body = fetch(f"{gunicorn}/admin/login/")

    assert status == 200
    assert b"csrfmiddlewaretoken" in body
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Secure" in headers.get("Set-Cookie", "Secure")


def test_gunicorn_serves_hashed_static_files_through_whitenoise(gunicorn):
    status, headers, body = fetch(f"{gunicorn}/admin/login/")
    css = next(
        part
        for part in body.decode().split('"')
        if part.startswith("/static/admin/css/base.") and part.endswith(".css")
    )

    status, headers, _ = fetch(f"{gunicorn}{css}")

    assert status == 200
    assert "immutable" in headers.get("Cache-Control", "")
