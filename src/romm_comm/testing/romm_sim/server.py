"""RommSimulator: the aiohttp app served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import random
from typing import Any, Self

from aiohttp import web

from ..loopback import LoopbackServer, LoopbackSite
from . import (
    downloads,
    routes_accounts,
    routes_assets,
    routes_platforms,
    routes_roms,
    routes_system,
    routes_users,
    socket_scans,
)
from .auth import AuthStore
from .faults import Faults
from .generator import LibrarySpec, build_library
from .library import Library
from .middleware import MIDDLEWARES, set_csrf_cookie
from .scopes import ALL_SCOPES
from .search import DIALECTS
from .state import STATE, Call, SimState
from .versions import Personality

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-password"  # noqa: S105 - a test fixture


def build_app(state: SimState) -> web.Application:
    app = web.Application(middlewares=list(MIDDLEWARES), client_max_size=16 * 1024 * 1024)
    app[STATE] = state
    app.on_response_prepare.append(set_csrf_cookie)
    for module in (
        routes_system,
        routes_platforms,
        routes_roms,
        routes_users,
        routes_accounts,
        downloads,
        routes_assets,
        socket_scans,
    ):
        module.setup(app)
    return app


class RommSimulator(LoopbackServer):
    """A RomM look-alike for tests, the demo and benchmarks.

    >>> async with RommSimulator(library=LibrarySpec(roms=200), version="5.2.0") as sim:
    ...     sim.url, sim.admin_token
    """

    admin_username = ADMIN_USERNAME
    admin_password = ADMIN_PASSWORD

    def __init__(
        self,
        library: LibrarySpec | None = None,
        version: str = "5.2.0",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        access_token_expiry: int = 1800,
        download_mode: str = "direct",
        disable_download_auth: bool = False,
        download_rate: float | None = None,
        search_dialect: str = "mariadb",
    ) -> None:
        if search_dialect not in DIALECTS:
            raise ValueError(f"search_dialect must be one of {DIALECTS}")
        spec = library or LibrarySpec()
        self.spec = spec
        self.version = version
        self.personality = Personality(version)
        self.library: Library = build_library(spec, self.personality)
        self.library.search_dialect = search_dialect  # the database RomM runs on
        self.library.search_index("name").warm()  # sort and index before the first request
        self.faults = Faults()
        self.auth = AuthStore(self.library, access_token_expiry)
        self._state = SimState(
            library=self.library,
            auth=self.auth,
            faults=self.faults,
            download_mode=download_mode,
            disable_download_auth=disable_download_auth,
            rng=random.Random(spec.seed),
        )
        self._pace = downloads.Pace()
        self.download_rate = download_rate
        self.scans = socket_scans.ScanChannel(self._state)
        self._state.scans = self.scans
        self._host = host
        self._port = port
        self._site = LoopbackSite()
        self.admin_token: str | None = (
            self.make_token(list(ALL_SCOPES), ADMIN_USERNAME, name="romm-sim-admin")
            if self.personality.client_tokens
            else None
        )

    # ------------------------------------------------------------------ knobs

    @property
    def calls(self) -> list[Call]:
        return self._state.calls

    @property
    def random_picks(self) -> list[int]:
        """ROM ids `GET /api/roms/random` answers next, in order, before drawing by chance."""
        return self._state.random_picks

    def reset_calls(self) -> None:
        self._state.calls.clear()

    @property
    def download_mode(self) -> str:
        return self._state.download_mode

    @download_mode.setter
    def download_mode(self, mode: str) -> None:
        if mode not in ("direct", "accel", "nozip"):
            raise ValueError("download_mode is 'direct', 'accel' or 'nozip'")
        self._state.download_mode = mode

    @property
    def disable_download_auth(self) -> bool:
        return self._state.disable_download_auth

    @disable_download_auth.setter
    def disable_download_auth(self, value: bool) -> None:
        self._state.disable_download_auth = value

    @property
    def download_rate(self) -> float | None:
        """Bytes per second for each download stream (paced chunks); None = unlimited."""
        return self._pace.rate

    @download_rate.setter
    def download_rate(self, rate: float | None) -> None:
        if rate is not None and not rate > 0:
            raise ValueError("download_rate is None (unlimited) or bytes per second > 0")
        self._pace.rate = rate

    @property
    def downloads_open(self) -> int:
        """Download bodies being sent right now."""
        return self._pace.open_streams

    async def wait_downloads_open(self, count: int) -> None:
        """Until exactly `count` download bodies are being sent (a client gone ends one)."""
        await self._pace.wait_open(count)

    @property
    def emulator_js_disabled(self) -> bool:
        return self._state.emulator_js_disabled

    @emulator_js_disabled.setter
    def emulator_js_disabled(self, value: bool) -> None:
        self._state.emulator_js_disabled = value

    @property
    def access_token_expiry(self) -> int:
        return self.auth.access_token_expiry

    @access_token_expiry.setter
    def access_token_expiry(self, seconds: int) -> None:
        self.auth.access_token_expiry = seconds

    def make_token(
        self,
        scopes: list[str],
        username: str = ADMIN_USERNAME,
        *,
        name: str = "test-token",
        expires_at: float | None = None,
    ) -> str:
        """A new `rmm_` client token (RomM >= 4.8). Scopes are not checked against the user's,
        so a token can outlive a demotion; requests still get token ∩ user scopes."""
        if not self.personality.client_tokens:
            raise RuntimeError(f"RomM {self.version} has no client API tokens (4.8+)")
        user = self.library.user_by_name(username)
        if user is None:
            raise KeyError(f"no user {username!r}")
        return self.auth.create_client_token(user, name, scopes, expires_at)[1]

    def add_user(
        self, username: str, password: str, role: str = "user", enabled: bool = True
    ) -> dict[str, Any]:
        """Create a user; `role` is coerced as this version would (5.x: user/admin)."""
        return self.library.add_user(username, password, role, enabled)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        if self._site.running:
            return self
        self._state.stopping = False
        app = build_app(self._state)
        app[downloads.PACE] = self._pace
        await self._site.start(app, self._host, self._port, reuse_address=True)
        # Started again after stop(), it comes back where it was, as a restarted RomM does.
        self._port = self._site.port
        return self

    async def stop(self) -> None:
        if not self._site.running:
            return
        self._state.stopping = True
        self.faults.release()
        await self.scans.close()
        await self._site.stop()  # `url` stays readable: the port now refuses connections
