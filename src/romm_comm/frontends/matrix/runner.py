"""`run_matrix(app, stop)`: run the Matrix front end until `stop` is set; return the exit code.

A refused token or password ends the front end (exit code 2); a homeserver that cannot be
reached is retried with a growing pause, at start and while syncing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .bot import MatrixBot
from .session import LoginFailed

if TYPE_CHECKING:
    from .config import Host

log = logging.getLogger("romm_comm.matrix")

EXIT_OK, EXIT_CONFIG = 0, 2
RETRY_PAUSES = (2.0, 5.0, 15.0, 30.0, 60.0)


@dataclass(frozen=True)
class MatrixOptions:
    """Timings the tests shorten; `encryption` None: on when the e2e extra is importable."""

    sync_timeout_ms: int = 30_000
    max_retry_wait: float = 30.0
    retry_pauses: tuple[float, ...] = RETRY_PAUSES
    encryption: bool | None = None


async def run_matrix(app: Host, stop: asyncio.Event, options: MatrixOptions | None = None) -> int:
    return await MatrixRunner(app, options).run(stop)


class MatrixRunner:
    def __init__(self, app: Host, options: MatrixOptions | None = None) -> None:
        self.app = app
        self.options = options or MatrixOptions()
        self.bot: MatrixBot | None = None
        self.ready = asyncio.Event()

    async def wait_ready(self, within: float = 20.0) -> MatrixBot:
        await asyncio.wait_for(self.ready.wait(), within)
        assert self.bot is not None
        return self.bot

    async def run(self, stop: asyncio.Event) -> int:
        options = self.options
        if self.app.matrix.matrix_homeserver is None:
            log.error("matrix: MATRIX_HOMESERVER is not set")
            return EXIT_CONFIG
        failures = 0
        while not stop.is_set():
            bot = MatrixBot(
                self.app,
                sync_timeout_ms=options.sync_timeout_ms,
                max_retry_wait=options.max_retry_wait,
                encryption=options.encryption,
            )
            self.bot = bot
            try:
                await bot.start()
                self.ready.set()
                pause = options.retry_pauses[0]
                await bot.sync_until(stop, pause)
                return EXIT_OK
            except LoginFailed as exc:
                log.error("matrix: %s", exc)
                return EXIT_CONFIG
            except (OSError, TimeoutError) as exc:
                pause = options.retry_pauses[min(failures, len(options.retry_pauses) - 1)]
                failures += 1
                log.warning(
                    "matrix: the homeserver is not reachable (%s); retrying in %g s",
                    type(exc).__name__,
                    pause,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
            finally:
                await bot.close()
        return EXIT_OK
