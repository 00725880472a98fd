"""`thads status`: what the last runs did and what the lake and the warehouse hold.

Reads lake files and the warehouse (read-only); each part that is missing is
reported as missing rather than failing the whole command.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from scrapers import config
from scrapers.analyst.textfmt import format_table

ID_FIELDS = ("run_id", "source", "kind", "mode", "status", "started_at", "finished_at", "start", "end")
# The counters `thads status` shows first, in this order; every counter is in `--json`.
KEY_COUNTERS = ("pages_tried", "landed", "quarantined", "retried", "facts", "drift_events", "requests_total",
                "articles_derived")
DURATION_FIELDS = ("duration_s", "seconds")
MAX_LISTED = 10


def _ts(value: Any) -> float | None:
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.timestamp()


def _iso(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if ts else "?"


def _read_json(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"{path.name}: unreadable ({exc.__class__.__name__}: {exc})"
    if not isinstance(data, dict):
        return None, f"{path.name}: not a JSON object"
    return data, None


def _counters(run: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Numeric fields of a run summary, nested dicts flattened as a.b."""
    out: dict[str, Any] = {}
    for k, v in sorted(run.items()):
        if k in ID_FIELDS and not prefix:
            continue
        if isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            out[prefix + k] = v
        elif isinstance(v, dict):
            out.update(_counters(v, f"{prefix}{k}."))
    return out


def lake_runs(lake: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The latest run of each (kind, source), newest first."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    problems = []
    for path in sorted((lake / "runs").glob("*/*.json")):
        run, err = _read_json(path)
        if err:
            problems.append(f"runs/{path.parent.name}/{err}")
            continue
        started = _ts(run.get("started_at")) or path.stat().st_mtime
        took = next((run[k] for k in DURATION_FIELDS if isinstance(run.get(k), (int, float))), None)
        finished = _ts(run.get("finished_at"))
        if took is None and finished is not None:
            took = finished - started
        entry = {"kind": path.parent.name, "source": str(run.get("source") or "-"),
                 "run_id": str(run.get("run_id") or path.stem), "started": started,
                 "took_s": took, "status": run.get("status"),
                 "mode": run.get("mode"), "counters": _counters(run), "file": str(path)}
        key = (entry["kind"], entry["source"])
        if key not in latest or started >= latest[key]["started"]:
            latest[key] = entry
    return sorted(latest.values(), key=lambda e: (-e["started"], e["kind"], e["source"])), problems


def dbt_run(candidates: list[Path]) -> dict[str, Any] | None:
    """The newest dbt run_results.json among the candidate target folders."""
    found = [p / "run_results.json" for p in candidates if (p / "run_results.json").is_file()]
    if not found:
        return None
    path = max(found, key=lambda p: p.stat().st_mtime)
    data, err = _read_json(path)
    if err or data is None:
        return {"file": str(path), "error": err}
    statuses = Counter(str(r.get("status")) for r in data.get("results", []))
    meta = data.get("metadata", {})
    return {"file": str(path), "generated_at": meta.get("generated_at"), "command": (data.get("args") or {}).get(
        "which"), "elapsed_s": data.get("elapsed_time"), "statuses": dict(sorted(statuses.items()))}


def _visible_versions(lake: Path) -> list[str]:
    """Complete versions (with a manifest), oldest manifest first."""
    manifests = sorted((lake / "versions").glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name))
    return [p.stem for p in manifests]


def lake_counts(lake: Path) -> dict[str, dict[str, int]]:
    """Articles and facts per source, counting each document once, in its newest complete version."""
    newest: dict[tuple[str, str], str] = {}
    for version in _visible_versions(lake):
        for path in (lake / "articles" / f"version={version}").glob("source=*/*.jsonl"):
            newest[(path.parent.name.split("=", 1)[1], path.name)] = version
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"articles": 0, "facts": 0})
    for (source, name), version in newest.items():
        counts[source]["articles"] += 1
        facts = lake / "facts" / f"version={version}" / f"source={source}" / name
        if facts.is_file():
            with open(facts, encoding="utf-8") as fh:
                counts[source]["facts"] += sum(1 for line in fh if line.strip())
    return dict(counts)


def lake_events(lake: Path, dataset: str, since: dict[str, float]) -> dict[str, Any]:
    """Quarantine or drift records per source; 'new' = written since that source's last run began."""
    per_source: dict[str, dict[str, Any]] = {}
    for path in sorted((lake / dataset).glob("source=*/*.json")):
        source = path.parent.name.split("=", 1)[1]
        entry = per_source.setdefault(source, {"total": 0, "new": 0, "new_items": [], "reasons": Counter()})
        entry["total"] += 1
        rec, err = _read_json(path)
        rec = rec or {"url": path.name, "reason": err}
        label = rec.get("reason") or rec.get("selector") or "?"
        entry["reasons"][str(label)] += 1
        cutoff = since.get(source)
        if cutoff is not None and path.stat().st_mtime >= cutoff:
            entry["new"] += 1
            if len(entry["new_items"]) < MAX_LISTED:
                detail = rec.get("detail") or rec.get("field") or ""
                entry["new_items"].append({"url": rec.get("url"), "what": str(label), "detail": str(detail)})
    for entry in per_source.values():
        entry["reasons"] = dict(entry["reasons"].most_common())
    return per_source


def warehouse_summary(path: Path) -> dict[str, Any]:
    from scrapers.analyst.db import WarehouseError, columns, fetch_dicts, find_table, open_warehouse

    out: dict[str, Any] = {"path": str(path)}
    try:
        con = open_warehouse(path)
    except WarehouseError as exc:
        out["error"] = str(exc)
        return out
    try:
        st = path.stat()
        out["modified"] = st.st_mtime
        out["size_mb"] = round(st.st_size / 1e6, 2)
        per_source: dict[str, dict[str, Any]] = defaultdict(dict)
        art = find_table(con, "fct_articles")
        if art:
            nf = "sum(n_facts)" if "n_facts" in columns(con, art) else "null"
            for r in fetch_dicts(con, f"select source, count(*) as n, {nf} as f from {art} group by 1"):
                per_source[r["source"] or "-"].update(articles=r["n"], facts_in_articles=r["f"])
        met = find_table(con, "fct_enforcement_metrics")
        if met:
            nc = "count(*) filter (where has_conflict)" if "has_conflict" in columns(con, met) else "null"
            for r in fetch_dicts(con, f"select source, count(*) as n, {nc} as c from {met} group by 1"):
                per_source[r["source"] or "-"].update(metrics=r["n"], conflicts=r["c"])
            latest = fetch_dicts(con, f"select max(period_end) as p, max(published) as d from {met}")[0]
            out["latest_period_end"] = str(latest["p"]) if latest["p"] else None
            out["latest_published"] = str(latest["d"]) if latest["d"] else None
        out["missing"] = [t for t, q in (("fct_articles", art), ("fct_enforcement_metrics", met)) if not q]
        out["per_source"] = dict(per_source)
    except Exception as exc:  # a half-built warehouse must not hide the lake part of the status
        out["error"] = f"cannot read the marts: {exc}"
    finally:
        con.close()
    return out


def collect(lake: Path | None = None, warehouse: Path | None = None, project: Path | None = None) -> dict:
    lake = Path(lake) if lake is not None else config.lake_dir()
    warehouse = Path(warehouse) if warehouse is not None else config.warehouse_path()
    project = Path(project) if project is not None else config.dbt_project_dir()
    status: dict[str, Any] = {"lake": str(lake), "lake_exists": lake.is_dir()}
    if lake.is_dir():
        runs, problems = lake_runs(lake)
        # a run without a source (e.g. a replay of every source) counts for all of them
        since: dict[str, float] = {}
        for r in runs:
            if r["kind"] != "warehouse":
                since[r["source"]] = max(since.get(r["source"], 0), r["started"])
        everything = since.pop("-", None)
        if everything is not None:
            for dataset in ("quarantine", "drift"):
                for p in (lake / dataset).glob("source=*"):
                    s = p.name.split("=", 1)[1]
                    since[s] = max(since.get(s, 0), everything)
        status.update(runs=runs, run_problems=problems, lake_counts=lake_counts(lake),
                      quarantine=lake_events(lake, "quarantine", since), drift=lake_events(lake, "drift", since),
                      versions=_visible_versions(lake))
    # scrapers.warehouse points dbt's target at <warehouse dir>/dbt_target; a hand-run dbt uses the project's
    status["dbt"] = dbt_run([warehouse.resolve().parent / "dbt_target", project / "target"])
    status["warehouse"] = warehouse_summary(warehouse) if warehouse.is_file() else {
        "path": str(warehouse), "error": "no warehouse yet (run `thads build`)"}
    return status


def render(status: dict[str, Any]) -> str:
    out: list[str] = []
    out.append(f"Lake: {status['lake']}")
    if not status["lake_exists"]:
        out.append("  the lake does not exist yet (no crawl has run)")
    else:
        runs = status["runs"]
        out.append(f"  complete versions: {', '.join(status['versions']) or 'none'}")
        if runs:
            out.append("")
            out.append("Last runs:")
            rows = []
            for r in runs:
                shown = {k: r["counters"][k] for k in KEY_COUNTERS if k in r["counters"]} or r["counters"]
                counters = " ".join(f"{k}={v}" for k, v in shown.items())
                took = f"{r['took_s']:.0f}s" if r["took_s"] is not None else ""
                rows.append([r["kind"], r["source"], _iso(r["started"]), took, r["status"] or "", counters])
            out.append(_indent(format_table(["kind", "source", "started", "took", "status", "counts"], rows,
                                            max_width=100)))
            out.append("  (more counters: thads status --json)")
        else:
            out.append("  no runs recorded yet (lake/runs is empty)")
        for problem in status["run_problems"]:
            out.append(f"  ! {problem}")
    dbt = status["dbt"]
    out.append("")
    if dbt is None:
        out.append("Last warehouse build: none recorded (no dbt run_results.json)")
    elif "error" in dbt:
        out.append(f"Last warehouse build: {dbt['error']}")
    else:
        res = ", ".join(f"{k} {v}" for k, v in dbt["statuses"].items()) or "no nodes"
        took = f" in {dbt['elapsed_s']:.1f}s" if isinstance(dbt.get("elapsed_s"), (int, float)) else ""
        out.append(f"Last warehouse build: dbt {dbt.get('command') or ''} at {dbt.get('generated_at')}{took}: {res}")
    wh = status["warehouse"]
    out.append(f"Warehouse: {wh['path']}")
    if "error" in wh:
        out.append(f"  {wh['error']}")
    else:
        out.append(f"  {wh['size_mb']} MB, modified {_iso(wh['modified'])}; latest period end "
                   f"{wh.get('latest_period_end') or '-'}, latest article {wh.get('latest_published') or '-'}")
        if wh.get("missing"):
            out.append(f"  missing marts: {', '.join(wh['missing'])}")

    sources = sorted(set(status.get("lake_counts", {})) | set(wh.get("per_source", {}))
                     | set(status.get("quarantine", {})) | set(status.get("drift", {})))
    if sources:
        out.append("")
        out.append("Per source:")
        rows = []
        for s in sources:
            lc = status.get("lake_counts", {}).get(s, {})
            ws = wh.get("per_source", {}).get(s, {})
            q = status.get("quarantine", {}).get(s, {})
            d = status.get("drift", {}).get(s, {})
            rows.append([s, lc.get("articles", 0), lc.get("facts", 0), ws.get("articles"), ws.get("metrics"),
                         ws.get("conflicts"), q.get("total", 0), q.get("new", 0), d.get("total", 0), d.get("new", 0)])
        out.append(_indent(format_table(
            ["source", "lake articles", "lake facts", "wh articles", "wh metrics", "conflicts",
             "quarantined", "new", "drift", "new"], rows)))
        out.append("  (new = written since that source's last run started)")
    for dataset, title in (("quarantine", "Quarantined since the last run"), ("drift", "Drift since the last run")):
        items = [(s, i) for s, e in sorted(status.get(dataset, {}).items()) for i in e["new_items"]]
        if items:
            out.append("")
            out.append(f"{title}:")
            out.append(_indent(format_table(["source", "reason" if dataset == "quarantine" else "selector",
                                             "detail", "url"], [[s, i["what"], i["detail"], i["url"]]
                                                                for s, i in items], max_width=70)))
            more = sum(e["new"] for e in status[dataset].values()) - len(items)
            if more > 0:
                out.append(f"  … and {more} more")
    return "\n".join(out) + "\n"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
