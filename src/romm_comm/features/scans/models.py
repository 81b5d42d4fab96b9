"""What a scan is while it runs and after: the numbers RomM reports, and what they add up to.

Applying an event is a plain function of the run and the payload (no I/O), so the whole state
machine can be tested without a socket. Payloads are read tolerantly: a missing or odd field
never stops a scan from being followed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal

from ...common.timestamps import parse_moment
from ...core.notify import MessageRef

Outcome = Literal["running", "finished", "stopped", "failed", "interrupted"]
ENDED: tuple[Outcome, ...] = ("finished", "stopped", "failed", "interrupted")
MAX_PLATFORM_NAMES = 500  # a run remembers at most this many platform names


@dataclass
class ScanStats:
    """RomM's counters (`scan:update_stats`, `scan:done`, tasks/status `meta.scan_stats`)."""

    total_platforms: int = 0
    total_roms: int = 0
    scanned_platforms: int = 0
    new_platforms: int = 0
    identified_platforms: int = 0
    scanned_roms: int = 0
    new_roms: int = 0
    identified_roms: int = 0
    scanned_firmware: int = 0
    new_firmware: int = 0

    @classmethod
    def from_payload(cls, data: Any) -> ScanStats | None:
        if not isinstance(data, dict):
            return None
        values: dict[str, int] = {}
        for f in fields(cls):
            raw = data.get(f.name)
            if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
                values[f.name] = raw
        return cls(**values) if values else None


@dataclass(frozen=True)
class ScanKind:
    """One of our scan actions and the RomM scan type it starts (≥ 4.4 names)."""

    name: str
    romm_type: str
    label: str


SCAN_KINDS: dict[str, ScanKind] = {
    k.name: k
    for k in (
        ScanKind("platform", "quick", "Quick scan"),
        ScanKind("full", "complete", "Complete scan"),
        ScanKind("unmatched", "unmatched", "Scan of unmatched games"),
        ScanKind("hashes", "hashes", "Hash scan"),
        ScanKind("new_platforms", "new_platforms", "Scan for new platforms"),
        ScanKind("update", "update", "Metadata update scan"),
    )
}
# The earlier bot's names (RomM ≤ 4.3's) for two of them.
KIND_ALIASES = {"unidentified": "unmatched", "partial": "update"}

# Heartbeat METADATA_SOURCES flag -> the name a `scan` request lists in `apis`.
METADATA_APIS = {
    "IGDB_API_ENABLED": "igdb",
    "MOBY_API_ENABLED": "moby",
    "SS_API_ENABLED": "ss",
    "RA_API_ENABLED": "ra",
    "LAUNCHBOX_API_ENABLED": "launchbox",
    "HASHEOUS_API_ENABLED": "hasheous",
    "TGDB_API_ENABLED": "tgdb",
    "STEAMGRIDDB_API_ENABLED": "sgdb",
    "FLASHPOINT_API_ENABLED": "flashpoint",
    "HLTB_API_ENABLED": "hltb",
    "LIBRETRO_API_ENABLED": "libretro",
    "PLAYMATCH_API_ENABLED": "playmatch",
}


def enabled_apis(sources: dict[str, bool]) -> list[str]:
    """The metadata sources RomM says are enabled, in RomM's order."""
    return [api for flag, api in METADATA_APIS.items() if sources.get(flag)]


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass
class ScanRun:
    """One scan, from the first sign of it to its summary."""

    label: str
    started_by: str | None  # None: started outside the bot (RomM's web UI, its scheduler)
    started_at: datetime = field(default_factory=now_utc)
    stats: ScanStats = field(default_factory=ScanStats)
    id: int | None = None  # row in the store
    ended_at: datetime | None = None
    outcome: Outcome = "running"
    error: str | None = None
    platform: str | None = None  # the platform being scanned now
    platforms: list[str] = field(default_factory=list)
    new_by_platform: dict[str, int] = field(default_factory=dict)
    refs: list[MessageRef] = field(default_factory=list)  # the progress message(s)
    stop_requested_by: str | None = None
    task_id: str | None = None  # RQ job id, when known from tasks/status
    live_stats: bool = False  # RomM sent scan:update_stats (4.4+)
    last_rom_id: int | None = None

    @property
    def running(self) -> bool:
        return self.outcome == "running"

    def duration_seconds(self, now: datetime | None = None) -> float:
        end = self.ended_at or now or now_utc()
        return max(0.0, (end - self.started_at).total_seconds())

    # --- events -------------------------------------------------------------------------
    def apply_stats(self, stats: ScanStats) -> None:
        added = stats.new_roms - self.stats.new_roms
        if added > 0 and self.platform:
            self.new_by_platform[self.platform] = self.new_by_platform.get(self.platform, 0) + added
        self.stats = stats
        self.live_stats = True

    def apply_platform(self, data: Any) -> None:
        if not isinstance(data, dict):
            return
        name = data.get("display_name") or data.get("name") or data.get("slug")
        if not isinstance(name, str) or not name:
            return
        self.platform = name
        if name not in self.platforms and len(self.platforms) < MAX_PLATFORM_NAMES:
            self.platforms.append(name)
        if not self.live_stats:
            self.stats.scanned_platforms = len(self.platforms)

    def apply_rom(self, data: Any) -> None:
        """Counts ROMs only for RomM before 4.4, which sends no scan:update_stats."""
        if self.live_stats or not isinstance(data, dict):
            return
        rom_id = data.get("id")
        if isinstance(rom_id, int) and rom_id != self.last_rom_id:
            self.last_rom_id = rom_id
            self.stats.scanned_roms += 1

    def end(
        self,
        outcome: Outcome,
        stats: ScanStats | None = None,
        *,
        error: str | None = None,
        at: datetime | None = None,
    ) -> None:
        if stats is not None:
            self.apply_stats(stats)
        if outcome == "finished" and self.stop_requested_by:
            outcome = "stopped"
        self.outcome = outcome
        self.error = error
        self.ended_at = at or now_utc()
        self.platform = None

    # --- storage ------------------------------------------------------------------------
    def detail_json(self) -> dict[str, Any]:
        return {
            "error": self.error,
            "platform": self.platform,
            "platforms": self.platforms,
            "new_by_platform": self.new_by_platform,
            "refs": [asdict(r) for r in self.refs],
            "stop_requested_by": self.stop_requested_by,
            "task_id": self.task_id,
            "live_stats": self.live_stats,
        }

    @classmethod
    def from_row(
        cls,
        row_id: int,
        label: str,
        started_by: str | None,
        started_at: str,
        ended_at: str | None,
        outcome: str,
        stats: dict[str, Any],
        detail: dict[str, Any],
    ) -> ScanRun:
        refs = []
        for ref in detail.get("refs") or []:
            try:
                refs.append(MessageRef(**ref))
            except TypeError:
                continue
        return cls(
            label=label,
            started_by=started_by,
            started_at=datetime.fromisoformat(started_at),
            stats=ScanStats.from_payload(stats) or ScanStats(),
            id=row_id,
            ended_at=datetime.fromisoformat(ended_at) if ended_at else None,
            outcome=_outcome(outcome),
            error=detail.get("error"),
            platform=detail.get("platform"),
            platforms=list(detail.get("platforms") or []),
            new_by_platform=dict(detail.get("new_by_platform") or {}),
            refs=refs,
            stop_requested_by=detail.get("stop_requested_by"),
            task_id=detail.get("task_id"),
            live_stats=bool(detail.get("live_stats")),
        )


@dataclass(frozen=True)
class ScanTask:
    """A scan job as `GET /api/tasks/status` lists it."""

    task_id: str
    name: str
    status: str  # queued | started | finished | failed | canceled
    created_at: datetime | None
    ended_at: datetime | None
    stats: ScanStats | None

    @property
    def active(self) -> bool:
        return self.status in ("queued", "started")

    @classmethod
    def from_json(cls, data: Any) -> ScanTask | None:
        if not isinstance(data, dict) or data.get("task_type") not in ("scan", None):
            return None
        if data.get("task_type") is None and "scan" not in str(data.get("task_name", "")).lower():
            return None
        meta = data.get("meta")
        meta = meta if isinstance(meta, dict) else {}
        return cls(
            task_id=str(data.get("task_id") or ""),
            name=str(data.get("task_name") or "Scan"),
            status=str(data.get("status") or ""),
            created_at=parse_moment(data.get("created_at") or data.get("enqueued_at")),
            ended_at=parse_moment(data.get("ended_at")),
            stats=ScanStats.from_payload(meta.get("scan_stats")),
        )


def _outcome(text: str) -> Outcome:
    for known in (*ENDED, "running"):
        if text == known:
            return known
    return "interrupted"
