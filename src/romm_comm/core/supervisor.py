"""An owner of background work: periodic jobs and spawned tasks (the app has one for
everything; a Discord connection has its own for what lives as long as that connection).

A crash is logged with the task's name; a periodic job is called again after its interval
(a crash never ends it); `close()` cancels everything, waits for it and never raises.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from ..common.errors import UserFacingError

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class Supervisor:
    def __init__(
        self,
        *,
        sleep: Sleep = asyncio.sleep,
        on_crash: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._sleep = sleep
        self._on_crash = on_crash
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    @property
    def names(self) -> list[str]:
        return sorted(t.get_name() for t in self._tasks if not t.done())

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        if self._closed:
            work.close()
            log.info("not starting %s: shutting down", name)
            return
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def every(
        self, interval: float, fn: Callable[[], Awaitable[object]], name: str, *, now: bool = False
    ) -> None:
        self.spawn(self._periodic(interval, fn, name, now), name)

    async def _periodic(
        self, interval: float, fn: Callable[[], Awaitable[object]], name: str, now: bool
    ) -> None:
        if not now:
            await self._sleep(interval)
        while True:
            try:
                await fn()
            except asyncio.CancelledError:
                raise
            except UserFacingError as exc:
                log.warning("%s failed: %s", name, exc.user_message)
            except Exception:
                log.exception("%s crashed; it runs again in %.0f s", name, interval)
            await self._sleep(interval)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("%s crashed", task.get_name(), exc_info=error)
            if self._on_crash is not None:
                self._on_crash(error)

    async def close(self) -> None:
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
