"""A throttle toward RomM: bounded concurrency plus a token bucket for the request rate.

Bursts up to `burst` requests go out at once (a person's search + detail call should not
wait); sustained traffic is held to `rate_per_second`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Throttle:
    def __init__(self, max_concurrency: int, rate_per_second: float, burst: int = 10) -> None:
        self._slots = asyncio.Semaphore(max_concurrency)
        self._rate = rate_per_second
        self._burst = float(max(1, burst))
        self._tokens = self._burst
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()

    async def _take_token(self) -> None:
        async with self._lock:
            now = time.monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            self._tokens -= 1
            wait = -self._tokens / self._rate if self._tokens < 0 else 0.0
        if wait > 0:
            await asyncio.sleep(wait)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            await self._take_token()
            yield
