"""JSON shapes of platforms, firmware, users and tokens, per version personality."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Firmware, Platform, User
from .serialize_roms import detailed_rom_json, rom_file_json, simple_rom_json
from .webutil import iso, iso_micro

if TYPE_CHECKING:
    from .auth import ClientToken
    from .library import Library

__all__ = [
    "client_token_json",
    "detailed_rom_json",
    "firmware_json",
    "platform_json",
    "rom_file_json",
    "simple_rom_json",
    "user_json",
]


def firmware_json(fw: Firmware, lib: Library) -> dict[str, Any]:
    platform = lib.platforms.get(fw.platform_id)
    fs_slug = platform.fs_slug if platform else "unknown"
    stem, _, ext = fw.file_name.rpartition(".") if "." in fw.file_name else (fw.file_name, "", "")
    return {
        "id": fw.id,
        "file_name": fw.file_name,
        "file_name_no_tags": stem,
        "file_name_no_ext": stem,
        "file_extension": ext,
        "file_path": f"bios/{fs_slug}",
        "file_size_bytes": fw.size,
        "full_path": f"bios/{fs_slug}/{fw.file_name}",
        "is_verified": fw.is_verified,
        "crc_hash": fw.crc,
        "md5_hash": fw.md5,
        "sha1_hash": fw.sha1,
        "missing_from_fs": False,
        "created_at": iso(fw.created_at),
        "updated_at": iso(fw.updated_at),
    }


def platform_json(lib: Library, p: Platform) -> dict[str, Any]:
    info = p.info
    extra = info.extra
    identified = info.igdb_id is not None or "ss_id" in extra
    igdb_slug = extra.get("igdb_slug", info.slug) if info.igdb_id is not None else None
    firmware = [firmware_json(f, lib) for f in lib.firmware_of(p.id)]
    data: dict[str, Any] = {
        "id": p.id,
        "slug": info.slug,
        "fs_slug": info.fs_slug,
        "rom_count": len(lib.roms_of(p.id)),
        "name": info.name,
        "igdb_slug": igdb_slug,
        "moby_slug": extra.get("moby_slug", info.slug if identified else None),
        "hltb_slug": extra.get("hltb_slug", info.slug if identified else None),
        "libretro_slug": extra.get("libretro_slug"),
        "custom_name": p.custom_name,
        "description": p.description,
        "igdb_id": info.igdb_id,
        "sgdb_id": None,
        "moby_id": extra.get("moby_id"),
        "launchbox_id": extra.get("launchbox_id"),
        "ss_id": extra.get("ss_id"),
        "ra_id": extra.get("ra_id"),
        "hasheous_id": extra.get("hasheous_id"),
        "tgdb_id": extra.get("tgdb_id"),
        "flashpoint_id": None,
        "category": info.category,
        "generation": info.generation,
        "family_name": info.family,
        "family_slug": info.family_slug,
        "url": f"https://www.igdb.com/platforms/{igdb_slug}" if igdb_slug else None,
        "url_logo": (
            f"https://images.igdb.com/igdb/image/upload/t_1080p/{extra['logo']}.jpg"
            if "logo" in extra
            else ""
        ),
        "firmware": firmware,
        "created_at": iso(p.created_at),
        "updated_at": iso(p.updated_at),
        "fs_size_bytes": lib.platform_size(p.id),
        "is_unidentified": not identified,
        "is_identified": identified,
        "missing_from_fs": False,
        "display_name": p.display_name,
        "firmware_count": len(firmware),
    }
    pers = lib.personality
    if not pers.client_tokens:
        del data["firmware_count"]
    if not pers.missing_flags:
        for key in ("is_identified", "is_unidentified", "missing_from_fs"):
            del data[key]
    if not pers.custom_names:
        for key in ("custom_name", "display_name", "url_logo", "fs_size_bytes"):
            del data[key]
        data["logo_path"] = ""
    return data


def user_json(lib: Library, user: User, *, precise: bool = False) -> dict[str, Any]:
    """`precise`: microsecond timestamps, as RomM returns right after creating a row."""
    stamp = iso_micro if precise else iso
    data: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "enabled": user.enabled,
        "role": user.role,
        "permission_group_id": user.permission_group_id,
        "oauth_scopes": list(lib.user_scopes(user)),
        "avatar_path": "",
        "last_login": iso(user.last_login) if user.last_login else None,
        "last_active": iso(user.last_active) if user.last_active else None,
        "ra_username": user.ra_username,
        "ra_progression": {},
        "ui_settings": dict(user.ui_settings),
        "current_device_id": None,
        "created_at": stamp(user.created_at),
        "updated_at": stamp(user.updated_at),
    }
    if not lib.personality.roles_v5:
        del data["permission_group_id"]
        del data["current_device_id"]
    return data


def client_token_json(token: ClientToken, raw: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": token.id,
        "name": token.name,
        "scopes": list(token.scopes),
        "expires_at": iso(token.expires_at) if token.expires_at else None,
        "last_used_at": iso(token.last_used_at) if token.last_used_at else None,
        "created_at": iso_micro(token.created_at) if raw else iso(token.created_at),
        "user_id": token.user_id,
        "device_id": None,
    }
    if raw is not None:
        data["raw_token"] = raw
    return data
