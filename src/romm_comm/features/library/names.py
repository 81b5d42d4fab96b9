"""A compact in-memory index of ROM names per platform, so search finds what people type.

RomM's own search cannot (on MariaDB: FULLTEXT prefix words, stop words and words under three
letters drop out, `&` must be typed; nowhere: "megaman", "final fantasy 7", typos). The bot
keeps each platform's names in the normal form of `requests.matcher` and ranks locally:
a search costs no RomM call while the index is fresh.

Freshness comes from the change signals the bot already has: every platform list the catalog
receives (stats refresh, which also runs after every finished scan) carries each platform's
ROM count and `updated_at`; a platform whose pair differs from what its names were loaded with
is loaded again at its next search, and `invalidate` (after a scan) drops everything. A
platform's names are also reloaded when older than `max_age`, which bounds how long a rename
by a metadata match (same count) can go unseen.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from sys import intern

from ...romm.client import RommClient
from ...romm.models import Platform, Rom
from ..requests.matcher import Query, closeness, name_terms, one_edit, partial_closeness
from ..requests.matcher import title_tokens as _tokens

PAGE = 5000  # ROMs per /api/roms page while loading a platform's names
MAX_AGE = 6 * 3600.0

Signature = tuple[int, object]


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    name: str
    fs_name: str
    size: int
    tokens: tuple[str, ...]


@dataclass
class PlatformNames:
    """One platform's names, with term postings for a quick candidate set."""

    signature: Signature
    loaded_at: float
    entries: list[Entry]
    postings: dict[str, list[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # sorted terms, for prefixes

    def __post_init__(self) -> None:
        postings: dict[str, list[int]] = {}
        for row, entry in enumerate(self.entries):
            for term in set(name_terms(entry.tokens)):
                postings.setdefault(term, []).append(row)
        self.postings = postings
        self.vocabulary = sorted(postings)

    def rows_for(self, word: str) -> set[int]:
        """Rows with a term this query word can match (same, prefix, one typo)."""
        rows: set[int] = set(self.postings.get(word, ()))
        if word.isdigit():
            return rows
        vocab = self.vocabulary
        if len(word) >= 3:
            i = bisect_left(vocab, word)
            while i < len(vocab) and vocab[i].startswith(word):
                rows.update(self.postings[vocab[i]])
                i += 1
        if len(word) >= 5:
            for term in vocab:
                if abs(len(term) - len(word)) <= 1 and one_edit(word, term):
                    rows.update(self.postings[term])
        return rows

    def candidates(self, query: Query) -> set[int]:
        """Rows that may match every word: the rows of the word with the fewest, checked later.
        A word may also be the first half of two query words joined ("star fox")."""
        best: set[int] | None = None
        words = query.words
        for i, word in enumerate(words):
            rows = self.rows_for(word)
            joined = self.postings.get(word + words[i + 1]) if i + 1 < len(words) else None
            if joined:
                rows |= set(joined)
            if best is None or len(rows) < len(best):
                best = rows
        return best or set()

    def any_word(self, query: Query) -> set[int]:
        rows: set[int] = set()
        for word in query.words:
            rows |= self.rows_for(word)
        return rows


@dataclass(frozen=True)
class Hit:
    score: float
    platform: Platform
    entry: Entry

    def rom(self) -> Rom:
        return Rom(
            id=self.entry.id,
            name=self.entry.name or None,
            fs_name=self.entry.fs_name,
            fs_size_bytes=self.entry.size,
            platform_id=self.platform.id,
            platform_slug=self.platform.slug,
            platform_display_name=self.platform.display_name,
        )


def signature(platform: Platform) -> Signature:
    return (platform.rom_count, platform.updated_at)


class NameIndex:
    def __init__(
        self,
        client: RommClient,
        *,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.max_age = max_age
        self.clock = clock
        self._platforms: dict[int, PlatformNames] = {}
        self.loads = 0  # platform loads so far (for the bench and tests)

    def invalidate(self) -> None:
        self._platforms.clear()

    def entries(self) -> int:
        return sum(len(p.entries) for p in self._platforms.values())

    async def names(self, platform: Platform) -> PlatformNames:
        found = self._platforms.get(platform.id)
        now = self.clock()
        if (
            found is None
            or found.signature != signature(platform)
            or now - found.loaded_at > self.max_age
        ):
            found = self._platforms[platform.id] = await self._load(platform, now)
        return found

    async def _load(self, platform: Platform, now: float) -> PlatformNames:
        self.loads += 1
        entries: list[Entry] = []
        offset = 0
        while True:
            rows = await self.client.rom_names(platform.id, limit=PAGE, offset=offset)
            for rom_id, name, fs_name, size in rows:
                tokens = tuple(intern(t) for t in _tokens(name or fs_name))
                entries.append(Entry(rom_id, name, fs_name, size, tokens))
            if len(rows) < PAGE:
                break
            offset += PAGE
        return PlatformNames(signature(platform), now, entries)

    async def search(self, term: str, platforms: Iterable[Platform]) -> list[Hit]:
        """Every name over these platforms that fits the query, closest first; empty when a
        word of the query is in no name."""
        query = Query.of(term)
        hits: list[Hit] = []
        for platform in platforms:
            names = await self.names(platform)
            for row in names.candidates(query):
                entry = names.entries[row]
                score = closeness(query, entry.tokens)
                if score > 0:
                    hits.append(Hit(score, platform, entry))
        hits.sort(key=lambda h: (-h.score, h.entry.name.casefold(), h.entry.id))
        return hits

    async def closest(self, term: str, platforms: Iterable[Platform], limit: int) -> list[Hit]:
        """Names sharing most words with the query, for "did you mean" after no match."""
        query = Query.of(term)
        hits: list[Hit] = []
        for platform in platforms:
            names = await self.names(platform)
            for row in names.any_word(query):
                entry = names.entries[row]
                hits.append(Hit(partial_closeness(query, entry.tokens), platform, entry))
        hits.sort(key=lambda h: (-h.score, h.entry.name.casefold(), h.entry.id))
        return hits[:limit]
