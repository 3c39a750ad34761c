#!/usr/bin/env python
"""Benchmark the portal through Varnish (the production shape, deploy/run-stack.sh) and what it costs or
saves: the figures of issue 15 that bench/run.py (gunicorn alone) cannot give.

One database (demo plus generated claims, built as bench/run.py builds it), one gunicorn with production
settings, one varnishd with the project's VCL (``manage.py varnish_vcl``) and the application purging it
after each commit (PURGE_BACKEND=varnish), and a redis-server of the bench's own. Then three parts:

1. Throughput: each endpoint through Varnish (a cached answer), directly at gunicorn, and, as the ceiling
   of this machine, Varnish serving a fixed object of the same size from the same varnishd (a second
   backend in the same VCL, answering N bytes with s-maxage). The bare-Django baseline of bench/run.py
   beside them. Rounds through every endpoint in turn; each figure is the median of its rounds.
   A second ceiling carries the endpoint's own origin headers, to tell header handling apart from size.
2. Freshness under load: while 64 clients read a claim page through Varnish, a correction of that claim
   is approved and committed through the project's own services (the ones the admin and the API call), in
   another process; each repetition corrects a published claim never corrected before. From every
   answer's time and content: the time from the commit to the first corrected answer and to the last
   stale one, and, from varnishlog, every request Varnish sent to the origin meanwhile.
3. Redis stopped, restarted, frozen (SIGSTOP) and thawed while wrk reads through Varnish (mostly hits,
   some misses) and directly at gunicorn: the answers by status in each phase.

    .venv/bin/python bench/edge.py --claims 1000
    .venv/bin/python bench/edge.py --claims 1000 --duration 3 --rounds 1 --repeats 3 --phase-seconds 4

Needs what bench/run.py needs (PostgreSQL on 127.0.0.1:5432, wrk) plus varnishd with the xkey vmod,
varnishlog and redis-server. Every server listens on 127.0.0.1, on --port and the few ports after it;
traffic goes only there. Each part is bounded in time (its durations) and in requests (its clients).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from run import (
    BASELINE,
    DISCOVER,
    PYTHON,
    ROOT,
    base_env,
    fetch,
    gunicorn,
    manage,
    prepare_database,
    run_wrk,
    targets_for,
)

# In the order each round runs them: an endpoint through Varnish between its two ceilings, so that each
# round's ratio compares runs a few seconds apart on this shared machine.
WAYS = ("fixed object, Varnish", "through Varnish", "fixed object with its headers, Varnish", "at gunicorn")
ENDPOINTS = ["claim page", "API claim detail", "API claim list (50)", "conditional GET (304)", "home page"]
FIXED_PREFIX = "/bench-fixed/"
# Issue 15's targets: through Varnish ≥ 0.8 × the same-size fixed object's requests per second; after a
# correction, the first corrected answer within 200 ms at p99, no stale answer after 1 s, one origin request
# per purged page (no stampede); no 5xx while Redis fails.
CEILING_TARGET = 0.8
FRESH_P99_TARGET_MS = 200
STALE_LIMIT_MS = 1000
# Headers of the origin's answer that the fixed copy sets itself.
HOP_HEADERS = {"content-length", "date", "server", "connection", "transfer-encoding", "keep-alive"}
START_CEILING_SECONDS = 120  # a bound on a loaded machine for a server to answer, not a measurement

# Approve a correction of one claim as a reviewer does in the admin or the API: proposed by one reviewer,
# approved by another (the four-eyes rule), through factcheck.claims.revisions. The proposal is committed a
# second before the approval, so whatever it purges is refilled before the timed commit. The first
# on_commit callback notes the commit's time: it runs before the purge the services registered after it.
CORRECT = r"""
import json, os, time
from django.contrib.auth import get_user_model
from django.db import transaction
from factcheck.claims import revisions
from factcheck.claims.models import Claim

token = os.environ["BENCH_TOKEN"]
users = get_user_model().objects
claim = Claim.objects.get(pk=int(os.environ["BENCH_CLAIM_ID"]))
revision = revisions.revision_propose(
    claim=claim, by=users.get(username="reviewer"), expected_version=claim.version,
    changes={"verdict": claim.verdict.split(" [bench ")[0] + f" [bench {token}]"}, note=f"Bench correction {token}.",
)
time.sleep(1)
stamps = {}
with transaction.atomic():
    transaction.on_commit(lambda: stamps.setdefault("committed", time.time()))
    revisions.revision_approve(revision=revision, by=users.get(username="reviewer2"))
stamps["purged"] = time.time()
print("CORRECTED " + json.dumps(stamps))
"""

# Published claims whose pages show no correction yet, the demo's first, then generated ones.
PUBLISHED_CLAIMS = r"""
import json
from factcheck.claims.models import Claim
found = Claim.objects.filter(status="published", revisions__isnull=True).exclude(verdict="").order_by("pk")
print("CLAIMS " + json.dumps([{"id": c.pk, "slug": c.slug} for c in found[:COUNT]]))
"""


def wait_for(url: str, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + START_CEILING_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer {url}")


class FixedObjects(BaseHTTPRequestHandler):
    """``GET /bench-fixed/<n>``: n bytes, public for a shared cache, with an ETag; Varnish asks once per size.
    ``GET /bench-fixed/<n>/<name>``: n bytes with the headers an endpoint's answer had at the origin (its
    Cache-Control, Vary, ETag, surrogate keys, security headers), registered in ``copied`` under that name."""

    protocol_version = "HTTP/1.1"
    copied: dict[str, list[tuple[str, str]]] = {}

    def do_GET(self) -> None:
        size, _, name = self.path.removeprefix(FIXED_PREFIX).split("?")[0].partition("/")
        headers = self.copied.get(name) or [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "public, max-age=0, s-maxage=86400"),
            ("ETag", f'"fixed-{size}"'),
            ("xkey", "bench-fixed"),
        ]
        self.send_response(200)
        for header, value in headers:
            self.send_header(header, value)
        self.send_header("Content-Length", size)
        self.end_headers()
        self.wfile.write(b"x" * int(size))

    def log_message(self, *args) -> None:
        pass


@contextmanager
def fixed_origin(port: int):
    server = ThreadingHTTPServer(("127.0.0.1", port), FixedObjects)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def edge_vcl(env: dict[str, str], *, origin_port: int, fixed_port: int) -> str:
    """The project's VCL for this origin, plus a second backend for the fixed objects. VCL joins the
    bodies of a subroutine defined twice in the order written, so the routing added before the project's
    vcl_recv runs first and every other rule (hosts, query sorting, hashing, delivery) is the project's."""
    vcl = manage(env, "varnish_vcl", "--backend", f"127.0.0.1:{origin_port}", "--purger", "127.0.0.1")
    routing = (
        f'backend bench_fixed {{\n    .host = "127.0.0.1";\n    .port = "{fixed_port}";\n}}\n\n'
        f'sub vcl_recv {{\n    if (req.url ~ "^{FIXED_PREFIX}") {{\n'
        "        set req.backend_hint = bench_fixed;\n    }\n}\n\n"
    )
    head, marker, tail = vcl.partition("sub vcl_recv {")
    assert marker, "the project's VCL has no vcl_recv"
    return head + routing + marker + tail


@contextmanager
def varnishd(vcl: str, *, port: int, admin_port: int):
    varnishd_path = shutil.which("varnishd") or "/usr/sbin/varnishd"
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-varnish-") as tmp:
        # varnishd (started as root) reads its VCL as its own unprivileged user.
        Path(tmp).chmod(0o755)
        vcl_path, workdir = Path(tmp) / "factcheck.vcl", Path(tmp) / "work"
        vcl_path.write_text(vcl)
        vcl_path.chmod(0o644)
        process = subprocess.Popen(
            [varnishd_path, "-F", "-n", str(workdir), "-a", f"127.0.0.1:{port}", "-T", f"127.0.0.1:{admin_port}"]
            + ["-f", str(vcl_path), "-s", "malloc,256m"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz/live", "varnishd", process)
            yield workdir
        finally:
            process.terminate()
            process.wait(timeout=60)


class RedisServer:
    """A redis-server of the bench's own (no persistence), to stop, freeze and restart."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_CEILING_SECONDS
        while (
            subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip() != b"PONG"
        ):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a frozen one must run to stop
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        self.stop()
        self.start()


def body_of(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# -- 1. throughput ---------------------------------------------------------------------------------------


def throughput_targets(info: dict, origin: str, edge: str) -> dict[str, dict]:
    """Per endpoint and way in: the URL, the headers, and what one answer looked like before the runs."""
    paths = targets_for(info)
    targets: dict[str, dict] = {f"{BASELINE} at gunicorn": {"url": origin + paths[BASELINE]["path"], "headers": {}}}
    for name in ENDPOINTS:
        path, conditional = paths[name]["path"], paths[name].get("conditional", False)
        for _ in range(3):  # stored in Varnish, and a hit at the end
            status, headers, body = body_of(edge + path)
        size = len(body)
        fixed = f"{edge}{FIXED_PREFIX}{size}"
        _, at_origin, _ = body_of(origin + path)
        FixedObjects.copied[f"e{len(FixedObjects.copied)}"] = [
            (header, value) for header, value in at_origin.items() if header.lower() not in HOP_HEADERS
        ]
        fixed_with_headers = f"{fixed}/e{len(FixedObjects.copied) - 1}"
        for _ in range(3):
            body_of(fixed)
            body_of(fixed_with_headers)
        urls = {
            "fixed object, Varnish": (fixed, f'"fixed-{size}"'),
            "through Varnish": (edge + path, headers.get("ETag", "")),
            "fixed object with its headers, Varnish": (fixed_with_headers, at_origin.get("ETag", "")),
            "at gunicorn": (origin + path, headers.get("ETag", "")),
        }
        for way in WAYS:
            url, etag = urls[way]
            request_headers = {"If-None-Match": etag} if conditional else {}
            status, answer, _ = body_of(url, request_headers)
            targets[f"{name} {way}"] = {
                "endpoint": name,
                "way": way,
                "url": url,
                "headers": request_headers,
                "status": status,
                "bytes": size,
                "header_bytes": sum(len(k) + len(v) + 4 for k, v in answer.items()),
                "x_cache": answer.get("X-Cache", ""),
            }
    return targets


def measure_throughput(targets: dict[str, dict], args: argparse.Namespace) -> dict[str, dict]:
    runs: dict[str, list[dict]] = {name: [] for name in targets}
    for number in range(1, args.rounds + 1):
        print(f"  round {number} of {args.rounds}", flush=True)
        for name, target in targets.items():
            result = run_wrk(
                target["url"],
                target["headers"],
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
            )
            result["errors"] = result["socket_errors"] + result["non_2xx_3xx"]
            runs[name].append(result)
            print(f"    {name:<50} {result['rps']:>8.0f} req/s  p99 {result['p99_ms']:>6.1f} ms", flush=True)
    figures = {}
    for name, results in runs.items():
        target = targets[name]
        figures[name] = {
            **{k: v for k, v in target.items() if k != "headers"},
            "conditional": bool(target["headers"]),
            "rps": statistics.median(r["rps"] for r in results),
            "rounds_rps": [r["rps"] for r in results],
            **{f: statistics.median(r[f] for r in results) for f in ("p50_ms", "p99_ms")},
            "statuses": results[-1]["statuses"],
            "errors": sum(r["errors"] for r in results),
        }
    baseline = figures[f"{BASELINE} at gunicorn"]["rps"]
    for name in ENDPOINTS:
        # The median of each round's ratio: each compares runs next to each other in time.
        edge = figures[f"{name} through Varnish"]
        for field, way in (
            ("ratio_to_fixed", "fixed object, Varnish"),
            ("ratio_to_fixed_with_headers", "fixed object with its headers, Varnish"),
        ):
            ratios = [e / c for e, c in zip(edge["rounds_rps"], figures[f"{name} {way}"]["rounds_rps"], strict=True)]
            edge[f"rounds_{field}"] = [round(r, 3) for r in ratios]
            edge[field] = round(statistics.median(ratios), 3)
        for way in WAYS:
            figures[f"{name} {way}"]["ratio_to_baseline"] = round(figures[f"{name} {way}"]["rps"] / baseline, 3)
    return figures


# -- 2. freshness under load -----------------------------------------------------------------------------


async def read_repeatedly(port: int, path: str, token: bytes, stop: asyncio.Event, answers: list, pause: float) -> None:
    """One client on one keep-alive connection, pausing ``pause`` seconds between answers: (sent, answered,
    status, corrected) for every answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    try:
        while not stop.is_set():
            sent = time.time()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            fields = {n.strip().lower(): v.strip() for n, _, v in (line.partition(":") for line in lines[1:] if line)}
            if "content-length" in fields:
                body = await reader.readexactly(int(fields["content-length"]))
            else:  # chunked (an answer streamed from the origin on a miss)
                body = b""
                while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                    body += await reader.readexactly(size)
                    await reader.readuntil(b"\r\n")
                await reader.readuntil(b"\r\n")
            answers.append((sent, time.time(), status, token in body))
            await asyncio.sleep(pause)
    finally:
        writer.close()


def backend_requests(log: str) -> list[tuple[float, float | None, str]]:
    """(started, body received, URL) of every request Varnish sent to a backend, from ``varnishlog -b``: one
    record per transaction, opened by a line starting with ``*``, with its Timestamps and its BereqURL."""
    found, stamps, url = [], {}, ""
    for line in [*log.splitlines(), "*"]:
        parts = line.split()
        if parts and parts[0] == "*":
            if "Start:" in stamps:
                found.append((stamps["Start:"], stamps.get("BerespBody:"), url))
            stamps, url = {}, ""
        elif len(parts) >= 3 and parts[1] == "BereqURL":
            url = parts[2]
        elif len(parts) >= 4 and parts[1] == "Timestamp":
            stamps[parts[2]] = float(parts[3])
    return found


async def freshness_once(
    env: dict[str, str], claim: dict, edge_port: int, workdir: Path, args: argparse.Namespace
) -> dict:
    path = f"/claims/{claim['slug']}/"
    token = secrets.token_hex(6)
    log = tempfile.NamedTemporaryFile(prefix="factcheck-bench-varnishlog-", suffix=".log", delete=False)
    varnishlog = subprocess.Popen(
        ["varnishlog", "-n", str(workdir), "-b", "-i", "BereqURL", "-i", "Timestamp"], stdout=log
    )
    stop, answers = asyncio.Event(), []
    try:
        await asyncio.sleep(0.5)  # varnishlog attached
        clients = [
            asyncio.create_task(read_repeatedly(edge_port, path, token.encode(), stop, answers, args.pause))
            for _ in range(args.clients)
        ]
        corrector = await asyncio.create_subprocess_exec(
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            CORRECT,
            cwd=ROOT,
            env=dict(env, BENCH_TOKEN=token, BENCH_CLAIM_ID=str(claim["id"])),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await corrector.communicate()
        if corrector.returncode:
            raise RuntimeError(f"the correction failed: {err.decode()[-2000:]}")
        await asyncio.sleep(args.after)
        stop.set()
        results = await asyncio.gather(*clients, return_exceptions=True)
    finally:
        stop.set()
        await asyncio.sleep(0.3)  # the last backend records written
        varnishlog.terminate()
        varnishlog.wait(timeout=30)
        log.close()
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise RuntimeError(f"{len(failures)} clients failed: {failures[0]!r}")
    stamps = json.loads(next(r for r in out.decode().splitlines() if r.startswith("CORRECTED "))[10:])
    committed = stamps["committed"]
    fetches = [(t, done) for t, done, url in backend_requests(Path(log.name).read_text()) if url.split("?")[0] == path]
    refill = next(((t, done) for t, done in fetches if t >= committed), None)
    Path(log.name).unlink()
    corrected = [answered for _, answered, _, fresh in answers if fresh]
    stale_after = [answered for sent, answered, _, fresh in answers if not fresh and answered >= committed]
    stale_sent_after = [sent for sent, _, _, fresh in answers if not fresh and sent >= committed]
    window = [a for a in answers if committed - 1 <= a[1] < committed + 1]
    return {
        "path": path,
        "first_corrected_ms": round((min(corrected) - committed) * 1000, 1) if corrected else None,
        "last_stale_ms": round((max(stale_after) - committed) * 1000, 1) if stale_after else 0.0,
        "stale_answers_after_commit": len(stale_after),
        "stale_answers_to_requests_sent_after_commit": len(stale_sent_after),
        "purge_sent_ms": round((stamps["purged"] - committed) * 1000, 1),
        "answers": len(answers),
        "answers_per_second": round(len(answers) / (answers[-1][1] - answers[0][0]), 1),
        "non_200": sum(1 for a in answers if a[2] != 200),
        "reads_in_second_before_commit": sum(1 for a in window if a[1] < committed),
        "reads_in_second_after_commit": sum(1 for a in window if a[1] >= committed),
        "origin_requests_in_second_before_commit": sum(1 for t, _ in fetches if committed - 1 <= t < committed),
        "origin_requests_in_second_after_commit": sum(1 for t, _ in fetches if committed <= t < committed + 1),
        "origin_requests_after_commit_ms": [round((t - committed) * 1000, 1) for t, _ in fetches if t >= committed],
        # Where the time to the first corrected answer went: the refill asked of the origin, and answered.
        "refill_started_ms": round((refill[0] - committed) * 1000, 1) if refill else None,
        "refill_origin_ms": round((refill[1] - refill[0]) * 1000, 1) if refill and refill[1] else None,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_freshness(env: dict[str, str], edge_port: int, workdir: Path, args) -> dict:
    # Each correction on a claim of its own: a page that has been corrected before shows every earlier
    # note and change, so correcting one claim again and again would time an ever longer page.
    out = manage(env, "shell", "-c", PUBLISHED_CLAIMS.replace("COUNT", str(args.repeats + 1)))
    claims = json.loads(next(r for r in out.splitlines() if r.startswith("CLAIMS "))[len("CLAIMS ") :])
    if len(claims) < args.repeats + 1:
        raise RuntimeError(f"{args.repeats + 1} published claims never corrected are needed, found {len(claims)}")
    repeats = []
    # The first correction after gunicorn started is the first time its workers render a corrected page
    # (imports, templates): timed, but reported apart from the repetitions.
    for number, claim in enumerate(claims):
        result = asyncio.run(freshness_once(env, claim, edge_port, workdir, args))
        repeats.append(result)
        print(
            f"  correction {number or 'zero (warm-up)'}: first corrected {result['first_corrected_ms']} ms, last stale "
            f"{result['last_stale_ms']} ms; in the second after the commit "
            f"{result['origin_requests_in_second_after_commit']} origin requests, "
            f"{result['reads_in_second_after_commit']} answers; refill asked {result['refill_started_ms']} ms after "
            f"the commit, the origin took {result['refill_origin_ms']} ms",
            flush=True,
        )
    warmup, repeats = repeats[0], repeats[1:]
    first = [r["first_corrected_ms"] for r in repeats if r["first_corrected_ms"] is not None]
    last = [r["last_stale_ms"] for r in repeats]
    return {
        "clients": args.clients,
        "pause_between_reads_s": args.pause,
        "first_corrected_p50_ms": percentile(first, 0.5),
        "first_corrected_p99_ms": percentile(first, 0.99),
        "last_stale_p50_ms": percentile(last, 0.5),
        "last_stale_p99_ms": percentile(last, 0.99),
        "refill_origin_p50_ms": percentile([r["refill_origin_ms"] or 0 for r in repeats], 0.5),
        "refill_origin_max_ms": max(r["refill_origin_ms"] or 0 for r in repeats),
        "purge_sent_p50_ms": percentile([r["purge_sent_ms"] for r in repeats], 0.5),
        "never_corrected": sum(1 for r in repeats if r["first_corrected_ms"] is None),
        "max_origin_requests_in_second_after_commit": max(r["origin_requests_in_second_after_commit"] for r in repeats),
        "max_stale_answers_after_commit": max(r["stale_answers_after_commit"] for r in repeats),
        "warmup": warmup,
        "repeats": repeats,
    }


# -- 3. Redis stopped, frozen, restarted -----------------------------------------------------------------


def measure_redis_outage(edge: str, origin: str, info: dict, redis: RedisServer, args) -> list[dict]:
    """Phases of --phase-seconds each, the change to Redis made halfway through the phase, while wrk reads
    every endpoint in turn through Varnish (every 200th request a miss) and directly at gunicorn."""
    phases = [
        ("Redis running", None),
        ("Redis stopped", redis.stop),
        ("Redis down, then started empty", redis.start),
        ("Redis frozen (SIGSTOP)", redis.freeze),
        ("Redis thawed (SIGCONT)", redis.thaw),
        ("Redis restarted (empty)", redis.restart),
        ("Redis running again", None),
    ]
    every = targets_for(info)
    paths = [every[name]["path"] for name in ENDPOINTS if not every[name].get("conditional")]
    figures = []
    for name, change in phases:
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = {
                way: pool.submit(
                    run_wrk,
                    url,
                    {},
                    duration=args.phase_seconds,
                    connections=connections,
                    threads=1,
                    paths=paths,
                    miss_every=miss_every,
                )
                for way, url, miss_every, connections in (
                    ("through Varnish", edge, 200, 16),
                    ("at gunicorn", origin, 0, 8),
                )
            }
            if change is not None:
                time.sleep(args.phase_seconds / 2)
                change()
            loads = {way: run.result() for way, run in runs.items()}
        phase = {"phase": name}
        for way, result in loads.items():
            statuses = {int(code): count for code, count in result["statuses"].items()}
            phase[way] = {
                "requests": result["requests"],
                "rps": result["rps"],
                "p99_ms": result["p99_ms"],
                "status_5xx": sum(count for code, count in statuses.items() if code >= 500),
                "socket_errors": result["socket_errors"],
                "statuses": statuses,
            }
        figures.append(phase)
        print(
            f"  {name:<32} "
            + "  ".join(
                f"{way}: {p['requests']} answers, {p['status_5xx']} 5xx, {p['socket_errors']} socket errors, "
                f"p99 {p['p99_ms']:.0f} ms"
                for way, p in phase.items()
                if way != "phase"
            ),
            flush=True,
        )
    return figures


def print_throughput(figures: dict[str, dict]) -> None:
    print(
        f"\n{'endpoint':<24} {'bytes':>7} {'Varnish':>8} {'fixed':>8} {'÷ fixed':>8} {'fixed+h':>8} {'÷ fixed+h':>10}"
        f" {'gunicorn':>9} {'baseline':>9}"
    )
    baseline = figures[f"{BASELINE} at gunicorn"]["rps"]
    for name in ENDPOINTS:
        edge, origin = figures[f"{name} through Varnish"], figures[f"{name} at gunicorn"]
        fixed, with_headers = (figures[f"{name} fixed object{way}, Varnish"] for way in ("", " with its headers"))
        print(
            f"{name:<24} {edge['bytes']:>7} {edge['rps']:>8.0f} {fixed['rps']:>8.0f} {edge['ratio_to_fixed']:>8.2f} "
            f"{with_headers['rps']:>8.0f} {edge['ratio_to_fixed_with_headers']:>10.2f} {origin['rps']:>9.0f} "
            f"{baseline:>9.0f}"
        )


def check_targets(report: dict) -> list[dict]:
    """Each of the issue's targets this run can judge: what it asks, what was measured, met or not."""
    checks = []
    for name in ENDPOINTS if "throughput" in report else []:
        ratio = report["throughput"][f"{name} through Varnish"]["ratio_to_fixed"]
        checks.append(
            (f"{name} through Varnish ≥ {CEILING_TARGET} × fixed object", f"{ratio:.2f}", ratio >= CEILING_TARGET)
        )
    if "freshness" in report:
        fresh = report["freshness"]
        p99, last = fresh["first_corrected_p99_ms"], max(r["last_stale_ms"] for r in fresh["repeats"])
        checks.append(
            (f"first corrected answer p99 ≤ {FRESH_P99_TARGET_MS} ms", f"{p99:.0f} ms", p99 <= FRESH_P99_TARGET_MS)
        )
        checks.append((f"no stale answer after {STALE_LIMIT_MS} ms", f"last {last:.0f} ms", last <= STALE_LIMIT_MS))
        most = fresh["max_origin_requests_in_second_after_commit"]
        checks.append(("one origin request per correction (no stampede)", f"at most {most}", most <= 1))
    if "redis" in report:
        errors = sum(p[way]["status_5xx"] for p in report["redis"] for way in ("through Varnish", "at gunicorn"))
        checks.append(("no 5xx while Redis is stopped, frozen, restarted", str(errors), errors == 0))
    return [{"target": t, "measured": m, "met": met} for t, m, met in checks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1000, help="Claims in the database (demo plus generated).")
    parser.add_argument("--database-prefix", default="factcheck_bench_edge_", help="The database: this plus --claims.")
    parser.add_argument("--reuse", action="store_true", help="Reuse the database of an earlier run.")
    parser.add_argument("--evidence-per-claim", type=int, default=2)
    parser.add_argument(
        "--port",
        type=int,
        default=8140,
        help="gunicorn; Varnish, the fixed origin, its admin and Redis on the next four.",
    )
    parser.add_argument("--workers", type=int, default=3, help="Gunicorn worker processes.")
    parser.add_argument("--duration", type=int, default=5, help="Seconds of load per endpoint, way in and round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=10, help="Corrections timed under load.")
    parser.add_argument("--clients", type=int, default=64, help="Readers of the claim page during a correction.")
    parser.add_argument(
        "--pause", type=float, default=0.01, help="Seconds each reader waits between answers (0: none)."
    )
    parser.add_argument("--after", type=float, default=2.0, help="Seconds the readers go on after the correction.")
    parser.add_argument("--phase-seconds", type=int, default=6, help="Length of each Redis phase.")
    parser.add_argument("--skip", default="", help="Parts to leave out, comma-separated: throughput,freshness,redis.")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "edge-latest.json"))
    args = parser.parse_args()
    for tool in ("wrk", "varnishlog", "redis-server", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed (apt-get install wrk varnish varnish-modules redis-server)")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    origin_port, edge_port, fixed_port, admin_port, redis_port = (args.port + n for n in range(5))
    static_root = ROOT / "bench" / "results" / "static"
    static_root.parent.mkdir(parents=True, exist_ok=True)
    env = base_env(f"{args.database_prefix}{args.claims}", static_root)
    env.update(
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        PURGE_BACKEND="varnish",
        VARNISH_PURGE_URLS=f"http://127.0.0.1:{edge_port}/",
        API_NUM_PROXIES="1",
    )
    manage(dict(env, PURGE_BACKEND="none"), "collectstatic", "--no-input")
    print(f"== {args.claims:,} claims, database {args.database_prefix}{args.claims} ==", flush=True)
    redis = RedisServer(redis_port)
    redis.start()
    report: dict = {}
    try:
        # Nothing is in front while the database is built: nothing to purge.
        prepare_database(
            args.claims, dict(env, PURGE_BACKEND="none"), reuse=args.reuse, evidence=args.evidence_per_claim
        )
        out = manage(env, "shell", "-c", DISCOVER)
        info = json.loads(next(r for r in out.splitlines() if r.startswith("DISCOVER "))[len("DISCOVER ") :])
        vcl = edge_vcl(env, origin_port=origin_port, fixed_port=fixed_port)
        with (
            fixed_origin(fixed_port),
            gunicorn(env, args.workers, origin_port) as origin,
            varnishd(vcl, port=edge_port, admin_port=admin_port) as workdir,
        ):
            edge = f"http://127.0.0.1:{edge_port}"
            targets = throughput_targets(info, origin, edge)
            if "throughput" not in skip:
                print("Throughput", flush=True)
                report["throughput"] = measure_throughput(targets, args)
                print_throughput(report["throughput"])
            if "freshness" not in skip:
                print(f"Freshness: {args.repeats} corrections, {args.clients} readers", flush=True)
                report["freshness"] = measure_freshness(env, edge_port, workdir, args)
            if "redis" not in skip:
                print("Redis stopped, frozen, restarted", flush=True)
                report["redis"] = measure_redis_outage(edge, origin, info, redis, args)
            report["healthz_status_at_end"] = fetch(f"{origin}/healthz")[0]
    finally:
        redis.stop()
    report = {
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {k: v for k, v in vars(args).items() if k not in ("output",)},
        "claims": info["claims"],
        **report,
        "targets": check_targets(report),
    }
    print("\nTargets")
    for check in report["targets"]:
        print(f"{'met    ' if check['met'] else 'NOT MET'}  {check['target']:<56} {check['measured']}")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2))
    print(f"\nWrote {args.output}")


if __name__ == "__main__":
    main()
