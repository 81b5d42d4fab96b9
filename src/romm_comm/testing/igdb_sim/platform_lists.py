"""Seeded per-platform game lists: up to thousands of games on one platform, with IGDB's
mix of main games, DLC, ports, remakes (same name as the original, a later year), editions
(`version_parent`), and titles that differ only by a numeral ("… II" / "… III")."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

FIRST = (
    "Crimson",
    "Silent",
    "Iron",
    "Lunar",
    "Neon",
    "Ancient",
    "Hidden",
    "Golden",
    "Frozen",
    "Wild",
    "Shadow",
    "Solar",
    "Broken",
    "Electric",
    "Last",
    "Royal",
    "Savage",
    "Quiet",
    "Radiant",
    "Hollow",
    "Cosmic",
    "Velvet",
    "Thunder",
    "Emerald",
    "Paper",
    "Rogue",
)
SECOND = (
    "Knight",
    "Harbor",
    "Circuit",
    "Garden",
    "Legion",
    "Odyssey",
    "Frontier",
    "Dynasty",
    "Rally",
    "Tactics",
    "Dungeon",
    "Voyage",
    "Empire",
    "Runner",
    "Saga",
    "Arena",
    "Chronicle",
    "Outpost",
    "Kingdom",
    "Protocol",
    "Lantern",
    "Horizon",
    "Engine",
    "Quest",
)
NUMERALS = ("", "", "", "", "II", "III", "IV", "VII", "VIII", "2", "3")
# game_type id and its weight (IGDB's numbers: 0 main, 1 DLC, 2 expansion, 3 bundle,
# 8 remake, 9 remaster, 11 port); None: an edition (version_parent set).
TYPES: tuple[tuple[int | None, int], ...] = (
    (0, 70), (1, 8), (2, 4), (3, 3), (8, 4), (9, 3), (11, 5), (None, 3),
)  # fmt: skip
BASE_ID = 10_000_000


def _slug(name: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    return "-".join(p for p in out.split("-") if p)


def _epoch(year: int, day: int) -> int:
    return int(datetime(year, 1, 1, tzinfo=UTC).timestamp()) + day * 86_400


def generate(platform_id: int, size: int, seed: int = 0) -> list[dict[str, Any]]:
    """`size` IGDB game rows on `platform_id`, the same for the same arguments."""
    rng = random.Random(f"{seed}:{platform_id}")
    kinds = [k for k, _ in TYPES]
    weights = [w for _, w in TYPES]
    rows: list[dict[str, Any]] = []
    names: set[str] = set()
    main_rows: list[dict[str, Any]] = []
    base = BASE_ID + platform_id * 100_000
    for n in range(size):
        game_id = base + n
        kind = rng.choices(kinds, weights)[0] if main_rows else 0
        year = rng.randint(1985, 2024)
        extra: dict[str, Any] = {}
        if kind in (8, 9, None) and main_rows:
            parent = rng.choice(main_rows)
            parent_year = datetime.fromtimestamp(parent["first_release_date"], UTC).year
            name = parent["name"]
            year = min(2025, parent_year + rng.randint(1, 15))
            if kind is None:
                name = f"{name}: {rng.choice(('Deluxe', 'Gold', 'Collector'))} Edition"
                extra["version_parent"] = parent["id"]
        else:
            while True:
                words = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
                numeral = rng.choice(NUMERALS)
                name = f"{words} {numeral}".strip()
                if kind in (1, 2, 13):
                    name = f"{name}: {rng.choice(('Expansion Pass', 'Season Pack', 'DLC'))} {n}"
                if name not in names:
                    break
                name = f"{words}: {rng.choice(SECOND)} {numeral}".strip()
                if name not in names:
                    break
        names.add(name)
        rated = rng.random() < 0.8
        slug = f"{_slug(name)}-{game_id}"
        row: dict[str, Any] = {
            "id": game_id,
            "name": name,
            "slug": slug,
            "first_release_date": _epoch(year, rng.randint(0, 360)),
            "platforms": [platform_id],
            "total_rating": round(rng.uniform(35, 97), 2) if rated else None,
            "total_rating_count": rng.randint(1, 3000) if rated else 0,
            "game_type": 0 if kind is None else kind,
            "category": 0 if kind is None else kind,  # deprecated twin of game_type
            "url": f"https://www.igdb.com/games/{slug}",
            **extra,
        }
        rows.append({k: v for k, v in row.items() if v is not None})
        if kind == 0:
            main_rows.append(row)
    return rows
