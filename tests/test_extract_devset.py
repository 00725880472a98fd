"""The dev set, scored by the shared scorer, must stay above the floor."""

from __future__ import annotations

import importlib.util
import json

from scrapers.extract.command import extract_file


def _scorer(shared_dir):
    spec = importlib.util.spec_from_file_location("score_facts", shared_dir / "tools" / "score_facts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_dev_set_score(shared_dir, tmp_path):
    articles = sorted((shared_dir / "dev-set" / "articles").glob("*.txt"))
    assert articles
    preds = [extract_file(str(p)) for p in articles]
    for rec in preds:
        text = (shared_dir / "dev-set" / "articles" / rec["file"].rsplit("/", 1)[-1]).read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if "\n---\n" in text else text
        for f in rec["facts"]:
            assert body[f["char_start"]:f["char_end"]] == f["quote"]
    out = tmp_path / "pred.json"
    out.write_text(json.dumps(preds, ensure_ascii=False), encoding="utf-8")
    result, report = _scorer(shared_dir).score(str(shared_dir / "dev-set" / "gold"), str(out), verbose=True)
    detail = "\n".join(report)
    assert result["f1"] >= 0.95, detail
    for field, acc in result["field_accuracy"].items():
        assert acc >= 0.90, f"{field}: {acc}\n{detail}"
