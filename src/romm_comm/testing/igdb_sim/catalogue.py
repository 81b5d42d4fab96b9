"""The IGDB simulator's seeded catalogue: platforms and games, with covers and list signals.

It includes every identified game of the RomM simulator's hand-made core (same IGDB ids, see
`romm_sim/known_games.py`), so a request can be matched to a ROM by IGDB id, plus games the
RomM library lacks (to be requested), look-alike titles ("Final Fantasy VII" / "VIII" / "IX"),
upcoming and recent releases (dated relative to when the simulator starts) and platform
exclusives. Ids of games outside the RomM core are illustrative, not IGDB's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# IGDB platform id → (name, abbreviation, slug)
PLATFORMS: dict[int, tuple[str, str, str]] = {
    4: ("Nintendo 64", "N64", "n64"),
    5: ("Wii", "Wii", "wii"),
    6: ("PC (Microsoft Windows)", "PC", "win"),
    7: ("PlayStation", "PS1", "ps"),
    8: ("PlayStation 2", "PS2", "ps2"),
    9: ("PlayStation 3", "PS3", "ps3"),
    18: ("Nintendo Entertainment System", "NES", "nes"),
    19: ("Super Nintendo Entertainment System", "SNES", "snes"),
    20: ("Nintendo DS", "NDS", "nds"),
    21: ("Nintendo GameCube", "NGC", "ngc"),
    22: ("Game Boy Color", "GBC", "gbc"),
    24: ("Game Boy Advance", "GBA", "gba"),
    33: ("Game Boy", "GB", "gb"),
    37: ("Nintendo 3DS", "3DS", "3ds"),
    41: ("Wii U", "WiiU", "wiiu"),
    46: ("PlayStation Vita", "Vita", "psvita"),
    48: ("PlayStation 4", "PS4", "ps4--1"),
    49: ("Xbox One", "XONE", "xboxone"),
    130: ("Nintendo Switch", "Switch", "switch"),
    167: ("PlayStation 5", "PS5", "ps5"),
}


@dataclass(frozen=True)
class SimGame:
    id: int
    name: str
    platforms: tuple[int, ...]
    released: str | int | None  # "YYYY-MM-DD", or days from the simulator's start, or None
    rating: float | None = None
    rating_count: int = 0
    hypes: int = 0
    cover: str | None = ""  # "" = derived image id, None = no cover
    summary: str = ""
    alt: tuple[str, ...] = ()
    version_parent: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


G = SimGame
GAMES: tuple[SimGame, ...] = (
    # --- identified games of the RomM simulator's core library (same ids)
    G(1074, "Super Mario 64", (4,), "1996-06-23", 91.6, 1850, cover="co721v",
      summary="Mario's first 3D adventure: recover the Power Stars from Bowser.",
      alt=("Super Mario 64 (Shindou Edition)",)),
    G(427, "Final Fantasy VII", (7, 6), "1997-01-31", 92.4, 2400, cover="co1qxr",
      summary="Cloud Strife and AVALANCHE fight the Shinra Electric Power Company."),
    G(428, "Final Fantasy VIII", (7, 6), "1999-02-11", 83.9, 1400, cover="co1qxs",
      summary="Squall Leonhart of Balamb Garden is drawn into a war with a sorceress."),
    G(1026, "The Legend of Zelda: A Link to the Past", (19,), "1991-11-21", 93.2, 1700,
      cover="co3vzn", summary="Link travels between the Light World and the Dark World."),
    G(20, "Chrono Trigger", (19, 20), "1995-03-11", 94.1, 1600, cover="co54iw",
      summary="Crono and his friends travel through time to stop Lavos."),
    G(1517, "Pokémon Emerald Version", (24,), "2004-09-16", 85.0, 900, cover="co1zhp",
      alt=("Pokemon Emerald",), summary="An enhanced Ruby and Sapphire with a Battle Frontier."),
    G(2340, "Pokémon Ranger", (20,), "2006-03-23", 72.5, 210, cover="co2f5u"),
    G(8732, "Tom & Jerry", (33,), "1992-03-01", 41.0, 12, cover="co4z0k"),
    G(2998, "Tetris", (33,), "1989-06-14", 84.0, 700, cover="co2ufr"),
    G(1028, "The Legend of Zelda: Link's Awakening DX", (22,), "1998-12-12", 88.7, 650,
      cover="co3p2d"),
    G(1229, "Dragon Quest", (18,), "1986-05-27", 70.2, 320, cover="co5p4q",
      alt=("Dragon Warrior",)),
    G(2618, "Animal Crossing: New Leaf", (37,), "2012-11-08", 87.3, 800, cover="co2nxd"),
    G(1937, "Persona 4 Golden", (46, 6), "2012-06-14", 93.0, 1100, cover="co2ov9"),
    G(26226, "Celeste", (130, 6, 48, 49), "2018-01-25", 91.8, 1500, cover="co3byy"),
    G(7346, "The Legend of Zelda: Breath of the Wild", (130, 41), "2017-03-03", 96.4, 3100,
      cover="co3p2c"),
    # --- games the RomM core lacks (requestable), with look-alike titles
    G(415, "Final Fantasy IX", (7, 6), "2000-07-07", 90.3, 1300,
      summary="Zidane Tribal kidnaps Princess Garnet and sets off to save Gaia."),
    G(385, "Final Fantasy", (18,), "1987-12-18", 70.0, 500,
      summary="Four Warriors of Light restore the elemental crystals."),
    G(421, "Final Fantasy VI", (19,), "1994-04-02", 92.0, 1200,
      summary="Terra Branford and the Returners oppose the Gestahlian Empire."),
    G(103281, "Final Fantasy VII Remake", (48, 167, 6), "2020-04-10", 87.0, 900,
      summary="A reimagining of the original set in the city of Midgar."),
    G(1491, "Chrono Cross", (7,), "1999-11-18", 85.5, 600,
      summary="Serge slips between two parallel worlds."),
    G(1092, "Vagrant Story", (7,), "2000-02-10", 86.0, 300),
    G(1497, "Xenogears", (7,), "1998-02-11", 88.0, 500),
    G(1029, "The Legend of Zelda: Ocarina of Time", (4,), "1998-11-21", 97.4, 2500,
      summary="Link travels through time to stop Ganondorf."),
    G(1030, "The Legend of Zelda: Majora's Mask", (4,), "2000-04-27", 93.0, 1400),
    G(2327, "Mario Kart 64", (4,), "1996-12-14", 85.0, 900),
    G(1638, "GoldenEye 007", (4,), "1997-08-25", 90.0, 1000),
    G(1033, "Super Mario 64 DS", (20,), "2004-11-21", 80.0, 400),
    G(1103, "Super Metroid", (19,), "1994-03-19", 94.0, 1300),
    G(2899, "EarthBound", (19,), "1994-08-27", 90.0, 800),
    G(1105, "Metroid Fusion", (24,), "2002-11-17", 89.0, 600),
    G(1559, "Pokémon FireRed Version", (24,), "2004-01-29", 84.0, 700,
      alt=("Pokemon FireRed",)),
    G(358, "Super Mario Bros.", (18,), "1985-09-13", 87.0, 1500),
    G(1068, "Super Mario Bros. 3", (18,), "1988-10-23", 93.0, 1200),
    G(1070, "Super Mario World", (19,), "1990-11-21", 94.0, 1400),
    G(2155, "Super Mario Kart", (19,), "1992-08-27", 85.0, 600),
    G(1075, "Super Mario Sunshine", (21,), "2002-07-19", 85.0, 900),
    G(1077, "Super Mario Galaxy", (5,), "2007-11-01", 95.0, 1600),
    G(26758, "Super Mario Odyssey", (130,), "2017-10-27", 94.0, 2000),
    G(3340, "Paper Mario", (4,), "2000-08-11", 88.0, 700),
    G(2240, "Dr. Mario", (18,), "1990-07-27", 75.0, 300),
    G(1020, "Ratchet & Clank", (8,), "2002-11-04", 86.0, 800),
    G(7334, "Bloodborne", (48,), "2015-03-24", 92.0, 2200,
      summary="A hunter explores the plague-ridden city of Yharnam."),
    G(7331, "Uncharted 4: A Thief's End", (48,), "2016-05-10", 93.0, 2100),
    G(136879, "Demon's Souls", (167,), "2020-11-12", 90.0, 700),
    G(9927, "Persona 5", (9, 48), "2016-09-15", 93.0, 1800),
    G(88001, 'The "Quoted" Game', (24,), "2003-03-03", 50.0, 3),
    # --- a version of a parent game (kept out of lists by version_parent)
    G(88002, "Super Mario 64: Shindou Pak Taiou Version", (4,), "1997-07-18", 80.0, 40,
      version_parent=1074),
    # --- released lately and announced (dated from the simulator's start)
    G(90001, "Pixel Harbor", (130, 167, 6), -12, 82.0, 40, hypes=30,
      summary="Run a harbour town built of pixels."),
    G(90002, "Lanterns of Aster", (167,), -40, 88.0, 65, hypes=55,
      summary="A PlayStation 5 exclusive lantern-lit adventure."),
    G(90003, "Switchback Rally", (130,), -75, 76.0, 20, hypes=10),
    G(90004, "Starfall Tactics", (130, 6), 21, None, 0, hypes=120,
      summary="Turn-based tactics among falling stars."),
    G(90005, "Echo Garden", (167, 6, 49), 60, None, 0, hypes=80),
    G(90006, "Moonrail Express", (130,), 140, None, 0, hypes=15),
    G(90007, "Quiet Lighthouse", (6,), 200, None, 0, hypes=0),  # nobody is waiting for it
)  # fmt: skip


def _epoch(released: str | int | None, start: datetime) -> int | None:
    if released is None:
        return None
    if isinstance(released, int):
        return int((start + timedelta(days=released)).timestamp())
    return int(datetime.fromisoformat(released).replace(tzinfo=UTC).timestamp())


def _slug(name: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    return "-".join(p for p in out.split("-") if p)


def game_rows(start: datetime) -> list[dict[str, Any]]:
    """The catalogue as IGDB objects, references (cover, platforms) not yet expanded."""
    rows = []
    for g in GAMES:
        slug = _slug(g.name)
        image_id = None if g.cover is None else (g.cover or f"co{g.id:x}")
        row: dict[str, Any] = {
            "id": g.id,
            "name": g.name,
            "slug": slug,
            "summary": g.summary or None,
            "first_release_date": _epoch(g.released, start),
            "platforms": list(g.platforms),
            "total_rating": g.rating,
            "total_rating_count": g.rating_count,
            "hypes": g.hypes,
            "version_parent": g.version_parent,
            "_alt": list(g.alt),
            "url": f"https://www.igdb.com/games/{slug}",
            "cover": None if image_id is None else {"id": 500_000 + g.id, "image_id": image_id},
            **g.extra,
        }
        rows.append({k: v for k, v in row.items() if v is not None and v != []})
    return rows


def platform_rows() -> list[dict[str, Any]]:
    return [
        {"id": pid, "name": name, "abbreviation": abbr, "slug": slug}
        for pid, (name, abbr, slug) in sorted(PLATFORMS.items())
    ]
