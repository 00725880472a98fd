"""The facts the local mirror's generated reports state (scrapers.mirror.archive.truth,
written from the spec by the mirror's author) must come back from their text."""

from __future__ import annotations

import importlib.util
import json

import pytest


def test_mirror_articles_scored(shared_dir, tmp_path):
    archive = pytest.importorskip("scrapers.mirror.archive")
    from scrapers.extract import extract_facts

    spec = importlib.util.spec_from_file_location("score_facts", shared_dir / "tools" / "score_facts.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    preds = []
    for i, a in enumerate(x for x in archive.archive().articles if x.on_topic):
        name = f"a{i:04d}.txt"
        # the pipeline's article text: title line, date line, body
        text = f"{a.title}\n{a.published.strftime('%d/%m/%Y')}\n{a.text}"
        (gold_dir / f"{name}.json").write_text(json.dumps({"file": name, "facts": a.facts}, ensure_ascii=False),
                                               encoding="utf-8")
        preds.append({"file": name, "facts": extract_facts(text, url=a.url, title=a.title,
                                                           published=a.published.isoformat())})
    assert len(preds) > 100
    out = tmp_path / "pred.json"
    out.write_text(json.dumps(preds, ensure_ascii=False), encoding="utf-8")
    result, report = scorer.score(str(gold_dir), str(out), verbose=True)
    detail = "\n".join(report[:40])
    assert result["f1"] >= 0.98, detail
    for field, acc in result["field_accuracy"].items():
        assert acc >= 0.95, f"{field}: {acc}\n{detail}"
