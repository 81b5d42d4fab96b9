"""A platform's whole game list from IGDB, in a compact form (one small tuple per game).

IGDB's `game_type` (which replaced the deprecated `category`; both use the same numbers) says
what a row is: a main game, a DLC, a port, a remake… Editions of a game (`version_parent`
set) are counted as versions, never as main games.
"""

from __future__ import annotations

from typing import Any, NamedTuple

PAGE_SIZE = 500  # IGDB's largest `limit`
LIST_FIELDS = (
    "name",
    "first_release_date",
    "total_rating",
    "total_rating_count",
    "game_type",
    "category",
    "version_parent",
)
MAIN_GAME = 0
VERSION = -1  # an edition of another game (version_parent set)
GAME_TYPES: dict[int, str] = {
    VERSION: "edition",
    0: "main game",
    1: "DLC",
    2: "expansion",
    3: "bundle",
    4: "standalone expansion",
    5: "mod",
    6: "episode",
    7: "season",
    8: "remake",
    9: "remaster",
    10: "expanded game",
    11: "port",
    12: "fork",
    13: "pack",
    14: "update",
}


class ListedGame(NamedTuple):
    id: int
    name: str
    released: int | None  # epoch seconds
    rating: float | None
    rating_count: int
    game_type: int

    @property
    def main(self) -> bool:
        return self.game_type == MAIN_GAME

    @property
    def year(self) -> int | None:
        if self.released is None:
            return None
        from datetime import UTC, datetime

        return datetime.fromtimestamp(self.released, tz=UTC).year


def _type_of(row: dict[str, Any]) -> int:
    if row.get("version_parent"):
        return VERSION
    value = row.get("game_type", row.get("category"))
    if isinstance(value, dict):  # expanded reference: {"id": 0, "type": "Main Game"}
        value = value.get("id")
    return value if isinstance(value, int) else MAIN_GAME


def listed(row: dict[str, Any]) -> ListedGame | None:
    """One row of IGDB's answer; None when it lacks an id or a name."""
    game_id, name = row.get("id"), row.get("name")
    if not isinstance(game_id, int) or not isinstance(name, str) or not name:
        return None
    released = row.get("first_release_date")
    rating = row.get("total_rating")
    count = row.get("total_rating_count")
    return ListedGame(
        game_id,
        name,
        released if isinstance(released, int) else None,
        float(rating) if isinstance(rating, int | float) else None,
        count if isinstance(count, int) else 0,
        _type_of(row),
    )
