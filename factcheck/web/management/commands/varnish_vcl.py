"""Write the Varnish configuration for this portal: deploy/varnish/factcheck.vcl.in with its places filled.

    manage.py varnish_vcl --backend 127.0.0.1:8000 --purger 127.0.0.1 --output /etc/varnish/default.vcl

The hosts Varnish accepts come from ALLOWED_HOSTS, the cookies that mean "signed in" from the session and
CSRF cookie names: Varnish refuses and passes exactly what Django would.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck.middleware import TRACKING_PARAMETERS, TRACKING_PREFIXES

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "varnish" / "factcheck.vcl.in"


def host_pattern(allowed_hosts: list[str]) -> str:
    """A regular expression for the Host headers Django's ALLOWED_HOSTS accepts (lowercase, optional port)."""
    if "*" in allowed_hosts:
        return "."
    alternatives = []
    for host in allowed_hosts:
        host = host.lower()
        if host.startswith("."):  # the domain and every subdomain, as Django reads it
            alternatives.append(r"([a-z0-9-]+\.)*" + re.escape(host[1:]))
        elif host.startswith("[") or ":" in host:  # an IPv6 address
            alternatives.append(re.escape(host if host.startswith("[") else f"[{host}]"))
        else:
            alternatives.append(re.escape(host))
    if not alternatives:
        raise CommandError("ALLOWED_HOSTS is empty: Varnish would refuse every request.")
    return "^(" + "|".join(alternatives) + r")(:[0-9]+)?$"


def acl_entries(purgers: list[str]) -> str:
    lines = []
    for purger in purgers:
        try:
            network = ipaddress.ip_network(purger, strict=False)
        except ValueError as exc:
            raise CommandError(f"--purger must be an address or a network (CIDR), got {purger!r}.") from exc
        address, prefix = str(network.network_address), network.prefixlen
        full = 32 if network.version == 4 else 128
        lines.append(f'    "{address}";' if prefix == full else f'    "{address}"/{prefix};')
    return "\n".join(lines)


PROBE = """    .probe = {
        .request = "GET /healthz/live HTTP/1.1"
            "Host: %s"
            "Connection: close"
            "User-Agent: varnish-probe";
        .interval = 2s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
        .initial = 2;  # healthy from the start: the first probe comes only after .interval
    }
"""


# The API addresses whose answers vary on Accept (the views with more than one renderer: a ClaimReview and
# the ClaimReview feed, as JSON-LD or JSON); tests/api/test_representations.py holds it to the API root.
ACCEPT_VARIES = r"^/api/v1/(claims/[0-9]+/)?claimreview/"

ANY_ORIGIN = """
    # Every web page may read these (CORS_ALLOW_ALL_ORIGINS: answered "Access-Control-Allow-Origin: *"), so
    # one Origin stands for all: the answers, which vary on it, keep one entry instead of one per website.
    if (req.http.Origin && req.url ~ "%s") {
        set req.http.Origin = "https://any-origin.invalid";
    }"""


def any_origin_rule() -> str:
    """The VCL that makes every Origin one, where django-cors-headers answers every origin alike."""
    if not settings.CORS_ALLOW_ALL_ORIGINS or settings.CORS_ALLOW_CREDENTIALS:
        return ""
    return ANY_ORIGIN % settings.CORS_URLS_REGEX.replace('"', "")


def render(
    *, backend: str, purgers: list[str], grace_healthy: int, probe_host: str | None = None, probe: bool = True
) -> str:
    host, _, port = backend.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--backend must be HOST:PORT, got {backend!r}.")
    allowed = [h for h in settings.ALLOWED_HOSTS if h]
    probe_host = probe_host or next((h.lstrip(".") for h in allowed if h != "*"), "localhost")
    cookies = "|".join(re.escape(name) for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME))
    places = {
        "@BACKEND_HOST@": host.strip("[]"),
        "@BACKEND_PORT@": port,
        "@PROBE@": PROBE % probe_host if probe else "",
        "@PURGERS@": acl_entries(purgers),
        "@HOSTS_REGEX@": host_pattern(allowed).replace('"', ""),  # VCL strings have no escapes
        "@PASS_COOKIES@": cookies,
        "@GRACE_HEALTHY@": str(grace_healthy),
        "@ANY_ORIGIN@": any_origin_rule(),
        "@ACCEPT_VARIES@": ACCEPT_VARIES,
        "@TRACKING@": "|".join(
            [re.escape(p) + "[^=&]*" for p in TRACKING_PREFIXES] + [re.escape(n) for n in sorted(TRACKING_PARAMETERS)]
        ),
    }
    text = TEMPLATE.read_text()
    for place, value in places.items():
        text = text.replace(place, value)
    return text


class Command(BaseCommand):
    help = "Write the Varnish VCL for this portal (hosts from ALLOWED_HOSTS; see deploy/varnish/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--backend", required=True, help="The origin (gunicorn), HOST:PORT.")
        parser.add_argument(
            "--purger",
            action="append",
            default=[],
            help="An address or network allowed to purge (repeat it); 127.0.0.1 and ::1 when none is given.",
        )
        parser.add_argument("--probe-host", help="The Host header of the health probe (default: the first host).")
        parser.add_argument(
            "--grace",
            type=int,
            default=settings.PAGE_STALE_WHILE_REVALIDATE_SECONDS,
            help="Seconds a stale answer is served while it is refreshed and the origin is healthy.",
        )
        parser.add_argument(
            "--no-probe",
            dest="probe",
            action="store_false",
            help="No health probe: the origin always counts as healthy (stale answers only during a refresh, "
            "or when a refresh fails).",
        )
        parser.add_argument("--output", help="Write here instead of to standard output.")

    def handle(self, *args, **options) -> None:
        text = render(
            backend=options["backend"],
            purgers=options["purger"] or ["127.0.0.1", "::1"],
            grace_healthy=options["grace"],
            probe_host=options["probe_host"],
            probe=options["probe"],
        )
        if options["output"]:
            Path(options["output"]).write_text(text)
        else:
            self.stdout.write(text, ending="")
