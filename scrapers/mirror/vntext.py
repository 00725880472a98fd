"""Vietnamese number, money, percent and date formatting as the sources write them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date


def fmt_int(n: int, *, pad2: bool = False) -> str:
    """264909 -> '264.909'; with pad2 small numbers get a leading zero ('05')."""
    s = f"{abs(int(n)):,}".replace(",", ".")
    if pad2 and abs(n) < 10:
        s = "0" + s
    return ("-" if n < 0 else "") + s


def fmt_pct(x: float) -> str:
    """45.67 -> '45,67'; 60.0 -> '60'; 4.5 -> '4,5' (no '%')."""
    s = f"{abs(x):.2f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def fmt_money(vnd: int) -> str:
    """An amount in đồng, a multiple of one million: '84.716 tỷ 180 triệu đồng', '850 triệu đồng'."""
    if vnd % 1_000_000:
        raise ValueError(f"amounts are generated in whole triệu: {vnd}")
    trieu = abs(vnd) // 1_000_000
    ty, rest = divmod(trieu, 1000)
    parts = []
    if ty:
        parts.append(f"{fmt_int(ty)} tỷ")
    if rest or not ty:
        parts.append(f"{rest} triệu")
    return " ".join(parts) + " đồng"


def fmt_date(d: date, *, short: bool = False) -> str:
    """'26/04/2021', or short '1/10/2020' as prose writes it."""
    if short:
        return f"{d.day}/{d.month}/{d.year}"
    return d.strftime("%d/%m/%Y")


def slugify(title: str, max_len: int = 80) -> str:
    s = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:max_len].rstrip("-")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
