"""Encode Vietnamese text as windows-1258, the way legacy pages were written.

cp1258 has few precomposed Vietnamese letters; the rest are a base letter plus a combining tone mark
(e.g. 'ế' = 'ê' + U+0301). Python's codec does not decompose by itself, so we do.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache


@cache
def _encode_char(c: str) -> bytes:
    try:
        return c.encode("cp1258")
    except UnicodeEncodeError:
        pass
    d = unicodedata.normalize("NFD", c)
    base, marks = d[0], d[1:]
    # Compose the base with some marks so that the base and the remaining marks all exist in cp1258.
    for k in range(len(marks), -1, -1):
        for chosen in itertools.combinations(range(len(marks)), k):
            head = unicodedata.normalize("NFC", base + "".join(marks[i] for i in chosen))
            tail = "".join(m for i, m in enumerate(marks) if i not in chosen)
            try:
                return (head + tail).encode("cp1258")
            except UnicodeEncodeError:
                continue
    return b"?"


def encode_cp1258(text: str) -> bytes:
    return b"".join(_encode_char(c) for c in unicodedata.normalize("NFC", text))
