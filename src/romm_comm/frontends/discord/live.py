"""The refresh loop: fetch the numbers from RomM every SYNC_RATE and show them (stats
channels, presence, the log channel). While RomM does not answer: a warning presence, one
log line, and a retry every `retry_interval` until it answers again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from ...features.library.romm_status import BACK, down_text
from ...features.library.stats import LibraryStats
from ...features.services import Services
from ...romm.errors import RommError
from .diagnostics import Diagnostics
from .log_channel import LogChannel, refresh_text
from .presence import Presence
from .stats_channels import StatsChannels

log = logging.getLogger(__name__)


class LiveStats:
    def __init__(
        self,
        services: Services,
        presence: Presence,
        log_channel: LogChannel,
        diagnostics: Diagnostics,
        *,
        romm_url: str,
        interval: float,
        retry_interval: float,
        show_api_success: bool,
        channels: StatsChannels | None = None,
        on_refresh: Callable[[], Awaitable[None]] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.on_error = on_error
        self.services = services
        self.presence = presence
        self.log_channel = log_channel
        self.diagnostics = diagnostics
        self.romm_url = romm_url
        self.interval = interval
        self.retry_interval = retry_interval
        self.show_api_success = show_api_success
        self.channels = channels
        self.on_refresh = on_refresh
        self.reachable: bool | None = None
        self.ticks = 0
        self.first_tick = asyncio.Event()
        self._shown: LibraryStats | None = None

    async def run(self) -> None:
        while True:
            try:
                ok = await self.tick()
            except Exception as exc:  # a bug or Discord trouble: report it, keep refreshing
                if self.on_error is None:
                    raise
                self.on_error(exc)
                ok = False
            await asyncio.sleep(self.interval if ok else self.retry_interval)

    async def tick(self) -> bool:
        """One refresh; True when RomM answered."""
        try:
            previous = self.services.stats.current
            before = previous.numbers() if previous is not None else None
            try:
                result = await self.services.stats.refresh()
            except RommError as exc:
                await self._down(exc)
                return False
            await self._up()
            if self.on_refresh is not None:
                await self.on_refresh()
            await self.show(result.stats)
            if self.show_api_success and (result.changed or result.first):
                await self.log_channel.post(refresh_text(result, before))
            return True
        finally:
            self.ticks += 1
            self.first_tick.set()

    async def show(self, stats: LibraryStats) -> None:
        self._shown = stats
        if self.channels is not None:
            await self.channels.show(stats)
        await self.presence.games(stats.roms)

    async def sync_from_memory(self) -> None:
        """After a command: show numbers a command refreshed (no REST call if none did)."""
        current = self.services.stats.current
        if current is not None and current is not self._shown and self.reachable:
            await self.show(current)

    async def _down(self, exc: RommError) -> None:
        if self.reachable is False:
            return
        self.reachable = False
        await self.presence.unreachable()
        self.diagnostics.report(
            "romm",
            f"RomM at {self.romm_url} is not usable: {exc.user_message} The bot keeps "
            f"running and tries again every {self.retry_interval:g} s.",
        )
        status = self.services.romm_status
        if status is not None:  # an admin notice: the log channel, Apprise, the webhook…
            await status.down(exc)
        else:
            await self.log_channel.post(down_text(exc))

    async def _up(self) -> None:
        status = self.services.romm_status
        if self.reachable is False:
            log.info("RomM answers again")
            self.diagnostics.resolve("romm")
            if status is None:
                await self.log_channel.post(BACK)
        if status is not None:
            await status.up()
        self.reachable = True
