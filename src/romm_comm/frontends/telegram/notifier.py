"""The core's notifications delivered on Telegram (the Notifier protocol of core/notify.py).

- direct: a private message to the person; one who never started the bot (403) → False.
- admin_log: TELEGRAM_LOG_CHAT_ID; None when it is not set.
- post(topic): "recent_roms" → TELEGRAM_RECENT_ROMS_CHAT_ID; "scans" and "requests" → their
  chat, else the log chat; anything else → None.
- edit: the message's text (or a photo's caption) replaced in place (`editMessageText`).
"""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.methods import EditMessageCaption, EditMessageText

from ...core.cards import Reply
from ...core.notify import MessageRef
from .api import call
from .bot import FRONT_END, TelegramBot
from .config import TelegramConfig
from .html_split import CAPTION_LIMIT, clip_html
from .render import render

log = logging.getLogger("romm_comm.telegram")


class TelegramNotifier:
    front_end = FRONT_END

    def __init__(self, bot: TelegramBot, config: TelegramConfig) -> None:
        self.bot = bot
        self.log_chat_id = config.telegram_log_chat_id
        self.topics = config.topic_chats()
        self._warned: set[int] = set()

    async def direct(self, user_id: str, reply: Reply) -> bool:
        if not user_id.lstrip("-").isdigit():
            return False
        return await self.bot.send_private(int(user_id), reply)

    async def admin_log(self, reply: Reply) -> MessageRef | None:
        return await self._send(self.log_chat_id, reply)

    async def post(self, topic: str, reply: Reply) -> MessageRef | None:
        return await self._send(self.topics.get(topic), reply)

    async def edit(self, ref: MessageRef, reply: Reply) -> bool:
        if ref.front_end != FRONT_END or not ref.message_id.isdigit():
            return False
        first = (await render(reply, self.bot.callbacks))[0]
        chat_id, message_id = int(ref.channel_id), int(ref.message_id)
        try:
            await call(
                self.bot.bot,
                EditMessageText(
                    chat_id=chat_id,
                    message_id=message_id,
                    text=first.html,
                    parse_mode="HTML",
                    reply_markup=first.keyboard,
                ),
            )
        except TelegramBadRequest as exc:
            text = str(exc).lower()
            if "not modified" in text:
                return True
            if "no text in the message" not in text:
                log.info("telegram: message %s not edited: %s", message_id, exc)
                return False
            try:
                await call(
                    self.bot.bot,
                    EditMessageCaption(
                        chat_id=chat_id,
                        message_id=message_id,
                        caption=clip_html(first.html, CAPTION_LIMIT),
                        parse_mode="HTML",
                        reply_markup=first.keyboard,
                    ),
                )
            except TelegramAPIError:
                return False
        except TelegramAPIError as exc:
            log.info("telegram: message %s not edited: %s", message_id, exc)
            return False
        return True

    async def _send(self, chat_id: int | None, reply: Reply) -> MessageRef | None:
        if chat_id is None:
            return None
        try:
            sent = await self.bot.send(chat_id, reply)
        except TelegramAPIError as exc:
            if chat_id not in self._warned:  # say it once, not at every notice
                self._warned.add(chat_id)
                log.warning("telegram: chat %s is not usable: %s", chat_id, exc)
            return None
        if not sent:
            return None
        return MessageRef(FRONT_END, str(chat_id), str(sent[0].message_id))
