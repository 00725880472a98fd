"""THADS pipeline: crawl Vietnamese enforcement news, clean, extract facts, land them in a lake."""

__version__ = "0.1.0"
