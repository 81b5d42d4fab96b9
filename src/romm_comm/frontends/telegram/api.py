"""The Bot API client (aiogram's `Bot`) pointed at TELEGRAM_API_URL, and calls that wait out 429s.

Requests go to `{base}/bot{token}/{method}`, files to `{base}/file/bot{token}/{path}`. The
token is part of every URL: it is a secret setting, so the log's redaction removes it from
every line, the library's and aiohttp's own included.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TypeVar

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod

log = logging.getLogger("romm_comm.telegram")

T = TypeVar("T")
RETRIES_AFTER_429 = 3
MAX_RETRY_AFTER = 60.0


def make_bot(token: str, api_url: str, *, timeout: float = 30.0) -> Bot:
    base = api_url.rstrip("/")
    server = TelegramAPIServer(
        base=f"{base}/bot{{token}}/{{method}}", file=f"{base}/file/bot{{token}}/{{path}}"
    )
    return Bot(token, session=AiohttpSession(api=server, timeout=timeout))


async def call(bot: Bot, method: TelegramMethod[T]) -> T:
    """Run one Bot API method; a 429 waits `retry_after` seconds and tries again (a few times)."""
    for attempt in range(RETRIES_AFTER_429 + 1):
        try:
            return await bot(method)
        except TelegramRetryAfter as exc:
            if attempt == RETRIES_AFTER_429:
                raise
            pause = min(float(exc.retry_after), MAX_RETRY_AFTER)
            log.info("telegram: rate limited on %s; waiting %g s", type(method).__name__, pause)
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")
