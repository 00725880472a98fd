"""Text pass: the artifacts that survive DOM cleaning, matched line by line.

Patterns come from the profile (``drop.line_patterns``, ``drop.inline_patterns``,
``drop.cut_after``), so a new leak is a YAML line, not code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SPACE_LIKE = re.compile(r"[\t\f\v\u2000-\u200a\u205f\u3000]")
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n][\s]*")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\u00ad\ufeff]")


def squash(line: str) -> str:
    """All whitespace runs to one space (titles, dates, short fields)."""
    return _WS.sub(" ", _ZERO_WIDTH.sub("", line)).strip()


def node_text(s: str) -> str:
    """Text of an HTML text node: a line break in the source is layout, not a paragraph."""
    return _SOURCE_BREAK.sub(" ", s)


GAP = "\x1f"  # a joint between table cells or where an artifact was cut out: one space at most
_GAP = re.compile(r"[ \x1f]*\x1f[ \x1f]*")


def tidy(line: str) -> str:
    """Body lines keep their inner spacing, no-break spaces included (quotes must match the page)."""
    line = _SPACE_LIKE.sub(" ", _ZERO_WIDTH.sub("", line))
    return _GAP.sub(" ", line).strip()


def _union(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    # One alternation, one scan per line; each branch keeps its own anchors and flags.
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


@lru_cache(maxsize=64)
def _rules(inline: tuple, cut: tuple, drop: tuple):
    return _union(inline), _union(cut), _union(drop)


def clean_lines(lines: Iterable[str], profile) -> list[str]:
    """Normalise whitespace, drop artifact lines, stop at the first related-links/comments marker."""
    inline, cut, drop = _rules(profile.inline_patterns, profile.cut_markers, profile.drop_line_patterns)
    out: list[str] = []
    for raw in lines:
        if not raw or raw.isspace():
            continue
        line = unicodedata.normalize("NFC", raw)
        if inline is not None:
            line = inline.sub(GAP, line)
        line = tidy(line)
        if not line:
            continue
        if cut is not None and cut.search(line):
            break
        if drop is not None and drop.search(line):
            continue
        out.append(line)
    return out


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
