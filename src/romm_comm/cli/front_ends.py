"""The chat front ends `run` and `serve` start: each configured one, side by side.

Every entry says when it is configured (its token is set) and how it runs until `stop` is
set, returning an exit code. They share one App (core, store, web server); one front end
that ends (a rejected token) does not stop the others, and the process exits when every
one has ended or on SIGTERM/SIGINT. Adding a chat platform is one entry here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from ..app.root import App
from ..app.settings import Settings

log = logging.getLogger("romm_comm")

Run = Callable[[App, asyncio.Event], Coroutine[Any, Any, int]]


@dataclass(frozen=True)
class ChatFrontEnd:
    name: str
    configured: Callable[[Settings], bool]
    run: Run


async def _discord(app: App, stop: asyncio.Event) -> int:
    from ..frontends.discord.runner import run_discord

    return await run_discord(app, stop)


async def _slack(app: App, stop: asyncio.Event) -> int:
    from ..frontends.slack.runner import run_slack

    return await run_slack(app, stop)


async def _matrix(app: App, stop: asyncio.Event) -> int:
    from ..frontends.matrix.runner import run_matrix

    return await run_matrix(app, stop)


async def _telegram(app: App, stop: asyncio.Event) -> int:
    from ..frontends.telegram.runner import run_telegram

    return await run_telegram(app, stop)


FRONT_ENDS: tuple[ChatFrontEnd, ...] = (
    ChatFrontEnd("discord", lambda s: s.discord_token is not None, _discord),
    ChatFrontEnd("slack", lambda s: s.slack_configured, _slack),
    ChatFrontEnd("matrix", lambda s: s.matrix_configured, _matrix),
    ChatFrontEnd("telegram", lambda s: s.telegram_bot_token is not None, _telegram),
)


def configured(settings: Settings) -> list[ChatFrontEnd]:
    return [f for f in FRONT_ENDS if f.configured(settings)]


async def run_all(app: App, chosen: list[ChatFrontEnd], stop: asyncio.Event) -> int:
    """Run every chosen front end until `stop`; the worst exit code of them."""
    if len(chosen) == 1:
        return await chosen[0].run(app, stop)
    tasks = [asyncio.create_task(f.run(app, stop), name=f"front-end-{f.name}") for f in chosen]
    codes: list[int] = []
    for done in asyncio.as_completed(tasks):
        try:
            codes.append(await done)
        except Exception:
            log.exception("a chat front end crashed")
            codes.append(1)
    return max(codes, default=0)
