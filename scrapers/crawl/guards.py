"""Checks that keep hostile input out of the lake; each returns a quarantine reason or None.

The HTTP client already enforces hosts, schemes, redirects, size and time caps on what it
fetches. These guards cover what it never sees: listing links that must not even be tried
(another scheme, a literal private address) and cleaned pages whose date makes no sense.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

VN_TZ = dt.timezone(dt.timedelta(hours=7))
# Pages show Vietnam dates; one day of slack for servers whose clock runs ahead.
FUTURE_SLACK = dt.timedelta(days=1)


def date_problem(published: str | None, today: dt.date | None = None) -> tuple[str, str] | None:
    """(reason, detail) when an article's publication date is missing or in the future."""
    if not published:
        return "no_date", "no publication date on the page or in its metadata"
    today = today or dt.datetime.now(VN_TZ).date()
    try:
        day = dt.date.fromisoformat(published)
    except ValueError:
        return "no_date", f"unreadable publication date {published!r}"
    if day > today + FUTURE_SLACK:
        return "future_date", f"published {day.isoformat()} is after today ({today.isoformat()})"
    return None


def link_problem(url: str) -> str | None:
    """Why a link must not be fetched at all: another scheme, or a literal private/loopback address."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "bad_scheme"
    host = (parts.hostname or "").strip("[]")
    if host == "localhost" or host.endswith(".localhost"):
        return "private_address"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    return "private_address" if non_public(ip) else None


def non_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """An address the crawler must not fetch from (only the mirror may live on one)."""
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_multicast or ip.is_unspecified)


def unsafe_links(html: str, page_url: str, item_selector: str, link_selector: str) -> list[tuple[str, str]]:
    """(url, reason) for listing items whose link must not be fetched."""
    soup = BeautifulSoup(html, "lxml")
    out = []
    for item in soup.select(item_selector):
        link = item.select_one(link_selector)
        href = (link.get("href") or "").strip() if link is not None else ""
        if not href or href.startswith("#"):
            continue
        url = urljoin(page_url, href)
        reason = link_problem(url)
        if reason:
            out.append((url, reason))
    return out


def body_chunks(r, size: int = 16384):
    """A streamed response's body as it arrives, decoded (gzip...).

    ``requests``' iter_content(n) blocks until n bytes have come, so a server dripping a few bytes
    at a time is never interrupted by a wall-clock check between chunks; ``read1`` returns what is
    there. urllib3 errors are mapped to the requests exceptions iter_content would raise, so callers'
    retry rules are unchanged.
    """
    from requests.exceptions import ChunkedEncodingError, ConnectionError, ContentDecodingError
    from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

    try:
        while True:
            chunk = r.raw.read1(size, decode_content=True)
            if not chunk:
                return
            yield chunk
    except ProtocolError as exc:
        raise ChunkedEncodingError(exc) from exc
    except DecodeError as exc:
        raise ContentDecodingError(exc) from exc
    except (ReadTimeoutError, SSLError) as exc:
        raise ConnectionError(exc) from exc


TEMP_MAX_AGE_S = 3600.0     # older than any write in progress: an atomic write takes milliseconds


def sweep_temp_files(lake, max_age_s: float = TEMP_MAX_AGE_S) -> int:
    """Delete temp files (``.<name>.<random>.tmp``, see scrapers.lake) that a killed process left in
    the lake. Readers never match them; this only keeps the lake tidy. Returns how many went."""
    import os
    import time
    from pathlib import Path

    cutoff = time.time() - max_age_s
    removed = 0
    for path in Path(lake).rglob(".*.tmp"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                os.unlink(path)
                removed += 1
        except OSError:         # gone already, or not ours to delete: harmless either way
            continue
    return removed
