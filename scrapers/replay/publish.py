"""Staging and the atomic switch of a version (rule in docs/replay.md).

Readers (dbt) read only partitions that have a manifest in ``versions/``, so a
partition becomes visible exactly when its manifest is written. Replay therefore:

1. writes every file of the new set into ``.staging/<V>-<pid>-<nonce>/``;
2. if V already has a visible partition whose files equal the staged ones,
   stops: a no-op, nothing rewritten;
3. otherwise picks the partition to publish into:
   - ``V`` when no manifest for V exists (files a crawl landed there are
     invisible, so they are merged over / removed safely);
   - ``V.g<N>`` (next free generation) when V is already visible, because
     changing a visible partition in place would show readers a mix;
4. moves the staged files in (one rename per dataset for a new partition),
   and writes ``versions/<partition>.json`` LAST.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from scrapers import lake as lake_mod
from scrapers.replay.errors import ReplayError

STAGING = ".staging"
DATASETS = ("articles", "facts")


class Covered(NamedTuple):
    """One replayed doc: where its files are named, whether it derived, what was staged."""

    source: str
    name: str                      # file name in articles/ and facts/ (safe_name(doc_id) + ".jsonl")
    ok: bool
    sha256: dict[str, str]         # dataset -> sha256 of the staged file (empty when not ok)
    n_facts: int


@contextmanager
def replay_lock(lake: Path) -> Iterator[None]:
    """One replay per lake at a time; stale staging folders of dead runs are removed under the lock."""
    base = lake / STAGING
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ReplayError(f"another replay holds {base / '.lock'}") from exc
        for old in base.iterdir():
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def new_staging(lake: Path, version: str) -> Path:
    path = lake / STAGING / f"{version}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    for ds in DATASETS:
        (path / ds).mkdir(parents=True)
    return path


def partition_dir(lake: Path, dataset: str, partition: str) -> Path:
    return lake / dataset / f"version={partition}"


def _created_ts(m: dict[str, Any], path: Path) -> float:
    # Same order as the warehouse (stg_versions): created_at, else the manifest file's mtime.
    try:
        return datetime.fromisoformat(str(m["created_at"])).timestamp()
    except (KeyError, ValueError):
        return path.stat().st_mtime


def visible_manifests(lake: Path) -> list[dict[str, Any]]:
    """Manifests readers use, oldest first; each gets ``partition`` (its directory name).

    Like the warehouse, any readable manifest counts unless it says ``complete: false``
    (the crawler's manifests carry no ``complete`` field).
    """
    out = []
    for p in sorted((lake / "versions").glob("*.json")):
        try:
            m = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # unreadable: dbt cannot use it either
        if isinstance(m, dict) and m.get("complete", True) is not False:
            out.append({**m, "partition": p.stem, "_ts": _created_ts(m, p)})
    out.sort(key=lambda m: (m["_ts"], m["partition"]))
    return out


def rules_version_of(m: dict[str, Any]) -> str:
    return m.get("rules_version") or m.get("version") or m["partition"]


def landing_partition(version: str, lake: Path | str | None = None) -> str:
    """Where a crawl under rules ``version`` should land articles and facts (it must not re-write a manifest).

    The newest visible generation of V (``V.g<N>``) if a replay made one, else ``V``: a page the crawl
    re-fetches must replace the copy readers see, not land in an older generation that the newer one
    shadows. For the crawler; cheap (reads only ``versions/``).
    """
    mine = [m for m in visible_manifests(lake_mod.root(lake)) if rules_version_of(m) == version]
    return mine[-1]["partition"] if mine else version


def generation_name(version: str, n: int) -> str:
    return version if n <= 1 else f"{version}.g{n}"


def next_generation(lake: Path, version: str) -> tuple[str, int]:
    n = 2
    while (lake_mod.version_manifest_path(generation_name(version, n), lake).exists()
           or any(partition_dir(lake, ds, generation_name(version, n)).exists() for ds in DATASETS)):
        n += 1
    return generation_name(version, n), n


def _live(lake: Path, ds: str, partition: str, c: Covered) -> Path:
    return partition_dir(lake, ds, partition) / f"source={c.source}" / c.name


def same_content(lake: Path, partition: str, covered: list[Covered]) -> bool:
    """Does the visible ``partition`` hold exactly the staged files for every covered doc?"""
    for c in covered:
        for ds in DATASETS:
            live = _live(lake, ds, partition, c)
            staged_sha = c.sha256.get(ds)
            if (staged_sha is not None) != live.exists():
                return False
            if staged_sha is not None and hashlib.sha256(live.read_bytes()).hexdigest() != staged_sha:
                return False
    return True


def _merge(lake: Path, staging: Path, partition: str, covered: list[Covered]) -> None:
    # Only for an invisible partition: files of covered docs are replaced or removed one by one.
    for c in covered:
        for ds in DATASETS:
            staged = staging / ds / f"source={c.source}" / c.name
            live = _live(lake, ds, partition, c)
            if c.ok:
                live.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, live)
            elif live.exists():
                live.unlink()


def _count(lake: Path, partition: str, covered: list[Covered]) -> tuple[int, int, str, list[str]]:
    """n_articles, n_facts, a digest of every file of the partition, sources present.

    Files this replay staged are known (sha256, fact count); only others (merged-over partitions) are read.
    """
    known = {(ds, f"source={c.source}", c.name): (c.sha256[ds], c.n_facts)
             for c in covered if c.ok for ds in DATASETS}
    h = hashlib.sha256()
    n_articles = n_facts = 0
    sources: set[str] = set()
    for ds in DATASETS:
        base = partition_dir(lake, ds, partition)
        for src_dir in sorted(base.glob("source=*")):
            for name in sorted(os.listdir(src_dir)):
                if not name.endswith(".jsonl"):
                    continue
                hit = known.get((ds, src_dir.name, name))
                if hit is None:
                    data = (src_dir / name).read_bytes()
                    hit = (hashlib.sha256(data).hexdigest(), data.count(b"\n"))
                h.update(f"{ds}/{src_dir.name}/{name}\0{hit[0]}\n".encode())
                if ds == "articles":
                    n_articles += 1
                    sources.add(src_dir.name.removeprefix("source="))
                else:
                    n_facts += hit[1]
    return n_articles, n_facts, h.hexdigest(), sorted(sources)


def publish(lake: Path, staging: Path, *, version: str, cleaner_version: str, extractor_version: str,
            covered: list[Covered], extra: dict[str, Any]) -> dict[str, Any]:
    """Make the staged set visible atomically, or do nothing when it is already visible.

    Returns {"published": bool, "partition": name, "manifest": dict}.
    """
    manifests = visible_manifests(lake)
    mine = [m for m in manifests if rules_version_of(m) == version]
    if mine:
        current = mine[-1]
        if same_content(lake, current["partition"], covered):
            return {"published": False, "partition": current["partition"], "manifest": current}
        partition, generation = next_generation(lake, version)
    else:
        partition, generation = version, 1

    os.sync()  # staged files were written without fsync: make them durable before they move in
    existing = [ds for ds in DATASETS if partition_dir(lake, ds, partition).exists()]
    if not existing:
        for ds in DATASETS:
            target = partition_dir(lake, ds, partition)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging / ds, target)
    else:
        _merge(lake, staging, partition, covered)

    os.sync()  # the renames too, before the manifest can point readers at them
    n_articles, n_facts, digest, sources = _count(lake, partition, covered)
    manifest = {
        "version": partition, "partition": partition, "rules_version": version, "generation": generation,
        "cleaner_version": cleaner_version, "extractor_version": extractor_version,
        "created_at": datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "n_articles": n_articles, "n_facts": n_facts, "sources": sources, "files_sha256": digest,
        "complete": True, **extra,
    }
    lake_mod.write_json(lake_mod.version_manifest_path(partition, lake), manifest)  # the switch
    return {"published": True, "partition": partition, "manifest": manifest}
