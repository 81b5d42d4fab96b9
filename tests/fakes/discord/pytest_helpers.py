"""Helpers for tests that run the real discord.py against FakeDiscord.

    async with serve_fake_discord() as fd:           # started, library pointed at it
        bot = MyBot(intents=..., guild_ready_timeout=0.05)
        errors = BotErrors().install(bot, bot.tree)
        async with running(bot, fd):
            ...
        errors.assert_empty()
    # leaving serve_fake_discord asserts fd.errors is empty (check_errors=True)

`discord_pointed_at(fd)` alone sets and restores `discord.http.Route.BASE` and
`DiscordWebSocket.DEFAULT_GATEWAY` (usable with `with` or `async with`).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, TypeVar

import discord
import yarl
from discord import app_commands

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)

# Client options that keep tests fast: on_ready 50 ms after the last GUILD_CREATE, not 2 s.
FAST_CLIENT_OPTIONS: dict[str, Any] = {"guild_ready_timeout": 0.05}


class DiscordPointedAt:
    """Context manager pointing discord.py's REST base and gateway at a FakeDiscord."""

    def __init__(self, fd: FakeDiscord) -> None:
        self.fd = fd
        self._saved: tuple[str, yarl.URL] | None = None

    def __enter__(self) -> FakeDiscord:
        ws_cls = discord.gateway.DiscordWebSocket
        self._saved = (discord.http.Route.BASE, ws_cls.DEFAULT_GATEWAY)
        discord.http.Route.BASE = self.fd.api_url
        ws_cls.DEFAULT_GATEWAY = yarl.URL(self.fd.gateway_url)
        return self.fd

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._saved is not None
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
        self._saved = None

    async def __aenter__(self) -> FakeDiscord:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, tb)


def discord_pointed_at(fd: FakeDiscord) -> DiscordPointedAt:
    return DiscordPointedAt(fd)


@contextlib.asynccontextmanager
async def serve_fake_discord(
    *, check_errors: bool = True, **fake_options: Any
) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py pointed at it; checks `fd.errors` on exit."""
    async with FakeDiscord(**fake_options) as fd, discord_pointed_at(fd):
        yield fd
        if check_errors:
            fd.assert_no_errors()


@contextlib.asynccontextmanager
async def running(
    client: ClientT,
    fd: FakeDiscord,
    *,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> AsyncIterator[ClientT]:
    """`client.start(fd.token)` until on_ready; closes the client (and awaits it) on exit.

    A start-up failure (e.g. PrivilegedIntentsRequired) is raised here, not swallowed.
    """
    task = asyncio.create_task(client.start(fd.token), name="discord-client")
    started = False
    try:
        await wait_ready(client, task, fd, timeout)
        started = True
        yield client
    finally:
        await client.close()
        try:
            await asyncio.wait_for(task, timeout)
        except Exception:
            if started:  # a failure to start was already raised by wait_ready
                raise


async def wait_ready(
    client: discord.Client,
    task: asyncio.Task[None],
    fd: FakeDiscord,
    timeout: float,  # noqa: ASYNC109
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not client.is_ready():
        if task.done():
            task.result()  # raises the start-up error
            raise RuntimeError("client.start() returned before the client was ready")
        if loop.time() > deadline:
            raise TimeoutError(f"client not ready after {timeout}s; fake errors: {fd.errors}")
        await asyncio.sleep(0.005)


class BotErrors:
    """Collects exceptions the library would only log (command, event and view errors)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def install(
        self, client: discord.Client, tree: app_commands.CommandTree[Any] | None = None
    ) -> BotErrors:
        async def on_event_error(event: str, *args: Any, **kwargs: Any) -> None:
            self.errors.append(f"event {event}: {sys.exc_info()[1]!r}")

        client.on_error = on_event_error  # type: ignore[method-assign]
        if tree is not None:

            async def on_tree_error(
                interaction: discord.Interaction[Any], error: app_commands.AppCommandError
            ) -> None:
                self.errors.append(f"command {interaction.command!r}: {error!r}")

            tree.error(on_tree_error)
        return self

    def watch_view(self, view: discord.ui.View) -> discord.ui.View:
        """Route the view's item errors here (call again for a re-created persistent view)."""

        async def on_view_error(
            interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
        ) -> None:
            self.errors.append(f"view item {item!r}: {error!r}")

        view.on_error = on_view_error  # type: ignore[method-assign]
        return view

    def assert_empty(self) -> None:
        if self.errors:
            raise AssertionError("the bot raised:\n" + "\n".join(self.errors))
