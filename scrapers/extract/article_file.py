"""The article file format of the fact spec: optional `key: value` header lines,
a line that is exactly `---`, then the article text. No `---` line: all text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_HEADER = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


@dataclass
class Article:
    url: str | None
    title: str | None
    published: str | None
    text: str


def parse_article(raw: str) -> Article:
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n")
    lines = raw.split("\n")
    if "---" not in (ln.rstrip("\r") for ln in lines):
        return Article(None, None, None, raw)
    k = next(i for i, ln in enumerate(lines) if ln.rstrip("\r") == "---")
    header: dict[str, str] = {}
    for ln in lines[:k]:
        m = _HEADER.match(ln.strip())
        if m:
            header[m.group(1).lower()] = m.group(2).strip()
    published = header.get("published") or None
    if published:
        try:
            published = date.fromisoformat(published[:10]).isoformat()
        except ValueError:
            published = None
    return Article(header.get("url") or None, header.get("title") or None, published, "\n".join(lines[k + 1:]))


def read_article(path) -> Article:
    """Read one article file (UTF-8)."""
    return parse_article(Path(path).read_text(encoding="utf-8"))
