"""Real platforms the generator draws from (slugs, names and IGDB ids as RomM knows them)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


@dataclass(frozen=True)
class PlatformInfo:
    slug: str
    fs_slug: str
    name: str
    igdb_id: int | None
    category: str
    generation: int | None
    family: str | None
    exts: tuple[str, ...]
    size_range: tuple[int, int]  # bytes, min..max of one game file
    media: str = "cart"  # cart | disc (multi-disc folders possible) | digital
    icon: str = "ico"  # "svg" = .svg and .ico exist, "ico" = only .ico, "" = none
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def family_slug(self) -> str | None:
        return self.family.lower().replace(" ", "-") if self.family else None


_FIELDS = ("slug", "fs_slug", "name", "igdb_id", "category", "generation", "family", "exts",
           "size", "media", "icon")  # fmt: skip


def _load_known() -> tuple[PlatformInfo, ...]:
    """Real platforms (first twelve: the core the hand-made games live on, in that order)."""
    data = resources.files(__package__).joinpath("data/platforms.json")
    raw = json.loads(data.read_text("utf-8"))
    return tuple(
        PlatformInfo(
            slug=row["slug"],
            fs_slug=row.get("fs_slug", row["slug"]),
            name=row["name"],
            igdb_id=row["igdb_id"],
            category=row["category"],
            generation=row["generation"],
            family=row["family"],
            exts=tuple(row["exts"]),
            size_range=(row["size"][0], row["size"][1]),
            media=row["media"],
            icon=row["icon"],
            extra={k: v for k, v in row.items() if k not in _FIELDS},
        )
        for row in raw
    )


KNOWN_PLATFORMS: tuple[PlatformInfo, ...] = _load_known()
CORE_SLUGS: tuple[str, ...] = tuple(p.slug for p in KNOWN_PLATFORMS[:12])

# Generated platforms beyond the real ones (for libraries of hundreds of platforms).
_GEN_PREFIX = (
    "Nova",
    "Astro",
    "Quantum",
    "Pixel",
    "Retro",
    "Hyper",
    "Mega",
    "Ultra",
    "Turbo",
    "Neo",
)
_GEN_BODY = (
    "Station",
    "Boy",
    "Drive",
    "Vision",
    "Engine",
    "Cube",
    "Pocket",
    "Box",
    "Deck",
    "System",
)
_GEN_SUFFIX = ("", " 64", " Advance", " Color", " 2")


def generated_platform(index: int) -> PlatformInfo:
    """A plausible but fictional platform; distinct for every index."""
    n = len(_GEN_PREFIX) * len(_GEN_BODY) * len(_GEN_SUFFIX)
    base = index % n
    prefix = _GEN_PREFIX[base % len(_GEN_PREFIX)]
    body = _GEN_BODY[(base // len(_GEN_PREFIX)) % len(_GEN_BODY)]
    suffix = _GEN_SUFFIX[base // (len(_GEN_PREFIX) * len(_GEN_BODY))]
    name = f"{prefix}{body}{suffix}" + (f" Mk{index // n + 1}" if index >= n else "")
    slug = name.lower().replace(" ", "-")
    portable = body in ("Boy", "Pocket", "Deck")
    ext = slug.replace("-", "")[:3]
    return PlatformInfo(
        slug=slug,
        fs_slug=slug,
        name=name,
        igdb_id=None,
        category="Portable Console" if portable else "Console",
        generation=3 + index % 6,
        family=None,
        exts=(ext,),
        size_range=(64 * KB, 16 * MB),
        icon="",
    )


PLATFORM_BINDINGS: dict[str, str] = {
    p.fs_slug: p.slug for p in KNOWN_PLATFORMS if p.fs_slug != p.slug
}
