"""IGDB's limit as a sliding window: at most N requests in any window, M open at once.

IGDB counts a request when it arrives, which is some time after the client lets it go: a
connection to open, a busy event loop, the network. A window counted from the moment a request
is let go can therefore see N+1 arrive inside one second at IGDB whenever one of them was held
up longer than the next. So a request holds its place in the window from the moment it is let
go until its answer is in, and for one window (plus a small margin) after that: an answer comes
after its arrival, and the next request is let go only after that, so IGDB never counts N+1 in
one second, however slow any step is. The clock and the sleep are injected so a test can check
the spacing without waiting.
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
        self._answered: deque[float] = deque()  # when the requests in the window were answered
        self._in_flight = 0  # let go and not answered yet: in the window whatever the clock
        self._one_answered = asyncio.Event()
        self._lock = asyncio.Lock()
        self._open = asyncio.Semaphore(max_open)
        self._clock = clock
        self._sleep = sleep

    @property
    def in_flight(self) -> int:
        """Requests let go whose answer is not in yet."""
        return self._in_flight

    async def _wait_turn(self) -> float:
        async with self._lock:
            while True:
                now = self._clock()
                # Compared as sums: `now - then >= span` can stay false by one ulp for ever
                # on a clock moved by exactly the time slept.
                while self._answered and now >= self._answered[0] + self._span:
                    self._answered.popleft()
                if self._in_flight + len(self._answered) < self._per_window:
                    self._in_flight += 1
                    return now
                if self._answered:
                    await self._sleep(self._answered[0] + self._span - now)
                else:  # every place is held by a request still open: wait for an answer
                    self._one_answered.clear()
                    await self._one_answered.wait()

    def _answered_now(self) -> None:
        self._in_flight -= 1
        self._answered.append(self._clock())
        self._one_answered.set()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[float]:
        """Hold one of the open slots; yields the moment the request may start. Leave it once
        the answer is in (or the request failed): the window counts from then."""
        async with self._open:
            started = await self._wait_turn()
            try:
                yield started
            finally:
                self._answered_now()
