"""The scan channel: RomM's Socket.IO server at `/ws/socket.io`.

RomM 5 knows who a socket belongs to only from a `romm_session` cookie, obtained with
`POST /api/login` (HTTP Basic). That cookie lives here, in a short-lived login session and
the socket's own connection, never in the REST client's session: there a session cookie would
override the API token. The connection comes back by itself with backoff after any drop;
`relogin()` fetches a fresh cookie when RomM says the session may not run scans. Before 5.0 the
socket checked nobody, so no password is needed there.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

import aiohttp
import socketio  # type: ignore[import-untyped]
from pydantic import SecretStr

log = logging.getLogger(__name__)

SOCKET_PATH = "/ws/socket.io"
SESSION_COOKIE = "romm_session"
SCAN_EVENTS = (
    "scan:update_stats",
    "scan:scanning_platform",
    "scan:scanning_rom",
    "scan:done",
    "scan:done_ko",
)

EventSink = Callable[[str, Any], None]
ConnectHook = Callable[[], Coroutine[Any, Any, None]]


class ScanSocketUnavailable(Exception):
    """The scan channel is not connected (the message says why, for people)."""


class LoginRefused(Exception):
    """RomM refused ROMM_USERNAME/ROMM_PASSWORD at /api/login."""


class ScanSocket:
    def __init__(
        self,
        base_url: str,
        on_event: EventSink,
        *,
        username: str | None = None,
        password: SecretStr | None = None,
        on_connect: ConnectHook | None = None,
        timeout: float = 10.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._on_event = on_event
        self._username = username
        self._password = password
        self._on_connect = on_connect
        self._timeout = timeout
        self._initial = backoff_initial
        self._max = backoff_max
        self._cookie: str | None = None
        self._client: Any = None  # socketio.AsyncClient while connected
        self._connected = asyncio.Event()
        self._attempted = asyncio.Event()  # set after each attempt, good or bad
        self._gone = asyncio.Event()
        self._skip_wait = False
        self._task: asyncio.Task[None] | None = None
        self._hooks: set[asyncio.Task[None]] = set()
        self.logins = 0
        self.connections = 0
        self.last_error = ""

    @property
    def signs_in(self) -> bool:
        return bool(self._username and self._password is not None)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def status(self) -> str:
        if self.connected:
            return "connected"
        return f"reconnecting ({self.last_error})" if self.last_error else "connecting"

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="romm-scan-socket")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._drop()
        for hook in list(self._hooks):
            hook.cancel()

    async def wait_connected(self, within: float) -> bool:
        try:
            await asyncio.wait_for(self._connected.wait(), within)
        except TimeoutError:
            return False
        return True

    async def first_attempt(self, within: float) -> bool:
        """Wait for the first connection attempt to end; True if it connected."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._attempted.wait(), within)
        return self.connected

    # ------------------------------------------------------------------ use

    async def emit(self, event: str, data: Any = None) -> None:
        client = self._client
        if client is None or not self.connected:
            raise ScanSocketUnavailable(
                "The bot is not connected to RomM's scan channel right now "
                f"({self.last_error or 'connecting'}); try again in a minute."
            )
        if data is None:
            await client.emit(event)
        else:
            await client.emit(event, data)

    async def relogin(self, within: float = 10.0) -> bool:
        """Forget the session cookie, sign in again and reconnect; True once connected."""
        log.info("scan socket: RomM refused the session; signing in again")
        self._cookie = None
        self._skip_wait = True
        await self._drop()
        return await self.wait_connected(within)

    # ------------------------------------------------------------------ internals

    async def _run(self) -> None:
        delay = self._initial
        loop = asyncio.get_running_loop()
        while True:
            try:
                await self._connect_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.last_error = _describe(exc)
                self._attempted.set()
                log.warning("scan socket: %s; retrying in %.1f s", self.last_error, delay)
                pause = self._max if isinstance(exc, LoginRefused) else delay
                await asyncio.sleep(pause * (1 + random.random() / 4))
                delay = min(delay * 2, self._max)
                continue
            since = loop.time()
            await self._gone.wait()
            self._connected.clear()
            self._client = None
            if loop.time() - since > 30:
                delay = self._initial
            if self._skip_wait:
                self._skip_wait = False
                continue
            self.last_error = "the connection dropped"
            log.warning("scan socket: disconnected; reconnecting in %.1f s", delay)
            await asyncio.sleep(delay * (1 + random.random() / 4))
            delay = min(delay * 2, self._max)

    async def _connect_once(self) -> None:
        if self.signs_in and self._cookie is None:
            self._cookie = await self._login()
        client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        for name in SCAN_EVENTS:
            client.on(name, partial(self._dispatch, name))
        client.on("disconnect", self._disconnected)
        # engine.io moves a Cookie header into its own connection's cookie jar: a fresh dict.
        headers = {"Cookie": f"{SESSION_COOKIE}={self._cookie}"} if self._cookie else {}
        self._gone.clear()
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancellation that
            # arrives as the connection completes, and close() then waited forever.
            async with asyncio.timeout(self._timeout + 1):
                await client.connect(
                    self._base,
                    headers=headers,
                    transports=["websocket"],
                    socketio_path=SOCKET_PATH,
                    wait_timeout=self._timeout,
                )
        except BaseException:
            with contextlib.suppress(Exception):
                await client.disconnect()
            raise
        self._client = client
        self.connections += 1
        self.last_error = ""
        self._connected.set()
        self._attempted.set()
        log.info("scan socket: connected to %s%s", self._base, SOCKET_PATH)
        if self._on_connect is not None:
            hook: asyncio.Task[None] = asyncio.create_task(
                self._on_connect(), name="romm-scan-socket-connected"
            )
            self._hooks.add(hook)
            hook.add_done_callback(self._hooks.discard)

    async def _login(self) -> str:
        assert self._username and self._password is not None
        raw = f"{self._username}:{self._password.get_secret_value()}".encode()
        headers = {"Authorization": "Basic " + base64.b64encode(raw).decode()}
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        # Its own session with no cookie jar: the cookie is read from this one answer.
        async with (
            aiohttp.ClientSession(timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http,
            http.post(f"{self._base}/api/login", headers=headers) as resp,
        ):
            self.logins += 1
            if resp.status in (401, 403):
                raise LoginRefused(
                    f"RomM refused ROMM_USERNAME/ROMM_PASSWORD at /api/login ({resp.status})"
                )
            morsel = resp.cookies.get(SESSION_COOKIE)
            if resp.status != 200 or morsel is None or not morsel.value:
                raise ConnectionError(f"/api/login answered {resp.status} without a session")
            return morsel.value

    def _dispatch(self, name: str, *args: Any) -> None:
        try:
            self._on_event(name, args[0] if args else None)
        except Exception:
            log.exception("scan socket: handling %s failed", name)

    def _disconnected(self, *_reason: Any) -> None:
        self._gone.set()

    async def _drop(self) -> None:
        client, self._client = self._client, None
        self._connected.clear()
        if client is not None:
            with contextlib.suppress(Exception):
                await client.disconnect()
        self._gone.set()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, LoginRefused):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return "RomM did not answer in time"
    if isinstance(exc, aiohttp.ClientError | ConnectionError | OSError):
        return f"cannot reach RomM ({type(exc).__name__})"
    if isinstance(exc, socketio.exceptions.ConnectionError):
        return f"RomM's scan channel refused the connection ({exc})"
    return type(exc).__name__
