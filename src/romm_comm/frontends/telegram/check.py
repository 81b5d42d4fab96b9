"""`romm-comm check`, Telegram part: is the token valid (`getMe`), the bot's username, whether
privacy mode is on (`can_read_all_group_messages`), and which configured chats it is in."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError
from aiogram.methods import GetChat, GetChatMember, GetMe

from ...core.findings import Finding
from .api import call, make_bot
from .config import TelegramConfig

PRESENT = {"creator", "administrator", "member", "restricted"}


async def check_telegram(config: TelegramConfig) -> list[Finding]:
    if config.telegram_bot_token is None:
        return [Finding("note", "TELEGRAM_BOT_TOKEN is not set: no Telegram bot")]
    bot = make_bot(config.telegram_bot_token.get_secret_value(), config.telegram_api_url)
    try:
        return await _findings(bot, config)
    finally:
        await bot.session.close()


async def _findings(bot: Bot, config: TelegramConfig) -> list[Finding]:
    try:
        me = await call(bot, GetMe())
    except TelegramUnauthorizedError:
        return [Finding("problem", "TELEGRAM_BOT_TOKEN was refused by Telegram: ask @BotFather")]
    except TelegramNetworkError as exc:
        return [Finding("problem", f"Telegram is not reachable: {exc.message}")]
    except TelegramAPIError as exc:
        return [Finding("problem", f"Telegram answered getMe with: {exc.message}")]
    found = [Finding("ok", f"TELEGRAM_BOT_TOKEN works: the bot is @{me.username}")]
    if me.can_read_all_group_messages:
        found.append(
            Finding(
                "note",
                "privacy mode is off: the bot receives every group message (it answers only "
                "commands); @BotFather → /setprivacy → Enable to receive only commands",
            )
        )
    else:
        found.append(Finding("ok", "privacy mode is on: in groups the bot receives commands only"))
    if not config.telegram_chat_ids:
        found.append(
            Finding(
                "warn",
                "TELEGRAM_CHAT_IDS is not set: only TELEGRAM_ADMIN_IDS may talk to the bot",
            )
        )
    for chat_id in config.telegram_chat_ids:
        found.append(await _chat(bot, me.id, chat_id))
    return found


async def _chat(bot: Bot, bot_id: int, chat_id: int) -> Finding:
    try:
        chat = await call(bot, GetChat(chat_id=chat_id))
        member = await call(bot, GetChatMember(chat_id=chat_id, user_id=bot_id))
    except TelegramAPIError:
        return Finding("problem", f"the bot is not in the chat {chat_id}: add it to that group")
    if str(member.status) not in PRESENT:
        return Finding("problem", f"the bot is not in {chat.title or chat_id}: add it again")
    return Finding("ok", f"the bot is in {chat.title or chat_id} ({chat_id})")
