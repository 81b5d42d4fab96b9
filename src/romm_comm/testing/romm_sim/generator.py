"""Seeded, deterministic library generation: real platforms, a hand-made core of known games,
and generated games from word lists to reach any size."""

from __future__ import annotations

import gc
import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from .catalog import CORE_SLUGS, KNOWN_PLATFORMS, PlatformInfo, generated_platform
from .known_games import BIG_FILE_NAME, CORE_FIRMWARE, CORE_GAMES, cue_text, m3u_text
from .library import FileSpec, Library
from .models import GameMeta
from .naming import file_system_name
from .versions import Personality
from .words import (
    ADJECTIVES,
    AGE_RATINGS,
    COMPANIES,
    EXTRA_TAGS,
    FRANCHISE_WORDS,
    GAME_MODES,
    GENRES,
    HEROES,
    LANGUAGE_TAGS,
    NOUNS,
    PLACES,
    PLAYER_COUNTS,
    REGION_TAGS,
    ROMAN,
    SUFFIXES,
)

DAY = 86400.0


@dataclass(frozen=True)
class LibrarySpec:
    """What library the simulator starts with. Same spec and seed -> same library."""

    roms: int = 200
    platforms: int = 12
    seed: int = 1
    hidden_platforms: int = 1
    big_file_bytes: int | None = None  # adds one ROM with a single file of this size
    unidentified_ratio: float = 0.25
    multi_file_ratio: float = 0.08
    firmware: bool = True


def build_library(spec: LibrarySpec, personality: Personality, now: float | None = None) -> Library:
    # Hundreds of thousands of small objects and no cycles: the cyclic GC only slows this down.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(spec, personality, time.time() if now is None else now)
    finally:
        if was_enabled:
            gc.enable()


def _build(spec: LibrarySpec, personality: Personality, now: float) -> Library:
    rng = random.Random(spec.seed)
    lib = Library(spec.seed, personality)
    _add_platforms(lib, spec, now)
    _add_core_games(lib, spec, now)
    _add_generated_games(lib, spec, rng, now)
    if spec.firmware:
        for fw in CORE_FIRMWARE:
            platform = lib.platform_by_slug(fw.platform)
            if platform is not None:
                lib.new_firmware(
                    platform.id, fw.file_name, fw.size, fw.verified, platform.created_at, fw.hashes
                )
    for username, role in (("admin", "admin"), ("alice", "user"), ("bob", "user")):
        legacy_role = {"alice": "viewer", "bob": "editor"}.get(username, role)
        user = lib.new_user(
            username, f"{username}-password", role if personality.roles_v5 else legacy_role
        )
        user.created_at = user.updated_at = now - 400 * DAY
    count = len(lib.roms)
    lib.saves, lib.states, lib.screenshots = count * 3 // 10, count // 8, count // 5
    return lib


def _add_platforms(lib: Library, spec: LibrarySpec, now: float) -> None:
    count = max(0, spec.platforms)
    infos: list[PlatformInfo] = list(KNOWN_PLATFORMS[:count])
    infos += [generated_platform(i) for i in range(count - len(infos))]
    for i, info in enumerate(infos):
        lib.add_platform(
            info,
            created_at=now - 400 * DAY + i * 60,
            custom_name="Super Famicom" if info.slug == "snes" else "",
        )
    # Hidden platforms: the last ones that hold none of the core games.
    with_core = set(CORE_SLUGS[:11])
    candidates = [p for p in reversed(lib.platforms.values()) if p.slug not in with_core]
    for platform in candidates[: max(0, spec.hidden_platforms)]:
        platform.hidden = True


def _add_core_games(lib: Library, spec: LibrarySpec, now: float) -> None:
    created = now - 380 * DAY
    budget = spec.roms - (1 if spec.big_file_bytes else 0)
    for game in CORE_GAMES:
        if len(lib.roms) >= budget:
            break
        platform = lib.platform_by_slug(game.platform)
        if platform is None:
            continue
        files: list[FileSpec] = list(game.files) or [(game.fs_name, game.size)]
        lib.new_rom(
            platform.id,
            game.fs_name,
            files,
            created_at=created,
            name=game.name,
            igdb_id=game.igdb_id,
            meta=game.meta,
            has_cover=game.meta is not None,
        )
        created += 3600
    if spec.big_file_bytes and spec.roms > 0 and lib.platforms:
        platform = lib.platform_by_slug("psx") or lib.platforms[1]
        lib.big_file_id = (
            lib.new_rom(
                platform.id,
                BIG_FILE_NAME,
                [(BIG_FILE_NAME, spec.big_file_bytes)],
                created_at=created,
            )
            .files[0]
            .id
        )


def _title(rng: random.Random) -> str:
    r = rng.getrandbits(64)
    a = ADJECTIVES[r % len(ADJECTIVES)]
    n = NOUNS[(r >> 8) % len(NOUNS)]
    h = HEROES[(r >> 16) % len(HEROES)]
    p = PLACES[(r >> 24) % len(PLACES)]
    s = SUFFIXES[(r >> 32) % len(SUFFIXES)]
    x = ROMAN[(r >> 40) % len(ROMAN)]
    h2 = HEROES[(r >> 48) % len(HEROES)]
    pattern = (r >> 56) % 12
    return (
        f"{a} {n}",
        f"{n} {s}",
        f"{h}'s {n}",
        f"{a} {n} {x}",
        f"The {a} {n}",
        f"{h} & {h2}",
        f"{n} of {p}",
        f"Super {n} {s}",
        f"{n}: {a} {s}",
        f"{p} {s} {x}",
        f"{a} {n} {s}",
        f"{h} {s}",
    )[pattern]


def _size(rng: random.Random, info: PlatformInfo) -> int:
    lo, hi = info.size_range
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _tags(rng: random.Random) -> str:
    region = rng.choice(REGION_TAGS)[0]
    tags = f" ({region})"
    roll = rng.random()
    if roll < 0.08:
        tags += f" ({rng.choice(LANGUAGE_TAGS)[0]})"
    elif roll < 0.12:
        tags += f" (Rev {rng.randint(1, 3)})"
    elif roll < 0.15:
        tags += f" ({rng.choice(EXTRA_TAGS)})"
    return tags


def _files(
    rng: random.Random, spec: LibrarySpec, info: PlatformInfo, stem: str
) -> tuple[str, list[FileSpec]]:
    """(fs_name, files) for one generated game."""
    ext = rng.choice(info.exts)
    multi = rng.random() < spec.multi_file_ratio
    if multi and info.media == "disc":
        discs = rng.randint(2, 4)
        if ext == "chd" or rng.random() < 0.5:
            names = [f"{stem} (Disc {d}).chd" for d in range(1, discs + 1)]
            files: list[FileSpec] = [(n, _size(rng, info)) for n in names]
            files.append((f"{stem}.m3u", len(m3u_text(names).encode())))
        else:
            files = []
            for d in range(1, discs + 1):
                bin_name = f"{stem} (Disc {d}).bin"
                files.append((bin_name, _size(rng, info)))
                files.append((f"{stem} (Disc {d}).cue", len(cue_text(bin_name).encode())))
        return stem, files
    if multi and info.media == "digital":
        files = [(f"{stem}.{ext}", _size(rng, info), "game")]
        files.append((f"update/{stem} (Update).{ext}", _size(rng, info) // 8 + 1, "update"))
        if rng.random() < 0.5:
            files.append((f"dlc/{stem} (DLC).{ext}", _size(rng, info) // 6 + 1, "dlc"))
        return stem, files
    if multi:  # a folder holding the game and a patch next to it
        return stem, [
            (f"{stem}.{ext}", _size(rng, info)),
            (f"{stem} (Patch).ips", rng.randint(2, 400) * 1024),
        ]
    fs_name = f"{stem}.{ext}"
    return fs_name, [(fs_name, _size(rng, info))]


_GENRE_COMBOS: dict[tuple[int, int], tuple[str, ...]] = {}


@lru_cache(maxsize=1024)
def _month_start(year: int, month: int) -> float:
    return datetime(year, month, 1, tzinfo=UTC).timestamp()


def _meta(rng: random.Random, info: PlatformInfo) -> GameMeta:
    r = rng.getrandbits(64)
    first, count = (r >> 2) % len(GENRES), 1 + (r & 1) + ((r >> 1) & 1)
    genres = _GENRE_COMBOS.get((first, count))
    if genres is None:
        genres = tuple(dict.fromkeys(GENRES[(first + 5 * k) % len(GENRES)] for k in range(count)))
        _GENRE_COMBOS[(first, count)] = genres
    company = COMPANIES[(r >> 8) % len(COMPANIES)]
    year = min(2024, 1977 + (info.generation or 5) * 5 + (r >> 14) % 7)
    month, day = 1 + (r >> 17) % 12, 1 + (r >> 21) % 28
    release = _month_start(year, month) + (day - 1) * DAY + 12 * 3600
    return GameMeta(
        genres=genres,
        franchises=(FRANCHISE_WORDS[(r >> 26) % len(FRANCHISE_WORDS)],)
        if (r >> 31) % 10 < 3
        else (),
        companies=(company,) if (r >> 35) & 1 else (company, COMPANIES[(r >> 36) % len(COMPANIES)]),
        game_modes=GAME_MODES[(r >> 42) % len(GAME_MODES)],
        age_ratings=(AGE_RATINGS[(r >> 45) % len(AGE_RATINGS)],),
        player_count=PLAYER_COUNTS[(r >> 48) % len(PLAYER_COUNTS)],
        release_ms=int(release) * 1000,
        rating=round(35 + ((r >> 51) % 6200) / 100, 2),
    )


def _add_generated_games(lib: Library, spec: LibrarySpec, rng: random.Random, now: float) -> None:
    remaining = spec.roms - len(lib.roms)
    platforms = list(lib.platforms.values())
    if remaining <= 0 or not platforms:
        return
    weights = [8 if p.slug in CORE_SLUGS else 3 if p.info.igdb_id else 1 for p in platforms]
    picks = list(range(len(platforms))) if remaining >= len(platforms) else []
    picks += rng.choices(range(len(platforms)), weights=weights, k=remaining - len(picks))
    picks.sort()  # a scan walks platform by platform, so ids are grouped per platform
    taken: dict[int, set[str]] = {
        p.id: {r.fs_name.lower() for r in lib.roms_of(p.id)} for p in platforms
    }
    span = 360 * DAY
    start = now - 370 * DAY
    for i, index in enumerate(picks):
        platform = platforms[index]
        info = platform.info
        title = _title(rng)
        tags = _tags(rng)
        stem = file_system_name(title) + tags
        attempt = 1
        while (
            f"{stem}.{info.exts[0]}".lower() in taken[platform.id]
            or stem.lower() in taken[platform.id]
        ):
            attempt += 1
            title = f"{_title(rng)}" if attempt < 4 else f"{title} {attempt}"
            stem = file_system_name(title) + tags
        fs_name, files = _files(rng, spec, info, stem)
        taken[platform.id].add(fs_name.lower())
        created = start + span * i / max(1, len(picks))
        roll = rng.random()
        identified = roll >= spec.unidentified_ratio
        ss_only = identified and roll < spec.unidentified_ratio + 0.05
        rom = lib.new_rom(
            platform.id,
            fs_name,
            files,
            created_at=created,
            name=title if identified else None,
            igdb_id=None
            if not identified or ss_only
            else 100_000 + lib.next_rom_id * 7 + spec.seed % 7,
            ss_id=(50_000 + lib.next_rom_id) if ss_only else None,
            meta=_meta(rng, info) if identified else None,
            has_cover=identified and rng.random() < 0.92,
        )
        if rng.random() < 0.1:  # re-scanned or edited later
            rom.updated_at = min(now - 60, rom.created_at + rng.uniform(1, 30) * DAY)
