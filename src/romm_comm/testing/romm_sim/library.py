"""The in-memory library: platforms, ROMs, files, firmware and users, with the helpers tests use
to look at it and change it while the simulator runs."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from .catalog import PlatformInfo
from .models import (
    Firmware,
    GameMeta,
    Platform,
    Rom,
    RomFile,
    User,
    fake_hashes,
    split_ext,
    strip_tags,
)
from .naming import parse_tags
from .scopes import normalize_role, scopes_for_role
from .search import SearchIndex
from .versions import Personality

FileSpec = tuple[str, int] | tuple[str, int, str | None]

ORDER_KEYS = ("name", "created_at", "updated_at", "id", "fs_size_bytes", "first_release_date")


class Library:
    """Mutable library state shared by every request handler."""

    def __init__(
        self, seed: int, personality: Personality, *, search_dialect: str = "mariadb"
    ) -> None:
        self.seed = seed
        self.personality = personality
        self.search_dialect = search_dialect  # search.DIALECTS: the database RomM runs on
        self.platforms: dict[int, Platform] = {}
        self.roms: dict[int, Rom] = {}
        self.files: dict[int, RomFile] = {}
        self.firmware: dict[int, Firmware] = {}
        self.users: dict[int, User] = {}
        self.saves = 0
        self.states = 0
        self.screenshots = 0
        self.big_file_id: int | None = None
        self._by_platform: dict[int, list[Rom]] = {}
        self._order_cache: dict[str, list[Rom]] = {}
        self._platform_size: dict[int, int] = {}
        self._hash_index: dict[str, set[int]] | None = None
        self._search_index: dict[str, SearchIndex] = {}
        self.cache: dict[object, Any] = {}  # derived values, dropped on every change
        self._next_rom_id = 1
        self._next_file_id = 1
        self._next_firmware_id = 1
        self._next_user_id = 1

    # ------------------------------------------------------------------ lookups

    @property
    def next_rom_id(self) -> int:
        return self._next_rom_id

    def platform(self, platform_id: int) -> Platform:
        return self.platforms[platform_id]

    def platform_by_slug(self, slug: str) -> Platform | None:
        return next((p for p in self.platforms.values() if slug in (p.slug, p.fs_slug)), None)

    def roms_of(self, platform_id: int) -> list[Rom]:
        return self._by_platform.get(platform_id, [])

    def hidden_platform_ids(self) -> set[int]:
        """Platforms hidden from non-admins (only a thing since RomM 5.0)."""
        if not self.personality.roles_v5:
            return set()
        return {p.id for p in self.platforms.values() if p.hidden}

    def platform_size(self, platform_id: int) -> int:
        size = self._platform_size.get(platform_id)
        if size is None:
            size = sum(r.fs_size_bytes for r in self.roms_of(platform_id))
            self._platform_size[platform_id] = size
        return size

    def firmware_of(self, platform_id: int) -> list[Firmware]:
        return sorted(
            (f for f in self.firmware.values() if f.platform_id == platform_id),
            key=lambda f: f.file_name,
        )

    def ordered(self, order_by: str) -> list[Rom]:
        """All ROMs sorted ascending by `order_by` (ties by id); cached until a mutation."""
        cached = self._order_cache.get(order_by)
        if cached is not None:
            return cached
        roms = list(self.roms.values())  # id order; sorts are stable, so ties stay by id
        if order_by == "name":
            roms.sort(key=lambda r: r.sort_key)
        elif order_by == "fs_size_bytes":
            roms.sort(key=lambda r: (r.fs_size_bytes, r.id))
        elif order_by in ("created_at", "updated_at"):
            roms.sort(key=lambda r: (getattr(r, order_by), r.id))
        elif order_by == "first_release_date":
            roms.sort(key=lambda r: (_release(r) is None, _release(r) or 0, r.id))
        else:
            roms.sort(key=lambda r: r.id)
        self._order_cache[order_by] = roms
        return roms

    def search_index(self, order_by: str) -> SearchIndex:
        index = self._search_index.get(order_by)
        if index is None or index.roms is not self.ordered(order_by):
            index = self._search_index[order_by] = SearchIndex(self.ordered(order_by))
        return index

    def file_hashes(self, f: RomFile) -> tuple[str, str, str]:
        return fake_hashes(self.seed, "file", f.id)

    def rom_hashes(self, rom: Rom) -> tuple[str, str, str]:
        if len(rom.files) == 1:
            return self.file_hashes(rom.files[0])
        return fake_hashes(self.seed, "rom", rom.id)

    def roms_with_hash(self, value: str) -> set[int]:
        """ROM ids whose ROM-level or file-level crc/md5/sha1 equals `value` (lower-case hex)."""
        if self._hash_index is None:
            index: dict[str, set[int]] = {}
            for rom in self.roms.values():
                self._index_hashes(index, rom)
            self._hash_index = index
        return self._hash_index.get(value.lower(), set())

    def user_by_name(self, username: str) -> User | None:
        wanted = username.strip().lower()
        return next((u for u in self.users.values() if u.username == wanted), None)

    def user_scopes(self, user: User) -> tuple[str, ...]:
        return scopes_for_role(user.role, roles_v5=self.personality.roles_v5)

    # ------------------------------------------------------------------ building

    def add_platform(
        self, info: PlatformInfo, *, created_at: float, custom_name: str = "", hidden: bool = False
    ) -> Platform:
        pid = len(self.platforms) + 1
        platform = Platform(pid, info, custom_name, "", hidden, created_at, created_at)
        self.platforms[pid] = platform
        self._by_platform[pid] = []
        return platform

    def new_rom(
        self,
        platform_id: int,
        fs_name: str,
        files: Sequence[FileSpec],
        *,
        created_at: float,
        name: str | None = None,
        igdb_id: int | None = None,
        ss_id: int | None = None,
        meta: GameMeta | None = None,
        has_cover: bool = False,
        folder: bool | None = None,
    ) -> Rom:
        """Create a ROM; `files` are (path inside the folder, size[, category])."""
        rom_id = self._next_rom_id
        self._next_rom_id += 1
        is_folder = folder if folder is not None else (len(files) > 1 or "/" in files[0][0])
        stem, _ = split_ext(fs_name, is_folder)
        regions, languages, revision, tags = parse_tags(stem)
        rom_files: list[RomFile] = []
        for spec in sorted(files, key=lambda s: s[0]) if len(files) > 1 else files:
            category = spec[2] if len(spec) > 2 else "game"
            rom_files.append(
                RomFile(
                    self._next_file_id, rom_id, spec[0], spec[1], category, created_at, created_at
                )
            )
            self._next_file_id += 1
        rom = Rom(
            id=rom_id,
            platform_id=platform_id,
            fs_name=fs_name,
            name=name or strip_tags(stem),
            is_folder=is_folder,
            files=rom_files,
            created_at=created_at,
            updated_at=created_at,
            igdb_id=igdb_id,
            ss_id=ss_id,
            meta=meta,
            has_cover=has_cover,
            regions=regions,
            languages=languages,
            tags=tags,
            revision=revision,
        )
        rom.refresh_keys()
        self.roms[rom_id] = rom
        self._by_platform[platform_id].append(rom)
        for f in rom_files:
            self.files[f.id] = f
        self._changed(platform_id)
        if self._hash_index is not None:
            self._index_hashes(self._hash_index, rom)
        return rom

    def new_firmware(
        self,
        platform_id: int,
        file_name: str,
        size: int,
        verified: bool,
        created_at: float,
        hashes: tuple[str, str, str] | None = None,
    ) -> Firmware:
        fid = self._next_firmware_id
        self._next_firmware_id += 1
        crc, md5, sha1 = hashes or fake_hashes(self.seed, "firmware", fid)
        fw = Firmware(
            fid, platform_id, file_name, size, verified, crc, md5, sha1, created_at, created_at
        )
        self.firmware[fid] = fw
        return fw

    def new_user(
        self,
        username: str,
        password: str,
        role: str,
        *,
        enabled: bool = True,
        email: str | None = None,
    ) -> User:
        if self.user_by_name(username) is not None:
            raise ValueError(f"user {username!r} already exists")
        uid = self._next_user_id
        self._next_user_id += 1
        now = time.time()
        user = User(
            id=uid,
            username=username.strip().lower(),
            password=password,
            email=email if email is not None else f"{username.strip().lower()}@example.com",
            role=normalize_role(role, roles_v5=self.personality.roles_v5),
            enabled=enabled,
            created_at=now,
            updated_at=now,
        )
        self.users[uid] = user
        return user

    # ------------------------------------------------------------------ test-facing mutation

    def rename_platform(self, platform_id: int, custom_name: str) -> dict[str, Any]:
        """Set a platform's custom name (display_name follows); returns the platform JSON."""
        from .serialize import platform_json

        platform = self.platforms[platform_id]
        platform.custom_name = custom_name
        platform.updated_at = time.time()  # ROM rows keep theirs, as in RomM
        self._changed(platform_id)
        return platform_json(self, platform)

    def set_platform_hidden(self, platform_id: int, hidden: bool = True) -> None:
        self.platforms[platform_id].hidden = hidden

    def add_rom(
        self,
        platform_id: int,
        name: str | None = None,
        fs_name: str | None = None,
        igdb_id: int | None = None,
        files: Iterable[FileSpec] | None = None,
        *,
        summary: str | None = None,
        genres: Sequence[str] = (),
        has_cover: bool | None = None,
    ) -> dict[str, Any]:
        """Simulate "new games arrived": a ROM created now; returns its DetailedRom JSON."""
        from .serialize import detailed_rom_json

        platform = self.platforms[platform_id]
        file_list = list(files or [])
        if fs_name is None and len(file_list) == 1 and "/" not in file_list[0][0]:
            fs_name = file_list[0][0]
        if fs_name is None:
            if not name:
                raise ValueError("add_rom needs a name or an fs_name")
            base = name.replace(": ", " - ")
            fs_name = base if len(file_list) > 1 else f"{base}.{platform.info.exts[0]}"
        if not file_list:
            file_list = [(fs_name, 1024 * 1024)]
        meta = None
        if igdb_id is not None:
            meta = GameMeta(genres=tuple(genres), summary=summary)
        rom = self.new_rom(
            platform_id,
            fs_name,
            file_list,
            created_at=time.time(),
            name=name if igdb_id is not None else None,
            igdb_id=igdb_id,
            meta=meta,
            has_cover=has_cover if has_cover is not None else igdb_id is not None,
        )
        if igdb_id is None and name:
            rom.name = name
            rom.refresh_keys()
        platform.updated_at = rom.created_at
        return detailed_rom_json(self, rom, user_id=None)

    def remove_rom(self, rom_id: int) -> None:
        rom = self.roms.pop(rom_id)
        self._by_platform[rom.platform_id].remove(rom)
        for f in rom.files:
            self.files.pop(f.id, None)
        self._changed(rom.platform_id)
        self._hash_index = None

    def add_user(
        self, username: str, password: str, role: str = "user", enabled: bool = True
    ) -> dict[str, Any]:
        from .serialize import user_json

        return user_json(self, self.new_user(username, password, role, enabled=enabled))

    def file_bytes(self, file_id: int, start: int = 0, end: int | None = None) -> bytes:
        """The exact bytes the simulator serves for a ROM file (keep ranges small)."""
        from .content import rom_file_source

        f = self.files[file_id]
        source = rom_file_source(self, f)
        stop = source.size if end is None else min(end, source.size)
        return b"".join(bytes(c) for c in source.chunks(start, stop))

    # ------------------------------------------------------------------ internals

    def _changed(self, platform_id: int) -> None:
        self._platform_size.pop(platform_id, None)
        if not (self._order_cache or self._search_index or self.cache):
            return  # nothing derived yet (e.g. while the generator fills the library)
        self._order_cache.clear()
        self._search_index.clear()
        self.cache.clear()

    def _index_hashes(self, index: dict[str, set[int]], rom: Rom) -> None:
        values = list(self.rom_hashes(rom))
        for f in rom.files:
            values.extend(self.file_hashes(f))
        for value in values:
            index.setdefault(value, set()).add(rom.id)


def _release(rom: Rom) -> int | None:
    return rom.meta.release_ms if rom.meta else None
