"""`thads extract PATH [PATH ...]`: print the facts of article files as JSON."""

from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("extract", help="extract facts from article files (JSON on stdout)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article file(s) in the spec's format")
    p.set_defaults(func=run)


def extract_file(path: str) -> dict:
    from scrapers.extract import extract_facts, guess_published
    from scrapers.extract.article_file import read_article

    art = read_article(path)
    published = art.published or guess_published(art.text)
    facts = extract_facts(art.text, url=art.url, title=art.title, published=published)
    return {"file": path, "published": published, "facts": facts}


def run(args) -> int:
    results, rc = [], 0
    for path in args.paths:
        try:
            results.append(extract_file(path))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"thads extract: {path}: {exc}", file=sys.stderr)
            results.append({"file": path, "published": None, "facts": [], "error": str(exc)})
            rc = 1
    out = results[0] if len(results) == 1 else results
    try:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:     # `thads extract ... | head`
        return rc
    return rc
