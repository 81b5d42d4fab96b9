"""Which of IGDB's games the library has: by IGDB id where RomM has one, else by the request
matcher's normal title (so "Final Fantasy VII" never counts as "Final Fantasy VIII") and the
release year (a ROM without a year matches on its title alone)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ...igdb.platform_list import ListedGame
from ..requests.matcher import title_key

# (id, name, igdb_id, first release in epoch ms): what RomM's list gives per ROM
RomIdentity = tuple[int, str, int | None, int | None]


@dataclass
class Owned:
    igdb_ids: set[int] = field(default_factory=set)
    titles: dict[str, set[int | None]] = field(default_factory=dict)  # title key → years

    @classmethod
    def of(cls, roms: Iterable[RomIdentity]) -> Owned:
        owned = cls()
        for _rom_id, name, igdb_id, released_ms in roms:
            if igdb_id is not None:
                owned.igdb_ids.add(igdb_id)
                continue
            year = None
            if released_ms is not None:
                year = datetime.fromtimestamp(released_ms / 1000, tz=UTC).year
            owned.titles.setdefault(title_key(name), set()).add(year)
        return owned

    def has(self, game: ListedGame) -> bool:
        if game.id in self.igdb_ids:
            return True
        years = self.titles.get(title_key(game.name))
        if not years:
            return False
        return game.year is None or None in years or game.year in years
