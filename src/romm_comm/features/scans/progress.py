"""One progress message per scan, edited in place at most once per interval, then the summary.

`Coalescer` is the pure part: however many updates arrive, the next edit happens no sooner
than `interval` after the previous one started, and carries only the latest state. The
publisher posts the first message on the "scans" topic of each front end, edits it after that
(posting anew where it was lost), and finally replaces it with the summary.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from ...core.cards import Reply
from ...core.notify import MessageRef, Notifications
from .models import ScanRun

log = logging.getLogger(__name__)

TOPIC = "scans"


class ScanPresenter(Protocol):
    def progress(self, run: ScanRun) -> Reply: ...

    def summary(self, run: ScanRun) -> Reply: ...


@dataclass
class Coalescer:
    """Decides when the next edit may go out. Times are monotonic seconds."""

    interval: float
    last_sent: float | None = None
    dirty: bool = False

    def touch(self) -> None:
        self.dirty = True

    def wait_time(self, now: float) -> float | None:
        """None: nothing to send; 0: send now; otherwise seconds to wait first."""
        if not self.dirty:
            return None
        if self.last_sent is None:
            return 0.0
        return max(0.0, self.last_sent + self.interval - now)

    def sent(self, now: float) -> None:
        self.last_sent = now
        self.dirty = False


class ProgressPublisher:
    """Shows one run: `changed()` after every event; the loop ends after the summary."""

    def __init__(
        self,
        run: ScanRun,
        notifications: Notifications,
        presenter: ScanPresenter,
        interval: float,
        save: Callable[[ScanRun], Awaitable[None]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run = run
        self.notifications = notifications
        self.presenter = presenter
        self.coalescer = Coalescer(interval)
        self.save = save
        self.clock = clock
        self._wake = asyncio.Event()

    def changed(self) -> None:
        self.coalescer.touch()
        self._wake.set()

    async def loop(self) -> None:
        """Publish until the run has ended and its summary is shown."""
        self.changed()  # the first message goes out at once
        while True:
            await self._wake.wait()
            self._wake.clear()
            delay = self.coalescer.wait_time(self.clock())
            if delay is None:
                continue
            if delay > 0:
                await asyncio.sleep(delay)  # everything arriving meanwhile is coalesced
            final = not self.run.running
            self.coalescer.sent(self.clock())
            reply = self.presenter.summary(self.run) if final else self.presenter.progress(self.run)
            refs = list(self.run.refs)
            if final:
                await self.save(self.run)  # the summary is kept even if showing it fails
            await self._show(reply)
            if not final or self.run.refs != refs:
                await self.save(self.run)
            if final:
                return

    async def _show(self, reply: Reply) -> None:
        """Edit the message on every front end that has one; post it on those that do not.

        A message on a front end that is not running (yet: Discord connects after a restart)
        is kept, to be edited once it is back, instead of being posted twice."""
        running = self.notifications.notifiers
        kept: list[MessageRef] = []
        for ref in self.run.refs:
            if ref.front_end not in running or await self.notifications.edit(ref, reply):
                kept.append(ref)
        covered = {ref.front_end for ref in kept}
        for name, notifier in list(running.items()):
            if name in covered:
                continue
            try:
                posted = await notifier.post(TOPIC, reply)
            except Exception:
                log.exception("scan progress: posting on %s failed", name)
                continue
            if posted is not None:
                kept.append(posted)
        self.run.refs = kept
