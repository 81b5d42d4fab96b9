"""A throttle toward RomM: bounded concurrency plus a steady request rate."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Throttle:
    def __init__(self, max_concurrency: int, rate_per_second: float) -> None:
        self._slots = asyncio.Semaphore(max_concurrency)
        self._interval = 1.0 / rate_per_second
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def _wait_turn(self) -> None:
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self._interval
        delay = start - now
        if delay > 0:
            await asyncio.sleep(delay)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            await self._wait_turn()
            yield
