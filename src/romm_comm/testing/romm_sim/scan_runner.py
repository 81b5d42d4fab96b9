"""A scan as RomM's worker runs it: platforms one by one, ROMs one by one, the events it emits.

Files "on disk" that the library does not hold yet are *staged* (`stage_roms`); a scan that
reaches their platform adds them to the library, so REST queries made during and after the
scan see them. Event order and payloads follow the captured RomM 5.2 sequence: per platform
`scan:update_stats`, `scan:scanning_platform`, `scan:update_stats` (firmware); per ROM
`scan:scanning_rom` (identifying), `scan:update_stats`, `scan:scanning_rom` (done); at the end
`scan:done` with the final numbers. RomM before 4.4 sends no `scan:update_stats`.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .catalog import KNOWN_PLATFORMS, PlatformInfo
from .library import Library
from .models import GameMeta, Platform, Rom
from .serialize_roms import simple_rom_json
from .webutil import iso_micro

Emit = Callable[[str, Any], Awaitable[None]]

STAT_KEYS = (
    "total_platforms",
    "total_roms",
    "scanned_platforms",
    "new_platforms",
    "identified_platforms",
    "scanned_roms",
    "new_roms",
    "identified_roms",
    "scanned_firmware",
    "new_firmware",
)
TASK_NAMES = {
    "quick": "Quick Scan",
    "complete": "Complete Scan",
    "new_platforms": "New Platforms Scan",
    "unmatched": "Unmatched Scan",
    "unidentified": "Unidentified Scan",
    "update": "Update Scan",
    "partial": "Partial Scan",
    "hashes": "Hashes Scan",
}
# Fields RomM leaves out of the `scan:scanning_rom` payload.
_NOT_IN_EVENT = ("created_at", "updated_at", "rom_user", "files", "sibling_roms")


@dataclass(slots=True)
class StagedRom:
    fs_name: str
    name: str | None
    igdb_id: int | None
    size: int


@dataclass
class ScanJob:
    """One scan task, as `GET /api/tasks/status` lists it."""

    type: str
    platform_ids: list[int]
    external: bool
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "queued"
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    ended_at: float | None = None
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAT_KEYS, 0))
    stop: bool = False

    def task_json(self) -> dict[str, Any]:
        def when(ts: float | None) -> str | None:
            return None if ts is None else iso_micro(ts)

        return {
            "task_name": TASK_NAMES.get(self.type, "Scan"),
            "task_id": self.id,
            "status": self.status,
            "created_at": when(self.created_at),
            "enqueued_at": when(self.created_at),
            "started_at": when(self.started_at),
            "ended_at": when(self.ended_at),
            "task_type": "scan",
            "meta": {"scan_stats": dict(self.stats)},
        }


@dataclass
class _Target:
    platform: Platform | None  # None: a staged platform, created when reached
    info: PlatformInfo
    existing: list[Rom]
    staged: list[StagedRom]


class StepGate:
    """Holds a scan after each ROM until a test lets it go on: `release(n)` lets n more ROMs
    through, `open()` all the rest; `await reached(n)` waits until n ROMs are done."""

    def __init__(self) -> None:
        self.arrived = 0
        self._allowed = 0
        self._open = False
        self._changed = asyncio.Event()

    async def step(self) -> None:
        self.arrived += 1
        self._wake()
        while not self._open and self._allowed == 0:
            await self._changed.wait()
        if not self._open:
            self._allowed -= 1

    def release(self, steps: int = 1) -> None:
        self._allowed += steps
        self._wake()

    def open(self) -> None:
        self._open = True
        self._wake()

    async def reached(self, steps: int = 1, within: float = 10.0) -> None:
        async with asyncio.timeout(within):
            while self.arrived < steps:
                await self._changed.wait()

    def _wake(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()


class ScanRunner:
    """Runs one scan at a time; after each ROM `pace` seconds pass (0: as fast as possible),
    or, with a `gate`, the scan waits until the gate lets it go on."""

    def __init__(self, library: Library, emit: Emit) -> None:
        self.library = library
        self.emit = emit
        self.pace = 0.0
        self.gate: StepGate | None = None
        self.start_delay = 0.0  # the worker picking the job up
        self.identify_ratio = 0.5  # share of unidentified ROMs an unmatched scan identifies
        self.staged: dict[str, list[StagedRom]] = {}  # platform slug -> files not in RomM yet
        self._staged_counter = 0

    # ------------------------------------------------------------------ staging

    def stage_roms(
        self,
        platform: int | str,
        names: list[str] | int,
        *,
        identified: bool = True,
        size: int = 4 * 1024 * 1024,
    ) -> int:
        """Put files on the simulated disk for the next scan; returns how many.

        `platform` is a library platform id or the slug of a known platform (a new platform
        when the library does not have it); `names` are game names or a count of generated ones.
        """
        slug = self._slug(platform)
        if isinstance(names, int):
            first = self._staged_counter + 1
            names = [f"Staged Game {n}" for n in range(first, first + names)]
        bucket = self.staged.setdefault(slug, [])
        for name in names:
            self._staged_counter += 1
            igdb = 7_000_000 + self._staged_counter if identified else None
            bucket.append(StagedRom(f"{name} (USA)", name if identified else None, igdb, size))
        return len(names)

    def _slug(self, platform: int | str) -> str:
        if isinstance(platform, int):
            return self.library.platforms[platform].slug
        found = self.library.platform_by_slug(platform)
        info = found.info if found is not None else _known(platform)
        if info is None:
            raise KeyError(f"unknown platform {platform!r}")
        return info.slug

    # ------------------------------------------------------------------ planning

    def plan(self, job: ScanJob) -> list[_Target]:
        lib = self.library
        chosen = set(job.platform_ids)
        targets: list[_Target] = []
        if job.type != "new_platforms":
            for platform in lib.platforms.values():
                if chosen and platform.id not in chosen:
                    continue
                targets.append(
                    _Target(
                        platform,
                        platform.info,
                        self._rescanned(job.type, lib.roms_of(platform.id)),
                        self.staged.get(platform.slug, []) if _adds(job.type) else [],
                    )
                )
        if not chosen and _adds(job.type):
            for slug, staged in self.staged.items():
                info = _known(slug)
                if lib.platform_by_slug(slug) is None and info is not None:
                    targets.append(_Target(None, info, [], staged))
        return targets

    @staticmethod
    def _rescanned(scan_type: str, roms: list[Rom]) -> list[Rom]:
        if scan_type in ("complete", "hashes"):
            return list(roms)
        if scan_type in ("unmatched", "unidentified"):
            return [r for r in roms if not r.is_identified]
        if scan_type in ("update", "partial"):
            return [r for r in roms if r.is_identified]
        return []

    # ------------------------------------------------------------------ running

    async def run(self, job: ScanJob) -> None:
        if self.start_delay:
            await asyncio.sleep(self.start_delay)
        job.status, job.started_at = "started", time.time()
        stats = job.stats
        targets = self.plan(job)
        stats["total_platforms"] = len(targets)
        stats["total_roms"] = sum(len(t.existing) + len(t.staged) for t in targets)
        legacy = not self.library.personality.at_least(4, 4)
        try:
            await self.emit("logs:entry", _log("🔎 Scanning"))
            await self._stats(job, legacy)
            for target in targets:
                if job.stop:
                    break
                await self._platform(job, target, legacy)
        finally:
            job.ended_at = time.time()
            job.status = "canceled" if job.stop else "finished"
        await self.emit("scan:done", None if legacy else dict(stats))

    async def _stats(self, job: ScanJob, legacy: bool) -> None:
        if not legacy:
            await self.emit("scan:update_stats", dict(job.stats))

    async def _platform(self, job: ScanJob, target: _Target, legacy: bool) -> None:
        lib, stats = self.library, job.stats
        platform = target.platform
        if platform is None:
            platform = lib.add_platform(target.info, created_at=time.time())
            stats["new_platforms"] += 1
        stats["scanned_platforms"] += 1
        if platform.info.igdb_id is not None:
            stats["identified_platforms"] += 1
        await self._stats(job, legacy)
        firmware = lib.firmware_of(platform.id)
        await self.emit(
            "scan:scanning_platform",
            {
                "id": platform.id,
                "slug": platform.slug,
                "fs_slug": platform.fs_slug,
                "name": platform.name,
                "is_identified": platform.info.igdb_id is not None,
                "display_name": platform.display_name,
                "new_firmware_count": 0,
            },
        )
        stats["scanned_firmware"] += len(firmware)
        await self._stats(job, legacy)
        for rom in target.existing:
            if job.stop:
                return
            if rom.id in lib.roms:
                await self._rom(job, rom, False, legacy)
        staged, added = target.staged, 0
        try:
            for item in staged:
                if job.stop:
                    break
                rom = self._add(platform, item)
                added += 1
                await self._rom(job, rom, True, legacy)
        finally:
            del staged[:added]
            if not staged:
                self.staged.pop(target.info.slug, None)

    def _add(self, platform: Platform, item: StagedRom) -> Rom:
        now = time.time()
        name = f"{item.fs_name}.{platform.info.exts[0]}"
        rom = self.library.new_rom(
            platform.id,
            name,
            [(name, item.size)],
            created_at=now,
            name=item.name,
            igdb_id=item.igdb_id,
            meta=GameMeta() if item.igdb_id is not None else None,
            has_cover=item.igdb_id is not None,
        )
        platform.updated_at = now
        return rom

    async def _rom(self, job: ScanJob, rom: Rom, is_new: bool, legacy: bool) -> None:
        stats = job.stats
        await self.emit("scan:scanning_rom", self._rom_event(rom, identifying=True))
        if job.type in ("unmatched", "unidentified") and (rom.id * 7919) % 100 < round(
            self.identify_ratio * 100
        ):
            self._identify(rom)
        stats["scanned_roms"] += 1
        stats["new_roms"] += int(is_new)
        if rom.is_identified and job.type not in ("hashes",):
            stats["identified_roms"] += 1
        await self._stats(job, legacy)
        await self.emit("scan:scanning_rom", self._rom_event(rom, identifying=False))
        if self.gate is not None:
            await self.gate.step()
        else:
            await asyncio.sleep(self.pace)

    def _identify(self, rom: Rom) -> None:
        rom.igdb_id = 8_000_000 + rom.id
        rom.meta = GameMeta()
        rom.has_cover = True
        rom.updated_at = time.time()
        self.library._changed(rom.platform_id)

    def _rom_event(self, rom: Rom, *, identifying: bool) -> dict[str, Any]:
        data = simple_rom_json(self.library, rom, with_files=False)
        for key in _NOT_IN_EVENT:
            data.pop(key, None)
        data["is_identifying"] = identifying
        return data


def _adds(scan_type: str) -> bool:
    """Scan types that pick up files the library does not hold yet."""
    return scan_type in ("quick", "complete", "new_platforms")


def _known(slug: str) -> PlatformInfo | None:
    return next((p for p in KNOWN_PLATFORMS if slug in (p.slug, p.fs_slug)), None)


def _log(message: str) -> dict[str, Any]:
    return {"ts": int(time.time() * 1000), "level": "INFO", "module": "scan", "message": message}
