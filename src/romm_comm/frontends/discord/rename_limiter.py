"""At most N renames per channel per window (Discord allows about 2 per 10 minutes), newest
value wins. Pure bookkeeping with an injectable clock: no I/O, unit-tested on its own.

`want(key, name)` records the name a channel should have (replacing any older wish);
`ready()` lists the wishes that may go out now; the caller renames and reports `sent` (or
`blocked` after a 429 with its retry-after); `next_due()` says when to look again.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

DEFAULT_LIMIT = 2
DEFAULT_WINDOW = 600.0


class RenameLimiter(Generic[K]):
    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        window: float = DEFAULT_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be ≥ 1 and window > 0")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._sent: dict[K, deque[float]] = {}
        self._blocked_until: dict[K, float] = {}
        self._pending: dict[K, str] = {}

    def want(self, key: K, name: str) -> None:
        self._pending[key] = name

    def forget(self, key: K) -> None:
        self._pending.pop(key, None)

    def pending(self, key: K) -> str | None:
        return self._pending.get(key)

    def due_at(self, key: K, now: float | None = None) -> float:
        """The clock time from which `key` may be renamed again."""
        now = self.clock() if now is None else now
        history = self._prune(key, now)
        at = max(now, self._blocked_until.get(key, now))
        if len(history) >= self.limit:
            at = max(at, history[-self.limit] + self.window)
        return at

    def ready(self) -> list[tuple[K, str]]:
        now = self.clock()
        return [(k, name) for k, name in self._pending.items() if self.due_at(k, now) <= now]

    def next_due(self) -> float | None:
        """Seconds until the earliest pending wish may go out (0 if now), None if none."""
        if not self._pending:
            return None
        now = self.clock()
        return max(0.0, min(self.due_at(k, now) for k in self._pending) - now)

    def sent(self, key: K, name: str) -> None:
        now = self.clock()
        self._prune(key, now).append(now)
        if self._pending.get(key) == name:
            del self._pending[key]

    def blocked(self, key: K, retry_after: float) -> None:
        """Discord said 429: nothing for `key` until `retry_after` seconds from now."""
        until = self.clock() + max(0.0, retry_after)
        self._blocked_until[key] = max(self._blocked_until.get(key, 0.0), until)

    def renames_in_window(self, key: K) -> int:
        return len(self._prune(key, self.clock()))

    def _prune(self, key: K, now: float) -> deque[float]:
        history = self._sent.setdefault(key, deque())
        while history and history[0] <= now - self.window:
            history.popleft()
        blocked = self._blocked_until.get(key)
        if blocked is not None and blocked <= now:
            del self._blocked_until[key]
        return history
