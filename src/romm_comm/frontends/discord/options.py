"""Knobs of the Discord front end that are not user settings (defaults are production's;
tests and benchmarks shorten the waits)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .rename_limiter import DEFAULT_LIMIT, DEFAULT_WINDOW


@dataclass
class DiscordOptions:
    guild_ready_timeout: float = 2.0
    defer_after: float = 0.4  # answer directly when the work is done by then, else defer
    answer_timeout: float = 60.0  # after a defer: give up and say so
    refresh_interval: float | None = None  # None: SYNC_RATE
    retry_interval: float = 60.0  # while RomM does not answer
    auto_refresh: bool = True  # run the refresh loop (benchmarks drive ticks themselves)
    rename_limit: int = DEFAULT_LIMIT
    rename_window: float = DEFAULT_WINDOW
    clock: Callable[[], float] = field(default=time.monotonic)
    max_ratelimit_timeout: float = 30.0  # longer 429 waits raise instead of blocking
    emoji_gap: float = 1.0  # pause between emoji uploads/deletions (Discord's limits)
