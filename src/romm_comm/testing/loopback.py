"""LoopbackSite: serve an aiohttp Application over real HTTP (by default 127.0.0.1, a free port).

Shared by the simulators and the fake Discord server, which differ only in the app they serve.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web


class LoopbackSite:
    """Starts an app with AppRunner/TCPSite and stops it; `url` stays readable after stop()."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.url: str | None = None
        self.port = 0

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(
        self,
        app: web.Application,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        reuse_address: bool | None = None,
    ) -> str:
        """Serve `app` on `host:port` (0: any free port); returns the `http://host:port` URL."""
        if self._runner is not None:
            raise RuntimeError("already serving")
        # Like uvicorn/Starlette: a client that disconnects ends its (streaming) handler.
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port, reuse_address=reuse_address)
        await site.start()
        bound_host, self.port = runner.addresses[0][:2]
        self._runner = runner
        self.url = f"http://{bound_host}:{self.port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()


class LoopbackServer:
    """The lifecycle of a simulator serving one app on 127.0.0.1: `start()` serves
    `make_app()`, `stop()` ends it, `async with` does both; `url` while it runs (and, like
    `port`, after stop: the port then refuses connections). Subclasses set `_site`."""

    _site: LoopbackSite
    name = "the simulator"

    def make_app(self) -> web.Application:
        raise NotImplementedError

    @property
    def url(self) -> str:
        if self._site.url is None:
            raise RuntimeError(f"{self.name} is not running (use `async with` or start())")
        return self._site.url

    @property
    def port(self) -> int:
        return self._site.port

    async def start(self) -> Self:
        await self._site.start(self.make_app())
        return self

    async def stop(self) -> None:
        await self._site.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
