"""A second, independently labelled case set (40 excerpts written and labelled
by a different engineer, blind to this engine) scored with the project's scorer.
It guards against the engine fitting only the cases its own authors wrote."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from scrapers.extract.command import extract_file

CASES = Path(__file__).resolve().parent / "extract_crosscheck"
F1_FLOOR = 0.95


def _scorer(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("score_facts", shared_dir / "tools" / "score_facts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_crosscheck_cases_score_above_floor(shared_dir, tmp_path):
    records = [extract_file(str(p)) for p in sorted((CASES / "articles").glob("*.txt"))]
    assert len(records) >= 40
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result, report = _scorer(shared_dir).score(str(CASES / "gold"), str(pred), verbose=True)
    print("\n".join(report))
    print(result)
    assert result["f1"] >= F1_FLOOR, (result, report[:30])
