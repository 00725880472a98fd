"""Shared pieces of the crawler tests: a fast, isolated crawl environment and truth look-ups."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

HOSTS = {"thads": "thads.moj.gov.vn", "moj": "moj.gov.vn", "baophapluat": "baophapluat.vn", "plo": "plo.vn"}
# Strings that must never survive cleaning (docs/mirror.md, "Boilerplate in article pages").
BOILERPLATE = (
    "leftcenterrightdel",
    "ảnh 1",
    "Ảnh: ",
    "Cùng chuyên mục",
    "Đọc thêm",
    "Ý kiến",
    "Chia sẻ",
    "In bài",
    "In trang",
    "Gửi email",
    "Gửi bài viết",
    "Sao chép liên kết",
    "Facebook",
    "Zalo",
    "Các tin khác",
    "Các tin đã đưa",
    "Quay lại",
    "Gửi bình luận",
    "Quảng cáo",
    "Trang chủ",
    "Bản quyền",
)


@pytest.fixture()
def crawl_env(mirror_env, tmp_lake, monkeypatch):
    """The session mirror with everything visible and no faults, an empty lake, and test-speed politeness:
    no per-host delay (robots Crawl-delay still applies), millisecond backoff, a 2 s client timeout."""
    monkeypatch.setenv("THADS_CRAWL_DELAY", "0")
    monkeypatch.setenv("THADS_HTTP_BACKOFF_BASE", "0.005")
    monkeypatch.setenv("THADS_HTTP_RETRY_AFTER_MAX", "0.05")
    monkeypatch.setenv("THADS_HTTP_TIMEOUT", "2")
    mirror_env.set_as_of(None)
    mirror_env.set_faults(None)
    mirror_env.reset_log()
    yield mirror_env
    mirror_env.set_as_of(None)
    mirror_env.set_faults(None)


def truth(source: str | None = None) -> list[dict]:
    from scrapers.mirror.archive import truth as _truth

    return [t for t in _truth() if source is None or t["source"] == source]


def expected_urls(
    source: str,
    *,
    as_of: str | None = None,
    start: str | None = None,
    end: str | None = None,
    on_topic: bool | None = True,
) -> set[str]:
    """Real URLs of the articles a crawl should land (visible, allowed by robots, in range, on topic)."""
    out = set()
    for t in truth(source):
        if t["robots_disallowed"]:
            continue
        if (
            as_of
            and t["published"] > as_of
            or start
            and t["published"] < start
            or end
            and t["published"] > end
        ):
            continue
        if on_topic is not None and t["on_topic"] != on_topic:
            continue
        out.add(t["url"])
    return out


def landed_articles(lake: Path, source: str) -> list[dict]:
    rows = []
    for path in sorted((lake / "articles").glob(f"version=*/source={source}/*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def raw_metas(lake: Path, source: str) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((lake / "raw").glob(f"source={source}/*.meta.json"))
    ]


def quarantined(lake: Path, source: str) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((lake / "quarantine").glob(f"source={source}/*.json"))
    ]


def requests_of(mirror, kind: str | None = None, host: str | None = None) -> list:
    return [
        e for e in mirror.requests if (kind is None or e.kind == kind) and (host is None or e.host == host)
    ]


def profile_dict(source: str) -> dict:
    """A profile's merged YAML as a dict, to build variants of it in tests."""
    import yaml

    from scrapers.sites.profile import DEFAULTS_FILE, SITES_DIR, merge

    return merge(
        yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8")),
        yaml.safe_load((SITES_DIR / f"{source}.yaml").read_text(encoding="utf-8")),
    )


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)
