"""Plain-text rendering: aligned tables and CSV for the terminal."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import unicodedata
from collections.abc import Sequence
from typing import Any


def cell(value: Any, exact: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Money runs to 10^15 đồng: print whole numbers in full, never as 1e+14.
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        # CSV keeps every digit; the table hides float noise such as 4.1000000000000085.
        return repr(value) if exact else f"{value:.12g}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def _width(text: str) -> int:
    # Vietnamese text may arrive decomposed (NFD); combining marks take no column.
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 80) -> str:
    """An aligned table: numbers right-aligned, long cells cut with an ellipsis."""
    texts = []
    for row in rows:
        out = []
        for v in row:
            t = cell(v, exact=False).replace("\n", " ")
            if _width(t) > max_width:
                t = t[: max_width - 1] + "…"
            out.append(t)
        texts.append(out)
    widths = [_width(h) for h in headers]
    for row in texts:
        for i, t in enumerate(row):
            widths[i] = max(widths[i], _width(t))
    numeric = [bool(rows) and all(_is_number(r[i]) or r[i] is None for r in rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, t in enumerate(values):
            pad = " " * (widths[i] - _width(t))
            parts.append(pad + t if numeric[i] else t + pad)
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in texts]
    return "\n".join(out)


def format_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buf.getvalue()
