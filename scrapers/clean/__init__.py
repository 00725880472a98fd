"""Cleaning: fetched page -> title, date and body text, driven by the site profile.

``clean_page(html, url, profile) -> CleanPage(title, published, text, drift, used_fallback)``.
"""

from scrapers.clean.page import CleanError, CleanPage, clean_page

__all__ = ["CleanError", "CleanPage", "clean_page"]
