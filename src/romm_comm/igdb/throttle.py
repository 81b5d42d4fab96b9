"""IGDB's limit as a sliding window: at most N request starts in any window, M open at once.

A steady spacing (one start every 1/N s) still lets N+1 starts land inside one second at the
server once network jitter is added; a window with a small margin does not. The clock and the
sleep are injected so a test can check the spacing without waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager


class WindowThrottle:
    def __init__(
        self,
        per_window: int,
        window: float = 1.0,
        *,
        max_open: int = 8,
        margin: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._per_window = per_window
        self._span = window + margin
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()
        self._open = asyncio.Semaphore(max_open)
        self._clock = clock
        self._sleep = sleep

    async def _wait_turn(self) -> float:
        async with self._lock:
            while True:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self._span:
                    self._starts.popleft()
                if len(self._starts) < self._per_window:
                    self._starts.append(now)
                    return now
                await self._sleep(self._span - (now - self._starts[0]))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[float]:
        """Hold one of the open slots; yields the moment the request may start."""
        async with self._open:
            yield await self._wait_turn()
