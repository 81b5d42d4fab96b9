"""Browsing the library: platforms (kept in memory for autocomplete), search, games, firmware."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ...common.closest import closest
from ...romm.client import RommClient
from ...romm.errors import RommBusy, RommForbidden, RommNotFound, RommServerError, RommUnreachable
from ...romm.models import Firmware, Platform, Rom, RomPage
from .names import NameIndex

log = logging.getLogger(__name__)

SEARCH_LIMIT = 25
SUGGESTIONS = 5
MAX_TERM_LENGTH = 100


class UnknownPlatform(Exception):
    def __init__(self, query: str, suggestions: list[Platform]) -> None:
        super().__init__(query)
        self.query = query
        self.suggestions = suggestions


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching names people type."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@dataclass(frozen=True)
class SearchResult:
    platform: Platform | None  # None: every platform the caller may see
    term: str
    page: RomPage
    suggestions: tuple[Rom, ...] = ()  # the closest names, when nothing matched


class Catalog:
    """Library queries. The platform list lives in memory, refreshed by `load_platforms`.

    Who is asking is never a default: every query that may show a platform takes `admin`
    (the caller's admin-ness); members never see the platforms RomM hides from them."""

    def __init__(
        self,
        client: RommClient,
        names: NameIndex | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.names = names or NameIndex(client)
        self._clock = clock
        self._platforms: list[Platform] = []
        # When the list in memory was last read from RomM.
        self.platforms_loaded_at: datetime | None = None
        self._by_key: dict[str, Platform] = {}
        # (platform, folded display name, folded name) for autocomplete without re-folding.
        self._folded: list[tuple[Platform, str, str]] = []
        # Platforms RomM hides from ordinary members (its default permission group, 5.0+).
        # The bot reads RomM as an admin, so it hides them itself from members who ask.
        self.hidden: frozenset[int] = frozenset()

    @property
    def platforms(self) -> list[Platform]:
        return self._platforms

    async def load_platforms(self, *, fresh: bool = False) -> list[Platform]:
        if fresh:
            self.client.invalidate()
        platforms = await self.client.platforms()
        self.set_platforms(platforms)
        return self._platforms

    async def current_platforms(self, *, admin: bool) -> tuple[list[Platform], datetime | None]:
        """The platforms, asked of RomM (through the client's cache); when RomM does not
        answer, the list in memory and when it was read (None: the list is current)."""
        try:
            await self.load_platforms()
        except (RommUnreachable, RommServerError, RommBusy) as exc:
            if not self._platforms:
                raise
            log.info("platforms: RomM did not answer (%s); using the list in memory", exc)
            return self.visible(self._platforms, admin=admin), self.platforms_loaded_at
        return self.visible(self._platforms, admin=admin), None

    def set_platforms(self, platforms: list[Platform]) -> None:
        self.platforms_loaded_at = self._clock()
        self._platforms = sorted(platforms, key=lambda p: fold(p.display_name))
        keys: dict[str, Platform] = {}
        for p in self._platforms:
            for key in (p.name, p.slug, p.fs_slug, p.display_name, str(p.id)):
                if key:
                    keys.setdefault(fold(key), p)
        # Display names win over other keys (a renamed platform answers to its new name).
        for p in self._platforms:
            keys[fold(p.display_name)] = p
        self._by_key = keys
        self._folded = [(p, fold(p.display_name), fold(p.name)) for p in self._platforms]

    async def ensure_platforms(self, *, admin: bool) -> list[Platform]:
        if not self._platforms:
            await self.load_platforms()
        return self.visible(self._platforms, admin=admin)

    def visible(self, platforms: list[Platform], *, admin: bool) -> list[Platform]:
        if admin or not self.hidden:
            return platforms
        return [p for p in platforms if p.id not in self.hidden]

    async def load_hidden(self) -> frozenset[int]:
        """Ask RomM which platforms its default group hides (RomM 5+; needs users.read)."""
        caps = await self.client.capabilities()
        if not caps.permission_groups:
            self.hidden = frozenset()
            return self.hidden
        try:
            groups = await self.client.permission_groups()
        except (RommForbidden, RommNotFound):
            log.info("catalog: cannot read RomM's permission groups; no platform is hidden")
            return self.hidden
        default = next((g for g in groups if g.is_default), None)
        self.hidden = default.hidden_platform_ids if default else frozenset()
        return self.hidden

    async def resolve_platform(self, query: str, *, admin: bool) -> Platform:
        """Find a platform by display name, original name, slug, folder name or id."""
        platforms = await self.ensure_platforms(admin=admin)
        key = fold(query)
        found = self._by_key.get(key)
        if found is not None and (admin or found.id not in self.hidden):
            return found
        starts = [p for p in platforms if fold(p.display_name).startswith(key)]
        contains = [p for p in platforms if key in fold(p.display_name) or key in fold(p.name)]
        if len(starts) == 1:
            return starts[0]
        if not starts and len(contains) == 1:
            return contains[0]
        raise UnknownPlatform(
            query, (starts or contains)[:5] or _closest_platforms(query, platforms)
        )

    def complete_platforms(self, partial: str, limit: int = 25, *, admin: bool) -> list[Platform]:
        """Autocomplete from memory: no RomM call. Prefix matches first, then substrings."""
        key = fold(partial)
        if not key:
            return self.visible(self._platforms, admin=admin)[:limit]
        first: list[Platform] = []
        rest: list[Platform] = []
        for p, name, original in self._folded:
            if not admin and p.id in self.hidden:
                continue
            if name.startswith(key) or p.slug.startswith(key):
                first.append(p)
                if len(first) >= limit:
                    break
            elif len(rest) < limit and (key in name or key in original or key in p.fs_slug):
                rest.append(p)
        return (first + rest)[:limit]

    async def search(self, term: str, platform: Platform | None, *, admin: bool) -> SearchResult:
        """Names that fit what was typed, closest first, from the in-memory name index (no
        RomM call while it is fresh); on one platform, or on every platform the caller sees."""
        platforms = [platform] if platform else await self.ensure_platforms(admin=admin)
        hits = await self.names.search(term, platforms)
        page = RomPage(items=[h.rom() for h in hits[:SEARCH_LIMIT]], total=len(hits))
        if hits:
            return SearchResult(platform, term, page)
        closest = await self.names.closest(term, platforms, SUGGESTIONS)
        return SearchResult(platform, term, page, tuple(h.rom() for h in closest))

    async def rom(self, rom_id: int, *, admin: bool) -> Rom:
        rom = await self.client.rom(rom_id)
        if not admin and rom.platform_id in self.hidden:
            raise RommNotFound(f"rom {rom_id} is on a platform hidden from members")
        return rom

    async def random(self, platform: Platform | None, *, admin: bool) -> Rom | None:
        for _ in range(5):  # a pick on a platform hidden from members is drawn again
            picked = await self.client.random_rom(platform.id if platform else None)
            if picked is None:
                return None
            if admin or picked.platform_id not in self.hidden:
                return await self.client.rom(picked.id)  # the card needs files and metadata
        return None

    async def firmware(self, platform: Platform) -> list[Firmware]:
        return await self.client.firmware(platform.id)


def _closest_platforms(query: str, platforms: list[Platform]) -> list[Platform]:
    """The platforms whose names look most like a mistyped one ("Nintendo 46")."""
    by_name: dict[str, Platform] = {}
    for p in platforms:
        for name in (p.display_name, p.name, p.slug):
            by_name.setdefault(name, p)
    found: list[Platform] = []
    for name in closest(query, by_name, limit=5):
        if by_name[name] not in found:
            found.append(by_name[name])
    return found[:3]
