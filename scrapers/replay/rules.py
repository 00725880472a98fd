"""The rule set a replay runs: cleaner + extractor functions and their code versions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scrapers.replay.errors import ReplayError


@dataclass(frozen=True)
class Rules:
    """Functions must be module-level (workers receive them by reference)."""

    cleaner_version: str
    extractor_version: str
    clean: Callable[..., Any]          # (html, url, profile, *, content_type) -> CleanPage
    extract: Callable[..., list[dict]]  # extract_facts(text, *, url, title, published)
    load_profile: Callable[[str], Any]  # load_profile(source_id)
    on_topic: Callable[[str, str, Any], bool] | None = None  # (title, body, profile); None keeps every page

    @property
    def version(self) -> str:
        return f"{self.cleaner_version}-{self.extractor_version}"


def clean_for_replay(html: bytes, url: str, profile: Any, *, content_type: str | None = None) -> Any:
    """The cleaner with lake writes off: replay writes drift records itself, after the switch."""
    from scrapers.clean import clean_page

    return clean_page(html, url, profile, record=False, content_type=content_type)


def current_rules() -> Rules:
    """The cleaner and extractor of this checkout, versioned by scrapers.versioning."""
    from scrapers import versioning

    try:
        from scrapers.clean import clean_page  # noqa: F401  (fail early, not in every worker)
        from scrapers.crawl.topic import on_topic
        from scrapers.extract import extract_facts
        from scrapers.sites import load_profile
    except ImportError as exc:  # a clear message instead of a traceback deep in a worker
        raise ReplayError(f"replay needs the cleaner, the extractor and the site profiles: {exc}") from exc
    return Rules(cleaner_version=versioning.cleaner_version(),
                 extractor_version=versioning.extractor_version(),
                 clean=clean_for_replay, extract=extract_facts, load_profile=load_profile,
                 on_topic=on_topic)
