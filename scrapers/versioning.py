"""Versions of the rules that turn raw pages into articles and facts.

A version is a digest of the code and data files that implement the rules,
not a timestamp: the same code always yields the same version, and any change
to the cleaner (or the site profiles it reads) or to the extractor yields a
new one. Every landed article and fact carries these strings.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PKG = Path(__file__).resolve().parent

# What each rule set is made of, relative to the package.
# The topic filter decides which pages become articles, so it is part of the cleaning rules.
CLEANER_PARTS = ("clean", "sites", "crawl/topic.py")
EXTRACTOR_PARTS = ("extract",)


def _digest(parts: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for part in parts:
        base = PKG / part
        if base.is_file():
            h.update(part.encode() + b"\0" + base.read_bytes())
            continue
        files = sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in {".py", ".yaml", ".yml", ".json", ".txt", ".csv"}
                       and "__pycache__" not in p.parts) if base.exists() else []
        for f in files:
            h.update(str(f.relative_to(PKG)).encode())
            h.update(b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()[:10]


@lru_cache(maxsize=1)
def cleaner_version() -> str:
    return "c" + _digest(CLEANER_PARTS)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    return "e" + _digest(EXTRACTOR_PARTS)


def pipeline_version() -> str:
    """The version directory that articles and facts land under."""
    return f"{cleaner_version()}-{extractor_version()}"
