"""JSON shapes of ROMs and ROM files (SimpleRomSchema / DetailedRomSchema), per version."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .models import Rom, RomFile, slugify, split_ext, strip_tags
from .webutil import iso, iso_micro
from .words import (
    ADJECTIVES,
    HEROES,
    NOUNS,
    PLACES,
    SUMMARY_CLOSERS,
    SUMMARY_GOALS,
    SUMMARY_OPENERS,
)

if TYPE_CHECKING:
    from .library import Library

RESOURCES = "/assets/romm/resources"
_EMPTY_PROVIDERS = (
    "moby_metadata",
    "launchbox_metadata",
    "hasheous_metadata",
    "flashpoint_metadata",
    "hltb_metadata",
    "gamelist_metadata",
    "manual_metadata",
)


def cover_path(rom: Rom, size: str, *, offset: bool = False) -> str:
    """`size` is "small" or "big"; the query string is RomM's `?ts=<updated_at>`, unencoded
    as RomM sends it: `2026-12-03 12:58:17` (5.x) or `2026-12-03 12:58:17+00:00` (4.x)."""
    when = datetime.fromtimestamp(int(rom.updated_at), UTC)
    stamp = str(when if offset else when.replace(tzinfo=None))
    return f"{RESOURCES}/roms/{rom.platform_id}/{rom.id}/cover/{size}.png?ts={stamp}"


def cover_image_id(rom: Rom) -> str:
    if rom.meta and rom.meta.cover_image_id:
        return rom.meta.cover_image_id
    n, digits = rom.id * 7919 + 1_000_000, "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return f"co{out}"


def summary_for(lib: Library, rom: Rom) -> str | None:
    if rom.meta is None:
        return None
    if rom.meta.summary is not None:
        return rom.meta.summary
    rng = random.Random(lib.seed * 1_000_003 + rom.id)
    words = {
        "title": rom.name,
        "genre": (rom.meta.genres[0] if rom.meta.genres else "action").lower(),
        "hero": rng.choice(HEROES),
        "place": rng.choice(PLACES),
        "noun": rng.choice(NOUNS).lower(),
        "adj": rng.choice(ADJECTIVES).lower(),
        "n": str(rng.randint(8, 120)),
        "players": rom.meta.player_count,
    }
    goal = rng.choice(SUMMARY_GOALS).format(**words)
    opener = rng.choice(SUMMARY_OPENERS).format(goal=goal, **words)
    return opener + rng.choice(SUMMARY_CLOSERS).format(**words)


def rom_file_json(lib: Library, rom: Rom, f: RomFile) -> dict[str, Any]:
    platform = lib.platforms[rom.platform_id]
    base = f"roms/{platform.fs_slug}"
    folder = f"{base}/{rom.fs_name}" if rom.is_folder else base
    file_path = f"{folder}/{f.subdir}" if f.subdir else folder
    crc, md5, sha1 = lib.file_hashes(f)
    return {
        "id": f.id,
        "rom_id": rom.id,
        "file_name": f.file_name,
        "file_path": file_path,
        "file_size_bytes": f.size,
        "full_path": f"{file_path}/{f.file_name}",
        "is_top_level": f.is_top_level,
        "created_at": iso(f.created_at),
        "updated_at": iso(f.updated_at),
        "last_modified": iso(f.created_at - 3600),
        "crc_hash": crc,
        "md5_hash": md5,
        "sha1_hash": sha1,
        "ra_hash": None,
        "chd_sha1_hash": "",
        "archive_members": None,
        "category": f.category,
        "track_meta": None,
    }


def _igdb_metadata(lib: Library, rom: Rom) -> dict[str, Any]:
    meta = rom.meta
    if meta is None or rom.igdb_id is None:
        return {}
    platform = lib.platforms[rom.platform_id]
    release_s = meta.release_ms // 1000 if meta.release_ms is not None else None
    return {
        "total_rating": f"{meta.rating:.2f}" if meta.rating is not None else None,
        "aggregated_rating": f"{(meta.rating or 0) * 0.97:.2f}" if meta.rating else None,
        "first_release_date": release_s,
        "youtube_video_id": meta.youtube_video_id,
        "genres": list(meta.genres),
        "franchises": list(meta.franchises),
        "alternative_names": list(meta.alternative_names),
        "collections": list(meta.collections),
        "companies": list(meta.companies),
        "game_modes": list(meta.game_modes),
        "age_ratings": [
            {
                "rating": rating,
                "category": "PEGI" if rating.startswith("PEGI") else "ESRB",
                "rating_cover_url": "https://www.igdb.com/icons/rating_icons/"
                f"{slugify(rating)}.png",
            }
            for rating in meta.age_ratings
        ],
        "platforms": (
            [{"igdb_id": platform.info.igdb_id, "name": platform.name}]
            if platform.info.igdb_id
            else []
        ),
        "multiplayer_modes": [],
        "player_count": meta.player_count,
        "expansions": [],
        "dlcs": [],
        "remasters": [],
        "remakes": [],
        "expanded_games": [],
        "ports": [],
        "similar_games": [],
    }


def _ss_metadata(rom: Rom) -> dict[str, Any]:
    if rom.ss_id is None:
        return {}
    media = f"https://neoclone.screenscraper.fr/api2/mediaJeu.php?gameid={rom.ss_id}"
    return {
        "box2d_url": f"{media}&media=box-2D",
        "screenshot_url": f"{media}&media=ss",
        "title_screen_url": f"{media}&media=sstitle",
        "first_release_date": rom.meta.release_ms // 1000
        if rom.meta and rom.meta.release_ms
        else None,
        "genres": list(rom.meta.genres) if rom.meta else [],
        "companies": list(rom.meta.companies) if rom.meta else [],
    }


def _rom_user(now: float) -> dict[str, Any]:
    stamp = iso_micro(now)
    return {
        "id": -1,
        "user_id": -1,
        "rom_id": -1,
        "created_at": stamp,
        "updated_at": stamp,
        "last_played": None,
        "is_main_sibling": False,
        "backlogged": False,
        "now_playing": False,
        "hidden": False,
        "rating": 0,
        "difficulty": 0,
        "completion": 0,
        "status": None,
    }


def _base_rom(lib: Library, rom: Rom, *, with_files: bool) -> dict[str, Any]:
    platform = lib.platforms[rom.platform_id]
    meta = rom.meta
    stem, ext = split_ext(rom.fs_name, rom.is_folder)
    crc, md5, sha1 = lib.rom_hashes(rom)
    top = rom.top_level_count
    cover = rom.has_cover and rom.is_identified
    stamp = lib.personality.cover_stamp_offset
    if cover and rom.igdb_id is not None:
        url_cover = (
            f"https://images.igdb.com/igdb/image/upload/t_cover_big/{cover_image_id(rom)}.jpg"
        )
    elif cover:
        url_cover = (
            f"https://neoclone.screenscraper.fr/api2/mediaJeu.php?gameid={rom.ss_id}&media=box-2D"
        )
    else:
        url_cover = ""
    data: dict[str, Any] = {
        "id": rom.id,
        "igdb_id": rom.igdb_id,
        "sgdb_id": None,
        "moby_id": None,
        "ss_id": rom.ss_id,
        "ra_id": rom.ra_id,
        "launchbox_id": None,
        "hasheous_id": None,
        "tgdb_id": None,
        "flashpoint_id": None,
        "hltb_id": None,
        "gamelist_id": None,
        "libretro_id": None,
        "platform_id": platform.id,
        "platform_slug": platform.slug,
        "platform_fs_slug": platform.fs_slug,
        "platform_custom_name": platform.custom_name,
        "platform_display_name": platform.display_name,
        "fs_name": rom.fs_name,
        "fs_name_no_tags": strip_tags(stem),
        "fs_name_no_ext": stem,
        "fs_extension": ext,
        "fs_path": f"roms/{platform.fs_slug}",
        "fs_size_bytes": rom.fs_size_bytes,
        "name": rom.name,
        "name_sort_key": rom.sort_key,
        "slug": slugify(rom.name) if meta else None,
        "summary": summary_for(lib, rom),
        "alternative_names": list(meta.alternative_names) if meta else [],
        "youtube_video_id": meta.youtube_video_id if meta else None,
        "metadatum": {
            "rom_id": rom.id,
            "genres": list(meta.genres) if meta else [],
            "franchises": list(meta.franchises) if meta else [],
            "collections": list(meta.collections) if meta else [],
            "companies": list(meta.companies) if meta else [],
            "game_modes": list(meta.game_modes) if meta else [],
            "age_ratings": list(meta.age_ratings) if meta else [],
            "player_count": meta.player_count if meta else "1",
            "first_release_date": meta.release_ms if meta else None,
            "average_rating": meta.rating if meta else None,
        },
        "igdb_metadata": _igdb_metadata(lib, rom),
        "ss_metadata": _ss_metadata(rom),
        **{key: {} for key in _EMPTY_PROVIDERS},
        "path_cover_small": cover_path(rom, "small", offset=stamp) if cover else "",
        "path_cover_large": cover_path(rom, "big", offset=stamp) if cover else "",
        "url_cover": url_cover,
        "has_manual": False,  # a manual *asset*; manual files in a folder are just files
        "has_soundtrack": False,
        "path_manual": None,
        "url_manual": "",
        "path_video": None,
        "is_identifying": False,
        "is_unidentified": not rom.is_identified,
        "is_identified": rom.is_identified,
        "revision": rom.revision,
        "regions": list(rom.regions),
        "languages": list(rom.languages),
        "tags": list(rom.tags),
        "crc_hash": crc,
        "md5_hash": md5,
        "sha1_hash": sha1,
        "ra_hash": "",
        "has_simple_single_file": not rom.is_folder and top == 1,
        "has_nested_single_file": rom.is_folder and top == 1,
        "has_multiple_files": top > 1,
        "full_path": f"roms/{platform.fs_slug}/{rom.fs_name}",
        "created_at": iso(rom.created_at),
        "updated_at": iso(rom.updated_at),
        "missing_from_fs": False,
        "has_notes": False,
        "rom_user": _rom_user(time.time()),
        "merged_screenshots": [],
        "merged_ra_metadata": {},
        "files": [rom_file_json(lib, rom, f) for f in rom.files] if with_files else [],
        "sibling_roms": [],
    }
    pers = lib.personality
    if pers.legacy_cover_names:
        data["path_cover_s"] = data.pop("path_cover_small")
        data["path_cover_l"] = data.pop("path_cover_large")
    if pers.legacy_platform_name:
        data["platform_name"] = platform.name
    if pers.legacy_multi:
        data["multi"] = len(rom.files) > 1
    if not pers.has_file_flags:
        for key in ("has_simple_single_file", "has_nested_single_file", "has_multiple_files"):
            del data[key]
    if not pers.custom_names:
        del data["platform_custom_name"]
        del data["platform_display_name"]
    if not pers.missing_flags:
        del data["missing_from_fs"]
    return data


def simple_rom_json(lib: Library, rom: Rom, *, with_files: bool) -> dict[str, Any]:
    data = _base_rom(lib, rom, with_files=with_files)
    data["screenshot_path"] = None
    return data


def detailed_rom_json(lib: Library, rom: Rom, *, user_id: int | None) -> dict[str, Any]:
    data = _base_rom(lib, rom, with_files=True)
    data.update(
        {
            "user_saves": [],
            "user_states": [],
            "all_user_saves": [],
            "all_user_states": [],
            "user_screenshots": [],
            "all_user_screenshots": [],
            "user_collections": [],
            "all_user_notes": [],
        }
    )
    return data
