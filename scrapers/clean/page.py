"""clean_page: one fetched page -> title, publication date and body text.

1. lxml parses the whole page (cheap) and the profile's title / date / sapo /
   body selectors cut those parts out (compiled from CSS, see ``css.py``).
2. Only the body fragment becomes a BeautifulSoup tree, where the profile's
   ``drop.selectors`` (any CSS) remove boilerplate elements.
3. The text pass (``text.py``) drops leaked artifacts line by line.
4. A selector that matches nothing is a drift event, recorded in the lake; a
   missing body falls back to trafilatura so the article is not lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
import soupsieve
from bs4 import BeautifulSoup, NavigableString, Tag
from lxml import etree

from scrapers.clean.charset import decode
from scrapers.clean.css import CssError, compile_simple
from scrapers.clean.dates import dmy, find_date
from scrapers.clean.text import GAP, clean_lines, node_text, split_lines, squash

BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table tbody thead section article blockquote figure "
    "figcaption header footer pre dd dt dl hr address aside main nav center".split()
)
CELL_TAGS = frozenset(("td", "th"))
SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "svg", "head", "title", "iframe"))
_BLOCK_END, _CELL_END = object(), object()
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


class CleanError(ValueError):
    """The input is not an HTML page at all."""


@dataclass
class CleanPage:
    title: str | None
    published: str | None  # ISO date
    text: str  # "title\ndd/mm/yyyy\nbody"
    drift: list[dict] = field(default_factory=list)
    used_fallback: bool = False
    body: str = ""  # the body paragraphs alone
    encoding: str | None = None
    canonical: str | None = None  # the page's own <link rel="canonical"> (or og:url)


def _parse(html: str) -> etree._Element:
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        raise CleanError("empty page")
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise CleanError(f"not parseable as HTML: {exc}") from exc


def _first(root: etree._Element, selectors: tuple[str, ...]) -> tuple[etree._Element | None, str | None]:
    for sel in selectors:
        found = compile_simple(sel)(root)
        if found:
            return found[0], sel
    return None, None


def _el_text(el: etree._Element) -> str:
    return squash(" ".join(el.itertext()))


def _meta(root: etree._Element, *names: str) -> str | None:
    for name in names:
        for el in root.xpath("//meta[@property=$n or @name=$n or @itemprop=$n]", n=name):
            val = (el.get("content") or "").strip()
            if val:
                return val
    return None


@lru_cache(maxsize=64)
def _drop_plan(drop_selectors: tuple[str, ...]):
    """Split the profile's drop selectors: those in the simple subset run as one XPath on the lxml
    fragment (before BeautifulSoup parses it), the rest as one combined soupsieve selector."""
    simple, rest = [], []
    for sel in drop_selectors:
        try:
            compile_simple(sel)
            simple.append(sel)
        except CssError:
            rest.append(sel)
    xpath = compile_simple(", ".join(simple)) if simple else None
    css = soupsieve.compile(", ".join(rest)) if rest else None
    return xpath, css


def _lxml_drop(el: etree._Element, xpath) -> None:
    if xpath is None:
        return
    for victim in xpath(el):
        if victim is el:
            continue
        if victim.getparent() is not None:
            victim.drop_tree()  # keeps the tail text, which belongs to the parent


def _soup_text(fragment_html: str, css) -> list[str]:
    soup = BeautifulSoup(fragment_html, "lxml")
    if css is not None:
        for tag in css.select(soup):
            tag.decompose()
    parts: list[str] = []
    # Iterative walk: deeply nested pages must not hit the recursion limit.
    stack: list = [soup]
    while stack:
        node = stack.pop()
        if node is _BLOCK_END:
            parts.append("\n")
        elif node is _CELL_END:
            parts.append(GAP)
        elif isinstance(node, NavigableString):
            # Exact type: comments, doctypes and script/style strings are subclasses.
            if type(node) is NavigableString:
                parts.append(node_text(node))
        elif isinstance(node, Tag):
            name = node.name
            if name in SKIP_TAGS:
                continue
            if name in ("br", "hr"):
                parts.append("\n")
                continue
            end_marker = _BLOCK_END if name in BLOCK_TAGS else _CELL_END if name in CELL_TAGS else None
            if end_marker is not None:
                parts.append("\n" if end_marker is _BLOCK_END else GAP)
                stack.append(end_marker)
            stack.extend(reversed(node.contents))
    return split_lines("".join(parts))


def _lxml_text(root: etree._Element) -> list[str]:
    """The same walk as _soup_text, on the lxml fragment (used when no drop selector needs soupsieve:
    then a BeautifulSoup tree would be built only to be read once)."""
    parts: list[str] = []
    stack: list = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        name = tag.lower() if isinstance(tag, str) else None
        if closing:
            if name in BLOCK_TAGS:
                parts.append("\n")
            elif name in CELL_TAGS:
                parts.append(GAP)
        elif name is not None and name not in SKIP_TAGS:
            if name in ("br", "hr"):
                parts.append("\n")
            else:
                if name in BLOCK_TAGS:
                    parts.append("\n")
                elif name in CELL_TAGS:
                    parts.append(GAP)
                if node.text:
                    parts.append(node_text(node.text))
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node))
                continue
        # the tail is the parent's text after this node (comments, skipped tags and closed elements alike)
        if (
            node is not root
            and node.tail
            and (closing or name is None or name in SKIP_TAGS or name in ("br", "hr"))
        ):
            parts.append(node_text(node.tail))
    return split_lines("".join(parts))


def _fallback_body(html: str, url: str) -> list[str]:
    import trafilatura

    text = (
        trafilatura.extract(
            html, url=url, include_comments=False, include_tables=True, deduplicate=False, favor_recall=True
        )
        or ""
    )
    return split_lines(text)


def clean_page(
    html: bytes | str,
    url: str,
    profile,
    *,
    lake=None,
    record: bool = True,
    content_type: str | None = None,
    engine: str = "auto",
) -> CleanPage:
    """Clean one page with the profile's selectors; drift events are also written to the lake
    (``record=False`` only returns them). ``engine="bs4"`` forces the BeautifulSoup text walk that
    "auto" uses only when a drop selector is outside the lxml subset (tests compare the two)."""
    if isinstance(profile, str):
        from scrapers.sites import load_profile

        profile = load_profile(profile)
    encoding = None
    if isinstance(html, bytes | bytearray):
        html, encoding = decode(bytes(html), content_type)
    else:
        html = unicodedata.normalize("NFC", html)
    root = _parse(html)
    sels = profile.selectors
    drift: list[dict] = []

    def miss(fld: str, selectors: tuple[str, ...], fallback: str) -> None:
        drift.append(
            {
                "source": profile.id,
                "url": url,
                "field": fld,
                "selector": " | ".join(selectors),
                "fallback": fallback,
            }
        )

    title_el, _ = _first(root, sels["title"])
    title = _el_text(title_el) if title_el is not None else ""
    if not title:
        title = squash(_meta(root, "og:title", "twitter:title") or (root.findtext(".//title") or "")) or ""
        miss("title", sels["title"], "meta og:title / <title>" if title else "none")

    date_el, _ = _first(root, sels["published"])
    published = None
    if date_el is not None:
        published = find_date(_el_text(date_el), profile.date_patterns)
        for attr in profile.date_attrs:
            if published is None:
                published = find_date(date_el.get(attr), profile.date_patterns)
    if published is None:
        published = find_date(
            _meta(root, "article:published_time", "datePublished", "pubdate", "dc.date.issued"),
            profile.date_patterns,
        )
        miss("published", sels["published"], "meta published_time" if published else "none")

    sapo_el, _ = _first(root, sels["sapo"]) if sels["sapo"] else (None, None)
    body_el, _ = _first(root, sels["body"])
    used_fallback = False
    sapo_lines: list[str] = []
    if sapo_el is not None and (body_el is None or not _contains(body_el, sapo_el)):
        sapo_lines = [_el_text(sapo_el)]
    if body_el is not None:
        for el in (title_el, date_el):
            # Parts already taken must not repeat in the body; drop_tree keeps their tail text.
            if el is not None and el is not body_el and _contains(body_el, el):
                el.drop_tree()
        xpath, css = _drop_plan(profile.drop_selectors)
        _lxml_drop(body_el, xpath)
        if css is None and engine != "bs4":
            body_lines = sapo_lines + _lxml_text(body_el)
        else:
            fragment = etree.tostring(body_el, encoding="unicode", method="html", with_tail=False)
            body_lines = sapo_lines + _soup_text(fragment, css)
    else:
        used_fallback = True
        miss("body", sels["body"], "trafilatura")
        # trafilatura may move the sapo; the page order is sapo first.
        body_lines = sapo_lines + [ln for ln in _fallback_body(html, url) if ln.strip() not in sapo_lines]
    lines = clean_lines(body_lines, profile)
    if lines and title and lines[0] == title:
        lines = lines[1:]
    body = "\n".join(lines)
    head = [title] if title else []
    if published is not None:
        head.append(dmy(published))
    text = unicodedata.normalize("NFC", "\n".join(head + lines))
    if record and drift:
        from scrapers import lake as lake_mod

        for ev in drift:
            lake_mod.record_drift(
                ev["source"], ev["url"], ev["selector"], ev["field"], lake=lake, fallback=ev["fallback"]
            )
    canonical = next((el.get("href") for el in root.xpath("//link[@rel='canonical'][@href]")), None) or _meta(
        root, "og:url"
    )
    return CleanPage(
        title=title or None,
        published=published.isoformat() if published else None,
        text=text,
        drift=drift,
        used_fallback=used_fallback,
        body=body,
        encoding=encoding,
        canonical=canonical.strip() if canonical else None,
    )


def _contains(ancestor: etree._Element, el: etree._Element) -> bool:
    return any(a is ancestor for a in el.iterancestors())
