"""Crawler: polite HTTP, discovery (listings, feeds), incremental and backfill runs, landing.

The entry point is :func:`scrapers.crawl.pipeline.crawl`; ``thads crawl`` and
``thads backfill`` (``scrapers.crawl.command``) call it.
"""
