"""Starting a chat front end's runner in a test: its task runs until `stop`; tests wait for it
to be ready, or learn why it is not."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


async def wait_started(
    ready: asyncio.Event,
    task: asyncio.Task[Any],
    *,
    stopped: Callable[[], str],
    not_ready: Callable[[], str],
    within: float = 10.0,
) -> None:
    """Until `ready` is set; AssertionError with `stopped()` if `task` ends first (it may read
    `task.result()`), with `not_ready()` if `within` seconds pass."""
    waiting = asyncio.create_task(ready.wait())
    done, _ = await asyncio.wait({waiting, task}, timeout=within, return_when="FIRST_COMPLETED")
    waiting.cancel()
    if task in done:
        raise AssertionError(stopped())
    assert done, not_ready()
