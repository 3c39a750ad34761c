"""Purgers: send the surrogate keys a change touched to the HTTP cache in front (see factcheck/surrogate.py).

``settings.SURROGATE_PURGER`` selects one (none by default, the embedded set-up has no HTTP cache):

- ``VarnishPurger``: ``PURGE /`` with an ``xkey-purge`` header to each Varnish (deploy/varnish/default.vcl
  accepts it only from the addresses in its ``purgers`` ACL);
- ``FastlyPurger``: Fastly's purge by surrogate key (``POST /service/<id>/purge``, keys in ``Surrogate-Key``);
- ``CloudflarePurger``: Cloudflare's purge by cache tag (``POST /zones/<id>/purge_cache``, ``{"tags": [...]}``).

Each raises on failure (``PurgeFailed``); ``surrogate.purge`` logs it and the write stands. The standard
library's HTTP client is enough for one small request per committed transaction.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence

DEFAULT_TIMEOUT_SECONDS = 2.0


class PurgeFailed(Exception):
    pass


def _send(request: urllib.request.Request, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URLs)
            return response.read()
    except urllib.error.HTTPError as exc:
        raise PurgeFailed(f"{request.get_method()} {request.full_url} answered {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise PurgeFailed(f"{request.get_method()} {request.full_url} failed: {exc}") from exc


def _chunks(keys: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


class VarnishPurger:
    """``PURGE`` with ``xkey-purge: <keys>`` to each Varnish in ``urls`` (every one is tried)."""

    def __init__(self, urls: Sequence[str], timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        if isinstance(urls, str):
            urls = [u.strip() for u in urls.split(",") if u.strip()]
        if not urls:
            raise ValueError("VarnishPurger needs at least one URL (VARNISH_PURGE_URLS).")
        self.urls, self.timeout = list(urls), timeout

    def purge(self, keys: Sequence[str]) -> None:
        failures = []
        for url in self.urls:
            request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)})
            try:
                _send(request, self.timeout)
            except PurgeFailed as exc:
                failures.append(str(exc))
        if failures:
            raise PurgeFailed("; ".join(failures))


class FastlyPurger:
    """Fastly's purge by surrogate key, at most 256 keys a request."""

    BATCH = 256

    def __init__(
        self,
        service_id: str,
        token: str,
        api_url: str = "https://api.fastly.com",
        soft: bool = False,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/service/{service_id}/purge"
        self.token, self.soft, self.timeout = token, soft, timeout

    def purge(self, keys: Sequence[str]) -> None:
        for batch in _chunks(list(keys), self.BATCH):
            headers = {"Fastly-Key": self.token, "Surrogate-Key": " ".join(batch), "Accept": "application/json"}
            if self.soft:
                headers["Fastly-Soft-Purge"] = "1"
            _send(urllib.request.Request(self.url, method="POST", headers=headers), self.timeout)


class CloudflarePurger:
    """Cloudflare's purge by cache tag, at most 30 tags a request."""

    BATCH = 30

    def __init__(
        self,
        zone_id: str,
        token: str,
        api_url: str = "https://api.cloudflare.com/client/v4",
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/zones/{zone_id}/purge_cache"
        self.token, self.timeout = token, timeout

    def purge(self, keys: Sequence[str]) -> None:
        for batch in _chunks(list(keys), self.BATCH):
            body = json.dumps({"tags": list(batch)}).encode()
            headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
            answer = _send(urllib.request.Request(self.url, data=body, method="POST", headers=headers), self.timeout)
            try:
                success = json.loads(answer or b"{}").get("success", False)
            except ValueError:
                success = False
            if not success:
                raise PurgeFailed(f"Cloudflare did not confirm the purge: {answer[:200]!r}")
