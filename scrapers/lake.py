"""The lake: files that crawl and replay tasks land, and that dbt reads.

Layout (every dataset is partitioned hive-style so DuckDB globs can read it):

    raw/source=S/<doc_id>.html.gz            page bytes as fetched (gzip, mtime 0)
    raw/source=S/<doc_id>.meta.json          fetch metadata (url, status, etag, sha256, ...)
    articles/version=V/source=S/<doc_id>.jsonl   one clean article record
    facts/version=V/source=S/<doc_id>.jsonl      0..n fact records of that article
    quarantine/source=S/<key>.json           a page that could not be used, with the reason
    drift/source=S/<key>.json                a profile selector that matched nothing
    runs/<kind>/<run_id>.json                one summary per crawl / replay run
    versions/<V>.json                        manifest: version V is complete and visible

Every write goes to a temporary file in the same folder and is renamed into
place, so a reader never sees half a file, and the same input always lands at
the same path with the same bytes (re-runs are idempotent).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scrapers import config

_UMASK = os.umask(0)
os.umask(_UMASK)

DATASETS = ("raw", "articles", "facts", "quarantine", "drift", "runs", "versions")


def root(lake: Path | str | None = None) -> Path:
    return Path(lake) if lake is not None else config.lake_dir()


def short_hash(*parts: str, n: int = 16) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:n]


def safe_name(doc_id: str) -> str:
    """A file name for a document id: readable where possible, always unique."""
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in doc_id)[:80]
    return f"{keep}-{short_hash(doc_id, n=10)}"


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically. Returns False when identical bytes were already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        try:
            if path.read_bytes() == data:
                return False
        except OSError:
            pass
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes 0600 files; landed data should be readable like any other file.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def dumps(record: dict[str, Any]) -> str:
    # sort_keys + fixed separators: the same record is always the same bytes.
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def write_json(path: Path, record: dict[str, Any]) -> bool:
    return atomic_write_bytes(path, (dumps(record) + "\n").encode("utf-8"))


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> bool:
    body = "".join(dumps(r) + "\n" for r in records)
    return atomic_write_bytes(path, body.encode("utf-8"))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gzip_bytes(data: bytes) -> bytes:
    # mtime=0 keeps the archive byte-identical across re-runs.
    return gzip.compress(data, compresslevel=6, mtime=0)


# ---- paths -----------------------------------------------------------------

def raw_html_path(source: str, doc_id: str, lake: Path | None = None) -> Path:
    return root(lake) / "raw" / f"source={source}" / f"{safe_name(doc_id)}.html.gz"


def raw_meta_path(source: str, doc_id: str, lake: Path | None = None) -> Path:
    return root(lake) / "raw" / f"source={source}" / f"{safe_name(doc_id)}.meta.json"


def article_path(version: str, source: str, doc_id: str, lake: Path | None = None) -> Path:
    return root(lake) / "articles" / f"version={version}" / f"source={source}" / f"{safe_name(doc_id)}.jsonl"


def facts_path(version: str, source: str, doc_id: str, lake: Path | None = None) -> Path:
    return root(lake) / "facts" / f"version={version}" / f"source={source}" / f"{safe_name(doc_id)}.jsonl"


def quarantine_path(source: str, url: str, lake: Path | None = None) -> Path:
    return root(lake) / "quarantine" / f"source={source}" / f"{short_hash(url)}.json"


def drift_path(source: str, url: str, selector: str, lake: Path | None = None) -> Path:
    return root(lake) / "drift" / f"source={source}" / f"{short_hash(url, selector)}.json"


def run_path(kind: str, run_id: str, lake: Path | None = None) -> Path:
    return root(lake) / "runs" / kind / f"{safe_name(run_id)}.json"


def version_manifest_path(version: str, lake: Path | None = None) -> Path:
    return root(lake) / "versions" / f"{version}.json"


# ---- convenience writers ---------------------------------------------------

def land_raw(source: str, doc_id: str, html: bytes, meta: dict[str, Any], lake: Path | None = None) -> None:
    """Land a fetched page: bytes first, then the metadata that points at them."""
    atomic_write_bytes(raw_html_path(source, doc_id, lake), gzip_bytes(html))
    write_json(raw_meta_path(source, doc_id, lake), {**meta, "doc_id": doc_id, "source": source})


def read_raw(source: str, doc_id: str, lake: Path | None = None) -> bytes:
    return gzip.decompress(raw_html_path(source, doc_id, lake).read_bytes())


def quarantine(source: str, url: str, reason: str, detail: str = "", lake: Path | None = None,
               **extra: Any) -> None:
    write_json(quarantine_path(source, url, lake),
               {"source": source, "url": url, "reason": reason, "detail": detail[:2000], **extra})


def record_drift(source: str, url: str, selector: str, field: str, lake: Path | None = None,
                 **extra: Any) -> None:
    write_json(drift_path(source, url, selector, lake),
               {"source": source, "url": url, "selector": selector, "field": field, **extra})
