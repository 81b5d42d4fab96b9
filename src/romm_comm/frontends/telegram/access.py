"""Who the bot answers, and who is an admin.

- Groups: only those in TELEGRAM_CHAT_IDS (others are ignored without a word).
- Private chats: admins (TELEGRAM_ADMIN_IDS) and members of any of those groups
  (`getChatMember`); a stranger gets one polite refusal, then silence (who was refused is
  kept in the store, so a restart does not repeat it).
- Admins: TELEGRAM_ADMIN_IDS, and with TELEGRAM_GROUP_ADMINS=true the administrators of the
  configured groups (`getChatAdministrators`).
Answers from Telegram are kept a few minutes, so a burst of commands costs no extra calls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import GetChatAdministrators, GetChatMember

from ...store.db import Store
from .api import call
from .config import TelegramConfig

log = logging.getLogger("romm_comm.telegram")

MEMBER_STATUSES = {"creator", "administrator", "member"}
CACHE_SECONDS = 300.0
REFUSED_PREFIX = "telegram:refused:"
REFUSAL = (
    "Sorry, I only talk to members of this library's Telegram group. "
    "Ask its admins to add you, then write to me again."
)


class Access:
    def __init__(
        self,
        bot: Bot,
        config: TelegramConfig,
        store: Store,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.config = config
        self.store = store
        self.clock = clock
        self._members: dict[int, tuple[float, bool]] = {}
        self._admins: tuple[float, frozenset[int]] | None = None
        self.refused: set[int] = set()

    def group_allowed(self, chat_id: int) -> bool:
        return chat_id in self.config.telegram_chat_ids

    async def private_allowed(self, user_id: int) -> bool:
        if user_id in self.config.telegram_admin_ids:
            return True
        cached = self._members.get(user_id)
        if cached is not None and self.clock() - cached[0] < CACHE_SECONDS:
            return cached[1]
        member = False
        for chat_id in self.config.telegram_chat_ids:
            try:
                found = await call(self.bot, GetChatMember(chat_id=chat_id, user_id=user_id))
            except TelegramAPIError as exc:
                log.info("telegram: membership of %s in %s unknown: %s", user_id, chat_id, exc)
                continue
            status = str(getattr(found, "status", ""))
            if status in MEMBER_STATUSES or (
                status == "restricted" and bool(getattr(found, "is_member", False))
            ):
                member = True
                break
        self._members[user_id] = (self.clock(), member)
        return member

    async def first_refusal(self, user_id: int) -> bool:
        """Whether this stranger is refused for the first time (then remembered for good)."""
        if user_id in self.refused:
            return False
        self.refused.add(user_id)
        key = f"{REFUSED_PREFIX}{user_id}"
        if await self.store.get_json(key) is not None:
            return False
        await self.store.set_json(key, True)
        return True

    async def is_admin(self, user_id: int) -> bool:
        if user_id in self.config.telegram_admin_ids:
            return True
        if not self.config.telegram_group_admins:
            return False
        return user_id in await self.group_admins()

    async def group_admins(self) -> frozenset[int]:
        if self._admins is not None and self.clock() - self._admins[0] < CACHE_SECONDS:
            return self._admins[1]
        ids: set[int] = set()
        for chat_id in self.config.telegram_chat_ids:
            try:
                admins = await call(self.bot, GetChatAdministrators(chat_id=chat_id))
            except TelegramAPIError as exc:
                log.info("telegram: administrators of %s unknown: %s", chat_id, exc)
                continue
            ids.update(a.user.id for a in admins if not a.user.is_bot)
        self._admins = (self.clock(), frozenset(ids))
        return self._admins[1]
