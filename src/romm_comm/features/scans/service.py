"""Scans: start and stop them, follow every scan RomM runs, remember how each one went.

RomM reports scans over its Socket.IO channel to every connected client, so a scan started
in RomM's web UI is followed exactly like one started from chat. The first sign of a scan
creates a run; its progress message is edited at most once per interval; `scan:done` (or a
refusal, or RomM saying in `GET /api/tasks/status` that it ended while the bot was away)
turns it into a stored summary, and then the after-scan hooks run (recently added, requests).
When the socket cannot be used (RomM 5 without ROMM_PASSWORD) scans are followed by polling
tasks/status, and cannot be started from chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Literal

from pydantic import SecretStr

from ...core.cards import Reply
from ...core.notify import Notifications
from ...core.tasks import Tasks
from ...romm.client import RommClient
from ...romm.errors import RommError, RommForbidden, RommNotFound
from ...romm.models import Platform
from ...romm.scan_socket import ScanSocket, ScanSocketUnavailable
from ...store.db import Store
from .models import SCAN_KINDS, Outcome, ScanRun, ScanStats, ScanTask, enabled_apis
from .progress import TOPIC, ProgressPublisher, ScanPresenter
from .starting import (
    ALREADY_RUNNING,
    NOT_AUTHORIZED,
    ScanOutcome,
    Waiting,
    explain_refusal,
    socket_plan,
)
from .store import ScanStore

log = logging.getLogger(__name__)

STALL_CHECK = 120.0  # seconds without a scan event before asking tasks/status
STALL_GIVE_UP = 1800.0  # ... and before calling the scan lost when nothing says it runs

AfterScan = Callable[[ScanRun], Awaitable[None]]
Mode = Literal["socket", "polling"]


class ScanService:
    def __init__(
        self,
        client: RommClient,
        store: Store,
        notifications: Notifications,
        presenter: ScanPresenter,
        *,
        tasks: Tasks,
        username: str | None = None,
        password: SecretStr | None = None,
        progress_interval: float = 5.0,
        poll_interval: float = 15.0,
        answer_wait: float = 1.5,
    ) -> None:
        self.client = client
        self.tasks = tasks  # the app's supervisor owns the loops and the scans' drivers
        self.runs = ScanStore(store)
        self.notifications = notifications
        self.presenter = presenter
        self.progress_interval = progress_interval
        self.poll_interval = poll_interval
        self.answer_wait = answer_wait
        self.after_scan: list[AfterScan] = []
        self.current: ScanRun | None = None
        self.publisher: ProgressPublisher | None = None
        self.mode: Mode = "polling"
        self.mode_reason = ""
        self.socket: ScanSocket | None = None
        self._username, self._password = username, password
        self._waiting: Waiting | None = None
        self._last_event = 0.0
        self.connect_looks = 0  # task-list looks done after the scan channel (re)connected
        self._seen_tasks: set[str] | None = None  # ended scan tasks at the last look

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        active = await self.runs.active()
        await self.runs.close_stale(active.id if active else None)
        if active is not None:
            log.info("scans: carrying on with scan %s started before the restart", active.id)
            self._follow(active)
            await self.settle()  # RomM may have finished it meanwhile: ask before answering
        try:
            caps = await self.client.capabilities()
            at_least_5 = caps.at_least(5, 0)
        except RommError:
            at_least_5 = True
        usable, self.mode_reason = socket_plan(self._username, self._password, at_least_5)
        self._last_event = asyncio.get_running_loop().time()
        if usable:
            self.mode = "socket"
            self.socket = ScanSocket(
                self.client.base_url,
                self.on_event,
                username=self._username if self._password is not None else None,
                password=self._password,
                on_connect=self._look_on_connect,
            )
            self.socket.start()
            self.tasks.spawn(self._watchdog(), "scan-watchdog")
        else:
            self.mode = "polling"
            log.info("scans: %s; following scans by polling /api/tasks/status", self.mode_reason)
            self.tasks.spawn(self._poll_loop(), "scan-poll")

    async def close(self) -> None:
        """Close the scan channel (the supervisor has stopped the loops already)."""
        if self.socket is not None:
            await self.socket.close()

    def describe(self) -> str:
        if self.mode == "socket" and self.socket is not None:
            return f"live over RomM's Socket.IO channel ({self.socket.status()})"
        return f"polling /api/tasks/status every {self.poll_interval:g} s ({self.mode_reason})"

    # ------------------------------------------------------------------ commands

    async def request(self, kind_name: str, platform: Platform | None, by: str) -> ScanOutcome:
        kind = SCAN_KINDS[kind_name]
        run = self.current
        if run is not None and run.running:
            return ScanOutcome("busy", run=run)
        if self.socket is None:
            return ScanOutcome("unavailable", self.mode_reason + ".")
        caps = await self.client.capabilities()
        info = await self.client.heartbeat()  # fresh: which metadata sources are enabled now
        apis = enabled_apis(info.metadata_sources)
        payload: dict[str, Any] = {
            "platforms": [platform.id] if platform else [],
            "type": caps.scan_type(kind.romm_type),
            "roms_ids": [],
            "apis": apis,
            "launchbox_remote_enabled": "launchbox" in apis,
            "playmatch_enabled": "playmatch" in apis,
        }
        where = platform.display_name if platform else "all platforms"
        label = f"{kind.label} of {where}"
        answer = await self._send(Waiting(label, by), "scan", payload)
        if isinstance(answer, ScanOutcome):
            return answer
        if answer is not None:
            return ScanOutcome("refused", explain_refusal(answer))
        if self.current is not None and self.current.running:
            return ScanOutcome("started", label, self.current)
        return ScanOutcome("requested", label)

    async def stop(self, by: str) -> ScanOutcome:
        if self.socket is None:
            return ScanOutcome("unavailable", self.mode_reason + ".")
        run = self.current if self.current is not None and self.current.running else None
        if run is not None:
            run.stop_requested_by = by
        answer = await self._send(Waiting("stop", by), "scan:stop", None)
        if isinstance(answer, ScanOutcome) or (answer and NOT_AUTHORIZED in answer.lower()):
            if run is not None:
                run.stop_requested_by = None
            if isinstance(answer, ScanOutcome):
                return answer
            return ScanOutcome("refused", explain_refusal(answer or ""))
        return ScanOutcome("stopping", run=run) if run is not None else ScanOutcome("idle")

    async def summaries(self, limit: int = 5) -> list[ScanRun]:
        await self.settle()
        return await self.runs.summaries(limit)

    async def settle(self) -> None:
        """A scan the bot records as running: ask RomM's tasks/status how it really stands,
        and store its outcome and summary at once if it ended (no wait for an event or poll)."""
        run = self.current
        if run is None or not run.running:
            return
        await self._reconcile_quietly()
        if not run.running:
            await self.runs.save(run)

    async def _send(self, waiting: Waiting, event: str, data: Any) -> str | ScanOutcome | None:
        """Emit and wait briefly for a refusal; sign in again once if RomM says to."""
        assert self.socket is not None
        if not await self.socket.wait_connected(3.0):
            return ScanOutcome("unavailable", _unavailable(self.socket))
        for attempt in range(2):
            self._waiting = waiting
            try:
                await self.socket.emit(event, data)
                answer = await asyncio.wait_for(asyncio.shield(waiting.answer), self.answer_wait)
            except ScanSocketUnavailable as exc:
                return ScanOutcome("unavailable", str(exc))
            except TimeoutError:
                if waiting.label == "stop":
                    self._waiting = None
                return None  # no refusal in time: RomM took it (a late one is posted)
            if (
                answer is not None
                and NOT_AUTHORIZED in answer.lower()
                and attempt == 0
                and self.socket.signs_in
                and await self.socket.relogin()
            ):
                waiting = Waiting(waiting.label, waiting.by)
                continue
            self._waiting = None
            return answer
        return None

    # ------------------------------------------------------------------ events

    def on_event(self, name: str, data: Any) -> None:
        """One Socket.IO event from RomM (called in order, never concurrently)."""
        self._last_event = asyncio.get_running_loop().time()
        if name == "scan:done_ko":
            self._refused_or_failed(str(data or "the scan failed"))
            return
        run = self.current if self.current is not None and self.current.running else None
        if run is None:
            if name == "scan:done":
                return  # the end of a scan the bot never saw start (already reconciled)
            run = self._begin()
        if name == "scan:update_stats":
            stats = ScanStats.from_payload(data)
            if stats is not None:
                run.apply_stats(stats)
        elif name == "scan:scanning_platform":
            run.apply_platform(data)
        elif name == "scan:scanning_rom":
            run.apply_rom(data)
        elif name == "scan:done":
            run.end("finished", ScanStats.from_payload(data))
            self.client.invalidate()  # cached lists and counts predate what the scan changed
            waiting = self._waiting
            if waiting is not None and waiting.label == "stop" and not waiting.answer.done():
                waiting.answer.set_result(None)  # stopped: no need to wait for a refusal
        if self.publisher is not None:
            self.publisher.changed()

    def _begin(self, task: ScanTask | None = None) -> ScanRun:
        waiting = self._waiting
        if waiting is not None and waiting.labels_next_scan():
            run = ScanRun(waiting.label, waiting.by)
            waiting.answer.set_result(None)
            self._waiting = None
        else:
            run = ScanRun(task.name if task else "Scan started in RomM", None)
        if task is not None:
            run.task_id = task.task_id
            run.started_at = task.created_at or run.started_at
        log.info("scans: %s started (by %s)", run.label, run.started_by or "RomM")
        self._follow(run)
        return run

    def _refused_or_failed(self, text: str) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None and not waiting.answer.done():
            waiting.answer.set_result(text)
            return
        run = self.current
        if run is not None and run.running and ALREADY_RUNNING not in text.lower():
            run.end("failed", error=text)
            if self.publisher is not None:
                self.publisher.changed()
            return
        log.info("scans: RomM refused a request late: %s", text)
        self.tasks.spawn(self._notice(explain_refusal(text)), "scan-refusal-notice")

    async def _notice(self, text: str) -> None:
        await self.notifications.post(TOPIC, Reply(text=text, tone="warning"))

    # ------------------------------------------------------------------ following a run

    def _follow(self, run: ScanRun) -> None:
        self.current = run
        self.publisher = ProgressPublisher(
            run, self.notifications, self.presenter, self.progress_interval, self.runs.save
        )
        self.tasks.spawn(self._drive(run, self.publisher), "scan-progress")

    async def _drive(self, run: ScanRun, publisher: ProgressPublisher) -> None:
        if run.id is None:
            await self.runs.save(run)
        await publisher.loop()
        log.info(
            "scans: %s %s after %s: %d ROMs scanned, %d new, %d identified",
            run.label,
            run.outcome,
            timedelta(seconds=round(run.duration_seconds())),
            run.stats.scanned_roms,
            run.stats.new_roms,
            run.stats.identified_roms,
        )
        if self.current is run:
            self.current = None
            self.publisher = None
        for hook in self.after_scan:
            try:
                await hook(run)
            except RommError as exc:
                log.warning("after-scan step failed: %s", exc.user_message)
            except Exception:
                log.exception("after-scan step crashed")

    # ------------------------------------------------------------------ tasks/status

    async def reconcile(self) -> None:
        """Ask RomM which scan runs (one call) and line the bot's idea up with it."""
        tasks = [t for t in map(ScanTask.from_json, await self.client.task_statuses()) if t]
        tasks.sort(key=lambda t: t.created_at.timestamp() if t.created_at else 0.0)
        seen, self._seen_tasks = self._seen_tasks, {t.task_id for t in tasks if not t.active}
        newest = tasks[-1] if tasks else None
        run = self.current if self.current is not None and self.current.running else None
        if newest is None:
            return  # this RomM lists no scans: nothing to line up with
        if newest.active:
            self._last_event = asyncio.get_running_loop().time()  # RomM vouches it runs
            if run is None:
                run = self._begin(newest)
            run.task_id = run.task_id or newest.task_id
            live = self.socket is not None and self.socket.connected and run.live_stats
            if newest.stats is not None and not live:
                run.apply_stats(newest.stats)
        elif run is not None:
            # RomM runs no scan, yet the bot thinks one runs: it ended while the bot was away.
            if self._ended_for(run, newest):
                run.end(_outcome(newest), newest.stats, at=newest.ended_at)
            else:
                run.end("interrupted", error="The scan ended while the bot was not connected.")
        elif self.mode == "polling" and seen is not None and newest.task_id not in seen:
            run = self._begin(newest)  # a whole scan between two polls
            run.end(_outcome(newest), newest.stats, at=newest.ended_at)
        else:
            return
        if not run.running:
            self.client.invalidate()  # cached lists and counts predate what the scan changed
        if self.publisher is not None:
            self.publisher.changed()

    @staticmethod
    def _ended_for(run: ScanRun, task: ScanTask) -> bool:
        if run.task_id:
            return task.task_id == run.task_id
        ended = task.ended_at
        return ended is None or ended >= run.started_at - timedelta(seconds=5)

    async def _look_on_connect(self) -> None:
        """Each (re)connect: RomM's task list says what ran while the channel was down."""
        await self._reconcile_quietly()
        self.connect_looks += 1

    async def _reconcile_quietly(self) -> None:
        try:
            await self.reconcile()
        except (RommForbidden, RommNotFound):
            log.info("scans: RomM's tasks/status is not available to the bot")
        except RommError as exc:
            log.warning("scans: checking RomM's task list failed: %s", exc.user_message)

    async def _poll_loop(self) -> None:
        """Without the socket: a look at tasks/status per interval (sooner while one runs)."""
        if self.current is None:
            await asyncio.sleep(self.poll_interval)
        while True:
            try:
                await self.reconcile()
            except (RommForbidden, RommNotFound):
                self.mode_reason += "; RomM's task list is not available to the bot either"
                log.warning("scans: cannot read /api/tasks/status; scans are not followed")
                return
            except RommError as exc:
                log.warning("scans: checking RomM's task list failed: %s", exc.user_message)
            running = self.current is not None and self.current.running
            await asyncio.sleep(min(self.poll_interval, 5.0) if running else self.poll_interval)

    async def _watchdog(self) -> None:
        """While the socket is down, poll tasks/status instead; ask it about a scan that went
        quiet, and give that scan up after a long silence."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(min(STALL_CHECK / 4, self.poll_interval))
            socket_down = self.socket is not None and not self.socket.connected
            run = self.current
            quiet = loop.time() - self._last_event
            stalled = run is not None and run.running and quiet >= STALL_CHECK
            if socket_down or stalled:
                await self._reconcile_quietly()
            if run is not None and run.running and quiet > STALL_GIVE_UP:
                run.end("interrupted", error="RomM sent no news of this scan for a long time")
                if self.publisher is not None:
                    self.publisher.changed()


def _outcome(task: ScanTask) -> Outcome:
    if task.status == "failed":
        return "failed"
    return "stopped" if task.status == "canceled" else "finished"


def _unavailable(socket: ScanSocket) -> str:
    return (
        "The bot is not connected to RomM's scan channel right now "
        f"({socket.last_error or 'connecting'}); try again in a minute."
    )
