"""The province table and scope resolution."""

from __future__ import annotations

import csv

import pytest

from scrapers.extract import extract_facts
from scrapers.extract.provinces import DATA, canonical, from_slug, provinces

SURVIVORS = {
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
}


def test_table_shape():
    with DATA.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["name", "kind", "merged_into", "exists_after_2025", "thads_slug", "aliases"]
        rows = list(reader)
    assert len(rows) == 63
    assert len({r["name"] for r in rows}) == 63
    assert {r["merged_into"] for r in rows} == SURVIVORS
    assert sum(r["kind"] == "thành phố" for r in rows) == 5
    for r in rows:
        assert r["kind"] in ("tỉnh", "thành phố")
        assert r["exists_after_2025"] in ("true", "false")
        assert r["thads_slug"].isascii() and r["thads_slug"].islower() and " " not in r["thads_slug"]
        survivor = r["merged_into"] == r["name"] or (r["name"], r["merged_into"]) == ("Thừa Thiên Huế", "Huế")
        assert (r["exists_after_2025"] == "true") == (r["merged_into"] == r["name"]) or survivor
    merged = {r["name"]: r["merged_into"] for r in rows}
    assert merged["Bình Dương"] == merged["Bà Rịa - Vũng Tàu"] == "Hồ Chí Minh"
    assert merged["Vĩnh Phúc"] == merged["Hòa Bình"] == "Phú Thọ"
    assert merged["Bến Tre"] == merged["Trà Vinh"] == "Vĩnh Long"
    assert merged["Thừa Thiên Huế"] == "Huế"
    assert len(provinces()) == 63


@pytest.mark.parametrize("alias,name", [
    ("TP.HCM", "Hồ Chí Minh"), ("TP. Hồ Chí Minh", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("Sài Gòn", "Hồ Chí Minh"), ("Thủ đô", "Hà Nội"), ("Hoà Bình", "Hòa Bình"), ("Khánh Hoà", "Khánh Hòa"),
    ("Thanh Hoá", "Thanh Hóa"), ("Ha Noi", "Hà Nội"), ("Da Nang", "Đà Nẵng"), ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("TT-Huế", "Thừa Thiên Huế"), ("Đắc Lắc", "Đắk Lắk"), ("Bắc Cạn", "Bắc Kạn"), ("\u00d0à Nẵng", "Đà Nẵng"),
    ("Ba Đình", None),
])
def test_aliases(alias, name):
    assert canonical(alias) == name


def test_slugs():
    assert from_slug("bentre") == "Bến Tre"
    assert from_slug("danang") == "Đà Nẵng"
    assert from_slug("tphochiminh") == "Hồ Chí Minh"
    assert from_slug("noidung") is None


SENT = "Năm 2022, {who} đã thi hành xong 4.210 việc."


@pytest.mark.parametrize("who,url,title,level,name", [
    ("Cục THADS tỉnh Bến Tre", None, None, "province", "Bến Tre"),
    ("Cục THADS TP.HCM", None, None, "province", "Hồ Chí Minh"),
    ("Cục THADS Thủ đô", None, None, "province", "Hà Nội"),
    ("Cục Thi hành án dân sự thành phố Đà Nẵng", None, None, "province", "Đà Nẵng"),
    ("Chi cục THADS huyện Ba Tri, tỉnh Bến Tre", None, None, "district", "Bến Tre / Ba Tri"),
    ("Chi cục THADS quận Ba Đình", None, "Chi cục THADS quận Ba Đình, Hà Nội", "district", "Hà Nội / Ba Đình"),
    ("toàn hệ thống", None, None, "national", None),
    ("cả nước", None, None, "national", None),
    ("đơn vị", "https://thads.moj.gov.vn/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=1",
     None, "province", "Bến Tre"),
    ("đơn vị", None, "Vĩnh Phúc: Công tác thi hành án", "province", "Vĩnh Phúc"),
    ("Tổng cục THADS", None, None, "national", None),
])
def test_scope(who, url, title, level, name):
    facts = extract_facts(SENT.format(who=who), url=url, title=title)
    assert [(f["scope_level"], f["scope_name"]) for f in facts] == [(level, name)]


def test_person_name_is_not_a_province():
    text = ("Hội nghị học tập tư tưởng, đạo đức, phong cách Hồ Chí Minh. Trụ sở tại Ba Đình, Hà Nội.\n"
            "Năm 2022, toàn hệ thống đã thi hành xong 600.000 việc.")
    assert [(f["scope_level"], f["scope_name"]) for f in extract_facts(text)] == [("national", None)]
