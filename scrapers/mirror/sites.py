"""What the mirror knows about each source: hosts, subsites, lists, categories, robots rules.

Data only; the renderers and the router read it. docs/mirror.md describes the same.
"""

from __future__ import annotations

HOSTS = {
    "thads": "thads.moj.gov.vn",
    "moj": "moj.gov.vn",
    "baophapluat": "baophapluat.vn",
    "plo": "plo.vn",
}
SOURCE_OF_HOST = {h: s for s, h in HOSTS.items()}

PAGE_SIZE = 20
RSS_SIZE = 50

# thads subsites: id -> (canonical scope name, how the province is written in prose, site title)
PROVINCES = {
    "bentre": ("Bến Tre", "tỉnh Bến Tre"),
    "danang": ("Đà Nẵng", "thành phố Đà Nẵng"),
    "vinhphuc": ("Vĩnh Phúc", "tỉnh Vĩnh Phúc"),
    "thanhhoa": ("Thanh Hóa", "tỉnh Thanh Hóa"),
    "tphochiminh": ("Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
    "hanoi": ("Hà Nội", "thành phố Hà Nội"),
    "haiphong": ("Hải Phòng", "thành phố Hải Phòng"),
    "cantho": ("Cần Thơ", "thành phố Cần Thơ"),
    "nghean": ("Nghệ An", "tỉnh Nghệ An"),
    "quangninh": ("Quảng Ninh", "tỉnh Quảng Ninh"),
    "dongnai": ("Đồng Nai", "tỉnh Đồng Nai"),
    "lamdong": ("Lâm Đồng", "tỉnh Lâm Đồng"),
}

# Districts that provincial subsites sometimes report on (Chi cục THADS): (kind, name).
DISTRICTS = {
    "hanoi": [("quận", "Ba Đình"), ("quận", "Cầu Giấy"), ("huyện", "Đông Anh")],
    "bentre": [("huyện", "Châu Thành"), ("huyện", "Mỏ Cày Nam")],
    "thanhhoa": [("huyện", "Quảng Xương"), ("thị xã", "Nghi Sơn")],
    "tphochiminh": [("quận", "Bình Thạnh"), ("quận", "Gò Vấp")],
}

THADS_NATIONAL_LISTS = ("TinHoatDong", "TinThongKe")
THADS_SUBSITE_LIST = "TinTuc"
THADS_INTERNAL_LIST = "NoiBo"
THADS_LISTING = "noidung/tintuc/Pages/tin-tuc.aspx"

MOJ_CATEGORIES = ("thi-hanh-an-dan-su", "hoat-dong-cua-bo", "tin-tuc-su-kien")
MOJ_INTERNAL = "noi-bo"
MOJ_CATEGORY_NAMES = {
    "thi-hanh-an-dan-su": "Thi hành án dân sự",
    "hoat-dong-cua-bo": "Hoạt động của Bộ",
    "tin-tuc-su-kien": "Tin tức - Sự kiện",
    "noi-bo": "Nội bộ",
}

BPL_CATEGORIES = ("phap-luat", "thi-hanh-an", "thoi-su")
BPL_CATEGORY_NAMES = {"phap-luat": "Pháp luật", "thi-hanh-an": "Thi hành án", "thoi-su": "Thời sự"}

PLO_CATEGORIES = ("phap-luat", "thoi-su")
PLO_CATEGORY_NAMES = {"phap-luat": "Pháp luật", "thoi-su": "Thời sự"}
PLO_RSS_IDS = {"phap-luat": 11, "thoi-su": 1}

# plo.vn articles published on/after this date use div.article-content (layout drift).
PLO_DRIFT_FROM = "2026-06-01"

TRACKING_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "fbclid", "_ga", "gidzl")


def robots_disallow(source: str) -> list[str]:
    """Disallow lines of a host's robots.txt, in real-site paths."""
    if source == "thads":
        rules = ["/_layouts/", f"/noidung/tintuc/Lists/{THADS_INTERNAL_LIST}/"]
        rules += [f"/{s}/noidung/tintuc/Lists/{THADS_INTERNAL_LIST}/" for s in PROVINCES]
        return rules
    if source == "moj":
        return ["/_layouts/", f"/qt/tintuc/Pages/{MOJ_INTERNAL}.aspx"]
    if source == "baophapluat":
        return ["/preview/", "/tim-kiem/"]
    if source == "plo":
        return ["/in-bai/", "/tim-kiem/"]
    raise KeyError(source)
