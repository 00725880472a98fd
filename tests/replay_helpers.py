"""A small raw archive and toy rules for the replay tests.

The toy cleaner/extractor stand in for the real ones so the tests exercise
replay's own behaviour (staging, atomic switch, diff, filters) with a fact set
known in advance; test_replay_real.py runs the real cleaner and extractor.
Functions are module-level so worker processes can use them.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from types import SimpleNamespace

from scrapers import lake as lake_mod
from scrapers.facts_schema import FACT_FIELDS
from scrapers.replay.rules import Rules

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - Cổng TTĐT</title></head>
<body><div class="menu">Trang chủ | Tin tức | leftcenterrightdel</div>
<div id="article"><h1 class="title">{title}</h1><span class="date">{date}</span>
<div class="body">{body}</div></div>
<div class="related">Cùng chuyên mục <a href="/x">Tin khác</a></div></body></html>"""

PROVINCES = ("bentre", "danang", "vinhphuc", "hanoi", "cantho", "laocai")


def page_html(title: str, day: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return PAGE.format(title=title, date=day, body=body).encode("utf-8")


def doc_body(total: int, new: int, done: int, over: bool = False) -> list[str]:
    q = "hơn " if over else ""
    return [f"Tính đến ngày 30/9/2024, tổng số phải thi hành là {total:,} việc".replace(",", "."),
            f"trong đó thụ lý mới {q}{new:,} việc".replace(",", "."),
            f"đã thi hành xong {done:,} việc.".replace(",", ".")]


def land_page(lake: Path, source: str, doc_id: str, url: str, html: bytes, fetched_at: str,
              **meta_extra) -> None:
    meta = {"url": url, "fetch_url": url, "final_url": url, "status": 200, "content_type": "text/html",
            "encoding": "utf-8", "etag": None, "last_modified": None,
            "sha256": hashlib.sha256(html).hexdigest(), "fetched_at": fetched_at, **meta_extra}
    lake_mod.land_raw(source, doc_id, html, meta, lake=lake)


def build_archive(lake: Path) -> list[dict]:
    """Six articles: four thads (two with 'hơn'), two plo; fetched on two days."""
    docs = []
    for i, prov in enumerate(PROVINCES):
        source = "thads" if i < 4 else "plo"
        if source == "thads":
            doc_id = f"thads.moj.gov.vn/{prov}/tintuc/{100 + i}"
            url = (f"https://thads.moj.gov.vn/{prov}/noidung/tintuc/Lists/TinTuc/"
                   f"View_Detail.aspx?ItemID={100 + i}")
        else:
            doc_id = f"plo.vn/bai-{prov}-{500 + i}"
            url = f"https://plo.vn/bai-{prov}-post{500 + i}.html"
        fetched = "2024-10-01T06:00:00Z" if i % 2 == 0 else "2024-10-05T06:00:00Z"
        html = page_html(f"Kết quả thi hành án tại {prov}", f"0{i + 1}/10/2024",
                         doc_body(1000 + 100 * i, 400 + 10 * i, 300 + i, over=i in (1, 2)))
        land_page(lake, source, doc_id, url, html, fetched)
        docs.append({"source": source, "doc_id": doc_id, "url": url, "fetched_at": fetched})
    return docs


# ---- toy rules ---------------------------------------------------------------

def toy_profile(source: str):
    return SimpleNamespace(id=source, subsites=())


def toy_clean(html, url, profile, **_kw):
    from lxml import html as lh

    tree = lh.fromstring(html)
    title = tree.findtext(".//h1").strip()
    day = tree.findtext('.//span[@class="date"]').strip()
    body = " ".join(p.text_content().strip() for p in tree.iterfind('.//div[@class="body"]/p'))
    d, m, y = day.split("/")
    return SimpleNamespace(title=title, published=f"{y}-{int(m):02d}-{int(d):02d}",
                           text=f"{title}\n{day}\n{body}",
                           drift=[], used_fallback=False)


_CUES = (("total", r"tổng số phải thi hành là"), ("new", r"thụ lý mới"), ("completed", r"thi hành xong"))


def _facts(text: str, *, read_over: bool, drop: tuple[str, ...] = ()) -> list[dict]:
    out = []
    for metric, cue in _CUES:
        m = re.search(cue + r" (hơn )?(\d[\d.]*) việc", text)
        if not m or metric in drop:
            continue
        fact = dict.fromkeys(FACT_FIELDS)
        fact.update(metric=metric, unit="cases", value=float(m.group(2).replace(".", "")),
                    qualifier="over" if (read_over and m.group(1)) else "exact",
                    period_start="2023-10-01", period_end="2024-09-30", period_label="năm 2024",
                    scope_level="national", domain="civil", category="all", quote=m.group(0),
                    char_start=m.start(), char_end=m.end())
        out.append(fact)
    return out


def toy_extract(text, *, url=None, title=None, published=None):
    return _facts(text, read_over=False)


def toy_extract_no_completed(text, *, url=None, title=None, published=None):
    return _facts(text, read_over=False, drop=("completed",))


def toy_extract_reads_over(text, *, url=None, title=None, published=None):
    return _facts(text, read_over=True)


_calls = {"n": 0}


def toy_extract_dies_after_2(text, *, url=None, title=None, published=None):
    """Kills its worker process on the third page it sees (a crash mid-run)."""
    _calls["n"] += 1
    if _calls["n"] > 2:
        os._exit(17)
    return _facts(text, read_over=True)


def toy_clean_raises_on_danang(html, url, profile, **_kw):
    if "danang" in url:
        raise ValueError("layout not understood")
    return toy_clean(html, url, profile)


def rules(extract=toy_extract, extractor_version="etoy1", clean=toy_clean, cleaner_version="ctoy1") -> Rules:
    return Rules(cleaner_version=cleaner_version, extractor_version=extractor_version, clean=clean,
                 extract=extract, load_profile=toy_profile)


def tree_state(path: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``path`` (except the lock) -> (mtime_ns, sha256): to prove nothing was rewritten."""
    out = {}
    for f in sorted(path.rglob("*")):
        if f.is_file() and f.name != ".lock":
            out[str(f.relative_to(path))] = (f.stat().st_mtime_ns, hashlib.sha256(f.read_bytes()).hexdigest())
    return out


# ---- pages rendered by the mirror, for the real cleaner and extractor ---------------------------

def land_from_mirror(lake: Path, mirror, per_source: int = 3) -> list[dict]:
    """Fetch a few on-topic and one off-topic article per source from the running mirror; land them raw."""
    from datetime import UTC, datetime

    import requests

    from scrapers.crawl.keys import doc_id as key_of
    from scrapers.mirror.archive import articles
    from scrapers.sites import load_profile

    landed = []
    fetched_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    for source in ("thads", "moj", "baophapluat", "plo"):
        profile = load_profile(source)
        pool = [a for a in articles()
                if a.source == source and not a.robots_disallowed and a.charset == "utf-8"]
        picks = ([a for a in pool if a.on_topic and a.facts][:per_source]
                 + [a for a in pool if not a.on_topic][:1])
        for a in picks:
            resp = requests.get(mirror.url + a.mirror_path, timeout=10)
            resp.raise_for_status()
            doc = key_of(a.url, profile)
            land_page(lake, source, doc, a.url, resp.content, fetched_at,
                      content_type=resp.headers.get("Content-Type"), status=resp.status_code)
            landed.append({"source": source, "doc_id": doc, "url": a.url, "on_topic": a.on_topic,
                           "truth": a.facts})
    return landed


def real_extract_without_completion_rate(text, *, url=None, title=None, published=None):
    """The real extractor with one rule removed: what a rule change that drops a metric looks like."""
    from scrapers.extract import extract_facts

    return [f for f in extract_facts(text, url=url, title=title, published=published)
            if f["metric"] != "completion_rate"]


def replay_in_daemon(lake: Path, queue) -> None:
    """Target for a daemonic process: replay there must fall back to one process, not crash."""
    from scrapers.replay import run_replay

    s = run_replay(lake=lake, rules=rules(), workers=2)
    queue.put((s["workers"], s["published"]))
