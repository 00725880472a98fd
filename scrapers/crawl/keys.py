"""Canonical article keys (doc_id) and canonical URLs.

http/https, ``www.``, default ports, letter case of host, path and parameter
names, fragments and tracking parameters all collapse: the same article found
through a feed, a listing or a shared link gets one key and lands once.
The key shape comes from the profile's ``article_urls`` rules, e.g.
``thads.moj.gov.vn/bentre/tintuc/1234`` or ``baophapluat.vn/post-456789``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from scrapers.sites import Profile, load_profiles

# Parameters that only track where a click came from.
TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|zarsrc|gidzl|_ga|_gl|mc_cid|mc_eid|ref|refer|referer|"
    r"source|from|share|sharetype|amp|cmpid|itm_[a-z_]+|igshid|yclid)$",
    re.I,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlError(ValueError):
    pass


def split_host(url: str) -> tuple[str, str, int | None]:
    """(scheme, host without www and trailing dot, explicit non-default port or None)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise UrlError(f"no host in {url!r}")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError as exc:
        raise UrlError(f"bad port in {url!r}") from exc
    if port in DEFAULT_PORTS.values():
        port = None
    return scheme, host, port


def clean_query(query: str) -> list[tuple[str, str]]:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not TRACKING.match(k)]
    return sorted(pairs, key=lambda kv: (kv[0].lower(), kv[1]))


def canonical_url(url: str, scheme: str = "https") -> str:
    """One spelling of a page address: given scheme, no www, no default port, no fragment/tracking."""
    _, host, port = split_host(url)
    parts = urlsplit(url.strip())
    path = re.sub(r"/{2,}", "/", quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~"))
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((scheme, netloc, path, urlencode(clean_query(parts.query)), ""))


def _param(query: str, name: str) -> str | None:
    name = name.lower()
    for k, v in parse_qsl(query, keep_blank_values=True):
        if k.lower() == name and v.strip():
            return v.strip()
    return None


def doc_id(url: str, profile: Profile) -> str | None:
    """The article key of ``url`` under ``profile``, or None when it is not an article address."""
    try:
        _, host, _port = split_host(url)
    except UrlError:
        return None
    if not profile.allows_host(host):
        return None
    parts = urlsplit(url.strip())
    path = re.sub(r"/{2,}", "/", unquote(parts.path or "/"))
    for rule in profile.article_rules:
        m = rule.pattern.match(path)
        if not m:
            continue
        if rule.id_param:
            ident = _param(parts.query, rule.id_param)
        else:
            ident = m.group("id")
        if not ident or not re.fullmatch(r"[A-Za-z0-9_-]+", ident):
            continue
        if ident.isdigit():
            ident = str(int(ident))  # ItemID=0123 and ItemID=123 are one item
        fields = {k: (v or "").lower() for k, v in m.groupdict().items()}
        fields.update(host=host, id=ident.lower())
        key = rule.key.format(**fields)
        return re.sub(r"/{2,}", "/", key).strip("/")
    return None


def find_profile(url: str, profiles: dict[str, Profile] | None = None) -> Profile | None:
    try:
        _, host, _ = split_host(url)
    except UrlError:
        return None
    for profile in (profiles or load_profiles()).values():
        if profile.allows_host(host):
            return profile
    return None


def subsite_of(key: str, profile: Profile) -> str | None:
    """The subsite of a key (``bentre`` in ``thads.moj.gov.vn/bentre/tintuc/1``), if the site has them."""
    parts = key.split("/")
    if profile.subsites and len(parts) >= 4 and parts[1] in profile.subsites:
        return parts[1]
    return None
