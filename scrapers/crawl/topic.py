"""Topic filter: is a page about civil / administrative judgment enforcement?

A page is on topic when its title and body contain at least ``topic.min_hits``
distinct subject keywords (``topic.keywords``) and, if the profile lists any,
at least one statistics cue (``topic.cues``).
"""

from __future__ import annotations

import unicodedata


def topic_hits(title: str, body: str, profile) -> list[str]:
    hay = unicodedata.normalize("NFC", f"{title}\n{body}").lower()
    return [k for k in profile.topic_keywords if unicodedata.normalize("NFC", k) in hay]


def on_topic(title: str, body: str, profile) -> bool:
    if len(topic_hits(title, body, profile)) < profile.topic_min_hits:
        return False
    if not profile.topic_cues:
        return True
    hay = unicodedata.normalize("NFC", f"{title}\n{body}").lower()
    return any(unicodedata.normalize("NFC", c) in hay for c in profile.topic_cues)
