"""Fact extraction: statistics stated in Vietnamese THADS/THAHC articles.

``extract_facts(text, url=..., title=..., published=...)`` returns facts with the
fields of scrapers.facts_schema.FACT_FIELDS; see docs/extract.md.
"""

from scrapers.extract.engine import extract_facts, guess_published

__all__ = ["extract_facts", "guess_published"]
