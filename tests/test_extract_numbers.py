"""Number grammar: Vietnamese renderings of amounts, counts and percents parse back exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.extract import extract_facts
from scrapers.extract.numbers import parse_number, scan
from scrapers.extract.textprep import prepare


def dots(n: int, zero_pad: int = 0) -> str:
    """264909 -> '264.909' (Vietnamese thousands dots)."""
    s = f"{n:,}".replace(",", ".")
    return "0" * zero_pad + s


def one(text: str):
    ms = scan(prepare(text).low)
    assert len(ms) == 1, (text, ms)
    return ms[0]


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=2))
def test_counts_with_dots(n, pad):
    m = one(f"thi hành xong {dots(n, pad)} việc")
    assert (m.value, m.unit) == (n, "cases")


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=999),
       st.integers(min_value=0, max_value=999), st.sampled_from(["tỷ", "tỉ"]), st.booleans(), st.booleans())
def test_chained_amounts(ty, trieu, nghin, ty_word, with_dong, pad):
    parts = [f"{dots(ty)} {ty_word}"]
    want = ty * 10**9
    if trieu:
        parts.append(f"{trieu:03d}" if pad else str(trieu))
        parts[-1] += " triệu"
        want += trieu * 10**6
    if nghin:
        parts.append(f"{nghin} nghìn")
        want += nghin * 10**3
    text = "số tiền " + " ".join(parts) + (" đồng" if with_dong else "") + ", "
    m = one(text)
    assert (m.value, m.unit) == (want, "vnd")


@given(st.integers(min_value=1, max_value=10**13))
def test_full_digit_amounts(n):
    m = one(f"thu được {dots(n)} đồng")
    assert (m.value, m.unit) == (n, "vnd")


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=99),
       st.sampled_from([",", "."]), st.sampled_from(["", " "]))
def test_percents(whole, frac, sep, space):
    # "28,04%" and the inconsistent "4.3%" / "91.8%" both mean a decimal
    text = f"đạt tỷ lệ {whole}{sep}{frac:02d}{space}%"
    m = one(text)
    assert m.unit == "percent"
    assert m.value == Decimal(f"{whole}.{frac:02d}")


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999),
       st.sampled_from(["nghìn tỷ", "ngàn tỷ"]))
def test_thousand_billion(a, b, word):
    m = one(f"hơn {a},{b % 10} {word} đồng")
    assert m.value == (Decimal(a) + Decimal(b % 10) / 10) * 10**12


@settings(max_examples=60)
@given(st.integers(min_value=1, max_value=500_000), st.integers(min_value=1, max_value=10**6),
       st.integers(min_value=0, max_value=9999), st.sampled_from(["gần", "hơn", "trên", "khoảng", ""]))
def test_round_trip_through_engine(cases, money_ty, rate_bp, qual):
    rate = Decimal(rate_bp) / 100
    rate_s = f"{rate:.2f}".replace(".", ",")
    text = (f"Năm 2022, Cục THADS tỉnh Bến Tre đã thi hành xong {qual} {dots(cases)} việc, "
            f"tương ứng với {dots(money_ty)} tỷ đồng, đạt tỷ lệ {rate_s}%.")
    facts = extract_facts(text)
    got = {(f["metric"], f["unit"]): f for f in facts}
    assert got[("completed", "cases")]["value"] == cases
    assert got[("completed", "vnd")]["value"] == money_ty * 10**9
    assert Decimal(str(got[("completion_rate", "percent")]["value"])) == rate
    want_q = {"gần": "approx", "khoảng": "approx", "hơn": "over", "trên": "over", "": "exact"}[qual]
    assert got[("completed", "cases")]["qualifier"] == want_q


@pytest.mark.parametrize("text,value,unit", [
    ("tăng 4.3%", Decimal("4.3"), "percent"),
    ("đạt 91.8%", Decimal("91.8"), "percent"),
    ("hơn 1,052 tỷ đồng", Decimal(1052) * 10**9, "vnd"),
    ("hơn 150.000 tỷ", Decimal(150000) * 10**9, "vnd"),
    ("036.576 tỷ 087 triệu", Decimal(36576087) * 10**6, "vnd"),
    ("14.366 tỷ 829 triệu 385 nghìn đồng", Decimal(14366829385000), "vnd"),
    ("93.084.022.000 đồng", Decimal(93084022000), "vnd"),
    ("gần 5 nghìn việc", Decimal(5000), "cases"),
    ("hơn 2,6 triệu việc", Decimal(2600000), "cases"),
    ("xong 2.407việc", Decimal(2407), "cases"),
    ("đạt 53,2%191 về việc", Decimal("53.2"), "percent"),
    ("năm bản án", Decimal(5), "judgments"),
    ("bốn việc", Decimal(4), "cases"),
    ("114 biên chế", Decimal(114), "persons"),
    ("05 việc", Decimal(5), "cases"),
    ("1.234.567.890.000đ", Decimal(1234567890000), "vnd"),
])
def test_number_table(text, value, unit):
    m = one(text)
    assert (m.value, m.unit) == (value, unit)


def test_ratio_denominator():
    m = one("thi hành xong 363/830 việc")
    assert (m.value, m.denominator) == (363, 830)
    m = one("thi hành xong 7.714 việc/8.403 việc")
    assert (m.value, m.denominator) == (7714, 8403)


@pytest.mark.parametrize("text", [
    "tỷ lệ", "tỉ lệ 5", "Nghị quyết số 96/2019/QH14", "ngày 31/3/2024", "63 điểm cầu", "75 năm",
    "năm 2021", "thứ 5/34", "gấp 3 lần", "12 cuộc họp", "hàng trăm tỷ đồng",
])
def test_not_quantities(text):
    assert scan(prepare(text).low) == []


def test_parse_number_rules():
    assert parse_number("264.909") == 264909
    assert parse_number("28,04") == Decimal("28.04")
    assert parse_number("1.234,5") == Decimal("1234.5")
    assert parse_number("1,234.5") == Decimal("1234.5")
    assert parse_number("1,052", "vnd") == 1052
    assert parse_number("1,052", "percent") == Decimal("1.052")
    assert parse_number("1.2.3") is None
