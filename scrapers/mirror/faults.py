"""Switchable faults and switches of the mirror, chosen deterministically per (path, attempt).

The k-th request to a path (counted since the spec was set or the log reset) draws
u = sha256(seed, path, k) in [0, 1); the rates, laid out cumulatively in FAULT_KINDS order, map u to a
fault or to none. A path that failed ``max_consecutive`` times in a row always succeeds next, so
retries end. Same spec + same request sequence per path = same faults.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field

FAULT_KINDS = ("5xx", "429", "timeout", "truncate", "charset")
DEFAULT_KINDS = ("listing", "rss", "article")
SPEC_KEYS = {"seed", "rates", "kinds", "max_consecutive", "timeout_s", "retry_after", "endless_listings",
             "crawl_delay", "hostile_links"}


class FaultSpecError(ValueError):
    pass


@dataclass(frozen=True)
class FaultSpec:
    seed: int = 0
    rates: dict = field(default_factory=dict)
    kinds: tuple = DEFAULT_KINDS
    max_consecutive: int = 3
    timeout_s: float = 2.0
    retry_after: int = 1
    endless_listings: bool = False
    crawl_delay: object = None          # None | number | {host: number}
    hostile_links: bool | str = False   # True / "basic": hostile.py's pages; "all": also hostile_extra.py

    @classmethod
    def from_value(cls, value) -> FaultSpec:
        """From None, a FaultSpec, a dict, a JSON string or 'k=v,k=v' shorthand (rates by fault name)."""
        if value is None:
            return cls()
        if isinstance(value, FaultSpec):
            return value
        if isinstance(value, str):
            value = parse_cli(value)
        if not isinstance(value, dict):
            raise FaultSpecError(f"fault spec must be a dict, got {type(value).__name__}")
        unknown = set(value) - SPEC_KEYS
        if unknown:
            raise FaultSpecError(f"unknown fault spec keys: {sorted(unknown)}")
        rates = dict(value.get("rates") or {})
        bad = set(rates) - set(FAULT_KINDS)
        if bad:
            raise FaultSpecError(f"unknown fault kinds {sorted(bad)}; known: {FAULT_KINDS}")
        for k, r in rates.items():
            if not isinstance(r, (int, float)) or not 0 <= r <= 1:
                raise FaultSpecError(f"rate of {k} must be in [0, 1], got {r!r}")
        if sum(rates.values()) > 1:
            raise FaultSpecError("fault rates add up to more than 1")
        kw = {k: value[k] for k in ("seed", "max_consecutive", "timeout_s", "retry_after", "endless_listings",
                                     "crawl_delay", "hostile_links") if k in value}
        if "kinds" in value:
            kw["kinds"] = tuple(value["kinds"])
        if kw.get("hostile_links") == "basic":
            kw["hostile_links"] = True
        if kw.get("hostile_links") not in (None, True, False, "all"):
            raise FaultSpecError(f"hostile_links must be true, false, 'basic' or 'all', got {kw['hostile_links']!r}")
        spec = cls(rates=rates, **kw)
        if spec.max_consecutive < 0:
            raise FaultSpecError("max_consecutive must be >= 0")
        return spec

    def to_dict(self) -> dict:
        return {"seed": self.seed, "rates": dict(self.rates), "kinds": list(self.kinds),
                "max_consecutive": self.max_consecutive, "timeout_s": self.timeout_s,
                "retry_after": self.retry_after, "endless_listings": self.endless_listings,
                "crawl_delay": self.crawl_delay, "hostile_links": self.hostile_links}

    def delay_for(self, host: str):
        if isinstance(self.crawl_delay, dict):
            return self.crawl_delay.get(host)
        return self.crawl_delay

    def draw(self, path: str, attempt: int) -> str | None:
        h = hashlib.sha256(f"{self.seed}\x1f{path}\x1f{attempt}".encode()).digest()
        u = int.from_bytes(h[:8], "big") / 2**64
        acc = 0.0
        for kind in FAULT_KINDS:
            acc += self.rates.get(kind, 0.0)
            if u < acc:
                return kind
        return None


def parse_cli(text: str) -> dict:
    """'{"rates": ...}' JSON, or shorthand '5xx=0.2,429=0.1,seed=7,endless_listings=1,crawl_delay=1'."""
    text = text.strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FaultSpecError(f"bad fault spec JSON: {exc}") from exc
    out: dict = {"rates": {}}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise FaultSpecError(f"expected key=value in fault spec, got {part!r}")
        k, v = (s.strip() for s in part.split("=", 1))
        if k in FAULT_KINDS:
            out["rates"][k] = float(v)
        elif k in ("seed", "max_consecutive", "retry_after"):
            out[k] = int(v)
        elif k in ("timeout_s", "crawl_delay"):
            out[k] = float(v)
        elif k == "hostile_links" and v.lower() in ("all", "basic"):
            out[k] = v.lower()
        elif k in ("endless_listings", "hostile_links"):
            out[k] = v.lower() in ("1", "true", "yes", "on")
        elif k == "kinds":
            out[k] = v.split("+")
        else:
            raise FaultSpecError(f"unknown fault spec key {k!r}")
    return out


class FaultState:
    """Per-path attempt and failure-streak counters under one lock."""

    def __init__(self, spec: FaultSpec):
        self.spec = spec
        self._lock = threading.Lock()
        self._attempts: dict[str, int] = {}
        self._streak: dict[str, int] = {}
        self.injected: dict[str, int] = {}      # fault kind -> times served (tests report these)

    def reset(self, spec: FaultSpec | None = None) -> None:
        with self._lock:
            if spec is not None:
                self.spec = spec
            self._attempts.clear()
            self._streak.clear()
            self.injected.clear()

    def decide(self, path: str, kind: str) -> str | None:
        spec = self.spec
        if not spec.rates or kind not in spec.kinds:
            return None
        with self._lock:
            attempt = self._attempts.get(path, 0)
            self._attempts[path] = attempt + 1
            fault = spec.draw(path, attempt)
            if fault and self._streak.get(path, 0) >= spec.max_consecutive:
                fault = None
            self._streak[path] = self._streak.get(path, 0) + 1 if fault else 0
            if fault:
                self.injected[fault] = self.injected.get(fault, 0) + 1
            return fault
