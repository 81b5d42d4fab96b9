"""Building IGDB's apicalypse query bodies safely (search text is quoted and escaped)."""

from __future__ import annotations

from collections.abc import Iterable

GAME_FIELDS = (
    "name",
    "slug",
    "summary",
    "first_release_date",
    "cover.image_id",
    "platforms.name",
    "platforms.abbreviation",
    "total_rating",
    "url",
)
MAX_SEARCH = 100


def quote(text: str) -> str:
    """A string literal: control characters dropped, backslashes and quotes escaped."""
    cleaned = "".join(ch for ch in text if ch >= " ")[:MAX_SEARCH]
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def id_list(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def build(
    *,
    fields: Iterable[str] = GAME_FIELDS,
    search: str | None = None,
    where: Iterable[str] = (),
    sort: str | None = None,
    limit: int = 10,
    offset: int = 0,
) -> str:
    parts = [f"fields {','.join(fields)};"]
    if search is not None:
        parts.append(f"search {quote(search)};")
    conditions = [c for c in where if c]
    if conditions:
        parts.append("where " + " & ".join(conditions) + ";")
    if sort and search is None:  # IGDB does not sort search results
        parts.append(f"sort {sort};")
    parts.append(f"limit {max(1, min(int(limit), 500))};")
    if offset:
        parts.append(f"offset {int(offset)};")
    return " ".join(parts)
