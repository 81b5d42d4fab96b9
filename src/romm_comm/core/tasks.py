"""Background work as features see it: ask for it, never own it.

The composition root's Supervisor implements this; features and front ends receive it and
never keep task sets of their own, so every task has one owner that logs its crash by name
and cancels it at shutdown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol


class Tasks(Protocol):
    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        """Run `work` in the background; a crash is logged with `name`."""

    def every(
        self, interval: float, fn: Callable[[], Awaitable[object]], name: str, *, now: bool = False
    ) -> None:
        """Call `fn` every `interval` seconds (first right away when `now`)."""
