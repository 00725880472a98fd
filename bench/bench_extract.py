"""Extraction throughput on the dev set and on short excerpts, against a plain regex number scan.

    .venv/bin/python bench/bench_extract.py [--repeat N]

Prints articles/s and chars/s for `extract_facts` and for a baseline that only
finds digit groups with one regex over the same texts in the same process, and
the ratio between them (how many times slower the full engine is than the
cheapest possible scan). Two corpora: the dev set (whole articles) and the
held-out-style excerpts of tests/extract_cases/heldout_style.yaml (the length
of most held-out texts).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scrapers.extract import extract_facts  # noqa: E402
from scrapers.extract.article_file import read_article  # noqa: E402

SHARED = Path(os.environ.get("THADS_SHARED_DIR", REPO.parent / "shared"))
_BASELINE = re.compile(r"\d+(?:[.,]\d+)*\s*(?:%|việc|tỷ|triệu|đồng)?")


def _load() -> list:
    arts = [read_article(p) for p in sorted((SHARED / "dev-set" / "articles").glob("*.txt"))]
    if not arts:
        sys.exit(f"no dev-set articles under {SHARED}")
    return arts


def _load_excerpts() -> list:
    import yaml

    from scrapers.extract.article_file import Article

    cases = yaml.safe_load((REPO / "tests" / "extract_cases" / "heldout_style.yaml").read_text(encoding="utf-8"))
    return [Article(c.get("url"), c.get("title"), str(c["published"]) if c.get("published") else None, c["text"])
            for c in cases]


def _time(fn, arts, repeat: int) -> float:
    t0 = time.perf_counter()
    for _ in range(repeat):
        for a in arts:
            fn(a)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args(argv)
    _run("dev set", _load(), args.repeat)
    _run("excerpts", _load_excerpts(), max(1, args.repeat // 10))
    return 0


def _run(label: str, arts: list, repeat: int) -> None:
    args = argparse.Namespace(repeat=repeat)
    n = len(arts) * args.repeat
    chars = sum(len(a.text) for a in arts) * args.repeat
    # warm-up: compiled regexes and cue tables are cached after the first call
    for a in arts:
        extract_facts(a.text, url=a.url, title=a.title, published=a.published)
    base = _time(lambda a: _BASELINE.findall(a.text), arts, args.repeat)
    eng = _time(lambda a: extract_facts(a.text, url=a.url, title=a.title, published=a.published), arts,
                args.repeat)
    facts = sum(len(extract_facts(a.text, url=a.url, title=a.title, published=a.published)) for a in arts)
    print(f"{label}: {len(arts)} articles x {args.repeat} = {n} extractions, {chars / n:.0f} chars/article, "
          f"{facts} facts per pass")
    print(f"baseline regex scan : {n / base:10.1f} articles/s  {chars / base / 1e6:8.2f} M chars/s")
    print(f"extract_facts       : {n / eng:10.1f} articles/s  {chars / eng / 1e6:8.2f} M chars/s")
    print(f"ratio engine/baseline time: {eng / base:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
