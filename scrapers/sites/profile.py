"""Site profiles: the declarative description of one source, validated once on load.

A profile is YAML (``scrapers/sites/<id>.yaml``) merged over ``_defaults.yaml``:
mappings merge key by key, lists are concatenated (defaults first, duplicates
dropped) and scalars in the profile win. Everything site-specific lives in the
YAML; the Python code only interprets it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from scrapers.clean.css import CssError, compile_simple

SITES_DIR = Path(__file__).resolve().parent
DEFAULTS_FILE = SITES_DIR / "_defaults.yaml"
SELECTOR_FIELDS = ("title", "published", "sapo", "body")


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Politeness:
    delay: float  # seconds between two requests to one host (robots Crawl-delay may raise it)
    concurrency: int  # requests in flight per host; the client only supports 1
    user_agent: str
    legacy_tls: bool  # allow old ciphers / renegotiation for this host only
    timeout: float  # seconds, connect and read
    max_bytes: int  # response size cap


@dataclass(frozen=True)
class ArticleRule:
    """How an article URL maps to its canonical key (doc_id)."""

    pattern: re.Pattern[str]  # matched (case-insensitively) against the URL path
    id_param: str | None  # query parameter holding the id (SharePoint ItemID); else group "id"
    key: str  # template: {host}, {id} and the pattern's named groups


@dataclass(frozen=True)
class Listing:
    """A paginated index of articles, newest first."""

    name: str
    url: str  # template with {page} and, for per-subsite listings, {subsite}
    first_url: str | None  # page 1 when it has its own address (template like url, no {page})
    per_subsite: bool
    first_page: int
    item: str  # CSS selector of one entry
    link: str  # CSS selector of the entry's article link (inside item)
    date: str | None  # CSS selector of the entry's publication date
    modified: str | None  # CSS selector (or attribute "sel@attr") of the entry's modified date
    max_pages: int  # safety bound for paging and for the backfill search
    next: str | None = None  # CSS selector of the pager's "next page" link; its absence marks the last page


@dataclass(frozen=True)
class Feed:
    url: str
    per_subsite: bool


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    base_url: str
    hosts: tuple[str, ...]
    politeness: Politeness
    article_rules: tuple[ArticleRule, ...]
    subsites: tuple[str, ...]
    listings: tuple[Listing, ...]
    feeds: tuple[Feed, ...]
    selectors: dict[str, tuple[str, ...]]
    date_attrs: tuple[str, ...]
    drop_selectors: tuple[str, ...]
    drop_line_patterns: tuple[re.Pattern[str], ...]
    inline_patterns: tuple[re.Pattern[str], ...]
    cut_markers: tuple[re.Pattern[str], ...]
    topic_keywords: tuple[str, ...]
    topic_cues: tuple[str, ...]
    topic_min_hits: int
    date_patterns: tuple[re.Pattern[str], ...]
    min_body_chars: int
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def scheme(self) -> str:
        return urlsplit(self.base_url).scheme

    @property
    def host(self) -> str:
        return self.hosts[0]

    def allows_host(self, host: str) -> bool:
        host = (host or "").lower().rstrip(".")
        if host.startswith("www."):
            host = host[4:]
        return host in self.hosts


# ---- loading ----------------------------------------------------------------


def merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(over, list):
        out = list(base)
        for v in over:
            if v not in out:
                out.append(v)
        return out
    return over


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path.name}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path.name}: a profile must be a mapping, got {type(data).__name__}")
    return data


class _Reader:
    """Typed access to a merged profile dict with errors that name file and key."""

    def __init__(self, data: dict[str, Any], where: str):
        self.data, self.where = data, where

    def fail(self, key: str, msg: str) -> ProfileError:
        return ProfileError(f"{self.where}: {key}: {msg}")

    def get(
        self, key: str, typ: type | tuple[type, ...], default: Any = ..., *, src: dict | None = None
    ) -> Any:
        src = self.data if src is None else src
        node: Any = src
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is ...:
                    raise self.fail(key, "missing")
                return default
            node = node[part]
        if node is None and default is not ...:
            return default
        if not isinstance(node, typ) or isinstance(node, bool) and typ in (int, float, (int, float)):
            raise self.fail(key, f"expected {getattr(typ, '__name__', typ)}, got {type(node).__name__}")
        return node

    def regex(self, key: str, pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        if not isinstance(pattern, str):
            raise self.fail(key, f"pattern must be a string, got {type(pattern).__name__}")
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            raise self.fail(key, f"bad regex {pattern!r}: {exc}") from exc

    def strings(self, key: str, default: Any = ..., *, src: dict | None = None) -> tuple[str, ...]:
        items = self.get(key, list, default, src=src)
        if any(not isinstance(x, str) or not x for x in items):
            raise self.fail(key, "every entry must be a non-empty string")
        return tuple(items)


def _check_css(r: _Reader, key: str, selector: str, *, simple: bool) -> str:
    # Selectors the lxml cut uses must be simple enough to compile to XPath; all must parse as CSS.
    import soupsieve

    try:
        soupsieve.compile(selector)
    except Exception as exc:  # soupsieve raises its own SelectorSyntaxError
        raise r.fail(key, f"bad CSS selector {selector!r}: {exc}") from exc
    if simple:
        try:
            compile_simple(selector)
        except CssError as exc:
            raise r.fail(key, f"selector {selector!r} is outside the supported subset: {exc}") from exc
    return selector


def build_profile(data: dict[str, Any], where: str, path: Path | None = None) -> Profile:
    r = _Reader(data, where)
    pid = r.get("id", str)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", pid):
        raise r.fail("id", f"{pid!r} must be lower-case letters, digits, underscore")
    base_url = r.get("base_url", str)
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise r.fail("base_url", f"{base_url!r} must be an absolute http(s) URL")
    hosts = tuple(h.lower() for h in r.strings("hosts"))
    if not hosts:
        raise r.fail("hosts", "at least one allowed host")
    if any(h.startswith("www.") for h in hosts):
        raise r.fail("hosts", "list hosts without 'www.' (it is always allowed)")
    base_host = parts.hostname.lower().removeprefix("www.")
    if base_host not in hosts:
        raise r.fail("base_url", f"host {base_host} is not in hosts")

    pol = Politeness(
        delay=float(r.get("politeness.delay", (int, float))),
        concurrency=int(r.get("politeness.concurrency", int)),
        user_agent=r.get("politeness.user_agent", str),
        legacy_tls=bool(r.get("politeness.legacy_tls", bool, False)),
        timeout=float(r.get("politeness.timeout", (int, float))),
        max_bytes=int(r.get("politeness.max_bytes", int)),
    )
    if pol.concurrency != 1:
        raise r.fail("politeness.concurrency", "only 1 request in flight per host is supported")
    if pol.delay < 0 or pol.timeout <= 0 or pol.max_bytes <= 0:
        raise r.fail("politeness", "delay >= 0, timeout > 0 and max_bytes > 0 are required")

    rules = []
    for i, rule in enumerate(r.get("article_urls", list)):
        key = f"article_urls[{i}]"
        if not isinstance(rule, dict):
            raise r.fail(key, "must be a mapping")
        pat = r.regex(f"{key}.pattern", rule.get("pattern"))
        id_param = rule.get("id_param")
        if id_param is None and "id" not in pat.groupindex:
            raise r.fail(key, "needs id_param or a named group (?P<id>...) in pattern")
        tmpl = rule.get("key")
        if not isinstance(tmpl, str) or "{id}" not in tmpl or "{host}" not in tmpl:
            raise r.fail(f"{key}.key", "template must contain {host} and {id}")
        unknown = set(re.findall(r"{(\w+)}", tmpl)) - {"host", "id"} - set(pat.groupindex)
        if unknown:
            raise r.fail(f"{key}.key", f"unknown fields {sorted(unknown)}")
        rules.append(ArticleRule(pat, id_param, tmpl))
    if not rules:
        raise r.fail("article_urls", "at least one rule")

    disc = r.get("discovery", dict)
    subsites = r.strings("discovery.subsites", [])
    if len(set(subsites)) != len(subsites):
        raise r.fail("discovery.subsites", "duplicates")
    listings = []
    for i, lst in enumerate(disc.get("listings") or []):
        key = f"discovery.listings[{i}]"
        if not isinstance(lst, dict):
            raise r.fail(key, "must be a mapping")
        url = r.get("url", str, src=lst) if "url" in lst else None
        if not url or "{page}" not in url:
            raise r.fail(f"{key}.url", "template with {page} required")
        per_subsite = bool(lst.get("per_subsite", False))
        if per_subsite and "{subsite}" not in url:
            raise r.fail(f"{key}.url", "per_subsite listing needs {subsite} in the template")
        if per_subsite and not subsites:
            raise r.fail(key, "per_subsite listing but discovery.subsites is empty")
        for sel_key in ("item", "link"):
            if not isinstance(lst.get(sel_key), str):
                raise r.fail(f"{key}.{sel_key}", "CSS selector required")
            _check_css(r, f"{key}.{sel_key}", lst[sel_key], simple=False)
        for sel_key in ("date", "modified", "next"):
            if lst.get(sel_key) is not None:
                _check_css(r, f"{key}.{sel_key}", str(lst[sel_key]).split("@")[0] or "*", simple=False)
        listings.append(
            Listing(
                name=str(lst.get("name") or f"listing{i}"),
                url=url,
                first_url=lst.get("first_url"),
                per_subsite=per_subsite,
                first_page=int(lst.get("first_page", 1)),
                item=lst["item"],
                link=lst["link"],
                date=lst.get("date"),
                modified=lst.get("modified"),
                max_pages=int(lst.get("max_pages", 2000)),
                next=lst.get("next"),
            )
        )
    feeds = []
    for i, fd in enumerate(disc.get("feeds") or []):
        if isinstance(fd, str):
            fd = {"url": fd}
        if not isinstance(fd, dict) or not isinstance(fd.get("url"), str):
            raise r.fail(f"discovery.feeds[{i}]", "a URL or a mapping with url")
        feeds.append(Feed(fd["url"], bool(fd.get("per_subsite", False))))
    if not listings and not feeds:
        raise r.fail("discovery", "needs at least one listing or feed")

    selectors: dict[str, tuple[str, ...]] = {}
    for fld in SELECTOR_FIELDS:
        sels = r.strings(f"selectors.{fld}", [] if fld == "sapo" else ...)
        if not sels and fld != "sapo":
            raise r.fail(f"selectors.{fld}", "at least one selector")
        selectors[fld] = tuple(_check_css(r, f"selectors.{fld}", s, simple=True) for s in sels)
    drop_selectors = tuple(
        _check_css(r, "drop.selectors", s, simple=False) for s in r.strings("drop.selectors", [])
    )

    def patterns(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(r.regex(key, p) for p in r.strings(key, []))

    date_patterns = patterns("date_patterns")
    for p in date_patterns:
        if not {"d", "m", "y"} <= set(p.groupindex):
            raise r.fail("date_patterns", f"{p.pattern!r} needs named groups d, m and y")
    if not date_patterns:
        raise r.fail("date_patterns", "at least one pattern")

    kws = r.strings("topic.keywords")
    return Profile(
        id=pid,
        name=r.get("name", str, pid),
        base_url=base_url.rstrip("/"),
        hosts=hosts,
        politeness=pol,
        article_rules=tuple(rules),
        subsites=subsites,
        listings=tuple(listings),
        feeds=tuple(feeds),
        selectors=selectors,
        date_attrs=r.strings("selectors.date_attrs", []),
        drop_selectors=drop_selectors,
        drop_line_patterns=patterns("drop.line_patterns"),
        inline_patterns=patterns("drop.inline_patterns"),
        cut_markers=patterns("drop.cut_after"),
        topic_keywords=tuple(k.lower() for k in kws),
        topic_cues=tuple(k.lower() for k in r.strings("topic.cues", [])),
        topic_min_hits=int(r.get("topic.min_hits", int, 1)),
        date_patterns=date_patterns,
        min_body_chars=int(r.get("min_body_chars", int, 200)),
        path=path,
        raw=data,
    )


def load_file(path: Path, defaults: dict[str, Any] | None = None) -> Profile:
    path = Path(path)
    base = _read_yaml(DEFAULTS_FILE) if defaults is None else defaults
    data = merge(base, _read_yaml(path))
    return build_profile(data, path.name, path)
