"""RomM's Socket.IO scan channel at `/ws/socket.io`, and `GET /api/tasks/status`.

Like RomM 5: a socket is never refused at connect; the `romm_session` cookie it brought is
looked up when it asks for `scan` or `scan:stop`, and without a live session whose user has
`tasks.run` the answer (to that socket only) is `scan:done_ko` "You are not authorized to run
scans". Before 5.0 there was no check. A second scan while one runs gets "A scan is already in
progress". Scan events are broadcast to every connected socket, so a scan started outside the
bot (`start_external_scan`, standing in for RomM's web UI) reaches it too. Scan type names are
the version's: `unmatched`/`update` from 4.4, `unidentified`/`partial` before; an unknown type
starts nothing and gets no answer, as in RomM.

    sim.scans.stage_roms("n64", ["Banjo-Kazooie", "Blast Corps"])   # files for the next scan
    sim.scans.stage_roms(3, 1000)                                    # generated ones
    sim.scans.stage_spread(100_000)   # generated, spread over every platform
    sim.scans.pace = 0.01             # seconds after each ROM
    gate = sim.scans.hold()           # ...or each ROM waits: gate.release(2), gate.open()
    await gate.reached(1)             # the scan is done with its first ROM and waits
    job = sim.scans.start_external_scan("quick")
    await sim.scans.wait_idle()
    sim.scans.requests                # every `scan` payload received, in order
    await sim.scans.drop_clients()    # the connection breaks (RomM restarts, proxy timeout)
    sim.scans.expire_sessions()       # RomM's Redis forgot every session
    sim.scans.set_metadata_sources(IGDB_API_ENABLED=False, MOBY_API_ENABLED=True)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any

import socketio  # type: ignore[import-untyped]
from aiohttp import web

from .auth import SESSION_COOKIE
from .scan_runner import ScanJob, ScanRunner, StepGate
from .state import STATE, state_of
from .webutil import json_response

if TYPE_CHECKING:
    from .state import SimState

log = logging.getLogger(__name__)

SOCKET_PATH = "ws/socket.io"
NOT_AUTHORIZED = "You are not authorized to run scans"
ALREADY_RUNNING = "A scan is already in progress"
_COMMON_TYPES = frozenset({"quick", "complete", "new_platforms", "hashes"})


class ScanChannel:
    def __init__(self, state: SimState) -> None:
        self.state = state
        self.sio = socketio.AsyncServer(
            async_mode="aiohttp", logger=False, engineio_logger=False, cors_allowed_origins=[]
        )
        self.runner = ScanRunner(state.library, self._broadcast)
        self.jobs: deque[ScanJob] = deque(maxlen=20)
        self.requests: list[dict[str, Any]] = []  # every `scan` payload, for tests
        self.stops = 0
        self._cookies: dict[str, str | None] = {}  # sid -> romm_session value
        self._task: asyncio.Task[None] | None = None
        self.sio.on("connect", self._connect)
        self.sio.on("disconnect", self._disconnect)
        self.sio.on("scan", self._scan)
        self.sio.on("scan:stop", self._stop)

    # ------------------------------------------------------------------ knobs for tests

    @property
    def pace(self) -> float:
        return self.runner.pace

    @pace.setter
    def pace(self, seconds: float) -> None:
        self.runner.pace = seconds

    def hold(self) -> StepGate:
        """From now on scans wait after each ROM until the returned gate lets them go on."""
        self.runner.gate = StepGate()
        return self.runner.gate

    @property
    def start_delay(self) -> float:
        return self.runner.start_delay

    @start_delay.setter
    def start_delay(self, seconds: float) -> None:
        self.runner.start_delay = seconds

    def stage_roms(
        self, platform: int | str, names: list[str] | int, *, identified: bool = True
    ) -> int:
        return self.runner.stage_roms(platform, names, identified=identified)

    def stage_spread(self, count: int) -> None:
        """`count` generated files for the next scan, spread evenly over the platforms."""
        platform_ids = sorted(self.state.library.platforms)
        for index, platform_id in enumerate(platform_ids):
            share = count // len(platform_ids) + (1 if index < count % len(platform_ids) else 0)
            if share:
                self.stage_roms(platform_id, share)

    @property
    def clients(self) -> int:
        return len(self._cookies)

    @property
    def running(self) -> ScanJob | None:
        job = self.jobs[-1] if self.jobs else None
        return job if job is not None and job.status in ("queued", "started") else None

    def start_external_scan(
        self, scan_type: str = "quick", platform_ids: list[int] | None = None
    ) -> ScanJob:
        """A scan started from RomM's web UI (or its scheduler): every socket sees it."""
        if self.running is not None:
            raise RuntimeError(ALREADY_RUNNING)
        return self._launch(ScanJob(scan_type, list(platform_ids or []), external=True))

    async def wait_idle(self, within: float = 30.0) -> None:
        if self._task is not None:
            await asyncio.wait_for(asyncio.shield(self._task), within)

    async def drop_clients(self) -> None:
        for sid in list(self._cookies):
            await self.sio.disconnect(sid)

    def expire_sessions(self) -> None:
        self.state.auth.sessions.clear()

    def set_metadata_sources(self, **enabled: bool) -> None:
        """Override heartbeat METADATA_SOURCES flags (e.g. MOBY_API_ENABLED=True)."""
        self.state.metadata_sources.update(enabled)

    def attach(self, app: web.Application) -> None:
        self.sio.attach(app, socketio_path=SOCKET_PATH)
        app.router.add_get("/api/tasks/status", self._tasks_status, allow_head=False)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for job in self.jobs:
            if job.status in ("queued", "started"):
                job.status = "canceled"
        with contextlib.suppress(Exception):
            await self.drop_clients()
        self._cookies.clear()

    # ------------------------------------------------------------------ socket events

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        self._cookies[sid] = _session_cookie(environ.get("HTTP_COOKIE", ""))

    async def _disconnect(self, sid: str, *_reason: Any) -> None:
        self._cookies.pop(sid, None)

    async def _scan(self, sid: str, data: Any) -> None:
        payload = data if isinstance(data, dict) else {}
        self.requests.append(payload)
        if not self._authorized(sid):
            await self.sio.emit("scan:done_ko", NOT_AUTHORIZED, to=sid)
            return
        scan_type = str(payload.get("type", "")).lower()
        if scan_type not in self._types():
            log.info("romm_sim: unknown scan type %r, nothing starts", scan_type)
            return
        if self.running is not None:
            await self.sio.emit("scan:done_ko", ALREADY_RUNNING, to=sid)
            return
        self._launch(ScanJob(scan_type, self._platform_ids(payload), external=False))

    async def _stop(self, sid: str, *_data: Any) -> None:
        if not self._authorized(sid):
            await self.sio.emit("scan:done_ko", NOT_AUTHORIZED, to=sid)
            return
        self.stops += 1
        job = self.running
        if job is not None:
            job.stop = True
            if self.runner.gate is not None:
                self.runner.gate.open()  # a held scan goes on to notice the stop, as RomM's does

    # ------------------------------------------------------------------ internals

    def _types(self) -> frozenset[str]:
        if self._personality_at(4, 4):
            return _COMMON_TYPES.union(("unmatched", "update"))
        return _COMMON_TYPES.union(("unidentified", "partial"))

    def _personality_at(self, major: int, minor: int) -> bool:
        return self.state.library.personality.at_least(major, minor)

    def _authorized(self, sid: str) -> bool:
        if not self._personality_at(5, 0):
            return True  # before 5.0 the socket checked nobody
        auth, lib = self.state.auth, self.state.library
        cookie = self._cookies.get(sid)
        user_id = auth.sessions.get(cookie) if cookie else None
        user = lib.users.get(user_id) if user_id is not None else None
        return user is not None and user.enabled and "tasks.run" in lib.user_scopes(user)

    def _platform_ids(self, payload: dict[str, Any]) -> list[int]:
        ids = [int(p) for p in payload.get("platforms") or [] if str(p).isdigit()]
        lib = self.state.library
        for fs_slug in payload.get("platform_fs_slugs") or []:
            found = lib.platform_by_slug(str(fs_slug))
            if found is not None:
                ids.append(found.id)
        return ids

    def _launch(self, job: ScanJob) -> ScanJob:
        self.jobs.append(job)
        self._task = asyncio.create_task(self._run(job), name=f"romm-sim-scan-{job.id}")
        return job

    async def _run(self, job: ScanJob) -> None:
        try:
            await self.runner.run(job)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("romm_sim: scan crashed")
            job.status = "failed"
            await self._broadcast("scan:done_ko", "Scan failed (simulator error)")

    async def _broadcast(self, event: str, data: Any) -> None:
        await self.sio.emit(event, data)

    async def _tasks_status(self, request: web.Request) -> web.Response:
        state_of(request).auth.require(request, "tasks.run")
        return json_response([job.task_json() for job in reversed(self.jobs)])


def _session_cookie(header: str) -> str | None:
    try:
        morsel = SimpleCookie(header).get(SESSION_COOKIE)
    except CookieError:
        return None
    return morsel.value if morsel is not None else None


def setup(app: web.Application) -> None:
    channel = app[STATE].scans
    if channel is not None:
        channel.attach(app)
