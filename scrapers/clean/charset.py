"""Decode page bytes to text, surviving legacy Vietnamese pages.

Order: byte-order mark, ``<meta charset>`` in the page, the HTTP header, then
detection. A declared charset is used only if the bytes decode under it
strictly. One exception: a page that declares a legacy single-byte charset
(windows-1258, iso-8859-1, ...) but whose bytes are valid multi-byte UTF-8 was
transcoded by its server and is read as UTF-8 (random legacy text is almost
never valid UTF-8). windows-1258 writes many tones as combining marks, so the
result is NFC-normalised.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_ALIASES = {
    "windows-1258": "cp1258",
    "x-cp1258": "cp1258",
    "cp-1258": "cp1258",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_SINGLE_BYTE = {"cp1258", "cp1252", "cp1250", "iso8859-15", "tis-620", "viscii", "tcvn", "tcvn3"}
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def normalize_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def meta_charset(data: bytes) -> str | None:
    m = _META.search(data[:4096])
    return normalize_name(m.group(1).decode("ascii", "ignore")) if m else None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    # Servers and clients default to iso-8859-1 when nothing was declared: that says nothing.
    if not m or m.group(1).lower() in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        return None
    return normalize_name(m.group(1))


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text NFC-normalised, encoding used)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return unicodedata.normalize("NFC", data[len(bom) :].decode(enc, "replace")), enc
    has_multibyte = bool(_NON_ASCII.search(data))
    as_utf8 = _strict(data, "utf-8") if has_multibyte else None
    for enc in (meta_charset(data), header_charset(content_type)):
        if not enc:
            continue
        if enc in _SINGLE_BYTE and as_utf8 is not None:
            return unicodedata.normalize("NFC", as_utf8), "utf-8"
        text = as_utf8 if enc == "utf-8" and as_utf8 is not None else _strict(data, enc)
        if text is not None:
            return unicodedata.normalize("NFC", text), enc
    if not has_multibyte:
        return data.decode("ascii"), "ascii"
    if as_utf8 is not None:
        return unicodedata.normalize("NFC", as_utf8), "utf-8"
    enc = _detect(data)
    return unicodedata.normalize("NFC", data.decode(enc, "replace")), enc


def _detect(data: bytes) -> str:
    # Vietnamese legacy pages are overwhelmingly windows-1258; ask the detector, but prefer cp1258
    # when it proposes another single-byte Latin charset it cannot tell apart from it.
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        enc = normalize_name(best.encoding) if best else None
    except Exception:  # the detector is best effort
        enc = None
    if enc in (None, "cp1252", "iso8859-1", "cp1250", "iso8859-15", "cp1254"):
        return "cp1258"
    return enc
