"""`run_telegram(app, stop)`: long polling until `stop` is set; returns the exit code.

- At start `getMe` (a rejected token ends the front end: exit code 2) and `setMyCommands`.
- `getUpdates` long polling; the next offset is stored before an update is handled, so a
  restart never runs an update twice (an update whose handling was cut short by the restart
  is dropped rather than repeated: a download or a scan must not happen twice).
- Each update is answered as a background task: chats side by side, one chat in order.
- A lost connection is retried with a growing pause; a 429 waits its `retry_after`.
- Expired button records, ticks and deep-link tokens are removed every hour.
- The notifier is registered with the core while connected; the front end's connection state
  goes to services.front_ends (readiness, metrics).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetMe, GetUpdates

from .api import call, make_bot
from .bot import FRONT_END, TelegramBot
from .commands_menu import publish_commands
from .config import Host
from .notifier import TelegramNotifier
from .records import PRUNE_EVERY

log = logging.getLogger("romm_comm.telegram")

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
RETRY_PAUSES = (1.0, 2.0, 5.0, 15.0, 30.0, 60.0)
OFFSET_KEY = "telegram:offset"
ALLOWED_UPDATES = ["message", "callback_query"]
DRAIN_SECONDS = 10.0  # at stop, answers under way may finish before the connection closes


async def run_telegram(app: Host, stop: asyncio.Event) -> int:
    return await TelegramRunner(app).run(stop)


class TelegramRunner:
    def __init__(
        self,
        app: Host,
        *,
        poll_timeout: int = 30,
        retry_pauses: tuple[float, ...] = RETRY_PAUSES,
        clock: Callable[[], float] = time.time,
        prune_every: float = PRUNE_EVERY,
    ) -> None:
        self.app = app
        self.clock = clock
        self.prune_every = prune_every
        self.poll_timeout = poll_timeout
        self.retry_pauses = retry_pauses
        self.ready = asyncio.Event()
        self.front_end: TelegramBot | None = None
        self.problems: list[str] = []

    async def run(self, stop: asyncio.Event) -> int:
        config = self.app.telegram
        if config.telegram_bot_token is None:
            self.problems.append("TELEGRAM_BOT_TOKEN is not set.")
            return EXIT_CONFIG
        token = config.telegram_bot_token.get_secret_value()
        fronts = self.app.services.front_ends
        fronts.expect(FRONT_END)
        bot = make_bot(token, config.telegram_api_url, timeout=self.poll_timeout + 15)
        try:
            return await self._run(bot, stop)
        finally:
            if self.front_end is not None:
                await self.front_end.drain(DRAIN_SECONDS)
            self.app.services.notifications.unregister(FRONT_END)
            fronts.connected(FRONT_END, False)
            await bot.session.close()

    async def _run(self, bot: Bot, stop: asyncio.Event) -> int:
        failures = 0
        while not stop.is_set():
            try:
                if self.front_end is None:
                    me = await call(bot, GetMe())
                    front = TelegramBot(self.app, bot, me, self.clock)
                    await publish_commands(bot, self.app.registry, self.app.telegram)
                    self.front_end = front
                    self.app.services.tasks.every(self.prune_every, front.prune, "telegram-prune")
                    notifier = TelegramNotifier(front, self.app.telegram)
                    self.app.services.notifications.register(notifier)
                    log.info("telegram: connected as @%s", me.username)
                    self.ready.set()
                self.app.services.front_ends.connected(FRONT_END)
                await self._poll(bot, self.front_end, stop)
            except TelegramUnauthorizedError:
                self.problems.append(
                    "Telegram rejected TELEGRAM_BOT_TOKEN: ask @BotFather for the bot's token "
                    "(/token) and update the setting."
                )
                log.error("telegram: %s", self.problems[-1])
                return EXIT_CONFIG
            except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter, OSError) as exc:
                self.app.services.front_ends.connected(FRONT_END, False)
                if isinstance(exc, TelegramRetryAfter):
                    pause = float(exc.retry_after)
                else:
                    pause = self.retry_pauses[min(failures, len(self.retry_pauses) - 1)]
                    failures += 1
                log.warning(
                    "telegram: not reachable (%s); trying again in %g s", type(exc).__name__, pause
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
                continue
            failures = 0
        return EXIT_OK

    async def _poll(self, bot: Bot, front: TelegramBot, stop: asyncio.Event) -> None:
        store = self.app.services.store
        while not stop.is_set():
            stored = await store.get_json(OFFSET_KEY)
            offset = int(stored) if isinstance(stored, int) else None
            polling = asyncio.ensure_future(
                bot(
                    GetUpdates(
                        offset=offset, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES
                    )
                )
            )
            stopping = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopping.cancel()
            if not polling.done():
                polling.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await polling
                return
            updates = polling.result()
            self.app.services.front_ends.connected(FRONT_END)
            for update in updates:
                await store.set_json(OFFSET_KEY, update.update_id + 1)
                self.app.services.tasks.spawn(
                    front.handle_in_order(update), f"telegram-update-{update.update_id}"
                )
