"""Errors of the replay package (no heavy imports: the CLI imports this)."""

from __future__ import annotations


class ReplayError(RuntimeError):
    """The replay could not finish; nothing new was made visible."""


class DeriveError(Exception):
    """One page cannot be turned into an article: it is quarantined with ``reason``."""

    def __init__(self, reason: str, detail: str = "", *, quarantine: bool = True) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.quarantine = quarantine  # False for pages skipped on purpose (off topic), as the crawler does
