"""A small CSS-to-XPath compiler for the selectors the cleaner runs on lxml.

Profiles speak CSS (soupsieve's dialect, what BeautifulSoup's ``select`` runs).
To avoid building a BeautifulSoup tree of a whole page, the cleaner first cuts
the title, date and body out with lxml; the selectors it uses for that cut must
fall in this subset, which translates to XPath 1.0 with identical meaning:

    tag  *  #id  .class  [attr]  [attr=v] [attr~=v] [attr^=v] [attr$=v] [attr*=v]
    descendant (space) and child (>) combinators, and groups (a, b)

A test checks on every mirror page that both engines pick the same elements.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree


class CssError(ValueError):
    pass


_TOKEN = re.compile(
    r"""
    (?P<ws>\s*>\s*|\s+)
  | (?P<tag>\*|[A-Za-z][A-Za-z0-9_-]*)
  | \#(?P<id>[A-Za-z0-9_-]+)
  | \.(?P<cls>[A-Za-z0-9_-]+)
  | \[\s*(?P<attr>[A-Za-z_:][A-Za-z0-9_:.-]*)\s*
        (?:(?P<op>[~^$*]?=)\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[A-Za-z0-9_-]+))\s*)?\]
""",
    re.VERBOSE,
)


def _lit(s: str) -> str:
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    parts = s.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


def _attr_test(name: str, op: str | None, val: str | None) -> str:
    a = f"@{name}"
    if op is None:
        return a
    v = _lit(val or "")
    if op == "=":
        return f"{a}={v}"
    if op == "~=":
        return f"contains(concat(' ', normalize-space({a}), ' '), concat(' ', {v}, ' '))"
    if op == "^=":
        return f"starts-with({a}, {v})" if val else "false()"
    if op == "$=":
        return f"substring({a}, string-length({a}) - string-length({v}) + 1) = {v}" if val else "false()"
    if op == "*=":
        return f"contains({a}, {v})" if val else "false()"
    raise CssError(f"operator {op}")


def _compile_one(sel: str) -> str:
    sel = sel.strip()
    if not sel:
        raise CssError("empty selector")
    pos, steps, axis = 0, [], "//"
    tag, preds = None, []

    def flush() -> None:
        nonlocal tag, preds
        if tag is None and not preds:
            raise CssError(f"dangling combinator in {sel!r}")
        steps.append(axis + (tag or "*") + "".join(f"[{p}]" for p in preds))
        tag, preds = None, []

    while pos < len(sel):
        m = _TOKEN.match(sel, pos)
        if not m or m.end() == pos:
            raise CssError(f"unsupported syntax at {sel[pos:]!r}")
        pos = m.end()
        if m.group("ws") is not None:
            flush()
            axis = "/" if ">" in m.group("ws") else "//"
        elif m.group("tag"):
            if tag is not None or preds:
                raise CssError(f"type selector must come first in {sel!r}")
            tag = m.group("tag").lower()
        elif m.group("id"):
            preds.append(f"@id={_lit(m.group('id'))}")
        elif m.group("cls"):
            preds.append(_attr_test("class", "~=", m.group("cls")))
        else:
            val = next((v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None), None)
            preds.append(_attr_test(m.group("attr").lower(), m.group("op"), val))
    flush()
    # A leading "//" anchors the first step anywhere below the context node.
    return (
        "descendant-or-self::" + steps[0][2:] + "".join(steps[1:])
        if steps[0].startswith("//")
        else "descendant-or-self::" + steps[0][1:] + "".join(steps[1:])
    )


def _split_groups(selector: str) -> list[str]:
    out, depth, cur = [], 0, []
    quote = None
    for ch in selector:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


@lru_cache(maxsize=512)
def compile_simple(selector: str) -> etree.XPath:
    """An XPath object selecting what ``selector`` selects, in document order."""
    xp = " | ".join(_compile_one(s) for s in _split_groups(selector))
    try:
        return etree.XPath(xp)
    except etree.XPathSyntaxError as exc:  # pragma: no cover - a bug in the compiler
        raise CssError(f"{selector!r} -> {xp!r}: {exc}") from exc
