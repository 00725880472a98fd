"""One replay run: scan the archive, derive in parallel into staging, diff, publish, record."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from scrapers import lake as lake_mod
from scrapers.replay import archive, publish
from scrapers.replay.diff import Diff
from scrapers.replay.errors import ReplayError
from scrapers.replay.rules import Rules, current_rules
from scrapers.replay.worker import DocResult, init_worker, process_chunk


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds").replace("+00:00", "Z")


def _chunks(entries: list, workers: int) -> list[list]:
    # Several chunks per worker balance uneven pages; not too small, to keep IPC cheap.
    size = max(1, min(32, len(entries) // (workers * 4) or 1))
    return [entries[i:i + size] for i in range(0, len(entries), size)]


def _derive_all(entries: list[archive.RawEntry], staging: Path, rules: Rules, workers: int,
                progress: bool) -> list[DocResult]:
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(entries), unit="page", desc=f"replay {rules.version}")
    results: list[DocResult] = []
    try:
        if workers <= 1:
            init_worker(rules, staging)
            for chunk in _chunks(entries, 1):
                try:
                    results.extend(process_chunk(chunk))
                except Exception as exc:
                    raise ReplayError(f"replay aborted after {len(results)} of {len(entries)} pages: "
                                      f"{type(exc).__name__}: {exc}") from exc
                if bar:
                    bar.update(len(chunk))
            return results
        pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(rules, staging))
        try:
            pending = {pool.submit(process_chunk, c) for c in _chunks(entries, workers)}
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for fut in done:
                    try:
                        chunk_results = fut.result()
                    except Exception as exc:  # a dead worker or an I/O error: abort, publish nothing
                        pool.shutdown(wait=True, cancel_futures=True)
                        raise ReplayError(f"replay aborted after {len(results)} of {len(entries)} pages: "
                                          f"{type(exc).__name__}: {exc}") from exc
                    results.extend(chunk_results)
                    if bar:
                        bar.update(len(chunk_results))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C must not wait for the queue to drain
            raise
        pool.shutdown(wait=True)
        return results
    finally:
        if bar:
            bar.close()


def _previous_view(lake: Path, manifests: list[dict[str, Any]]):
    """doc -> (article, facts) in the newest complete version holding it (the readers' view)."""
    listing: dict[tuple[str, str], set[str]] = {}

    def names(partition: str, source: str) -> set[str]:
        key = (partition, source)
        if key not in listing:
            d = publish.partition_dir(lake, "articles", partition) / f"source={source}"
            listing[key] = set(os.listdir(d)) if d.is_dir() else set()
        return listing[key]

    newest_first = [m["partition"] for m in reversed(manifests)]

    def view(source: str, name: str) -> tuple[dict | None, list[dict]]:
        for part in newest_first:
            if name in names(part, source):
                ap = publish.partition_dir(lake, "articles", part) / f"source={source}" / name
                art = lake_mod.read_jsonl(ap)
                fp = publish.partition_dir(lake, "facts", part) / f"source={source}" / name
                return (art[0] if art else None), (lake_mod.read_jsonl(fp) if fp.exists() else [])
        return None, []

    return view


def replay(*, source: str | None = None, since: str | date | None = None, progress: bool = False,
           workers: int | None = None, lake: Path | str | None = None, rules: Rules | None = None) -> dict:
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    lake_dir = lake_mod.root(lake)
    rules = rules or current_rules()
    since_iso = archive.parse_since(since)
    workers = workers or default_workers()
    if workers > 1 and multiprocessing.current_process().daemon:
        workers = 1  # a daemonic process (e.g. a Celery prefork worker) may not start children
    run_id = f"replay-{started_at.strftime('%Y%m%dT%H%M%S%fZ')}-{os.getpid()}"
    entries, bad = archive.scan(lake_dir, source, since_iso)

    with publish.replay_lock(lake_dir):
        staging = publish.new_staging(lake_dir, rules.version)
        try:
            results = _derive_all(entries, staging, rules, max(1, min(workers, len(entries) or 1)), progress)
            derived_s = time.perf_counter() - started
            results.sort(key=lambda r: (r.source, r.doc_id))
            covered = [publish.Covered(r.source, lake_mod.safe_name(r.doc_id) + ".jsonl", r.ok, r.sha256,
                                       r.n_facts) for r in results]

            diff = Diff()
            view = _previous_view(lake_dir, publish.visible_manifests(lake_dir))
            for r, c in zip(results, covered, strict=True):
                prev_art, prev_facts = view(c.source, c.name)
                diff.add_doc(prev_art, prev_facts, r.article, r.facts, skipped=not r.ok and not r.quarantine)
            diff_summary = diff.summary()
            diffed_s = time.perf_counter() - started

            if not results:  # nothing in the archive matched: there is no version to publish
                outcome = {"published": False, "partition": None}
            else:
                outcome = publish.publish(
                    lake_dir, staging, version=rules.version, cleaner_version=rules.cleaner_version,
                    extractor_version=rules.extractor_version, covered=covered,
                    extra={"run_id": run_id, "filters": {"source": source, "since": since_iso},
                           "diff": {k: v for k, v in diff_summary.items() if k != "samples"}})
            published_s = time.perf_counter() - started
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    # Side records only after the switch: an aborted run changes nothing in the lake.
    for b in bad:
        lake_mod.quarantine(b.source, str(b.path.name), b.reason, b.detail, lake=lake_dir, stage="replay")
    n_drift = 0
    for r in results:
        if not r.ok and r.quarantine:
            lake_mod.quarantine(r.source, r.url or r.doc_id, r.reason, r.detail, lake=lake_dir,
                                doc_id=r.doc_id, stage="replay", version=rules.version)
        for i, problems in r.invalid_facts:  # one record per bad fact, keyed like the crawler's
            lake_mod.quarantine(r.source, f"{r.url}#fact{i}", "invalid_fact", problems, lake=lake_dir,
                                doc_id=r.doc_id, stage="replay", version=rules.version)
        for d in r.drift:
            sel, fld = str(d.get("selector", "")), str(d.get("field", ""))
            extra = {k: v for k, v in d.items() if k not in {"source", "url", "selector", "field"}}
            lake_mod.record_drift(r.source, r.url, sel, fld, lake=lake_dir, **extra)
            n_drift += 1

    elapsed = time.perf_counter() - started
    n_ok = sum(r.ok for r in results)
    summary = {
        "run_id": run_id, "kind": "replay", "source": source, "version": rules.version,
        "partition": outcome["partition"],
        "published": outcome["published"], "cleaner_version": rules.cleaner_version,
        "extractor_version": rules.extractor_version, "filters": {"source": source, "since": since_iso},
        "pages_tried": len(entries) + len(bad), "articles_derived": n_ok,
        "facts": sum(r.n_facts for r in results),
        "quarantined": len(bad) + sum(1 for r in results if not r.ok and r.quarantine),
        "off_topic": sum(1 for r in results if not r.ok and not r.quarantine),
        "invalid_facts": sum(len(r.invalid_facts) for r in results),
        "drift_events": n_drift, "workers": workers, "seconds": round(elapsed, 3),
        "started_at": _iso(started_at), "finished_at": _iso(datetime.now(UTC)),
        "derive_seconds": round(derived_s, 3), "diff_seconds": round(diffed_s - derived_s, 3),
        "publish_seconds": round(published_s - diffed_s, 3),
        "pages_per_second": round(len(entries) / derived_s, 2) if derived_s > 0 else None,
        "diff": diff_summary,
    }
    lake_mod.write_json(lake_mod.run_path("replay", run_id, lake_dir), summary)
    return summary
