"""`setMyCommands` from the registry: the members' list for everyone, the whole list for
admins (in the configured groups via BotCommandScopeChatAdministrators, and in the private
chat of each TELEGRAM_ADMIN_IDS person)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import SetMyCommands
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    BotCommandScopeDefault,
)

from ...core.commands import CommandSpec, Registry
from .api import call
from .config import TelegramConfig

log = logging.getLogger("romm_comm.telegram")

DESCRIPTION_LIMIT = 256


def bot_commands(specs: list[CommandSpec]) -> list[BotCommand]:
    out = []
    for spec in specs:
        text = " ".join(spec.description.split()) or spec.name
        if len(text) > DESCRIPTION_LIMIT:
            text = text[: DESCRIPTION_LIMIT - 1] + "…"
        out.append(BotCommand(command=spec.name, description=text))
    return out


async def publish_commands(bot: Bot, registry: Registry, config: TelegramConfig) -> None:
    members = bot_commands([c for c in registry.commands.values() if not c.admin])
    admins = bot_commands(list(registry.commands.values()))
    await call(bot, SetMyCommands(commands=members, scope=BotCommandScopeDefault()))
    scopes: list[BotCommandScopeChat | BotCommandScopeChatAdministrators] = [
        BotCommandScopeChatAdministrators(chat_id=chat) for chat in config.telegram_chat_ids
    ]
    scopes += [BotCommandScopeChat(chat_id=user) for user in config.telegram_admin_ids]
    for scope in scopes:
        try:
            await call(bot, SetMyCommands(commands=admins, scope=scope))
        except TelegramAPIError as exc:  # an admin who never started the bot: chat not found
            log.info("telegram: admin commands not set for chat %s: %s", scope.chat_id, exc)
