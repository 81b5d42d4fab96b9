"""Typed views of RomM's JSON, tolerant of the differences between RomM 3.x, 4.x and 5.x.

Only the fields the bot uses are declared; everything else is ignored, so a new RomM field
never breaks parsing. Field renames across versions are folded into one name here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Firmware(_Model):
    id: int
    file_name: str
    file_size_bytes: int = 0
    crc_hash: str | None = None
    md5_hash: str | None = None
    sha1_hash: str | None = None
    is_verified: bool = False


class Platform(_Model):
    id: int
    slug: str
    fs_slug: str = ""
    name: str
    custom_name: str | None = None
    display_name: str = ""
    rom_count: int = 0
    firmware_count: int | None = None
    fs_size_bytes: int | None = None
    igdb_id: int | None = None
    updated_at: datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _display(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("display_name"):
            data = dict(data)
            data["display_name"] = data.get("custom_name") or data.get("name") or data["slug"]
        return data


class RomFile(_Model):
    id: int
    file_name: str
    file_size_bytes: int = 0
    category: str | None = None
    crc_hash: str | None = None
    md5_hash: str | None = None
    sha1_hash: str | None = None


class RomMetadatum(_Model):
    genres: list[str] = Field(default_factory=list)
    companies: list[str] = Field(default_factory=list)
    first_release_date: int | None = None  # epoch milliseconds


class Rom(_Model):
    id: int
    name: str | None = None
    fs_name: str
    fs_extension: str = ""
    fs_size_bytes: int = 0
    platform_id: int
    platform_slug: str = ""
    platform_fs_slug: str = ""
    platform_display_name: str = ""
    summary: str | None = None
    slug: str | None = None  # the metadata provider's slug (IGDB's when matched there)
    igdb_id: int | None = None
    path_cover_small: str | None = None
    path_cover_large: str | None = None
    url_cover: str | None = None
    has_multiple_files: bool = False
    files: list[RomFile] = Field(default_factory=list)
    metadatum: RomMetadatum | None = None
    regions: list[str] = Field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _fold_versions(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        # `multi` (before 4.4) became `has_multiple_files`.
        if "has_multiple_files" not in data and "multi" in data:
            data["has_multiple_files"] = bool(data["multi"])
        # `platform_name` (before 4.4) became `platform_display_name`.
        if not data.get("platform_display_name"):
            data["platform_display_name"] = (
                data.get("platform_custom_name")
                or data.get("platform_name")
                or data.get("platform_slug")
                or ""
            )
        # `path_cover_s` / `path_cover_l` (older RomM) became `path_cover_small` / `_large`.
        for old, new in (
            ("path_cover_s", "path_cover_small"),
            ("path_cover_l", "path_cover_large"),
        ):
            if not data.get(new) and data.get(old):
                data[new] = data[old]
        # `file_name` (before 3.8) became `fs_name`.
        if "fs_name" not in data and "file_name" in data:
            data["fs_name"] = data["file_name"]
        return data

    @property
    def title(self) -> str:
        return self.name or self.fs_name

    @property
    def release_date(self) -> datetime | None:
        if self.metadatum and self.metadatum.first_release_date:
            return datetime.fromtimestamp(self.metadatum.first_release_date / 1000, tz=UTC)
        return None

    @property
    def total_size(self) -> int:
        if self.files:
            return sum(f.file_size_bytes for f in self.files)
        return self.fs_size_bytes


class RomPage(_Model):
    items: list[Rom]
    total: int | None = None


class Stats(_Model):
    platforms: int = Field(alias="PLATFORMS")
    roms: int = Field(alias="ROMS")
    saves: int = Field(0, alias="SAVES")
    states: int = Field(0, alias="STATES")
    screenshots: int = Field(0, alias="SCREENSHOTS")
    storage_bytes: int = Field(0, alias="TOTAL_FILESIZE_BYTES")


class User(_Model):
    id: int
    username: str
    role: str = "user"
    enabled: bool = True
    oauth_scopes: list[str] = Field(default_factory=list)
    email: str | None = None
    permission_group_id: int | None = None  # 5.x
    created_at: datetime | None = None


class Heartbeat(_Model):
    version: str
    metadata_sources: dict[str, bool] = Field(default_factory=dict)
    emulator_js_disabled: bool = False
    show_setup_wizard: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Heartbeat:
        system = data.get("SYSTEM") or {}
        version = system.get("VERSION") or data.get("VERSION") or "unknown"
        sources = {
            k: bool(v)
            for k, v in (data.get("METADATA_SOURCES") or {}).items()
            if isinstance(v, bool)
        }
        emulation = data.get("EMULATION") or {}
        return cls(
            version=str(version),
            metadata_sources=sources,
            emulator_js_disabled=bool(emulation.get("DISABLE_EMULATOR_JS", False)),
            show_setup_wizard=bool(system.get("SHOW_SETUP_WIZARD", False)),
        )
