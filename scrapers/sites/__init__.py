"""Site profiles: ``load_profile(id)`` and ``load_profiles()`` return validated :class:`Profile` objects.

One YAML file per source in this folder (``thads``, ``moj``, ``baophapluat``,
``plo``); ``_defaults.yaml`` is merged under each. A bad profile raises
:class:`ProfileError` naming the file and the field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scrapers.sites.profile import (
    SITES_DIR,
    ArticleRule,
    Feed,
    Listing,
    Politeness,
    Profile,
    ProfileError,
    load_file,
)

SOURCES = ("thads", "moj", "baophapluat", "plo")

__all__ = [
    "SOURCES",
    "ArticleRule",
    "Feed",
    "Listing",
    "Politeness",
    "Profile",
    "ProfileError",
    "load_profile",
    "load_profiles",
    "profile_for_host",
    "load_file",
]


def _profile_path(source_id: str) -> Path:
    return SITES_DIR / f"{source_id}.yaml"


@cache
def load_profile(source_id: str) -> Profile:
    path = _profile_path(source_id)
    if not source_id or source_id.startswith("_") or not path.is_file():
        known = ", ".join(p.stem for p in sorted(SITES_DIR.glob("[!_]*.yaml")))
        raise ProfileError(f"unknown source {source_id!r}; profiles: {known}")
    profile = load_file(path)
    if profile.id != source_id:
        raise ProfileError(f"{path.name}: id {profile.id!r} does not match the file name")
    return profile


def load_profiles() -> dict[str, Profile]:
    """Every profile in the folder, by id."""
    return {p.stem: load_profile(p.stem) for p in sorted(SITES_DIR.glob("[!_]*.yaml"))}


def profile_for_host(host: str) -> Profile | None:
    for profile in load_profiles().values():
        if profile.allows_host(host):
            return profile
    return None
