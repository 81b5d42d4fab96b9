"""File-name conventions: No-Intro style tags parsed into regions, languages, revision, tags."""

from __future__ import annotations

import re
from functools import lru_cache

REGIONS = {
    "USA", "Europe", "Japan", "World", "France", "Germany", "Spain", "Italy", "Korea",
    "Australia", "Brazil", "China", "Asia", "Netherlands", "Sweden", "Canada", "UK",
}  # fmt: skip
LANGUAGES = {
    "En": "English", "Fr": "French", "De": "German", "Es": "Spanish", "It": "Italian",
    "Ja": "Japanese", "Nl": "Dutch", "Pt": "Portuguese", "Sv": "Swedish", "Zh": "Chinese",
    "Ko": "Korean", "Ru": "Russian",
}  # fmt: skip
_GROUP = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
_VERSION_TAG = re.compile(r"^v\d+$", re.IGNORECASE)
_DISC = re.compile(r"^(Disc|Disk|CD) \d+$", re.IGNORECASE)


Tags = tuple[tuple[str, ...], tuple[str, ...], str, tuple[str, ...]]


def parse_tags(stem: str) -> Tags:
    """'Tetris (World) (Rev 1)' -> (('World',), (), '1', ())."""
    return _parse_groups(tuple(_GROUP.findall(stem)))


@lru_cache(maxsize=4096)
def _parse_groups(groups: tuple[str, ...]) -> Tags:
    regions: list[str] = []
    languages: list[str] = []
    tags: list[str] = []
    revision = ""
    for group in groups:
        parts = [p.strip() for p in group.split(",")]
        if parts and all(p in REGIONS for p in parts):
            regions.extend(parts)
        elif parts and all(p in LANGUAGES for p in parts):
            languages.extend(LANGUAGES[p] for p in parts)
        elif group.startswith("Rev "):
            revision = group[4:].strip()
        elif _VERSION_TAG.match(group) or _DISC.match(group) or not group:
            continue
        else:
            tags.append(group)
    return tuple(regions), tuple(languages), revision, tuple(tags)


def file_system_name(title: str) -> str:
    """A title as it appears in a file name (no characters that are illegal on disk)."""
    return title.replace(": ", " - ").replace(":", " -").replace("/", "-").replace("?", "")
