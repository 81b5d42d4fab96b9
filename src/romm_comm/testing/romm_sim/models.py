"""Compact in-memory records for the simulated library (JSON is built from them on demand)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from .catalog import PlatformInfo


@dataclass(slots=True)
class GameMeta:
    """Metadata of an identified game (what IGDB / ScreenScraper would have filled in)."""

    genres: tuple[str, ...] = ()
    franchises: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    game_modes: tuple[str, ...] = ()
    age_ratings: tuple[str, ...] = ()
    player_count: str = "1"
    release_ms: int | None = None
    rating: float | None = None
    summary: str | None = None  # None: generated from the title when serialized
    alternative_names: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    youtube_video_id: str | None = None
    cover_image_id: str | None = None


@dataclass(slots=True)
class Platform:
    id: int
    info: PlatformInfo
    custom_name: str = ""
    description: str = ""
    hidden: bool = False
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def slug(self) -> str:
        return self.info.slug

    @property
    def fs_slug(self) -> str:
        return self.info.fs_slug

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def display_name(self) -> str:
        return self.custom_name or self.info.name


@dataclass(slots=True)
class RomFile:
    id: int
    rom_id: int
    rel_path: str  # path inside the ROM's folder ("update/x.nsp"); the file name for single files
    size: int
    category: str | None
    created_at: float
    updated_at: float

    @property
    def file_name(self) -> str:
        return self.rel_path.rsplit("/", 1)[-1]

    @property
    def subdir(self) -> str:
        return self.rel_path.rsplit("/", 1)[0] if "/" in self.rel_path else ""

    @property
    def is_top_level(self) -> bool:
        return "/" not in self.rel_path


@dataclass(slots=True)
class Rom:
    id: int
    platform_id: int
    fs_name: str  # file name, or folder name for multi-file games
    name: str  # metadata name, or the cleaned file name when unidentified
    is_folder: bool
    files: list[RomFile]
    created_at: float
    updated_at: float
    igdb_id: int | None = None
    ss_id: int | None = None
    ra_id: int | None = None
    meta: GameMeta | None = None
    has_cover: bool = False
    regions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    revision: str = ""
    sort_key: str = ""
    hay: str = ""  # folded "name\nfs_name" for search

    @property
    def fs_size_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def top_level_count(self) -> int:
        return sum(1 for f in self.files if f.is_top_level)

    @property
    def is_identified(self) -> bool:
        return self.igdb_id is not None or self.ss_id is not None or self.ra_id is not None

    def refresh_keys(self) -> None:
        self.sort_key = name_sort_key(self.name)
        self.hay = fold(self.name) + "\n" + fold(self.fs_name)


@dataclass(slots=True)
class Firmware:
    id: int
    platform_id: int
    file_name: str
    size: int
    is_verified: bool
    crc: str
    md5: str
    sha1: str
    created_at: float
    updated_at: float


@dataclass(slots=True)
class User:
    id: int
    username: str
    password: str
    email: str | None
    role: str
    enabled: bool = True
    created_at: float = 0.0
    updated_at: float = 0.0
    last_login: float | None = None
    last_active: float | None = None
    ra_username: str = ""
    ui_settings: dict[str, object] = field(default_factory=dict)
    permission_group_id: int | None = None  # 5.x; None: the default group


# --- text helpers

_COMBINING = re.compile(r"[\u0300-\u036f]")
_DIGITS = re.compile(r"\d+")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def fold(text: str) -> str:
    """Case- and accent-insensitive form (like MariaDB's utf8mb4_unicode_ci collation)."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def name_sort_key(name: str) -> str:
    """RomM's `name_sort_key`: lower-case, leading article dropped, numbers zero-padded."""
    key = _ARTICLE.sub("", name.strip().lower())
    return _DIGITS.sub(lambda m: m.group(0).zfill(12), key)


_TAG = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")


def strip_tags(stem: str) -> str:
    return _TAG.sub("", stem).strip()


def split_ext(fs_name: str, is_folder: bool) -> tuple[str, str]:
    if is_folder or "." not in fs_name:
        return fs_name, ""
    stem, ext = fs_name.rsplit(".", 1)
    return stem, ext


def fake_hashes(seed: int, kind: str, ident: int) -> tuple[str, str, str]:
    """Deterministic crc32/md5/sha1-shaped hex strings (not the hashes of the served bytes)."""
    digest = hashlib.blake2b(f"{seed}:{kind}:{ident}".encode(), digest_size=64).hexdigest()
    return digest[:8], digest[8:40], digest[40:80]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
