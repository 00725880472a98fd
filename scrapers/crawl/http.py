"""A polite HTTP client: one requests.Session per host, robots.txt, delays, retries, size cap.

Every request goes through :meth:`HttpClient.get`, which enforces, in order:
http/https only; an allow-listed host (from the site profiles, re-checked
after every redirect); no private or loopback address unless the target is the
local mirror; robots.txt (fetched once per host and client; its Crawl-delay
raises the profile's delay); the per-host delay; retries with exponential
backoff and jitter on 429, 5xx, timeouts and broken connections, honouring
Retry-After up to a cap; conditional GET when asked; a response size cap
(the body is streamed and the read stops at the cap).

With ``THADS_MIRROR_URL`` set, ``https://<host>/<path>`` is fetched as
``$THADS_MIRROR_URL/<host>/<path>``; callers only ever see real-site URLs.
"""

from __future__ import annotations

import ipaddress
import os
import random
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from scrapers import config
from scrapers.crawl import guards
from scrapers.crawl.keys import UrlError, split_host
from scrapers.sites import Profile

RETRY_STATUS = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


@dataclass
class HttpSettings:
    """Knobs that tests and operators turn; the defaults are for the real sites."""

    max_retries: int = 4
    backoff_base: float = field(default_factory=lambda: _env_float("THADS_HTTP_BACKOFF_BASE", 1.0))
    backoff_max: float = 60.0
    retry_after_max: float = field(default_factory=lambda: _env_float("THADS_HTTP_RETRY_AFTER_MAX", 120.0))
    # None: each profile's politeness.delay; a number replaces it (robots Crawl-delay still applies).
    delay: float | None = field(
        default_factory=lambda: (
            _env_float("THADS_CRAWL_DELAY", 0.0) if os.environ.get("THADS_CRAWL_DELAY") else None
        )
    )
    timeout: float | None = field(
        default_factory=lambda: (
            _env_float("THADS_HTTP_TIMEOUT", 20.0) if os.environ.get("THADS_HTTP_TIMEOUT") else None
        )
    )
    max_bytes: int | None = None
    # Wall-clock cap on reading one body: the per-read timeout alone lets a slow drip go on for ever.
    max_seconds: float = field(default_factory=lambda: _env_float("THADS_HTTP_MAX_SECONDS", 60.0))
    mirror_url: str | None = field(default_factory=config.mirror_url)


class FetchError(Exception):
    """A page that could not be fetched; ``reason`` is a short code for quarantine records."""

    def __init__(self, reason: str, url: str, detail: str = "", status: int | None = None, attempts: int = 1):
        super().__init__(f"{reason}: {url} {detail}".strip())
        self.reason, self.url, self.detail, self.status, self.attempts = reason, url, detail, status, attempts


@dataclass
class Response:
    url: str  # the real-site URL asked for
    final_url: str  # the real-site URL after redirects
    fetch_url: str  # what was actually requested (mirror URL under the mirror)
    status: int
    headers: dict[str, str]
    content: bytes
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    def text(self) -> str:
        from scrapers.clean.charset import decode

        return decode(self.content, self.content_type)[0]


class LegacyTLSAdapter(HTTPAdapter):
    """Old ciphers and unsafe renegotiation, mounted only for hosts whose profile asks for it."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        ctx = ssl.create_default_context()
        try:
            ctx.set_ciphers("DEFAULT:@SECLEVEL=1")
        except ssl.SSLError:  # pragma: no cover - depends on the OpenSSL build
            pass
        ctx.options |= getattr(ssl, "OP_LEGACY_SERVER_CONNECT", 0x4)
        kwargs["ssl_context"] = ctx
        super().init_poolmanager(*args, **kwargs)


def parse_crawl_delay(lines: list[str], user_agent: str) -> float | None:
    """Crawl-delay for ``user_agent`` (urllib.robotparser reads only whole seconds; sites write 0.5 too).
    A group naming our product token wins over the ``*`` group."""
    token = user_agent.split("/")[0].strip().lower()
    groups: list[tuple[list[str], float | None]] = []
    agents: list[str] = []
    in_rules = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, _, value = (x.strip() for x in line.partition(":"))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
            if not groups or groups[-1][0] is not agents:
                groups.append((agents, None))
        elif agents:
            in_rules = True
            if key == "crawl-delay":
                try:
                    groups[-1] = (agents, max(0.0, float(value)))
                except ValueError:
                    pass
    specific = [d for ags, d in groups if d is not None and any(a != "*" and a in token for a in ags)]
    generic = [d for ags, d in groups if d is not None and "*" in ags]
    return (specific or generic or [None])[0]


class _Host:
    def __init__(self, host: str, profile: Profile):
        self.host, self.profile = host, profile
        self.session = requests.Session()
        self.session.headers.update(
            {
                "User-Agent": profile.politeness.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/xml;q=0.9,"
                "*/*;q=0.8",
                "Accept-Language": "vi,en;q=0.5",
            }
        )
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_error: str | None = None
        self.crawl_delay: float | None = None
        self.last_request = 0.0
        self.lock = threading.Lock()


class HttpClient:
    def __init__(
        self,
        profiles: dict[str, Profile] | list[Profile],
        settings: HttpSettings | None = None,
        *,
        sleep=time.sleep,
        clock=time.monotonic,
        rng: random.Random | None = None,
    ):
        plist = list(profiles.values()) if isinstance(profiles, dict) else list(profiles)
        self.settings = settings or HttpSettings()
        self.sleep, self.clock = sleep, clock
        self.rng = rng or random.Random()
        self.profiles = plist
        self.hosts: dict[str, _Host] = {}
        self.stats: Counter[str] = Counter()
        self.slept = 0.0

    # ---- addresses ------------------------------------------------------------

    def profile_for(self, host: str) -> Profile | None:
        return next((p for p in self.profiles if p.allows_host(host)), None)

    def to_fetch_url(self, real_url: str) -> str:
        mirror = self.settings.mirror_url
        if not mirror:
            return real_url
        parts = urlsplit(real_url)
        host = (parts.hostname or "").lower()
        return (
            mirror.rstrip("/") + "/" + host + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        )

    def to_real_url(self, fetch_url: str, scheme: str = "https") -> str:
        mirror = self.settings.mirror_url
        if mirror and fetch_url.startswith(mirror.rstrip("/") + "/"):
            rest = fetch_url[len(mirror.rstrip("/")) + 1 :]
            host, _, tail = rest.partition("/")
            path, _, query = ("/" + tail).partition("?")
            return urlunsplit((scheme, host, path, query, ""))
        return fetch_url

    def _resolve_location(self, current: str, location: str, scheme: str) -> str:
        """The real-site URL a redirect points to (a Location may be mirror- or real-relative)."""
        mirror = (self.settings.mirror_url or "").rstrip("/")
        if not mirror:
            return urljoin(current, location)
        absolute = urljoin(self.to_fetch_url(current), location)
        if absolute.startswith(mirror + "/"):
            real = self.to_real_url(absolute, scheme)
            if self.profile_for(urlsplit(real).hostname or ""):
                return real
            return urljoin(current, location)  # a root-relative real-site path
        return absolute

    def _check_target(self, real_url: str) -> tuple[str, Profile]:
        try:
            scheme, host, _port = split_host(real_url)
        except UrlError as exc:
            raise FetchError("bad_url", real_url, str(exc)) from exc
        profile = self.profile_for(host)
        if profile is None:
            raise FetchError("host_not_allowed", real_url, f"{host} is in no site profile")
        if not self.settings.mirror_url:
            self._check_address(real_url, urlsplit(real_url).hostname or host)
        return host, profile

    def _check_address(self, url: str, hostname: str) -> None:
        # Only the mirror may live on a private or loopback address.
        try:
            infos = socket.getaddrinfo(hostname, None)
        except socket.gaierror as exc:
            raise FetchError("dns_error", url, str(exc)) from exc
        for info in infos:
            ip = ipaddress.ip_address(info[4][0])
            if guards.non_public(ip):
                raise FetchError("private_address", url, f"{hostname} resolves to {ip}")

    def _host(self, host: str, profile: Profile) -> _Host:
        h = self.hosts.get(host)
        if h is None:
            h = self.hosts[host] = _Host(host, profile)
            if profile.politeness.legacy_tls and not self.settings.mirror_url:
                h.session.mount(f"https://{host}/", LegacyTLSAdapter())
                h.session.mount(f"https://www.{host}/", LegacyTLSAdapter())
        return h

    # ---- politeness -----------------------------------------------------------

    def delay_for(self, h: _Host) -> float:
        base = self.settings.delay if self.settings.delay is not None else h.profile.politeness.delay
        return max(base, h.crawl_delay or 0.0)

    def _wait_turn(self, h: _Host) -> None:
        wait = h.last_request + self.delay_for(h) - self.clock()
        if wait > 0 and h.last_request:
            self._sleep(wait)

    def _sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.sleep(seconds)

    def _robots(self, h: _Host) -> None:
        if h.robots is not None or h.robots_error is not None:
            return
        url = f"{h.profile.scheme}://{h.host}/robots.txt"
        rp = urllib.robotparser.RobotFileParser(url)
        try:
            resp = self._request(h, url, kind="robots", headers={})
        except FetchError as exc:
            # RFC 9309: an unreachable robots.txt means "assume full disallow" for this run.
            h.robots_error = f"{exc.reason}: {exc.detail}"
            return
        if resp.status >= 500:
            h.robots_error = f"status {resp.status}"
            return
        if resp.status >= 400:
            rp.parse([])  # no robots.txt: everything allowed
        else:
            lines = resp.content.decode("utf-8", "replace").splitlines()
            rp.parse(lines)
            h.crawl_delay = parse_crawl_delay(lines, h.profile.politeness.user_agent)
        h.robots = rp

    def allowed(self, url: str) -> bool:
        host, profile = self._check_target(url)
        h = self._host(host, profile)
        self._robots(h)
        if h.robots is None:
            return False
        return h.robots.can_fetch(profile.politeness.user_agent, url)

    # ---- requests -------------------------------------------------------------

    def get(self, url: str, *, kind: str = "article", validators: dict[str, str] | None = None) -> Response:
        """GET a real-site URL politely. ``validators`` (etag / last_modified) make it conditional.

        Returns 2xx and 304 responses; raises FetchError for everything else after retries."""
        host, profile = self._check_target(url)
        h = self._host(host, profile)
        self._robots(h)
        if h.robots is None:
            raise FetchError("robots_unavailable", url, h.robots_error or "")
        if not h.robots.can_fetch(profile.politeness.user_agent, url):
            raise FetchError("robots_disallowed", url)
        headers = {}
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        current, seen = url, []
        for _ in range(MAX_REDIRECTS + 1):
            resp = self._request(h, current, kind=kind, headers=headers)
            if resp.status not in REDIRECT_STATUS:
                resp.url = url
                if resp.status == 304 or 200 <= resp.status < 300:
                    return resp
                raise FetchError(
                    "http_error", url, f"status {resp.status}", status=resp.status, attempts=resp.attempts
                )
            location = resp.headers.get("location")
            if not location:
                raise FetchError("http_error", url, f"redirect {resp.status} without Location", resp.status)
            target = self._resolve_location(current, location, profile.scheme)
            seen.append(current)
            if target in seen:
                raise FetchError("redirect_loop", url, " -> ".join(seen + [target])[:500])
            try:
                _, thost, _ = split_host(target)
            except UrlError as exc:
                raise FetchError("redirect_off_site", url, f"to {target}: {exc}") from exc
            if self.profile_for(thost) is None:
                raise FetchError("redirect_off_site", url, f"to {target}")
            host, profile = self._check_target(target)
            h = self._host(host, profile)
            self._robots(h)
            if h.robots is None or not h.robots.can_fetch(profile.politeness.user_agent, target):
                raise FetchError("robots_disallowed", url, f"redirect target {target}")
            current = target
        raise FetchError("redirect_loop", url, f"more than {MAX_REDIRECTS} redirects")

    def _request(self, h: _Host, url: str, *, kind: str, headers: dict[str, str]) -> Response:
        """One logical request with retries; returns the final response whatever its status."""
        fetch_url = self.to_fetch_url(url)
        pol = h.profile.politeness
        timeout = self.settings.timeout or pol.timeout
        cap = self.settings.max_bytes or pol.max_bytes
        attempt = 0
        while True:
            attempt += 1
            with h.lock:
                self._wait_turn(h)
                h.last_request = self.clock()
                self.stats[f"requests_{kind}"] += 1
                self.stats["requests"] += 1
                retry_wait = None
                try:
                    r = h.session.get(
                        fetch_url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
                    )
                    try:
                        status = r.status_code
                        if status in RETRY_STATUS:
                            retry_wait = self._retry_after(r.headers.get("Retry-After"))
                            body = b""
                        else:
                            body = (
                                b"" if status in REDIRECT_STATUS or status == 304 else self._read(r, url, cap)
                            )
                    finally:
                        r.close()
                    h.last_request = self.clock()
                except (
                    requests.Timeout,
                    requests.ConnectionError,
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError,
                ) as exc:
                    h.last_request = self.clock()
                    status, body = None, b""
                    error = exc
                except requests.RequestException as exc:  # an invalid URL, too many headers...: no retry
                    h.last_request = self.clock()
                    raise FetchError(
                        "http_error", url, f"{type(exc).__name__}: {exc}", attempts=attempt
                    ) from exc
                else:
                    error = None
            if status is not None and status not in RETRY_STATUS:
                self.stats[f"status_{status}"] += 1
                hdrs = {k.lower(): v for k, v in r.headers.items()}
                return Response(
                    url=url,
                    final_url=url,
                    fetch_url=fetch_url,
                    status=status,
                    headers=hdrs,
                    content=body,
                    attempts=attempt,
                )
            what = f"status {status}" if status is not None else type(error).__name__
            self.stats["retry_" + (str(status) if status is not None else "error")] += 1
            if attempt > self.settings.max_retries:
                reason = "timeout" if isinstance(error, requests.Timeout) else "http_error"
                raise FetchError(
                    reason, url, f"{what} after {attempt} attempts", status=status, attempts=attempt
                )
            self.stats["retries"] += 1
            backoff = min(self.settings.backoff_max, self.settings.backoff_base * 2 ** (attempt - 1))
            wait = backoff * (0.5 + self.rng.random())  # jitter: spread retries of many clients
            if retry_wait is not None:
                wait = max(wait, retry_wait)
            self._sleep(wait)

    def _retry_after(self, value: str | None) -> float | None:
        if not value:
            return None
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
                seconds = when.timestamp() - time.time()
            except (TypeError, ValueError):
                return None
        return max(0.0, min(seconds, self.settings.retry_after_max))

    def _read(self, r: requests.Response, url: str, cap: int) -> bytes:
        declared = r.headers.get("Content-Length")
        if (
            declared
            and declared.isdigit()
            and int(declared) > cap
            and "gzip" not in r.headers.get("Content-Encoding", "")
        ):
            raise FetchError("size_cap", url, f"Content-Length {declared} > cap {cap}")
        chunks, size = [], 0
        deadline = time.monotonic() + self.settings.max_seconds
        for chunk in guards.body_chunks(r):     # not iter_content: it would wait out a slow drip
            size += len(chunk)
            if size > cap:
                raise FetchError("size_cap", url, f"body over {cap} bytes (stopped reading)")
            if time.monotonic() > deadline:
                raise FetchError(
                    "time_cap", url, f"body took over {self.settings.max_seconds} s (stopped reading)"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        for h in self.hosts.values():
            h.session.close()
