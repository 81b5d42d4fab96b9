"""Waiting for something the code under test does in the background."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any


async def eventually(check: Callable[[], Any], within: float = 30.0, what: str = "") -> Any:
    """The first truthy result of `check` (a function, or one returning an awaitable), looked
    at every 10 ms; AssertionError after `within` seconds (a guard against a hang, generous
    for a loaded machine: it ends only a failing test)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(0.01)
