"""Text preparation: Unicode normalisation that keeps offsets, and segmentation.

The engine matches on a normalised copy of the input (NFC, Đ for Ð, new-style
tone placement, "tỷ" for "tỉ", plain spaces) whose every character maps back to
a position of the original string, so quotes and offsets always index the text
the caller gave.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Old -> new tone placement at the end of a syllable ("hoà" -> "hòa", "thuỷ" -> "thủy");
# both sides have the same length, so offsets hold.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_MAP: dict[str, str] = {}
for _a, _b in _TONE_PAIRS.items():
    for _f in (str, str.capitalize, str.upper):
        _TONE_MAP[_f(_a)] = _f(_b)
# "quý" is not the old spelling of "qúy": qu is one consonant.
_TONE_RE = re.compile(r"(?<![qQ])[oOuU][" + "".join(sorted({k[1] for k in _TONE_MAP})) + r"](?!\w)")
_TI_RE = re.compile(r"(?<!\w)([tT])ỉ(?!\w)")
_CHARS = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ", "\t": " ", "\r": " ",
                        "\ufeff": " ", "\u00d0": "Đ", "\u0189": "Đ", "\u2010": "-", "\u2011": "-",
                        "\uff05": "%"})
# str.translate walks every character in Python; a regex over the few we replace is far faster.
_CHARS_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHARS) + "]")


@dataclass
class Prepared:
    original: str
    norm: str                 # case kept; for proper names
    low: str                  # lower-cased norm; for cues and numbers
    origin: list[int] | None  # norm index -> original index (None when identical)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end]


def _nfc_with_map(text: str) -> tuple[str, list[int] | None]:
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        # one base character with its combining marks: NFC per cluster keeps the map exact
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        seg = unicodedata.normalize("NFC", text[i:j])
        out.append(seg)
        origin.extend([i] * len(seg))
        i = j
    origin.append(n)
    return "".join(out), origin


def _lower_same_length(s: str) -> str:
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


def prepare(text: str) -> Prepared:
    nfc, origin = _nfc_with_map(text)
    norm = _CHARS_RE.sub(lambda m: _CHARS[ord(m.group(0))], nfc)
    norm = _TONE_RE.sub(lambda m: _TONE_MAP.get(m.group(0), m.group(0)), norm)
    norm = _TI_RE.sub(lambda m: m.group(1) + "ỷ", norm)
    return Prepared(text, norm, _lower_same_length(norm), origin)


def fold(s: str) -> str:
    """ASCII fold for slugs and comparisons: 'Đà Nẵng' -> 'da nang'."""
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).lower()


# Sentence ends: . ! ? … followed by white space, or a newline; not after an
# abbreviation (TP. Hồ Chí Minh) and not before a digit (a number split by a space).
_ABBREV = {"tp", "tx", "q", "p", "ths", "ts", "pgs", "gs", "ông", "bà", "st", "tt", "h", "x", "tr", "nđ", "qđ",
           "v.v", "đ/c"}
_SENT_END = re.compile(r"(?:[.!?…]+[\"”’)\]]*)(?=\s|$)|\n")


def sentences(low: str) -> list[tuple[int, int]]:
    """Sentence spans over the whole text (a newline always ends one)."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(low):
        if m.group(0) != "\n":
            k = m.start()
            w = re.search(r"([\w./]+)$", low[max(0, k - 6):k])
            if w and w.group(1).split(".")[-1] in _ABBREV and m.group(0) == ".":
                continue
        end = m.end()
        if low[start:end].strip():
            spans.append((start, end))
        start = end
    if low[start:].strip():
        spans.append((start, len(low)))
    return spans


def paragraphs(low: str) -> list[tuple[int, int]]:
    """Lines of the text (each non-empty line is a paragraph)."""
    spans = []
    start = 0
    for m in re.finditer(r"\n", low):
        if low[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if low[start:].strip():
        spans.append((start, len(low)))
    return spans
