"""Where webhooks may be sent, and the one way they are sent: to an address checked and pinned first.

A partner chooses the URL, so without these checks the portal's worker would
POST to anything it can reach: the cloud metadata service, the database, Redis
or another internal service, and the delivery log would tell open ports from
closed ones. The host is resolved and every address it resolves to is checked
(no loopback, private, link-local, multicast, reserved, unspecified or shared
100.64/10 address, IPv4 or IPv6, IPv4-mapped included) at registration and
again before each attempt; the connection is then made to the very address
that was checked (the original host name still goes into the Host header, the
TLS server name and the certificate check), so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot redirect it.
Only ports 443 and 80 unless ``WEBHOOK_ALLOWED_PORTS`` says otherwise.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

# Addresses Python's ipaddress does not classify as private but that are not on the public internet either.
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
# IPv6 prefixes that carry an IPv4 address a gateway would connect to: NAT64 (RFC 6052, RFC 8215).
NAT64_PREFIXES = [ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48")]

# What a partner sees in its delivery log: the kind of failure, never the exception's own words.
ERROR_ADDRESS = "address not allowed"
ERROR_DNS = "host name did not resolve"
ERROR_CONNECTION = "connection failed"
ERROR_TIMEOUT = "timed out"
ERROR_TLS = "TLS error"
ERROR_PROTOCOL = "invalid HTTP response"


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message names the rule, fit to show the partner."""

    log_text = ERROR_ADDRESS


class HostDoesNotResolve(TargetRefused):
    log_text = ERROR_DNS


@dataclass(frozen=True)
class Target:
    """A URL resolved and checked: connect to ``address``, speak to ``host``."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


def address_refusal(address: str) -> str | None:
    """Why ``address`` may not receive webhooks, or None when it is a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one (mapped, 6to4, Teredo, NAT64) is judged as that IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and any(ip in prefix for prefix in NAT64_PREFIXES):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_refusal(str(embedded))
    if ip.is_loopback:
        return _("a loopback address")
    if ip.is_unspecified:
        return _("an unspecified address")
    if ip.is_link_local:
        return _("a link-local address")
    if ip.is_multicast:
        return _("a multicast address")
    if isinstance(ip, ipaddress.IPv4Address) and ip in SHARED_ADDRESS_SPACE:
        return _("a shared (carrier-grade NAT) address")
    if ip.is_reserved:
        return _("a reserved address")
    if ip.is_private:
        return _("a private address")
    if not ip.is_global:
        return _("a reserved address")
    return None


def allowed_ports() -> set[int]:
    return {443, 80, *settings.WEBHOOK_ALLOWED_PORTS}


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself); OSError when it does not."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(answer[4][0] for answer in answers))


def check_target(url: str) -> Target:
    """Resolve the URL's host and check the port and every address; the address to connect to, or TargetRefused."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused(_("The port is not a number between 0 and 65535.")) from None
    private_allowed = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
    if not private_allowed and port not in allowed_ports():
        ports = ", ".join(str(p) for p in sorted(allowed_ports()))
        raise TargetRefused(
            _("Port {port} is not allowed for webhooks; use port {ports}.").format(port=port, ports=ports)
        )
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        raise HostDoesNotResolve(_("The host name {host} does not resolve.").format(host=repr(host))) from None
    if not addresses:
        raise HostDoesNotResolve(_("The host name {host} does not resolve.").format(host=repr(host)))
    if not private_allowed:
        for address in addresses:
            if reason := address_refusal(address):
                raise TargetRefused(
                    _("The host {host} resolves to {reason} ({address}); webhooks go only to public addresses.").format(
                        host=repr(host), reason=reason, address=address
                    )
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=parts.scheme, host=host, port=port, address=addresses[0], path=path)


def _connect(address: str, port: int) -> socket.socket:
    sock = socket.create_connection((address, port), timeout=settings.WEBHOOK_CONNECT_TIMEOUT_SECONDS)
    sock.settimeout(settings.WEBHOOK_READ_TIMEOUT_SECONDS)
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to the checked address; the Host header still names the host."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=settings.WEBHOOK_READ_TIMEOUT_SECONDS)
        self.pinned_address = target.address

    def connect(self) -> None:
        self.sock = _connect(self.pinned_address, self.port)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; SNI and the certificate check use the host name."""

    def __init__(self, target: Target) -> None:
        super().__init__(
            target.host,
            target.port,
            timeout=settings.WEBHOOK_READ_TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
        self.pinned_address = target.address

    def connect(self) -> None:
        sock = _connect(self.pinned_address, self.port)
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def failure_text(exc: BaseException) -> str:
    """The generic text for a failed exchange (SSLError and TimeoutError are OSErrors: order matters)."""
    if isinstance(exc, TimeoutError):
        return ERROR_TIMEOUT
    if isinstance(exc, (ssl.SSLError, ssl.CertificateError)):
        return ERROR_TLS
    if isinstance(exc, (http.client.HTTPException, ValueError)):
        return ERROR_PROTOCOL
    return ERROR_CONNECTION


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST ``body`` to ``url`` after checking it; the status code (None when no answer came) and an error text.

    The error text is empty on 2xx and one of the generic ``ERROR_*`` texts (or ``HTTP <code>``)
    otherwise: the exception's own words could tell an attacker about the network.
    Redirects are not followed: a redirect is a failed delivery.
    """
    try:
        target = check_target(url)
    except TargetRefused as exc:
        return None, exc.log_text
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target)
    # The read timeout bounds each wait for a byte; this bounds the whole attempt, so an answer
    # dripped a byte at a time cannot hold the worker either.
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        if connection.sock is not None:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(settings.WEBHOOK_TOTAL_TIMEOUT_SECONDS, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, ERROR_TIMEOUT if expired.is_set() else failure_text(exc)
    finally:
        watchdog.cancel()
        connection.close()
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"
