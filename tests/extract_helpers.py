"""Score the extractor on the labelled held-out-style cases with the shared scorer.

    .venv/bin/python tests/extract_helpers.py [--batch N] [--verbose]

Each case of tests/extract_cases/heldout_style.yaml is written as an article file
in the spec's format (header lines, `---`, text) and run through the same path as
`thads extract` (`extract_file`); its labels become a gold file; then
/work/shared/tools/score_facts.py (found through THADS_SHARED_DIR or ../shared)
scores the predictions exactly as the evaluation does.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
HELDOUT = REPO / "tests" / "extract_cases" / "heldout_style.yaml"
SHARED = Path(os.environ.get("THADS_SHARED_DIR", REPO.parent / "shared"))


def load_cases(path: Path = HELDOUT, batch: int | None = None) -> list[dict]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [c for c in cases if batch is None or c.get("batch") == batch]


def gold_facts(case: dict) -> list[dict]:
    out = []
    for metric, unit, value, *rest in case["facts"]:
        over = rest[0] if rest else {}
        period = over.get("period", case.get("period"))
        scope = over.get("scope", case.get("scope")) or [None, None]
        fact = {
            "metric": metric, "unit": unit, "basis": over.get("basis"), "value": value,
            "qualifier": over.get("qualifier", "exact"),
            "change_value": over.get("change_value"), "change_pct": over.get("change_pct"),
            "period_start": str(period[0]) if period else None,
            "period_end": str(period[1]) if period else None,
            "scope_level": scope[0], "scope_name": scope[1],
            "domain": over.get("domain", "civil"), "category": over.get("category", "all"),
        }
        if over.get("optional"):
            fact["optional"] = True
        out.append(fact)
    return out


def article_file_text(case: dict) -> str:
    head = [f"{k}: {case[k]}" for k in ("url", "title", "published") if case.get(k)]
    return "\n".join(head + ["---", case["text"]])


def scorer(shared: Path = SHARED):
    spec = importlib.util.spec_from_file_location("score_facts", shared / "tools" / "score_facts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score_cases(cases: list[dict], workdir: Path, shared: Path = SHARED) -> tuple[dict, list[str]]:
    """Write articles, gold and predictions under `workdir`; return (result, verbose report)."""
    from scrapers.extract.command import extract_file

    arts, gold = workdir / "articles", workdir / "gold"
    arts.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    preds = []
    for case in cases:
        name = f"{case['name']}.txt"
        (arts / name).write_text(article_file_text(case), encoding="utf-8")
        (gold / f"{case['name']}.json").write_text(
            json.dumps({"file": name, "facts": gold_facts(case)}, ensure_ascii=False), encoding="utf-8")
        preds.append(extract_file(str(arts / name)))
    pred_path = workdir / "pred.json"
    pred_path.write_text(json.dumps(preds, ensure_ascii=False), encoding="utf-8")
    return scorer(shared).score(str(gold), str(pred_path), verbose=True)


def format_result(result: dict) -> str:
    acc = "  ".join(f"{k} {v:.2f}" for k, v in result["field_accuracy"].items())
    return (f"gold {result['gold']}  predicted {result['predicted']}  matched {result['matched']}\n"
            f"field accuracy: {acc}\n"
            f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  f1 {result['f1']:.3f}")


def main(argv: list[str]) -> int:
    batch = None
    if "--batch" in argv:
        batch = int(argv[argv.index("--batch") + 1])
    cases = load_cases(batch=batch)
    with tempfile.TemporaryDirectory() as tmp:
        result, report = score_cases(cases, Path(tmp))
    if "--verbose" in argv:
        print("\n".join(report))
    print(f"{len(cases)} cases" + (f" (batch {batch})" if batch else ""))
    print(format_result(result))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main(sys.argv[1:]))
