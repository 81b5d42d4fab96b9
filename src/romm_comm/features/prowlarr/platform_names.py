"""Which platforms a release title names ("[PSX]", "PS1", "Nintendo Switch", "NDS"…).

The names come from the platforms RomM knows (slug, folder name, name and display name, each
part of "Sega Mega Drive/Genesis" or "PC (Microsoft Windows)" on its own), plus the tags
release titles use that RomM does not spell out. Longer names win ("PlayStation 2" is not
"PlayStation"); one word that is also an ordinary word ("Color", "Super") is no name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...romm.models import Platform

# Tags in release titles, by RomM slug, beyond what RomM's own names give.
RELEASE_TAGS: dict[str, tuple[str, ...]] = {
    "psx": ("ps1", "psone", "ps one", "playstation 1"),
    "ps2": ("playstation2",),
    "ps3": ("playstation3",),
    "ps4": ("playstation4",),
    "ps5": ("playstation5",),
    "psp": ("playstation portable",),
    "psvita": ("vita", "ps vita"),
    "n64": ("n64",),
    "nds": ("nds",),
    "3ds": ("3ds", "cia"),
    "switch": ("nsw", "nsp", "xci", "switch"),
    "ngc": ("gamecube", "ngc"),
    "genesis-slash-megadrive": ("megadrive", "mega drive", "genesis"),
    "snes": ("snes", "super famicom", "sfc"),
    "nes": ("nes", "famicom"),
    "win": ("pc", "windows", "win32", "win64", "gog"),
    "dos": ("msdos", "ms dos"),
    "xbox": ("xbox",),
    "xbox360": ("xbox 360", "x360"),
}
COMMON_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "a",
        "game",
        "games",
        "boy",
        "color",
        "colour",
        "pocket",
        "advance",
        "entertainment",
        "system",
        "portable",
        "super",
        "mega",
        "drive",
        "engine",
        "cd",
        "computer",
        "console",
        "classic",
        "mini",
        "edition",
        "pro",
        "plus",
        "home",
        "mark",
        "iii",
        "16",
        "32",
        "64",
        "128",
        "max",
    ]
)


def words(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return tuple(re.findall(r"[a-z0-9]+", plain))


def _names_of(platform: Platform) -> set[tuple[str, ...]]:
    texts = {platform.slug, platform.fs_slug, platform.name, platform.display_name}
    names: set[tuple[str, ...]] = set()
    for text in filter(None, texts):
        names.add(words(text))
        for part in re.split(r"[/()]", text):
            names.add(words(part))
    names.update(words(tag) for tag in RELEASE_TAGS.get(platform.slug, ()))
    return {n for n in names if n and not (len(n) == 1 and n[0] in COMMON_WORDS)}


@dataclass(frozen=True)
class PlatformNames:
    """Name (as words) → the platform slugs it may mean."""

    names: dict[tuple[str, ...], frozenset[str]]
    longest: int

    @classmethod
    def of(cls, platforms: Iterable[Platform]) -> PlatformNames:
        found: dict[tuple[str, ...], set[str]] = {}
        for platform in platforms:
            for name in _names_of(platform):
                found.setdefault(name, set()).add(platform.slug)
        for slug, tags in RELEASE_TAGS.items():  # platforms RomM did not list still count
            for tag in tags:
                found.setdefault(words(tag), set()).add(slug)
        longest = max((len(n) for n in found), default=1)
        return cls({n: frozenset(s) for n, s in found.items()}, longest)

    def _spans(
        self, tokens: Sequence[str], ignore: Iterable[str]
    ) -> list[tuple[int, int, frozenset[str]]]:
        skip = set(ignore)
        out: list[tuple[int, int, frozenset[str]]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest, len(tokens) - i), 0, -1):
                name = tuple(tokens[i : i + size])
                slugs = self.names.get(name)
                if slugs is not None and not set(name) <= skip:
                    out.append((i, i + size, slugs))
                    i += size
                    break
            else:
                i += 1
        return out

    def named_in(self, title: str, ignore: Iterable[str] = ()) -> list[frozenset[str]]:
        """The platforms a title names, each as the slugs that name may mean. Words in
        `ignore` (the requested game's own words) are never read as a platform."""
        return [slugs for _, _, slugs in self._spans(words(title), ignore)]

    def without_names(self, tokens: Sequence[str], ignore: Iterable[str] = ()) -> list[str]:
        """`tokens` less the platform names in them."""
        kept = list(tokens)
        for start, end, _ in reversed(self._spans(tokens, ignore)):
            del kept[start:end]
        return kept
